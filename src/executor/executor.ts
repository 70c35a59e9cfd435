/**
 * The Node executor: the shared pool logic (pool-executor.ts) with worker-thread hosts, and
 * contained process hosts for runtimes whose guest can reach JavaScript (Python).
 */
import { RUNTIME_NAMES, type RuntimeName } from "../request.js";
import type { PrepareContext, Runtime, WorkerShared } from "../runtime.js";
import { loadRuntime } from "../registry.js";
import type { HostFactory, SandboxHost } from "./host.js";
import type { ProcessHosts } from "./process-host.js";
import { resolveOptions, type ExecutorOptions, type ResolvedOptions } from "./options.js";
import { PoolExecutor, adapterLoadFailed } from "./pool-executor.js";
import { createWorkerHost } from "./worker-host.js";

export type { ExecuteOptions, ExecutorStats, LoadEvent, SpawnOptions } from "./pool-executor.js";

export class Executor extends PoolExecutor<ResolvedOptions> {
  protected readonly hostNoun = "host";
  /** Per worker-hosted runtime: what its hosts share (compiled modules), made once. */
  private readonly workerShared = new Map<RuntimeName, Promise<WorkerShared>>();
  /** Per runtime with `workerHost.contribute`: its first host, until it has loaded (or failed). */
  private readonly contributors = new Map<RuntimeName, Promise<void>>();
  /** Per runtime: what its first host contributed (`workerHost.contribute`). */
  private readonly contributed = new Map<RuntimeName, WorkerShared>();
  /** This executor's host processes (made on first use), ended by close(). */
  private processHosts: Promise<ProcessHosts> | undefined;

  constructor(options: ExecutorOptions = {}) {
    super(resolveOptions(options, RUNTIME_NAMES));
    this.prewarm();
  }

  protected async loadRuntime(name: RuntimeName): Promise<Runtime> {
    let rt: Runtime;
    try {
      rt = await loadRuntime(name);
    } catch (e) {
      throw adapterLoadFailed(name, e);
    }
    const options = this.options.runtimeOptions(name);
    // A guest that can reach JavaScript is contained by its host process; "strict" refuses to
    // run it where that process cannot be jailed, before anything is loaded.
    if (rt.host === "process" && options.isolation === "strict") {
      const { bubblewrap, strictIsolationUnavailable } = await import("./process-host.js");
      if (!(await bubblewrap(options))) throw strictIsolationUnavailable(name);
    }
    await rt.check?.({ options, toolchains: this.options.toolchains });
    return rt;
  }

  protected prepareEnvironment(name: RuntimeName): Pick<PrepareContext, "options" | "toolchains" | "cacheDir"> {
    return { options: this.options.runtimeOptions(name), toolchains: this.options.toolchains, cacheDir: this.options.cacheDir };
  }

  protected async createHost(name: RuntimeName, runtime: Runtime): Promise<SandboxHost> {
    const kind = runtime.host ?? "worker";
    let shared: WorkerShared | undefined;
    if (kind === "worker" && runtime.workerHost?.shared) {
      let made = this.workerShared.get(name);
      if (!made) {
        made = runtime.workerHost.shared({ memoryBytes: this.options.memoryLimit, options: this.options.runtimeOptions(name) });
        this.workerShared.set(name, made);
        made.catch(() => this.workerShared.delete(name));
      }
      shared = await made;
    }
    let onContribute: ((data: WorkerShared) => void) | undefined;
    if (kind === "worker" && runtime.workerHost?.contribute) {
      // Later hosts wait for the first one to load, then start from what it contributed.
      const first = this.contributors.get(name);
      if (first) await first;
      shared = { ...this.contributed.get(name), ...shared };
      if (!this.contributed.has(name)) onContribute = (data) => this.contributed.set(name, { ...toShared(data), ...this.contributed.get(name) });
    }
    const factory: HostFactory = kind === "worker" ? createWorkerHost : (await (this.processHosts ??= import("./process-host.js").then((m) => new m.ProcessHosts()))).create;
    const host = factory({
      runtime: name,
      memoryBytes: this.options.memoryLimit,
      options: this.options.runtimeOptions(name),
      shared,
      onContribute,
      stackBytes: runtime.hostStackBytes?.(this.options.memoryLimit),
      onWarning: this.options.onWarning,
    });
    if (onContribute) {
      const loading = host.ready.catch(() => {});
      this.contributors.set(name, loading);
      void loading.then(() => {
        if (this.contributors.get(name) === loading) this.contributors.delete(name);
      });
    }
    return host;
  }

  protected override onClosed(): void {
    this.workerShared.clear();
    this.contributed.clear();
    void this.processHosts?.then((p) => p.shutdown());
  }
}

/** A host's contribution, as later hosts get it: bytes in shared memory (one copy for all), modules as they are. */
function toShared(data: unknown): WorkerShared {
  const out: WorkerShared = {};
  if (typeof data !== "object" || data === null) return out;
  for (const [k, v] of Object.entries(data)) {
    if (v instanceof WebAssembly.Module) out[k] = v;
    else if (v instanceof Uint8Array && v.buffer instanceof SharedArrayBuffer) out[k] = v;
    else if (v instanceof Uint8Array) {
      const copy = new Uint8Array(new SharedArrayBuffer(v.byteLength));
      copy.set(v);
      out[k] = copy;
    }
  }
  return out;
}

export function createExecutor(options?: ExecutorOptions): Executor {
  return new Executor(options);
}

export { EXIT_OUT_OF_MEMORY, EXIT_OUTPUT_LIMIT, EXIT_SANDBOX_FAILURE, EXIT_TIMEOUT } from "./pool-executor.js";
