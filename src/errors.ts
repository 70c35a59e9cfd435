/**
 * Host failures are named error classes with a stable `code`; expected failures of the
 * guest program (exceptions, exit codes, timeouts) are values in the ExecuteResult instead.
 */
export type WasmboxErrorCode =
  | "INVALID_REQUEST"
  | "QUEUE_FULL"
  | "RUNTIME_UNAVAILABLE"
  | "EXECUTOR_CLOSED"
  | "SANDBOX_FAILURE"
  | "SESSION_CLOSED"
  | "SESSION_EXPIRED"
  | "SESSION_LIMIT"
  | "SESSION_QUOTA"
  | "FILE_NOT_FOUND"
  | "CONTEXT_LIMIT"
  | "CONTEXT_UNSUPPORTED"
  | "CONTEXT_CLOSED";

export class WasmboxError extends Error {
  readonly code: WasmboxErrorCode;
  constructor(code: WasmboxErrorCode, message: string, options?: { cause?: unknown }) {
    super(message.startsWith("wasmbox:") ? message : `wasmbox: ${message}`, options);
    this.name = new.target.name;
    this.code = code;
  }
  toJSON(): { code: WasmboxErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** The request was rejected before anything ran. `field` is a dotted path (`files.main.py`). */
export class InvalidRequestError extends WasmboxError {
  readonly field: string;
  /** The message without the field: what was wrong and what to do. */
  readonly detail: string;
  constructor(field: string, message: string) {
    super("INVALID_REQUEST", `invalid request: ${field ? `\`${field}\` ` : ""}${message}`);
    this.field = field;
    this.detail = message;
  }
}

export class QueueFullError extends WasmboxError {
  constructor(limit: number) {
    super(
      "QUEUE_FULL",
      `the queue is full (${limit} executions waiting); retry later, or raise \`maxQueue\`/\`concurrency\` in createExecutor()`,
    );
  }
}

export class RuntimeUnavailableError extends WasmboxError {
  readonly runtime: string;
  /** Why, and what to install: the message without its prefix. */
  readonly reason: string;
  constructor(runtime: string, reason: string, options?: { cause?: unknown }) {
    super("RUNTIME_UNAVAILABLE", `runtime "${runtime}" is unavailable: ${reason}`, options);
    this.runtime = runtime;
    this.reason = reason;
  }
}

export class ExecutorClosedError extends WasmboxError {
  constructor() {
    super("EXECUTOR_CLOSED", "the executor is closed; create a new one with createExecutor()");
  }
}

/** An error as it crosses a thread or process boundary: its fields, not only its text. */
export interface WireError {
  message: string;
  code?: string;
  runtime?: string;
  reason?: string;
}

export function toWire(e: unknown): WireError {
  const err = e as { message?: unknown; code?: unknown; runtime?: unknown; reason?: unknown } | undefined;
  const wire: WireError = { message: String(err?.message ?? e) };
  if (typeof err?.code === "string") wire.code = err.code;
  if (typeof err?.runtime === "string") wire.runtime = err.runtime;
  if (typeof err?.reason === "string") wire.reason = err.reason;
  return wire;
}

/**
 * The error a host rebuilds from a sandbox's load failure: RuntimeUnavailableError with its own
 * runtime and reason when that is what the sandbox threw, else a SandboxFailureError saying `where`.
 */
export function loadFailure(runtime: string, where: string, w: WireError): WasmboxError {
  if (w.code === "RUNTIME_UNAVAILABLE") return new RuntimeUnavailableError(w.runtime ?? runtime, w.reason ?? w.message);
  return new SandboxFailureError(`the ${runtime} runtime failed to load ${where}: ${w.message}`);
}

/** The sandbox host itself failed (crashed, could not start). The guest is not to blame. */
export class SandboxFailureError extends WasmboxError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("SANDBOX_FAILURE", message, options);
  }
}

/** A call on a session that was closed (`SESSION_CLOSED`) or ended after being idle too long (`SESSION_EXPIRED`). */
export class SessionClosedError extends WasmboxError {
  readonly sessionId: string;
  constructor(sessionId: string, expired: boolean, idleMs?: number) {
    super(
      expired ? "SESSION_EXPIRED" : "SESSION_CLOSED",
      expired
        ? `session ${sessionId} expired after ${idleMs} ms without a call and was ended with its files; create a new one (or raise \`idleTimeout\`)`
        : `session ${sessionId} is closed; create a new one with createSession()`,
    );
    this.sessionId = sessionId;
  }
}

/** The executor already holds its maximum number of open sessions. */
export class SessionLimitError extends WasmboxError {
  constructor(limit: number) {
    super("SESSION_LIMIT", `this executor already holds ${limit} open sessions; close one first, or raise \`sessions.max\` in createExecutor()`);
  }
}

/** A write would take a session's files past its quota. Nothing of the write was kept. */
export class SessionQuotaError extends WasmboxError {
  constructor(message: string) {
    super("SESSION_QUOTA", message);
  }
}

/** A session file (or directory) that does not exist. */
export class FileNotFoundError extends WasmboxError {
  readonly path: string;
  constructor(path: string, what = "file") {
    super("FILE_NOT_FOUND", `no ${what} "${path}" in this session; list the session's files with session.files.list()`);
    this.path = path;
  }
}

/** `maxContexts` REPL contexts are open already. */
export class ContextLimitError extends WasmboxError {
  constructor(limit: number) {
    super("CONTEXT_LIMIT", `${limit} REPL contexts are open already; close one, or raise \`maxContexts\` in createExecutor()`);
  }
}

/** REPL contexts exist only for the interpreted runtimes. */
export class ContextUnsupportedError extends WasmboxError {
  readonly runtime: string;
  constructor(runtime: string) {
    super(
      "CONTEXT_UNSUPPORTED",
      `runtime "${runtime}" has no REPL contexts (sessions keep files only for compiled runtimes); use session.execute() for it, or one of python, node, bun, ruby, php`,
    );
    this.runtime = runtime;
  }
}

/** The context was closed (context.close(), its session's or executor's close). */
export class ContextClosedError extends WasmboxError {
  constructor() {
    super("CONTEXT_CLOSED", "the REPL context is closed; create a new one");
  }
}
