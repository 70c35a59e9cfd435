/**
 * The browser executor: the same contract as Node's (src/executor/executor.ts): validation,
 * a bounded queue, per-runtime pools of sandbox hosts started ahead of demand, the timeout
 * (the worker is terminated), the output cap (output lives in a SharedArrayBuffer, so what was
 * printed survives termination) and the memory cap (the wasm memory maximum). Hosts are Web
 * Workers; the runtimes' files come from `assetsBaseUrl`, fetched once per executor.
 */
import { ExecutorClosedError, QueueFullError, RuntimeUnavailableError, SandboxFailureError, WasmboxError } from "../errors.js";
import type { SandboxHost } from "../executor/host.js";
import { RUNTIME_NAMES, resolveEntrypoint, validateRequest, type ExecuteRequest, type ExecuteResult, type RuntimeName } from "../request.js";
import type { Job, PrepareContext, Runtime } from "../runtime.js";
import { createOutputBuffer, readOutput } from "../sandbox/output.js";
import { EXIT_OUT_OF_MEMORY, EXIT_OUTPUT_LIMIT, EXIT_SANDBOX_FAILURE, EXIT_TIMEOUT, type FromHost } from "../sandbox/protocol.js";
import { RUNTIME_ASSETS } from "./assets.js";
import { WebWorkerHost } from "./host.js";
import { resolveBrowserOptions, type BrowserExecutorOptions, type ResolvedBrowserOptions } from "./options.js";
import type { BrowserRuntime, SharedData } from "./protocol.js";
import { loadBrowserRuntime } from "./runtimes.js";

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
  idleTimer?: ReturnType<typeof setTimeout>;
}

const decoder = new TextDecoder("utf-8", { fatal: false });
const GRACE_AFTER_OUTPUT_LIMIT_MS = 250;

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

export class BrowserExecutor {
  readonly options: ResolvedBrowserOptions;
  private closed = false;
  private terminated = false;
  private running = 0;
  private inflight = 0;
  private readonly queue: Array<() => void> = [];
  private readonly pools = new Map<RuntimeName, Pool>();
  private readonly hosts = new Set<SandboxHost>();
  private readonly runtimes = new Map<RuntimeName, Promise<Runtime>>();
  private readonly assets = new Map<string, Promise<Uint8Array>>();
  /** Per runtime: what its first worker shared with the later ones (see BrowserRuntime). */
  private readonly shared = new Map<RuntimeName, Promise<SharedData>>();
  private readonly idleWaiters: Array<() => void> = [];

  constructor(options: BrowserExecutorOptions = {}) {
    this.options = resolveBrowserOptions(options, RUNTIME_NAMES);
    for (const r of this.options.prewarm) {
      this.runtime(r).then(
        () => this.topUp(r),
        (e) => this.options.onWarning(`prewarm of "${r}" skipped: ${(e as Error).message}`),
      );
    }
  }

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

  /** Loads the adapter (main-thread part) once; fails when the page cannot host sandboxes. */
  runtime(name: RuntimeName): Promise<Runtime> {
    let p = this.runtimes.get(name);
    if (!p) {
      p = (async () => {
        const problem = isolationProblem();
        if (problem) throw new RuntimeUnavailableError(name, problem);
        try {
          return await loadBrowserRuntime(name);
        } catch (e) {
          throw new RuntimeUnavailableError(name, `its adapter failed to load: ${(e as Error).message}`, { cause: e });
        }
      })();
      this.runtimes.set(name, p);
      p.catch(() => this.runtimes.delete(name));
    }
    return p;
  }

