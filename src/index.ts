/**
 * wasmbox: run untrusted code in seven languages inside WebAssembly, in-process.
 *
 *   import { execute } from "wasmbox";
 *   const r = await execute({ runtime: "ruby", code: "puts 1 + 1" });
 */
import { Executor, createExecutor, type ExecuteOptions } from "./executor/executor.js";
import type { BatchRequest, BatchResult, ExecuteRequest, ExecuteResult } from "./request.js";

export { Executor, createExecutor, type ExecuteOptions, type ExecutorStats, type LoadEvent, type SpawnOptions } from "./executor/executor.js";
export type { ExecutorOptions } from "./executor/options.js";
export * from "./public-api.js";

let defaultExecutor: Executor | undefined;

/**
 * Runs one request on a lazily made default executor. Its idle sandbox hosts do not keep the
 * process alive. Use createExecutor() to choose limits, prewarm runtimes or close explicitly.
 */
export function execute(request: ExecuteRequest, options?: ExecuteOptions): Promise<ExecuteResult> {
  defaultExecutor ??= createExecutor();
  return defaultExecutor.execute(request, options);
}

/** Runs one program on many test cases (see Executor.executeBatch) on the default executor. */
export function executeBatch(request: BatchRequest, options?: ExecuteOptions): Promise<BatchResult> {
  defaultExecutor ??= createExecutor();
  return defaultExecutor.executeBatch(request, options);
}
