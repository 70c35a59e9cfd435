import { Worker } from "node:worker_threads";
import type { FromHost, HostInit, ToHost } from "../sandbox/protocol.js";
import type { HostFactoryOptions, SandboxHost } from "./host.js";
import { ThreadHost } from "./thread-host.js";

/** V8's native stack for guests that need no more (QuickJS's own limit sits below it). */
const DEFAULT_STACK_MB = 8;

const entry = new URL("../sandbox/worker-entry.js", import.meta.url);

/** A worker thread that loads one runtime once and runs jobs on fresh instances. */
export class WorkerHost extends ThreadHost {
  private readonly worker: Worker;

  constructor(opts: HostFactoryOptions) {
    super(opts.runtime, true, "in a worker thread", opts.onContribute as ((data: unknown) => void) | undefined);
    const init: HostInit = {
      runtime: opts.runtime,
      memoryBytes: opts.memoryBytes,
      options: opts.options,
      ...(opts.shared && { shared: opts.shared }),
      ...(opts.onContribute && { contribute: true }),
    };
    this.worker = new Worker(entry, {
      workerData: init,
      // Never inherit the embedding process's flags (--input-type, --inspect, loaders...).
      execArgv: [],
      // The guest's environment never comes from here, but the worker must not inherit the host's either.
      env: {},
      stdout: true,
      stderr: true,
      // Guest memory is wasm memory, capped separately; this bounds the JS heap of the glue.
      // Node makes the thread's stack this size and sets V8's limit just inside it, so a guest
      // that recurses too deeply gets a RangeError (exit 139), never a crash. Untouched pages
      // of the stack cost no memory.
      resourceLimits: { maxOldGenerationSizeMb: 1024, stackSizeMb: Math.max(DEFAULT_STACK_MB, Math.ceil((opts.stackBytes ?? 0) / 2 ** 20)) },
    });
    // The host's own console output (never the guest's, which goes through shared memory) is
    // silenced in the worker (see worker-entry.ts). These streams are not consumed: a flowing
    // worker stdio stream keeps the process alive even when the worker is unref'd.
    this.worker.on("message", (m: FromHost) => this.received(m));
    this.worker.on("error", (err: Error & { code?: string }) => {
      const oom = err?.code === "ERR_WORKER_OUT_OF_MEMORY";
      this.died(oom ? "out of memory" : String(err?.message ?? err), oom, `the ${this.runtime} sandbox host failed to start: ${err?.message}`);
    });
    this.worker.on("exit", (code) => this.died(`the sandbox host exited (code ${code})`, false, `the ${this.runtime} sandbox host exited (code ${code}) while loading`));
  }

  protected send(m: ToHost): void {
    this.worker.postMessage(m);
  }

  protected stop(): Promise<number> {
    return this.worker.terminate();
  }

  protected override stillRunning(): boolean {
    return this.worker.threadId !== -1;
  }

  override ref(): void {
    if (this.alive) this.worker.ref();
  }
  override unref(): void {
    this.worker.unref();
  }
}

export const createWorkerHost = (opts: HostFactoryOptions): SandboxHost => new WorkerHost(opts);
