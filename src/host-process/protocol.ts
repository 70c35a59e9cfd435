/**
 * The messages of a contained process host: executor <-> supervisor (JSON lines on the host
 * process's stdin/stdout) and supervisor <-> guest thread (structured clone).
 */
import type { WireError } from "../errors.js";
import type { Job } from "../runtime.js";
import type { HostInit } from "../sandbox/protocol.js";
import type { RunReport } from "../sandbox/run-report.js";

export interface SupervisorInit extends HostInit {
  /** Interpreters kept loaded and unclaimed, ahead of demand. */
  ready: number;
}

/** Executor → supervisor, one JSON object per line. */
export type ToSupervisor =
  | { t: "claim"; id: number }
  | { t: "run"; id: number; job: WireJob; stdin: string; interactive?: boolean }
  /** Interactive executions: input the caller sent (base64), and its end. */
  | { t: "stdin"; id: number; data: string }
  | { t: "stdin-end"; id: number }
  | { t: "kill"; id: number };

/** A job as a JSON line carries it: files given as bytes (a session's) are base64 in `binary`. */
export interface WireJob extends Omit<Job, "files"> {
  files: Record<string, string>;
  binary?: Record<string, string>;
}

export function jobToWire(job: Job): WireJob {
  const files: Record<string, string> = {};
  let binary: Record<string, string> | undefined;
  for (const [name, content] of Object.entries(job.files)) {
    if (typeof content === "string") files[name] = content;
    else (binary ??= {})[name] = Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString("base64");
  }
  return { ...job, files, ...(binary && { binary }) };
}

export function jobFromWire(wire: WireJob): Job {
  const { binary, ...job } = wire;
  const files: Job["files"] = { ...job.files };
  for (const [name, b64] of Object.entries(binary ?? {})) files[name] = new Uint8Array(Buffer.from(b64, "base64"));
  return { ...job, files };
}

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
