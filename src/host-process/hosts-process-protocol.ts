/**
 * Messages between an executor and its hosts process (Node IPC, structured clone): the executor
 * names each host by a number; output travels as chunks and is written into the execution's
 * shared buffer on the executor's side, so caps, partial output and streaming behave as they do
 * for a worker host in the executor's own process.
 */
import type { WireError } from "../errors.js";
import type { RuntimeName } from "../request.js";
import type { Job } from "../runtime.js";
import type { HostOutcome } from "../executor/host.js";

export interface HostsProcessInit {
  /** Where the process's own diagnostics go: nowhere unless debugging wasmbox. */
  debug: boolean;
}

export type ToHostsProcess =
  /** A runtime is about to be asked for: load its adapter and what its hosts share, ahead of the first host. */
  | { t: "preload"; runtime: RuntimeName; memoryBytes: number; options: Record<string, unknown> }
  | { t: "create"; id: number; runtime: RuntimeName; memoryBytes: number; options: Record<string, unknown> }
  | {
      t: "run";
      id: number;
      job: Job;
      stdin: Uint8Array;
      /** Bytes per stream of the executor's buffer, and whether it is drained (a ring). */
      cap: number;
      drained: boolean;
      /** Send output as it is written (streamed, drained or interactive executions). */
      live: boolean;
      interactive: boolean;
    }
  | { t: "stdin"; id: number; data: Uint8Array }
  | { t: "stdin-end"; id: number }
  | { t: "terminate"; id: number };

export type FromHostsProcess =
  | { t: "ready"; id: number }
  | { t: "load-error"; id: number; error: WireError }
  /** A host ended while it ran nothing (its thread exited). */
  | { t: "gone"; id: number }
  | { t: "warning"; message: string }
  | { t: "out"; id: number; stdout: Uint8Array; stderr: Uint8Array }
  | { t: "limit"; id: number; fd: 1 | 2 }
  | {
      t: "end";
      id: number;
      outcome: HostOutcome;
      /** Whether the host takes another job. */
      alive: boolean;
      /** Resident memory of the hosts process after the job, bytes. */
      rss: number;
      /** Output not sent yet. */
      stdout: Uint8Array;
      stderr: Uint8Array;
    };
