/** What wasmbox exports the same way in Node (src/index.ts) and in the browser (src/browser/index.ts). */
export {
  ExecuteRequestSchema,
  ExecuteResultSchema,
  BatchRequestSchema,
  BatchResultSchema,
  BatchCaseSchema,
  UsageSchema,
  CompileStageSchema,
  ReturnedFileSchema,
  RUNTIME_NAMES,
  REPORT_NAMES,
  DEFAULT_CAPS,
  validateRequest,
  validateBatch,
  sameOutput,
  type ExecuteRequest,
  type ExecuteResult,
  type BatchRequest,
  type BatchCase,
  type BatchResult,
  type BatchCaseResult,
  type Usage,
  type CompileStage,
  type ReturnedFile,
  type ReportName,
  type RuntimeName,
  type RequestCaps,
} from "./request.js";
export * from "./errors.js";
export type { Runtime, Job, Io, Limits, LoadContext, PrepareContext, PrepareResult, RuntimeInfo } from "./runtime.js";
export { EXIT_TIMEOUT, EXIT_OUTPUT_LIMIT, EXIT_OUT_OF_MEMORY, EXIT_SANDBOX_FAILURE, EXIT_STACK_OVERFLOW } from "./sandbox/protocol.js";
export type { ExecutionHandle, ExecutionInput, OutputListeners } from "./executor/live.js";
export { Session, type SessionOptions, type SessionFiles, type SessionInfo, type FileEntry } from "./session/session.js";
export {
  ReplContext,
  type ContextFileSync,
  type ContextOptions,
  type ContextRunOptions,
  type ContextRunResult,
  type ContextError,
} from "./session/context.js";
