/**
 * The messages of a contained process host: executor <-> supervisor (JSON lines on the host
 * process's stdin/stdout) and supervisor <-> guest thread (structured clone).
 */
import type { WireError } from "../errors.js";
import type { Job } from "../runtime.js";
import type { HostInit } from "./protocol.js";
import type { RunReport } from "./run-report.js";

export interface SupervisorInit extends HostInit {
  /** Interpreters kept loaded and unclaimed, ahead of demand. */
  ready: number;
}

/** Executor → supervisor, one JSON object per line. */
export type ToSupervisor =
  | { t: "claim"; id: number }
  | { t: "run"; id: number; job: Job; stdin: string; interactive?: boolean }
  /** Interactive executions: input the caller sent (base64), and its end. */
  | { t: "stdin"; id: number; data: string }
  | { t: "stdin-end"; id: number }
  | { t: "kill"; id: number };

/** Supervisor → executor, one JSON object per line. Data is base64. */
export type FromSupervisor =
  | { t: "up" }
  | { t: "fatal"; error: WireError }
  | { t: "ready"; id: number }
  | { t: "out"; id: number; fd: 1 | 2; data: string }
  | { t: "limit"; id: number; fd: 1 | 2 }
  | { t: "done"; id: number; exitCode: number; report?: RunReport }
  | { t: "crashed"; id: number; reason: string; outOfMemory: boolean };

export type FromGuest =
  | { t: "ready" }
  | { t: "shared"; data: Record<string, unknown> }
  | { t: "load-error"; error: WireError }
  | { t: "out"; fd: 1 | 2; data: Uint8Array }
  | { t: "limit"; fd: 1 | 2 }
  /** Interactive executions: the guest read input, the supervisor may send what it holds. */
  | { t: "stdin-room" }
  | { t: "done"; exitCode: number; report?: RunReport };
