/**
 * A sandbox host: where guest code runs. The executor owns every host and disposes it.
 * Worker hosts (threads) are reused for many executions, each on a fresh wasm instance;
 * process hosts are one-shot (see DESIGN.md, "Isolation, in layers").
 */
import type { Job, WorkerShared } from "../runtime.js";
import type { StdinWriter } from "../sandbox/live-stdin.js";
import type { FromHost, LiveRun } from "../sandbox/protocol.js";

export interface HostRunOptions {
  job: Job;
  stdin: Uint8Array;
  output: SharedArrayBuffer;
  /** Streamed/interactive executions (see LiveRun). */
  live?: LiveRun;
  /** Interactive executions: what the caller sends, written into `live.stdin`. */
  stdinWriter?: StdinWriter;
}

export type HostOutcome =
  /** `report`: what the host measured when the job asked (untrusted shape: the executor checks it). */
  | { kind: "done"; exitCode: number; report?: unknown }
  | { kind: "crashed"; reason: string; outOfMemory: boolean };

export interface SandboxHost {
  readonly runtime: Job["runtime"];
  /** Resolves when the runtime is loaded; rejects with the load error. */
  readonly ready: Promise<void>;
  /** True while the host can take another job after this one. */
  readonly reusable: boolean;
  readonly alive: boolean;
  /** Called when the host ends by itself (its thread or process exited), not by terminate(). */
  onGone?: () => void;
  /** Runs one job. `onMessage` sees the host's messages (e.g. output-limit) while it runs. */
  run(opts: HostRunOptions, onMessage: (m: FromHost) => void): Promise<HostOutcome>;
  /** Ends the host at once (and everything it runs). Idempotent. */
  terminate(): Promise<void>;
  /** Whether the host keeps the Node process alive. Idle hosts do not. */
  ref(): void;
  unref(): void;
}

export interface HostFactoryOptions {
  runtime: Job["runtime"];
  memoryBytes: number;
  options: Record<string, unknown>;
  /** Worker hosts: the runtime's `workerHost.shared()`, made once per executor. */
  shared?: WorkerShared;
  /** Worker hosts: ask this host for `workerHost.contribute()`, and where its answer goes. */
  onContribute?: (data: WorkerShared) => void;
  /** Native stack of a worker thread, bytes (Runtime.hostStackBytes); default 8 MiB. */
  stackBytes?: number;
  /** Where one-time warnings go (the executor's `onWarning`). */
  onWarning?: (message: string) => void;
}

export type HostFactory = (opts: HostFactoryOptions) => SandboxHost;
