/**
 * Host failures are named error classes with a stable `code`; expected failures of the
 * guest program (exceptions, exit codes, timeouts) are values in the ExecuteResult instead.
 */
export type WasmboxErrorCode =
  | "INVALID_REQUEST"
  | "QUEUE_FULL"
  | "RUNTIME_UNAVAILABLE"
  | "EXECUTOR_CLOSED"
  | "SANDBOX_FAILURE";

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
  constructor(field: string, message: string) {
    super("INVALID_REQUEST", `invalid request: ${field ? `\`${field}\` ` : ""}${message}`);
    this.field = field;
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
  constructor(runtime: string, message: string, options?: { cause?: unknown }) {
    super("RUNTIME_UNAVAILABLE", `runtime "${runtime}" is unavailable: ${message}`, options);
    this.runtime = runtime;
  }
}

export class ExecutorClosedError extends WasmboxError {
  constructor() {
    super("EXECUTOR_CLOSED", "the executor is closed; create a new one with createExecutor()");
  }
}

/** The sandbox host itself failed (crashed, could not start). The guest is not to blame. */
export class SandboxFailureError extends WasmboxError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("SANDBOX_FAILURE", message, options);
  }
}
