/**
 * A sandbox host in the page: a module Web Worker that loads one runtime. Reusable hosts serve
 * many jobs (each on a fresh wasm instance); one-shot hosts (guests that can reach JavaScript:
 * Pyodide) serve one and are terminated. Ending a host is `worker.terminate()`, which stops any
 * guest at once; its output so far is in the page's SharedArrayBuffer.
 */
import { SandboxFailureError, loadFailure } from "../errors.js";
import type { HostOutcome, HostRunOptions, SandboxHost } from "../executor/host.js";
import type { FromHost, ToHost } from "../sandbox/protocol.js";
import type { BrowserHostInit, FromBrowserHost, SharedData, ToBrowserHost } from "./protocol.js";

export interface WebWorkerHostOptions {
  init: BrowserHostInit;
  workerUrl: URL;
  reusable: boolean;
  /** Called with what the runtime shares with its later workers, if anything. */
  onShared?: (data: SharedData) => void;
}

export class WebWorkerHost implements SandboxHost {
  readonly runtime: SandboxHost["runtime"];
  readonly ready: Promise<void>;
  readonly reusable: boolean;
  alive = true;
  private readonly worker: Worker;
  private current: { resolve: (o: HostOutcome) => void; onMessage: (m: FromHost) => void } | undefined;

  constructor(opts: WebWorkerHostOptions) {
    this.runtime = opts.init.runtime;
    this.reusable = opts.reusable;
    this.worker = new Worker(opts.workerUrl, { type: "module", name: `wasmbox-${opts.init.runtime}` });
    this.ready = new Promise<void>((resolve, reject) => {
      this.worker.onmessage = (e: MessageEvent<FromHost>) => {
        const m = e.data;
        if (m?.type === "ready") return resolve();
        if ((m as unknown as FromBrowserHost)?.type === "shared") return opts.onShared?.((m as unknown as FromBrowserHost).data);
        if (m?.type === "load-error") {
          reject(loadFailure(this.runtime, "in a Web Worker", m.error));
          void this.terminate();
          return;
        }
        this.current?.onMessage(m);
        if (m?.type === "done") {
          const c = this.current;
          this.current = undefined;
          c?.resolve({ kind: "done", exitCode: typeof m.exitCode === "number" ? m.exitCode | 0 : 1, report: m.report });
        }
      };
      this.worker.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        const reason = e.message || "the worker script failed (is workerUrl right, and served as JavaScript?)";
        reject(new SandboxFailureError(`the ${this.runtime} sandbox worker failed: ${reason}`));
        this.fail(reason);
      };
      this.worker.onmessageerror = () => this.fail("a message could not be read");
    });
    this.ready.catch(() => {});
    const transfer = [...new Set(Object.values(opts.init.assets).map((b) => b.buffer as ArrayBuffer))];
    const msg: ToBrowserHost = { type: "init", init: opts.init };
    this.worker.postMessage(msg, transfer);
  }

  private fail(reason: string): void {
    this.alive = false;
    const c = this.current;
    this.current = undefined;
    // A worker that runs out of memory is killed by the browser with a generic error event.
    c?.resolve({ kind: "crashed", reason, outOfMemory: /memory/i.test(reason) });
    this.worker.terminate();
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
    if (!this.alive) return;
    this.alive = false;
    this.worker.terminate();
    const c = this.current;
    this.current = undefined;
    c?.resolve({ kind: "crashed", reason: "terminated", outOfMemory: false });
  }

  // Browsers keep no process alive: nothing to reference.
  ref(): void {}
  unref(): void {}
}
