import { Worker } from "node:worker_threads";
import { SandboxFailureError, loadFailure } from "../errors.js";
import type { FromHost, HostInit, ToHost } from "../sandbox/protocol.js";
import type { HostFactoryOptions, HostOutcome, HostRunOptions, SandboxHost } from "./host.js";

/** V8's native stack for guests that need no more (QuickJS's own limit sits below it). */
const DEFAULT_STACK_MB = 8;

const entry = new URL("../sandbox/worker-entry.js", import.meta.url);

/** A worker thread that loads one runtime once and runs jobs on fresh instances. */
export class WorkerHost implements SandboxHost {
  readonly runtime: HostFactoryOptions["runtime"];
  readonly ready: Promise<void>;
  readonly reusable = true;
  alive = true;
  onGone: (() => void) | undefined;
  private readonly worker: Worker;
  private current: { resolve: (o: HostOutcome) => void; onMessage: (m: FromHost) => void } | undefined;

  constructor(opts: HostFactoryOptions) {
    this.runtime = opts.runtime;
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
    this.ready = new Promise<void>((resolve, reject) => {
      let loaded = false;
      const onMessage = (m: FromHost) => {
        if (m?.type === "ready") {
          loaded = true;
          resolve();
        }
        // Only before "ready": after it, guest code has run in this thread.
        else if (m?.type === "shared") {
          if (!loaded) opts.onContribute?.(m.data);
        }
        else if (m?.type === "load-error") {
          reject(loadFailure(this.runtime, "in a worker thread", m.error));
          void this.terminate();
        } else this.current?.onMessage(m);
        if (m?.type === "done") {
          // The runtime asked to end this host after the job: the pool replaces it.
          if (m.retire) this.alive = false;
          const c = this.current;
          this.current = undefined;
          c?.resolve({ kind: "done", exitCode: typeof m.exitCode === "number" ? m.exitCode : 1, report: m.report });
        }
      };
      this.worker.on("message", onMessage);
      this.worker.on("error", (err: Error & { code?: string }) => {
        const oom = err?.code === "ERR_WORKER_OUT_OF_MEMORY";
        reject(new SandboxFailureError(`the ${this.runtime} sandbox host failed to start: ${err?.message}`));
        this.fail(oom ? "out of memory" : String(err?.message ?? err), oom);
        this.onGone?.();
      });
      this.worker.on("exit", (code) => {
        reject(new SandboxFailureError(`the ${this.runtime} sandbox host exited (code ${code}) while loading`));
        this.fail(`the sandbox host exited (code ${code})`, false);
        this.onGone?.();
      });
    });
    this.ready.catch(() => {});
  }

  private fail(reason: string, outOfMemory: boolean): void {
    this.alive = false;
    const c = this.current;
    this.current = undefined;
    c?.resolve({ kind: "crashed", reason, outOfMemory });
  }

  run(opts: HostRunOptions, onMessage: (m: FromHost) => void): Promise<HostOutcome> {
    if (!this.alive) return Promise.resolve({ kind: "crashed", reason: "host is gone", outOfMemory: false });
    if (this.current) throw new Error("wasmbox: internal: host already busy");
    return new Promise<HostOutcome>((resolve) => {
      this.current = { resolve, onMessage };
      const msg: ToHost = { type: "run", job: opts.job, stdin: opts.stdin, output: opts.output, ...(opts.live && { live: opts.live }) };
      this.worker.postMessage(msg);
      opts.stdinWriter?.attach();
    });
  }

  async terminate(): Promise<void> {
    if (!this.alive && this.worker.threadId === -1) return;
    this.alive = false;
    this.fail("terminated", false);
    await this.worker.terminate();
  }

  ref(): void {
    if (this.alive) this.worker.ref();
  }
  unref(): void {
    this.worker.unref();
  }
}

export const createWorkerHost = (opts: HostFactoryOptions): SandboxHost => new WorkerHost(opts);
