/**
 * Every error response is `{"error":{"code","message"}}`. Library errors keep their stable
 * code; errors we did not expect become a generic 500 so no stack or host detail leaks out.
 */
import { WasmboxError } from "../errors.js";

export type HttpErrorCode =
  | "INVALID_REQUEST"
  | "UNAUTHORIZED"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "QUEUE_FULL"
  | "RUNTIME_UNAVAILABLE"
  | "EXECUTOR_CLOSED"
  | "SANDBOX_FAILURE"
  | "CONTEXT_LIMIT"
  | "CONTEXT_UNSUPPORTED"
  | "CONTEXT_CLOSED"
  | "SHUTTING_DOWN"
  | "QUEUE_UNAVAILABLE"
  | "CLIENT_CLOSED"
  | "SESSION_CLOSED"
  | "SESSION_EXPIRED"
  | "SESSION_LIMIT"
  | "SESSION_QUOTA"
  | "FILE_NOT_FOUND"
  | "WRONG_NODE"
  | "NOT_IMPLEMENTED"
  | "INTERNAL_ERROR";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: HttpErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message.startsWith("wasmbox:") ? message : `wasmbox: ${message}`);
    this.name = "HttpError";
  }
}

/** Seconds a client should wait after a 429 before retrying. */
export const RETRY_AFTER_SECONDS = 1;

const STATUS_BY_CODE: Record<WasmboxError["code"], number> = {
  INVALID_REQUEST: 400,
  QUEUE_FULL: 429,
  RUNTIME_UNAVAILABLE: 503,
  EXECUTOR_CLOSED: 503,
  SANDBOX_FAILURE: 500,
  SESSION_CLOSED: 404,
  SESSION_EXPIRED: 410,
  SESSION_LIMIT: 429,
  SESSION_QUOTA: 413,
  FILE_NOT_FOUND: 404,
  CONTEXT_LIMIT: 429,
  CONTEXT_UNSUPPORTED: 400,
  CONTEXT_CLOSED: 409,
};

/** Turns anything thrown while handling a request into the HttpError to send. */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof WasmboxError) {
    const status = STATUS_BY_CODE[err.code] ?? 500;
    if (err.code === "QUEUE_FULL")
      return new HttpError(status, err.code, err.message, { "Retry-After": String(RETRY_AFTER_SECONDS) });
    // A sandbox failure's message may name host internals; the log has the details.
    if (err.code === "SANDBOX_FAILURE")
      return new HttpError(status, err.code, "the sandbox host failed while running the request; retry it");
    return new HttpError(status, err.code, err.message);
  }
  return new HttpError(500, "INTERNAL_ERROR", "internal server error; the server log has the details");
}
