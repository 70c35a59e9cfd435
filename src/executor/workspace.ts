/**
 * A session's file tree as one execution sees it (src/session/): its files are placed in the
 * working directory under the request's own, and every file the run leaves there comes back,
 * so the tree can take what was written and deleted. Internal: reached through WORKSPACE_RUN.
 */
import type { ExecuteRequest, ExecuteResult } from "../request.js";
import type { ExecuteOptions } from "./live.js";

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
