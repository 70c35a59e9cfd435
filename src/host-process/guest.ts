/**
 * The guest role of a Python host process (see supervisor.ts): one worker thread loads one
 * interpreter, locks its realm, runs exactly one job, and is terminated. A guest sees none of the
 * supervisor's or its siblings' objects.
 *
 * Threads start from guest.cjs, this file and the adapter bundled into one CommonJS
 * script (scripts/build-guest.mjs): a thread that loads ES modules first builds Node's ES module
 * loader and then resolves, reads and compiles each module, ~15-25 ms of CPU per interpreter
 * here. Without the bundle, supervisor.js runs this file as an ES module.
 */
import { parentPort, workerData } from "node:worker_threads";
import { OutputLimitExceeded, type Io, type Job, type Runtime, type RunInspection } from "../runtime.js";
import { toWire } from "../errors.js";
import type { RuntimeName } from "../request.js";
import type { FromGuest, SupervisorInit } from "./protocol.js";
import { runToExit } from "../sandbox/run-exit.js";
import { startReport } from "../sandbox/run-report.js";
import type { LiveRun } from "../sandbox/protocol.js";
import { FixedStdin, SharedStdinReader, type StdinSource } from "../sandbox/live-stdin.js";

/** What scripts/guest-loader.cjs hands the bundled guest: the supervisor's first message, which it received, and the bundle's code cache. */
export interface GuestStart {
  first: { shared: Record<string, unknown> };
  codeCache(): Uint8Array;
}

export async function guest(loadRuntime: (name: RuntimeName) => Promise<Runtime>, start?: GuestStart): Promise<void> {
  const port = parentPort!;
  const post = port.postMessage.bind(port) as (m: FromGuest, transfer?: ArrayBuffer[]) => void;
  const { init, contribute } = workerData as { init: SupervisorInit; contribute: boolean };
  const { shared } = start?.first ?? (await new Promise<{ shared: Record<string, unknown> }>((resolve) => port.once("message", resolve)));
  let runtime: Runtime;
  let loaded: unknown;
  // The permission model denies process.binding(); Emscripten's file system asks it for constants only.
  const { constants } = await import("node:fs");
  const { constants: osConstants } = await import("node:os");
  (process as unknown as { binding: (n: string) => unknown }).binding = (name: string) => {
    if (name === "constants") return { fs: constants, os: osConstants };
    throw new Error(`process.binding("${name}") is not available in this sandbox`);
  };
  try {
    runtime = await loadRuntime(init.runtime);
    loaded = await runtime.load({ memoryBytes: init.memoryBytes, options: { ...init.options, shared } });
    if (contribute) {
      // Made now, when the functions loading ran are compiled, and before any guest code runs.
      const guestCache = start?.codeCache();
      const data = { ...runtime.processHost?.contribute?.(loaded), ...(guestCache && { guestCache }) };
      if (Object.keys(data).length > 0) post({ t: "shared", data } satisfies FromGuest);
    }
  } catch (e) {
    post({ t: "load-error", error: toWire(e) });
    return;
  }
  const cpuClock = await guestCpuClock();
  port.once("message", (m: { job: Job; stdin: Uint8Array; live?: LiveRun }) => {
    const stdin = new Uint8Array(m.stdin);
    const source = m.live?.stdin instanceof SharedArrayBuffer ? new SharedStdinReader(m.live.stdin, () => post({ t: "stdin-room" })) : new FixedStdin(stdin);
    void runOnce(runtime, loaded, m.job, stdin, source, post, cpuClock);
  });
  lockRealm();
  post({ t: "ready" } satisfies FromGuest);
}

/**
 * This thread's CPU time, taken before the realm is locked: the thread's own (Node 23.9+'s
 * threadCpuUsage, or Linux schedstat where the process may read /proc), else its host
 * process's, which also counts the process's other interpreters (an upper bound; see README).
 */
async function guestCpuClock(): Promise<() => number | undefined> {
  const threadUsage = (process as { threadCpuUsage?: () => { user: number; system: number } }).threadCpuUsage?.bind(process);
  if (threadUsage)
    return () => {
      const u = threadUsage();
      return (u.user + u.system) / 1000;
    };
  const { readFileSync } = await import("node:fs");
  const cpuUsage = process.cpuUsage.bind(process);
  const thread = () => Number(readFileSync("/proc/thread-self/schedstat", "latin1").split(" ")[0]) / 1e6;
  let useThread = false;
  try {
    useThread = Number.isFinite(thread());
  } catch {
    // Not Linux, or the permission model keeps /proc out of reach.
  }
  return () => {
    if (useThread) return thread();
    const u = cpuUsage();
    return (u.user + u.system) / 1000;
  };
}

