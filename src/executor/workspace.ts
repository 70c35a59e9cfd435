/**
 * What sessions (src/session/) need of their executor, internal to wasmbox and reached through
 * symbols: a session's file tree as one execution sees it (its files are placed in the working
 * directory under the request's own, and every file the run leaves there comes back, so the tree
 * can take what was written and deleted), and the port REPL contexts run through.
 */
import type { ExecuteRequest, ExecuteResult, RequestCaps, RuntimeName } from "../request.js";
import type { Runtime } from "../runtime.js";
import type { ExecuteOptions, LiveJob } from "./live.js";

/** The executor method a session runs through (a symbol: not part of the public API). */
export const WORKSPACE_RUN: unique symbol = Symbol("wasmbox.workspaceRun");

export interface Workspace {
  /** The tree's files; the request's `files` and program are placed over them. */
  files: Record<string, Uint8Array>;
  /** Caps of what may come back: number of files, bytes of all files together. */
  maxFiles: number;
  maxBytes: number;
}

/** What a finished run left in the working directory; absent when nothing ran (a failed compile, a timeout). */
export interface WorkspaceOutcome {
  /** Files created or changed, whole; a file past the caps is left out and `overQuota` set. */
  written: Map<string, Uint8Array>;
  /** Every path present after the run: a path of the tree not here was deleted. */
  present: Set<string>;
  overQuota: boolean;
}

export interface WorkspaceRunner {
  [WORKSPACE_RUN](request: ExecuteRequest, workspace: Workspace, opts?: ExecuteOptions): Promise<{ result: ExecuteResult; outcome?: WorkspaceOutcome }>;
}

/**
 * What a REPL context (src/session/context.ts) needs of its executor; internal to wasmbox,
 * reached through `executor[CONTEXT_PORT]()`.
 */
export interface ContextPort {
  /** Counts a context against `maxContexts` (throws CONTEXT_LIMIT, EXECUTOR_CLOSED); `end` is called by executor.close(). Returns its release. */
  register(owner: { end(): void }): () => void;
  /**
   * Starts the context's long-lived execution: no overall deadline, no concurrency slot (each cell
   * takes one, see acquireSlot), output drained as it is read (the caller caps each cell).
   */
  start(request: ExecuteRequest, live: LiveJob, signal: AbortSignal): Promise<ExecuteResult>;
  acquireSlot(signal?: AbortSignal): Promise<boolean>;
  releaseSlot(): void;
  runtime(name: RuntimeName): Promise<Runtime>;
  readonly outputLimit: number;
  readonly caps: RequestCaps;
}

export const CONTEXT_PORT: unique symbol = Symbol("wasmbox.contextPort");
