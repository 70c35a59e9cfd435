/**
 * Entry of a sandbox Web Worker: take the runtime's assets from the page, load the runtime once,
 * cut the worker off the network, then run jobs one at a time, each on a fresh instance, through
 * the same job runner as Node's worker hosts (output in the page's SharedArrayBuffer).
 */
import type { FromHost, ToHost } from "../sandbox/protocol.js";
import { runJob } from "../sandbox/run-job.js";
import { assetFetch, clearAssets, putAssets } from "./asset-store.js";
import type { FromBrowserHost, ToBrowserHost } from "./protocol.js";
import { toWire } from "../errors.js";
import { loadRuntime } from "../registry.js";
import { sealNetwork } from "./seal.js";

const scope = globalThis as unknown as {
  postMessage(m: unknown, transfer?: Transferable[]): void;
  addEventListener(type: "message", fn: (e: MessageEvent) => void): void;
};
const post = (m: FromHost) => scope.postMessage(m);
// Engines log while loading; the page's console is not the guest's output.
for (const method of ["log", "info", "warn", "debug", "trace", "dir"] as const) console[method] = () => {};

let queue = Promise.resolve();
let started = false;

scope.addEventListener("message", (e: MessageEvent<ToBrowserHost | ToHost>) => {
  const msg = e.data;
  if (msg?.type === "init" && !started) {
    started = true;
    void start(msg.init);
  }
});

async function start(init: Extract<ToBrowserHost, { type: "init" }>["init"]): Promise<void> {
  try {
    putAssets(init.assets);
    const ownFetch = globalThis.fetch;
    globalThis.fetch = assetFetch(init.assetsBaseUrl);
    const runtime = await loadRuntime(init.runtime);
    let loaded: unknown;
    try {
      loaded = await runtime.load({ memoryBytes: init.memoryBytes, options: { ...init.options, assetsBaseUrl: init.assetsBaseUrl } });
    } finally {
      globalThis.fetch = ownFetch;
    }
    clearAssets();
    // What the page keeps for this runtime's later workers (Pyodide's memory snapshot).
    const shared = runtime.browserHost?.shared?.(loaded);
    if (shared) scope.postMessage({ type: "shared", data: shared } satisfies FromBrowserHost, Object.values(shared).flatMap((b) => (b instanceof Uint8Array ? [b.buffer as ArrayBuffer] : [])));
    sealNetwork();
    scope.addEventListener("message", (e: MessageEvent<ToHost>) => {
      const msg = e.data;
      if (msg?.type !== "run") return;
      queue = queue.then(() => runJob(runtime, loaded, msg, post));
    });
    post({ type: "ready" });
  } catch (e) {
    post({ type: "load-error", error: toWire(e) });
  }
}