  stats(): ExecutorStats {
    let idle = 0;
    for (const p of this.pools.values()) idle += p.idle.length;
    return { running: this.running, queued: this.queue.length, hosts: this.hosts.size, idleHosts: idle };
  }

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
    this.assets.clear();
    this.shared.clear();
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
    this.queue.shift()?.();
  }

  // ---- one execution -------------------------------------------------------------------------

  private async runJob(runtime: Runtime, job: Job, stdin: Uint8Array, signal?: AbortSignal): Promise<ExecuteResult> {
    if (this.terminated) throw new ExecutorClosedError();
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    let prepTime = 0;
    if (runtime.prepare) {
      const abort = new AbortController();
      const deadline = setTimeout(() => abort.abort(new Error("timeout")), job.limits.timeoutMs);
      const onUserAbort = () => abort.abort(new Error("aborted"));
      signal?.addEventListener("abort", onUserAbort, { once: true });
      try {
        const ctx: PrepareContext = {
          signal: abort.signal,
          remainingMs: () => Math.max(0, job.limits.timeoutMs - elapsed()),
          options: this.options.runtimeOptions(job.runtime),
          toolchains: {},
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
      } finally {
        clearTimeout(deadline);
        signal?.removeEventListener("abort", onUserAbort);
      }
    }
    const host = await this.acquireHost(job.runtime);
    if (this.terminated) {
      this.releaseHost(host, false);
      throw new ExecutorClosedError();
    }
    return this.runOnHost(host, job, stdin, prepTime, signal);
  }

  private stoppedResult(signal: AbortSignal | undefined, stdout: string, stderr: string, ms: number): ExecuteResult {
    const aborted = signal?.aborted ?? false;
    return { stdout, stderr, exitCode: aborted ? 130 : EXIT_TIMEOUT, executionTime: Math.round(ms), timedOut: !aborted };
  }

  private async runOnHost(host: SandboxHost, job: Job, stdin: Uint8Array, prepTime: number, signal?: AbortSignal): Promise<ExecuteResult> {
    const output = createOutputBuffer(job.limits.outputBytes);
    const remaining = Math.max(1, job.limits.timeoutMs - prepTime);
    const started = performance.now();
    let stoppedBy: "timeout" | "abort" | "output" | undefined;
    let graceTimer: ReturnType<typeof setTimeout> | undefined;
    const stop = (why: "timeout" | "abort" | "output") => {
      if (stoppedBy) return;
      stoppedBy = why;
      void host.terminate();
    };
    const onAbort = () => stop("abort");
    signal?.addEventListener("abort", onAbort, { once: true });
    if (signal?.aborted) stop("abort");
    const timer = setTimeout(() => stop("timeout"), remaining);
    const onMessage = (m: FromHost) => {
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
    const executionTime = Math.round(prepTime + performance.now() - started);
    const captured = readOutput(output, job.limits.outputBytes);
    const stdout = decoder.decode(captured.stdout);
    let stderr = decoder.decode(captured.stderr);
    this.releaseHost(host, outcome.kind === "done" && !stoppedBy);

    if (this.terminated && outcome.kind === "crashed" && !stoppedBy) throw new ExecutorClosedError();
    if (stoppedBy === "timeout" || stoppedBy === "abort") return this.stoppedResult(signal, stdout, stderr, executionTime);
    const sep = () => (stderr.endsWith("\n") || stderr === "" ? "" : "\n");
    let exitCode: number;
    if (captured.exceeded.stdout || captured.exceeded.stderr || stoppedBy === "output") {
      const which = captured.exceeded.stdout ? "stdout" : "stderr";
      stderr += `${sep()}[wasmbox] ${which} exceeded the ${job.limits.outputBytes}-byte limit; the program was stopped\n`;
      exitCode = EXIT_OUTPUT_LIMIT;
    } else if (outcome.kind === "crashed") {
      if (outcome.outOfMemory) {
        stderr += `${sep()}[wasmbox] out of memory: the program exceeded the memory limit\n`;
        exitCode = EXIT_OUT_OF_MEMORY;
      } else {
        stderr += `${sep()}[wasmbox] the sandbox worker stopped unexpectedly (${outcome.reason})\n`;
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
    if (!p) this.pools.set(runtime, (p = { idle: [], starting: 0 }));
    return p;
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

  private async newHost(runtime: RuntimeName): Promise<SandboxHost> {
    const rt = (await this.runtime(runtime)) as BrowserRuntime;
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
    if (this.closed) throw new ExecutorClosedError();
    const host = new WebWorkerHost({
      workerUrl: this.options.workerUrl,
      reusable: (rt.host ?? "worker") === "worker",
      onShared,
      init: { runtime, memoryBytes: this.options.memoryLimit, options, assets, assetsBaseUrl: this.options.assetsBaseUrl },
    });
    this.hosts.add(host);
    host.ready.then(
      () => failed?.(),
      () => {
        failed?.();
        this.hosts.delete(host);
      },
    );
    return host;
  }

  private async acquireHost(runtime: RuntimeName): Promise<SandboxHost> {
    const pool = this.pool(runtime);
    while (pool.idle.length > 0) {
      const host = pool.idle.pop()!;
      if (host.alive) {
        this.topUp(runtime);
        return host;
      }
    }
    const host = await this.newHost(runtime);
    try {
      await host.ready;
    } catch (e) {
      this.hosts.delete(host);
      throw e instanceof WasmboxError ? e : new SandboxFailureError(String(e));
    }
    this.topUp(runtime);
    return host;
  }

  private releaseHost(host: SandboxHost, healthy: boolean): void {
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
          this.options.onWarning(`a "${runtime}" sandbox worker failed to start ahead of demand: ${(e as Error).message}`);
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
  }
}

export { EXIT_OUT_OF_MEMORY, EXIT_OUTPUT_LIMIT, EXIT_SANDBOX_FAILURE, EXIT_TIMEOUT };
