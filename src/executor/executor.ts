/**
 * The Node executor: the shared pool logic (pool-executor.ts) with worker-thread hosts (in the
 * executor's hosts process, or in this process for runtimes whose jobs cannot leave it), and
 * contained process hosts for runtimes whose guest can reach JavaScript (Python).
 */
import { RUNTIME_NAMES, type RuntimeName } from "../request.js";
import type { PrepareContext, Runtime } from "../runtime.js";
import { loadRuntime } from "../registry.js";
import type { SandboxHost } from "./host.js";
import { HostsProcesses } from "../host-process/hosts-process.js";
import type { ProcessHosts } from "../host-process/process-host.js";
import { resolveOptions, type ExecutorOptions, type ResolvedOptions } from "./options.js";
import { PoolExecutor, adapterLoadFailed } from "./pool-executor.js";
import { WorkerHosts } from "./worker-hosts.js";

export type { ExecuteOptions, ExecutorStats, LoadEvent, SpawnOptions } from "./pool-executor.js";

export class Executor extends PoolExecutor<ResolvedOptions> {
  protected readonly hostNoun = "host";
  /** Worker hosts in this process, and what they share. */
  private readonly workerHosts = new WorkerHosts();
  /** This executor's hosts process (made on first use), ended by close(). */
  private hostsProcesses: HostsProcesses | undefined;
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
    // The hosts process starts, and loads the runtime on its side, while this one checks it; only
    // for a runtime it hosts (an idle process holds ~50 MiB until it ends on its own).
    if (this.inHostsProcess(rt)) this.hostsProcess()?.preload(name, this.hostSettings(name));
    const options = this.options.runtimeOptions(name);
    // A guest that can reach JavaScript is contained by its host process; "strict" refuses to
    // run it where that process cannot be jailed, before anything is loaded.
    if (rt.host === "process" && options.isolation === "strict") {
      const { bubblewrap, strictIsolationUnavailable } = await import("../host-process/jail.js");
      if (!(await bubblewrap(options))) throw strictIsolationUnavailable(name);
    }
    await rt.check?.({ options, toolchains: this.options.toolchains });
    return rt;
  }

  /** What every host of `name` is made with, wherever it lives. */
  private hostSettings(name: RuntimeName) {
    return { memoryBytes: this.options.memoryLimit, options: this.options.runtimeOptions(name), onWarning: this.options.onWarning };
  }

  /** Whether `runtime`'s hosts belong in the hosts process (worker-thread hosts whose jobs can leave this process). */
  private inHostsProcess(runtime: Runtime): boolean {
    return (runtime.host ?? "worker") === "worker" && !runtime.workerHost?.localOnly;
  }

  /** The hosts process, made on first use; undefined with `hostProcess: false`. */
  private hostsProcess(): HostsProcesses | undefined {
    const { hostProcess } = this.options;
    return hostProcess ? (this.hostsProcesses ??= new HostsProcesses(hostProcess)) : undefined;
  }

  protected prepareEnvironment(name: RuntimeName): Pick<PrepareContext, "options" | "toolchains" | "cacheDir"> {
    return { options: this.options.runtimeOptions(name), toolchains: this.options.toolchains, cacheDir: this.options.cacheDir };
  }

  protected async createHost(name: RuntimeName, runtime: Runtime): Promise<SandboxHost> {
    const settings = this.hostSettings(name);
    if ((runtime.host ?? "worker") === "worker") {
      const remote = this.inHostsProcess(runtime) ? this.hostsProcess() : undefined;
      return remote ? remote.create({ runtime: name, ...settings }) : this.workerHosts.create(runtime, settings);
    }
    const hosts = await (this.processHosts ??= import("../host-process/process-host.js").then((m) => new m.ProcessHosts()));
    return hosts.create({ runtime: name, ...settings, stackBytes: runtime.hostStackBytes?.(settings.memoryBytes) });
  }

  protected override onClosed(): void {
    this.workerHosts.clear();
    this.hostsProcesses?.shutdown();
    void this.processHosts?.then((p) => p.shutdown());
  }
}

export function createExecutor(options?: ExecutorOptions): Executor {
  return new Executor(options);
}

export { EXIT_OUT_OF_MEMORY, EXIT_OUTPUT_LIMIT, EXIT_SANDBOX_FAILURE, EXIT_TIMEOUT } from "./pool-executor.js";
