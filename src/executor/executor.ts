/**
 * The executor: validates requests, queues them (bounded), runs each on a sandbox host from a
 * per-runtime pool, enforces the timeout and output cap, and owns every host it made.
 */
import { ExecutorClosedError, QueueFullError, RuntimeUnavailableError, SandboxFailureError, WasmboxError } from "../errors.js";
import { RUNTIME_NAMES, resolveEntrypoint, validateRequest, type ExecuteRequest, type ExecuteResult, type RuntimeName } from "../request.js";
import type { Job, PrepareContext, Runtime } from "../runtime.js";
import { loadRuntime } from "../runtimes.js";
import { createOutputBuffer, readOutput, resetOutputBuffer } from "../sandbox/output.js";
import { EXIT_OUT_OF_MEMORY, EXIT_OUTPUT_LIMIT, EXIT_SANDBOX_FAILURE, EXIT_TIMEOUT, type FromHost } from "../sandbox/protocol.js";
import type { HostFactory, SandboxHost } from "./host.js";
import { resolveOptions, type ExecutorOptions, type ResolvedOptions } from "./options.js";
import { createWorkerHost } from "./worker-host.js";

export interface ExecuteOptions {
  /** Aborting ends the execution like a timeout would (the result has timedOut: false, exit code 130). */
  signal?: AbortSignal;
}

export interface ExecutorStats {
  running: number;
  queued: number;
  hosts: number;
  idleHosts: number;
}

interface Pool {
  idle: SandboxHost[];
  starting: number;
  idleTimer?: NodeJS.Timeout;
}

const decoder = new TextDecoder("utf-8", { fatal: false });
const GRACE_AFTER_OUTPUT_LIMIT_MS = 250;

export class Executor {
  readonly options: ResolvedOptions;
  /** No new work is accepted. */
  private closed = false;
  /** Hosts are being ended: running work is stopped. */
  private terminated = false;
  private running = 0;
  /** Accepted executions not yet settled (validating, queued, preparing or running). */
  private inflight = 0;
  private readonly queue: Array<() => void> = [];
  private readonly pools = new Map<RuntimeName, Pool>();
  private readonly hosts = new Set<SandboxHost>();
  private readonly checked = new Map<RuntimeName, Promise<Runtime>>();
  private readonly idleWaiters: Array<() => void> = [];

  constructor(options: ExecutorOptions = {}) {
    this.options = resolveOptions(options, RUNTIME_NAMES);
    for (const r of this.options.prewarm) {
      this.runtime(r).then(
        () => this.topUp(r),
        (e) => this.options.onWarning(`prewarm of "${r}" skipped: ${(e as Error).message}`),
      );
    }
  }