async function runOnce(
  runtime: Runtime,
  loaded: unknown,
  job: Job,
  stdin: Uint8Array,
  source: StdinSource,
  post: (m: FromGuest, transfer?: ArrayBuffer[]) => void,
  cpuClock?: () => number | undefined,
): Promise<void> {
  // A drained execution (a REPL context) is capped per cell by the executor, not over its life.
  const io = new StreamIo(stdin, source, job.limits.outputDrained ? Infinity : job.limits.outputBytes, post);
  const report = startReport(job, cpuClock);
  if (job.report) io.inspect = report.inspect;
  const exitCode = await runToExit(runtime, loaded, job, io);
  let measured;
  try {
    measured = report.finish();
  } catch {
    measured = undefined;
  }
  post({ t: "done", exitCode, ...(measured && { report: measured }) });
}

/** Output streamed to the supervisor as it is written, capped here too so a flood stops early. */
class StreamIo implements Io {
  private readonly written = [0, 0];
  exceeded: 1 | 2 | undefined;
  inspect: ((i: RunInspection) => void) | undefined;
  readonly readWithin: Io["readWithin"];
  constructor(
    readonly stdin: Uint8Array,
    private readonly source: StdinSource,
    private readonly cap: number,
    private readonly post: (m: FromGuest, transfer?: ArrayBuffer[]) => void,
  ) {
    if (source instanceof SharedStdinReader) this.readWithin = source.readWithin.bind(source);
  }

  read(into: Uint8Array): number {
    return this.source.read(into);
  }

  write(fd: 1 | 2, data: Uint8Array | string): void {
    if (this.exceeded) throw new OutputLimitExceeded(this.exceeded);
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    const room = this.cap - this.written[fd - 1]!;
    const chunk = bytes.byteLength <= room ? bytes : bytes.subarray(0, room);
    if (chunk.byteLength > 0) {
      // A copy of its own (the bytes may be a view of the interpreter's memory), moved, not copied again.
      const data = chunk.slice();
      this.post({ t: "out", fd, data }, [data.buffer as ArrayBuffer]);
    }
    this.written[fd - 1]! += chunk.byteLength;
    if (chunk.byteLength < bytes.byteLength) {
      this.exceeded = fd;
      this.post({ t: "limit", fd });
      throw new OutputLimitExceeded(fd);
    }
  }
}

/**
 * Before guest code runs: remove what reaches the host from this realm (the process object and
 * its bindings, module loading, network and cross-thread channels, the console's sockets), keeping a
 * minimal frozen `process` stand-in the interpreter reads at run time. Best effort on top of the
 * real boundary (the process host's sandbox and permission model, no code generation from strings).
 */
function lockRealm(): void {
  const g = globalThis as Record<string, unknown>;
  const real = process;
  const standIn = Object.freeze({
    platform: real.platform,
    version: real.version,
    versions: Object.freeze({ node: real.versions.node }),
    release: Object.freeze({ name: "node" }),
    argv: Object.freeze(["node"]),
    env: Object.freeze({}),
    browser: undefined,
    type: undefined,
    getuid: () => 65534,
    getgid: () => 65534,
    umask: () => 0o022,
    cwd: () => "/",
    hrtime: Object.assign((t?: [number, number]) => real.hrtime(t), { bigint: () => real.hrtime.bigint() }),
    nextTick: (fn: (...a: unknown[]) => void, ...args: unknown[]) => queueMicrotask(() => fn(...args)),
    on: () => standIn,
    once: () => standIn,
    off: () => standIn,
    emitWarning: () => {},
  });
  for (const name of [
    "process", "global", "require", "module", "exports", "fetch", "WebSocket", "EventSource", "navigator",
    "Request", "Response", "Headers", "FormData", "BroadcastChannel", "MessageChannel", "MessagePort",
    "MessageEvent", "Worker", "SharedWorker", "importScripts",
  ])
    try {
      delete g[name];
    } catch {
      /* not configurable */
    }
  const noop = () => {};
  g.console = Object.freeze(Object.fromEntries(["log", "info", "warn", "error", "debug", "trace", "dir", "table"].map((k) => [k, noop])));
  g.process = standIn;
}
