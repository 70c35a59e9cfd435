/**
 * A sandbox host in the page: a module Web Worker that loads one runtime. Reusable hosts serve
 * many jobs (each on a fresh wasm instance); one-shot hosts (guests that can reach JavaScript:
 * Pyodide) serve one and are terminated. Ending a host is `worker.terminate()`, which stops any
 * guest at once; its output so far is in the page's SharedArrayBuffer.
 */
import { ThreadHost } from "../executor/thread-host.js";
import type { FromHost, ToHost } from "../sandbox/protocol.js";
import type { BrowserHostInit, SharedData, ToBrowserHost } from "./protocol.js";

export interface WebWorkerHostOptions {
  init: BrowserHostInit;
  workerUrl: URL;
  reusable: boolean;
  /** Called with what the runtime shares with its later workers, if anything. */
  onShared?: (data: SharedData) => void;
}

export class WebWorkerHost extends ThreadHost {
  private readonly worker: Worker;

  constructor(opts: WebWorkerHostOptions) {
    super(opts.init.runtime, opts.reusable, "in a Web Worker", opts.onShared as ((data: unknown) => void) | undefined);
    this.worker = new Worker(opts.workerUrl, { type: "module", name: `wasmbox-${opts.init.runtime}` });
    this.worker.onmessage = (e: MessageEvent<FromHost>) => this.received(e.data);
    this.worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      const reason = e.message || "the worker script failed (is workerUrl right, and served as JavaScript?)";
      // A worker that runs out of memory is killed by the browser with a generic error event.
      this.died(reason, /memory/i.test(reason), `the ${this.runtime} sandbox worker failed: ${reason}`);
      this.worker.terminate();
    };
    this.worker.onmessageerror = () => {
      this.died("a message could not be read", false, `the ${this.runtime} sandbox worker failed: a message could not be read`);
      this.worker.terminate();
    };
    const transfer = [...new Set(Object.values(opts.init.assets).map((b) => b.buffer as ArrayBuffer))];
    const msg: ToBrowserHost = { type: "init", init: opts.init };
    this.worker.postMessage(msg, transfer);
  }

  protected send(m: ToHost): void {
    this.worker.postMessage(m);
  }

  // Browsers keep no process alive: nothing to reference (ThreadHost's ref/unref do nothing).
  protected stop(): void {
    this.worker.terminate();
  }
}
