/**
 * wasmbox in the browser: the same `execute()` as in Node, with Web Workers as sandbox hosts.
 *
 *   import { createExecutor } from "wasmbox/browser";
 *   const box = createExecutor({ assetsBaseUrl: "/wasmbox/" }); // files from `npx wasmbox assets public/wasmbox`
 *   const r = await box.execute({ runtime: "python", code: "print(1 + 1)" });
 *
 * The page must be cross-origin isolated (COOP `same-origin`, COEP `require-corp`).
 */
import { BrowserExecutor, type ExecuteOptions } from "./executor.js";
import type { BrowserExecutorOptions } from "./options.js";
import type { BatchRequest, BatchResult, ExecuteRequest, ExecuteResult } from "../request.js";

export { BrowserExecutor, BrowserExecutor as Executor, type ExecuteOptions, type ExecutorStats, type LoadEvent, type SpawnOptions } from "./executor.js";
export type { BrowserExecutorOptions, BrowserExecutorOptions as ExecutorOptions } from "./options.js";
export * from "../public-api.js";
export { RUNTIME_ASSETS } from "./assets.js";

export function createExecutor(options?: BrowserExecutorOptions): BrowserExecutor {
  return new BrowserExecutor(options);
}

let defaultExecutor: BrowserExecutor | undefined;

/** Runs one request on a lazily made default executor (assets from "/wasmbox/"). */
export function execute(request: ExecuteRequest, options?: ExecuteOptions): Promise<ExecuteResult> {
  defaultExecutor ??= createExecutor();
  return defaultExecutor.execute(request, options);
}

/** Runs one program on many test cases (see executeBatch in the Node entry) on the default executor. */
export function executeBatch(request: BatchRequest, options?: ExecuteOptions): Promise<BatchResult> {
  defaultExecutor ??= createExecutor();
  return defaultExecutor.executeBatch(request, options);
}
