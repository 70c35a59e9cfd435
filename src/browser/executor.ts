/**
 * The browser executor: the shared pool logic (src/executor/pool-executor.ts: validation, the
 * bounded queue, pools started ahead of demand, timeout, output and memory caps) with Web
 * Worker hosts. The runtimes' files come from `assetsBaseUrl`, fetched once per executor.
 */
import { ExecutorClosedError, RuntimeUnavailableError } from "../errors.js";
import type { SandboxHost } from "../executor/host.js";
import { PoolExecutor, adapterLoadFailed } from "../executor/pool-executor.js";
import { RUNTIME_NAMES, type RuntimeName } from "../request.js";
import type { PrepareContext, Runtime } from "../runtime.js";
import { RUNTIME_ASSETS } from "./assets.js";
import { WebWorkerHost } from "./host.js";
import { resolveBrowserOptions, type BrowserExecutorOptions, type ResolvedBrowserOptions } from "./options.js";
import type { SharedData } from "./protocol.js";
import { loadRuntime } from "../registry.js";

export type { ExecuteOptions, ExecutorStats, LoadEvent, SpawnOptions } from "../executor/pool-executor.js";

function isolationProblem(): string | undefined {
  if (typeof SharedArrayBuffer === "function" && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false) return undefined;
  return (
    "the page is not cross-origin isolated, and the browser build needs SharedArrayBuffer (output that survives a timeout, " +
    "sleeping guests); serve the page with `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`"
  );
}

/** Structured clone drops functions: the worker gets the plain part of an adapter's options. */
function cloneable(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => typeof v !== "function"));
}

export class BrowserExecutor extends PoolExecutor<ResolvedBrowserOptions> {
  protected readonly hostNoun = "worker";
  private readonly assets = new Map<string, Promise<Uint8Array>>();
  /** Per runtime: what its first worker shared with the later ones (see BrowserRuntime). */
  private readonly shared = new Map<RuntimeName, Promise<SharedData>>();

  constructor(options: BrowserExecutorOptions = {}) {
    super(resolveBrowserOptions(options, RUNTIME_NAMES));
    this.prewarm();
  }

  /** Loads the adapter (main-thread part); fails when the page cannot host sandboxes. */
  protected async loadRuntime(name: RuntimeName): Promise<Runtime> {
    const problem = isolationProblem();
    if (problem) throw new RuntimeUnavailableError(name, problem);
    let rt: Runtime;
    try {
      rt = await loadRuntime(name);
    } catch (e) {
      throw adapterLoadFailed(name, e);
    }
    await rt.check?.({ options: this.options.runtimeOptions(name), toolchains: {} });
    return rt;
  }

  protected prepareEnvironment(name: RuntimeName): Pick<PrepareContext, "options" | "toolchains" | "cacheDir"> {
    // Where Go's compiler in WebAssembly and its worker script are (runtimes/go/wasm-compiler-web.ts).
    const where = { assetsBaseUrl: this.options.assetsBaseUrl, goCompilerUrl: new URL("go-compiler.js", this.options.workerUrl).href };
    return { options: { ...where, ...this.options.runtimeOptions(name) }, toolchains: {} };
  }

  protected override onClosed(): void {
    this.assets.clear();
    this.shared.clear();
  }

  /** The runtime's files, fetched once per executor; each host gets its own copy. */
  private async assetsFor(runtime: RuntimeName): Promise<Record<string, Uint8Array>> {
    const out: Record<string, Uint8Array> = {};
    await Promise.all(
      RUNTIME_ASSETS[runtime].map(async (path) => {
        let p = this.assets.get(path);
        if (!p) {
          const url = this.options.assetsBaseUrl + path;
          p = fetch(url).then(async (r) => {
            if (!r.ok) throw new Error(`HTTP ${r.status}`);
            return new Uint8Array(await r.arrayBuffer());
          });
          p.catch(() => this.assets.delete(path));
          this.assets.set(path, p);
          p = p.catch((e: Error) => {
            throw new RuntimeUnavailableError(
              runtime,
              `its file ${url} could not be fetched (${e.message}); run \`npx wasmbox assets <dir>\` and serve <dir> at assetsBaseUrl (${this.options.assetsBaseUrl})`,
            );
          });
        }
        out[path] = (await p).slice();
      }),
    );
    return out;
  }

  protected async createHost(runtime: RuntimeName, adapter: Runtime): Promise<SandboxHost> {
    const rt = adapter;
    const assets = await this.assetsFor(runtime);
    const options = cloneable(this.options.runtimeOptions(runtime));
    let onShared: ((data: SharedData) => void) | undefined;
    let failed: (() => void) | undefined;
    if (rt.browserHost?.shared) {
      const pending = this.shared.get(runtime);
      if (pending) {
        // Wait for the first worker's share (e.g. a snapshot) rather than repeat its slow boot.
        const data = await pending.catch(() => undefined);
        if (data) for (const [k, v] of Object.entries(data)) options[k] = v instanceof Uint8Array ? v.slice() : v;
      }
      if (!pending || !this.shared.has(runtime)) {
        this.shared.set(
          runtime,
          new Promise((resolve, reject) => {
            let done = false;
            onShared = (data) => {
              done = true;
              resolve(data);
            };
            failed = () => {
              if (done) return;
              this.shared.delete(runtime);
              reject(new Error("the worker failed before sharing"));
            };
          }),
        );
        this.shared.get(runtime)!.catch(() => {});
      }
    }
    if (this.isClosed) throw new ExecutorClosedError();
    const host = new WebWorkerHost({
      workerUrl: this.options.workerUrl,
      reusable: (rt.host ?? "worker") === "worker",
      onShared,
      init: { runtime, memoryBytes: this.options.memoryLimit, options, assets, assetsBaseUrl: this.options.assetsBaseUrl },
    });
    host.ready.then(
      () => failed?.(),
      () => failed?.(),
    );
    return host;
  }
}

export { EXIT_OUT_OF_MEMORY, EXIT_OUTPUT_LIMIT, EXIT_SANDBOX_FAILURE, EXIT_TIMEOUT } from "../executor/pool-executor.js";
