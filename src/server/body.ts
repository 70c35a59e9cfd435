/** Reads a JSON request body under a byte limit, refusing other content types. */
import { HttpError } from "./http-error.js";

export const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024;

function tooLarge(limit: number): HttpError {
  // The client may still be sending: closing the connection keeps it from being reused mid-body.
  return new HttpError(413, "PAYLOAD_TOO_LARGE", `the request body is over the ${limit}-byte limit; send less code or input`, {
    Connection: "close",
  });
}

export function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const type = value.split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

export async function readJsonBody(req: Request, limit: number): Promise<unknown> {
  if (!isJsonContentType(req.headers.get("content-type")))
    throw new HttpError(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      `the request body must be JSON; send the header "Content-Type: application/json" (got ${JSON.stringify(req.headers.get("content-type") ?? "none")})`,
    );
  const text = (await readBody(req, limit)).toString("utf8");
  if (text.trim() === "")
    throw new HttpError(400, "INVALID_REQUEST", 'wasmbox: invalid request: the body is empty; send a JSON object such as {"runtime":"python","code":"print(1)"}');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, "INVALID_REQUEST", `wasmbox: invalid request: the body is not valid JSON (${(e as Error).message})`);
  }
}

/** The request body as bytes, whatever its type, under the byte limit (a file upload, a snapshot). */
export async function readBody(req: Request, limit: number): Promise<Buffer> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);

  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        // The body stream fails only when its connection does: the client went away mid-upload
        // (or a shutdown closed the connection).
        throw new HttpError(499, "CLIENT_CLOSED", "the client closed the connection before the request body was complete");
      }
      const { done, value } = chunk;
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        // Not cancelled: cancelling would destroy the connection before the 413 reaches the
        // client. The server reads and discards the rest, within a bound (index.ts).
        reader.releaseLock();
        throw tooLarge(limit);
      }
      chunks.push(value);
    }
  }
  return Buffer.concat(chunks, size);
}
