/**
 * Worker-thread hosts of one place that holds them (an executor, or the hosts process that
 * serves it): what every host of a runtime shares, made once (`workerHost.shared()`), and what
 * its first host contributes to the later ones (`workerHost.contribute()`).
 */
import type { RuntimeName } from "../request.js";
import type { Runtime, WorkerShared } from "../runtime.js";
import type { HostFactory, HostFactoryOptions, SandboxHost } from "./host.js";
import { createWorkerHost } from "./worker-host.js";

export type WorkerHostSettings = Pick<HostFactoryOptions, "memoryBytes" | "options" | "onWarning">;

export class WorkerHosts {
  /** Per runtime: what its hosts share (compiled modules), made once. */
  private readonly shared = new Map<RuntimeName, Promise<WorkerShared>>();
  /** Per runtime with `workerHost.contribute`: its first host, until it has loaded (or failed). */
  private readonly contributors = new Map<RuntimeName, Promise<void>>();
  /** Per runtime: what its first host contributed. */
  private readonly contributed = new Map<RuntimeName, WorkerShared>();

  constructor(private readonly factory: HostFactory = createWorkerHost) {}

  /** What every host of `runtime` shares, made once (started ahead of the first host by `preload`). */
  private sharedOf(runtime: Runtime, settings: Pick<WorkerHostSettings, "memoryBytes" | "options">): Promise<WorkerShared> | undefined {
    if (!runtime.workerHost?.shared || runtime.host === "process") return undefined;
    let made = this.shared.get(runtime.name);
    if (!made) {
      made = runtime.workerHost.shared({ memoryBytes: settings.memoryBytes, options: settings.options });
      this.shared.set(runtime.name, made);
      made.catch(() => this.shared.delete(runtime.name));
    }
    return made;
  }

  /** Starts what the hosts of `runtime` share (e.g. compiling its module) before one is asked for. */
  preload(runtime: Runtime, settings: Pick<WorkerHostSettings, "memoryBytes" | "options">): void {
    this.sharedOf(runtime, settings)?.catch(() => {});
  }

  async create(runtime: Runtime, settings: WorkerHostSettings): Promise<SandboxHost> {
    const name = runtime.name;
    let shared: WorkerShared | undefined = await this.sharedOf(runtime, settings);
    let onContribute: ((data: WorkerShared) => void) | undefined;
    if (runtime.workerHost?.contribute) {
      // Later hosts wait for the first one to load, then start from what it contributed.
      const first = this.contributors.get(name);
      if (first) await first;
      shared = { ...this.contributed.get(name), ...shared };
      if (!this.contributed.has(name)) onContribute = (data) => this.contributed.set(name, { ...toShared(data), ...this.contributed.get(name) });
    }
    const host = this.factory({
      runtime: name,
      ...settings,
      shared,
      onContribute,
      stackBytes: runtime.hostStackBytes?.(settings.memoryBytes),
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

  clear(): void {
    this.shared.clear();
    this.contributed.clear();
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
