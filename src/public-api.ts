/** What wasmbox exports the same way in Node (src/index.ts) and in the browser (src/browser/index.ts). */
export {
  ExecuteRequestSchema,
  ExecuteResultSchema,
  RUNTIME_NAMES,
  DEFAULT_CAPS,
  validateRequest,
  type ExecuteRequest,
  type ExecuteResult,
  type RuntimeName,
  type RequestCaps,
} from "./request.js";
export * from "./errors.js";
export type { Runtime, Job, Io, Limits, LoadContext, PrepareContext, PrepareResult, RuntimeInfo } from "./runtime.js";
export { EXIT_TIMEOUT, EXIT_OUTPUT_LIMIT, EXIT_OUT_OF_MEMORY, EXIT_SANDBOX_FAILURE, EXIT_STACK_OVERFLOW } from "./sandbox/protocol.js";
export type { ExecutionHandle, ExecutionInput, OutputListeners } from "./executor/live.js";
