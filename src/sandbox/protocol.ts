/** Messages between the executor and a sandbox host. The executor reads only known fields. */
import type { WireError } from "../errors.js";
import type { WorkerShared } from "../runtime.js";
import type { Job } from "../runtime.js";
import type { RunReport } from "./run-report.js";

export interface HostInit {
  runtime: Job["runtime"];
  memoryBytes: number;
  options: Record<string, unknown>;
  /** The runtime's `workerHost.shared()`, made once per executor (worker hosts only). */
  shared?: WorkerShared;
  /** Whether this host is the one asked for `workerHost.contribute()` after loading. */
  contribute?: boolean;
}

/**
 * A streamed execution (`live`) notifies the executor of new output; an interactive one also
 * reads standard input from `live.stdin` (src/sandbox/live-stdin.ts) instead of `stdin`.
 */
export interface LiveRun {
  stdin?: SharedArrayBuffer;
}

export type ToHost = { type: "run"; job: Job; stdin: Uint8Array; output: SharedArrayBuffer; live?: LiveRun };

export type FromHost =
  | { type: "ready" }
  | { type: "shared"; data: WorkerShared }
  | { type: "load-error"; error: WireError }
  | { type: "output-limit"; fd: 1 | 2 }
  /** Streamed executions: new output is in the shared buffer. */
  | { type: "output" }
  /** Interactive executions: the guest read standard input the executor is holding back. */
  | { type: "stdin-room" }
  | { type: "done"; exitCode: number; outOfMemory?: boolean; internalError?: string; retire?: boolean; report?: RunReport };

/** Exit codes wasmbox gives when it ends a program itself (documented in the README). */
export const EXIT_TIMEOUT = 124; // as GNU timeout(1)
export const EXIT_OUTPUT_LIMIT = 153; // 128 + SIGXFSZ, "file size limit exceeded"
export const EXIT_OUT_OF_MEMORY = 137; // 128 + SIGKILL, as the OOM killer
export const EXIT_SANDBOX_FAILURE = 70; // EX_SOFTWARE
export const EXIT_STACK_OVERFLOW = 139; // 128 + SIGSEGV, as a native stack overflow

/**
 * A guest that recurses without bound can exhaust the engine's native stack before its own
 * language notices (Pyodide with a raised recursion limit, Go): the program's fault, not a
 * failure of the sandbox.
 */
export function isStackOverflow(e: unknown): boolean {
  return (e as Error)?.name === "RangeError" && /Maximum call stack size exceeded/.test(String((e as Error).message));
}
export const STACK_OVERFLOW_MESSAGE = "\n[wasmbox] stack overflow: the program recursed too deeply\n";