  /** Runs one request. Throws WasmboxError for invalid input or host failures; a failing program is a result. */
  async execute(request: ExecuteRequest, opts: ExecuteOptions = {}): Promise<ExecuteResult> {
    if (this.closed) throw new ExecutorClosedError();
    this.inflight++;
    try {
      return await this.executeAccepted(request, opts);
    } finally {
      this.inflight--;
      if (this.inflight === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private async executeAccepted(request: ExecuteRequest, opts: ExecuteOptions): Promise<ExecuteResult> {
    const req = validateRequest(request, this.options.caps);
    const runtime = await this.runtime(req.runtime);
    const { files, entrypoint } = resolveEntrypoint(req, runtime.entryFile);
    const limits = { timeoutMs: req.timeoutMs, memoryBytes: this.options.memoryLimit, outputBytes: this.options.outputLimit };
    const job: Job = { runtime: req.runtime, files, entrypoint, args: req.args, env: req.env, limits };
    const stdin = new TextEncoder().encode(req.stdin);
    await this.acquireSlot();
    try {
      return await this.runJob(runtime, job, stdin, opts.signal);
    } finally {
      this.releaseSlot();
    }
  }

  /** Loads the adapter and checks it can run here (once per runtime). */
  runtime(name: RuntimeName): Promise<Runtime> {
    let p = this.checked.get(name);
    if (!p) {
      p = (async () => {
        let rt: Runtime;
        try {
          rt = await loadRuntime(name);
        } catch (e) {
          throw new RuntimeUnavailableError(name, `its adapter failed to load: ${(e as Error).message}`, { cause: e });
        }
        await rt.check?.({ options: this.options.runtimeOptions(name), toolchains: this.options.toolchains });
        return rt;
      })();
      this.checked.set(name, p);
      // A missing toolchain may be installed later: do not cache failures forever.
      p.catch(() => setTimeout(() => this.checked.delete(name), 5000).unref());
    }
    return p;
  }

  stats(): ExecutorStats {
    let idle = 0;
    for (const p of this.pools.values()) idle += p.idle.length;
    return { running: this.running, queued: this.queue.length, hosts: this.hosts.size, idleHosts: idle };
  }

  /**
   * Ends every sandbox host. Queued executions are rejected with EXECUTOR_CLOSED; with
   * `{ graceful: true }` running ones finish first, otherwise they are stopped and rejected too.
   */
  async close(opts: { graceful?: boolean } = {}): Promise<void> {
    this.closed = true;
    if (opts.graceful) {
      if (this.inflight > 0) await new Promise<void>((r) => this.idleWaiters.push(r));
    } else {
      for (const start of this.queue.splice(0)) start();
    }
    this.terminated = true;
    for (const pool of this.pools.values()) clearTimeout(pool.idleTimer);
    await Promise.all([...this.hosts].map((h) => h.terminate()));
    this.hosts.clear();
    this.pools.clear();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // ---- queue -------------------------------------------------------------------------------

  private acquireSlot(): Promise<void> {
    if (this.running < this.options.concurrency && this.queue.length === 0) {
      this.running++;
      return Promise.resolve();
    }
    if (this.queue.length >= this.options.maxQueue) throw new QueueFullError(this.options.maxQueue);
    return new Promise<void>((resolve, reject) => {
      this.queue.push(() => {
        if (this.terminated || (this.closed && this.idleWaiters.length === 0)) return reject(new ExecutorClosedError());
        this.running++;
        resolve();
      });
    });
  }

  private releaseSlot(): void {
    this.running--;
    const next = this.queue.shift();
    if (next) next();
  }

  // ---- one execution -------------------------------------------------------------------------

  private async runJob(runtime: Runtime, job: Job, stdin: Uint8Array, signal?: AbortSignal): Promise<ExecuteResult> {
    if (this.terminated) throw new ExecutorClosedError();
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const abort = new AbortController();
    const deadline = setTimeout(() => abort.abort(new Error("timeout")), job.limits.timeoutMs);
    const onUserAbort = () => abort.abort(new Error("aborted"));
    signal?.addEventListener("abort", onUserAbort, { once: true });
    try {
      let prepTime = 0;
      if (runtime.prepare) {
        const ctx: PrepareContext = {
          signal: abort.signal,
          remainingMs: () => Math.max(0, job.limits.timeoutMs - elapsed()),
          options: this.options.runtimeOptions(job.runtime),
          toolchains: this.options.toolchains,
          cacheDir: this.options.cacheDir,
        };
        const prep = await runtime.prepare(job, ctx).catch((e) => {
          if (abort.signal.aborted) return undefined;
          throw e;
        });
        prepTime = elapsed();
        if (!prep || abort.signal.aborted) return this.stoppedResult(signal, "", "", elapsed());
        if (prep.kind === "done")
          return { stdout: prep.stdout, stderr: prep.stderr, exitCode: prep.exitCode, executionTime: Math.round(prepTime), timedOut: false };
        job.prepared = prep.prepared;
      }
      clearTimeout(deadline);

      const host = await this.acquireHost(job.runtime);
      if (this.terminated) {
        this.releaseHost(host, false);
        throw new ExecutorClosedError();
      }
      return await this.runOnHost(host, job, stdin, prepTime, signal);
    } finally {
      clearTimeout(deadline);
      signal?.removeEventListener("abort", onUserAbort);
    }
  }

  private stoppedResult(signal: AbortSignal | undefined, stdout: string, stderr: string, ms: number): ExecuteResult {
    const aborted = signal?.aborted ?? false;
    return { stdout, stderr, exitCode: aborted ? 130 : EXIT_TIMEOUT, executionTime: Math.round(ms), timedOut: !aborted };
  }

  private async runOnHost(host: SandboxHost, job: Job, stdin: Uint8Array, prepTime: number, signal?: AbortSignal): Promise<ExecuteResult> {
    const output = this.outputBuffer(host, job.limits.outputBytes);
    const remaining = Math.max(1, job.limits.timeoutMs - prepTime);
    const started = performance.now();
    let stoppedBy: "timeout" | "abort" | "output" | undefined;
    let timer: NodeJS.Timeout | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    host.ref();
    const stop = (why: "timeout" | "abort" | "output") => {
      if (stoppedBy) return;
      stoppedBy = why;
      void host.terminate();
    };
    const onAbort = () => stop("abort");
    signal?.addEventListener("abort", onAbort, { once: true });
    if (signal?.aborted) stop("abort");
    timer = setTimeout(() => stop("timeout"), remaining);
    const onMessage = (m: FromHost) => {
      // The guest ran past its output cap: its host normally ends the program at once; if the
      // guest swallowed the error, stop it from outside.
      if (m.type === "output-limit" && !graceTimer) graceTimer = setTimeout(() => stop("output"), GRACE_AFTER_OUTPUT_LIMIT_MS);
    };
    let outcome;
    try {
      outcome = await host.run({ job, stdin, output }, onMessage);
    } finally {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      signal?.removeEventListener("abort", onAbort);
    }
    const runTime = performance.now() - started;
    const executionTime = Math.round(prepTime + runTime);
    const captured = readOutput(output, job.limits.outputBytes);
    let stdout = decoder.decode(captured.stdout);
    let stderr = decoder.decode(captured.stderr);
    this.releaseHost(host, outcome.kind === "done" && !stoppedBy);

    if (this.terminated && outcome.kind === "crashed" && !stoppedBy) throw new ExecutorClosedError();
    if (stoppedBy === "timeout" || stoppedBy === "abort") return this.stoppedResult(signal, stdout, stderr, executionTime);

    let exitCode: number;
    if (captured.exceeded.stdout || captured.exceeded.stderr || stoppedBy === "output") {
      const which = captured.exceeded.stdout ? "stdout" : "stderr";
      stderr += `${stderr.endsWith("\n") || stderr === "" ? "" : "\n"}[wasmbox] ${which} exceeded the ${job.limits.outputBytes}-byte limit; the program was stopped\n`;
      exitCode = EXIT_OUTPUT_LIMIT;
    } else if (outcome.kind === "crashed") {
      if (outcome.outOfMemory) {
        stderr += `${stderr.endsWith("\n") || stderr === "" ? "" : "\n"}[wasmbox] out of memory: the program exceeded the memory limit\n`;
        exitCode = EXIT_OUT_OF_MEMORY;
      } else {
        stderr += `${stderr.endsWith("\n") || stderr === "" ? "" : "\n"}[wasmbox] the sandbox host stopped unexpectedly (${outcome.reason})\n`;
        exitCode = EXIT_SANDBOX_FAILURE;
      }
    } else {
      exitCode = outcome.exitCode;
    }
    return { stdout, stderr, exitCode, executionTime, timedOut: false };
  }

  // ---- hosts ---------------------------------------------------------------------------------

  private pool(runtime: RuntimeName): Pool {
    let p = this.pools.get(runtime);
    if (!p) {
      p = { idle: [], starting: 0 };
      this.pools.set(runtime, p);
    }
    return p;
  }

  /**
   * One output buffer per host, reused job after job: a fresh 2 MiB SharedArrayBuffer per job
   * stays alive until the (idle, rarely collecting) worker isolate that saw it runs a GC.
   * Output is copied out before the host takes another job; a terminated host takes its buffer along.
   */
  private readonly outputBuffers = new WeakMap<SandboxHost, SharedArrayBuffer>();

  private outputBuffer(host: SandboxHost, cap: number): SharedArrayBuffer {
    let sab = this.outputBuffers.get(host);
    if (!sab) {
      sab = createOutputBuffer(cap);
      this.outputBuffers.set(host, sab);
    }
    resetOutputBuffer(sab);
    return sab;
  }

  private factory: Partial<Record<"worker" | "process", Promise<HostFactory>>> = {};

  private hostFactory(kind: "worker" | "process"): Promise<HostFactory> {
    if (kind === "worker") return Promise.resolve(createWorkerHost);
    return (this.factory.process ??= import("./process-host.js").then((m) => m.createProcessHost as HostFactory));
  }

  private async newHost(runtime: RuntimeName): Promise<SandboxHost> {
    const rt = await this.runtime(runtime);
    const factory = await this.hostFactory(rt.host ?? "worker");
    const host = factory({
      runtime,
      memoryBytes: this.options.memoryLimit,
      options: this.options.runtimeOptions(runtime),
      onWarning: this.options.onWarning,
    });
    this.hosts.add(host);
    host.unref();
    host.ready.catch(() => this.hosts.delete(host));
    return host;
  }

  private async acquireHost(runtime: RuntimeName): Promise<SandboxHost> {
    const pool = this.pool(runtime);
    while (pool.idle.length > 0) {
      // The host idle longest: a host prepares its next instance after each job, so the one
      // released last is the one most likely still busy preparing.
      const host = pool.idle.shift()!;
      if (host.alive) {
        // A reusable host comes back after this job; only a one-shot host needs replacing now.
        if (!host.reusable) this.topUp(runtime);
        return host;
      }
    }
    const host = await this.newHost(runtime);
    // A job is waiting on this host: it must keep the process alive until it is ready.
    host.ref();
    try {
      await host.ready;
    } catch (e) {
      this.hosts.delete(host);
      throw e instanceof WasmboxError ? e : new SandboxFailureError(String(e));
    }
    if (!host.reusable) this.topUp(runtime);
    return host;
  }

  private releaseHost(host: SandboxHost, healthy: boolean): void {
    host.unref();
    const pool = this.pool(host.runtime);
    if (healthy && host.reusable && host.alive && !this.terminated) {
      pool.idle.push(host);
      this.scheduleTrim(host.runtime);
    } else {
      this.hosts.delete(host);
      void host.terminate();
    }
    this.topUp(host.runtime);
  }

  /** Keep `warmHosts` ready hosts for a runtime, started ahead of demand. */
  private topUp(runtime: RuntimeName): void {
    if (this.closed) return;
    const pool = this.pool(runtime);
    const want = this.options.warmHosts(runtime);
    while (pool.idle.length + pool.starting < want) {
      pool.starting++;
      this.newHost(runtime)
        .then(async (host) => {
          try {
            await host.ready;
          } finally {
            pool.starting--;
          }
          if (this.closed) return void host.terminate();
          pool.idle.unshift(host);
        })
        .catch((e) => {
          if (this.closed) return;
          this.options.onWarning(`a "${runtime}" sandbox host failed to start ahead of demand: ${(e as Error).message}`);
        });
      if (pool.starting > want * 4) break;
    }
  }

  private scheduleTrim(runtime: RuntimeName): void {
    const pool = this.pool(runtime);
    clearTimeout(pool.idleTimer);
    pool.idleTimer = setTimeout(() => {
      const keep = this.options.warmHosts(runtime);
      while (pool.idle.length > keep) {
        const h = pool.idle.shift()!;
        this.hosts.delete(h);
        void h.terminate();
      }
    }, this.options.idleTimeout);
    pool.idleTimer.unref();
  }
}

export function createExecutor(options?: ExecutorOptions): Executor {
  return new Executor(options);
}

export { EXIT_OUT_OF_MEMORY, EXIT_OUTPUT_LIMIT, EXIT_SANDBOX_FAILURE, EXIT_TIMEOUT };
