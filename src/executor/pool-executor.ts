/**
 * The executor's logic, the same in Node and in a page: validates requests, queues them
 * (bounded), runs each on a sandbox host from a per-runtime pool started ahead of demand,
 * enforces the timeout (the host is ended) and the output cap (output lives in a
 * SharedArrayBuffer, so what was printed survives), and owns every host it made.
 * What differs by platform (how an adapter is loaded and checked, how a host is made, what an
 * adapter's prepare step may use) is given by the subclass: Executor (executor.ts) for Node,
 * BrowserExecutor (src/browser/executor.ts) for Web Workers. Nothing here imports Node.
 */
import { ExecutorClosedError, QueueFullError, RuntimeUnavailableError, SandboxFailureError, WasmboxError } from "../errors.js";
import { resolveEntrypoint, validateRequest, type ExecuteRequest, type ExecuteResult, type RuntimeName } from "../request.js";
import type { Job, PrepareContext, Runtime } from "../runtime.js";
import { OutputCursor, createOutputBuffer, readOutput, resetOutputBuffer } from "../sandbox/output.js";
import { LiveOutput, createHandle, type ExecutionHandle, type LiveJob, type OutputListeners } from "./live.js";
import { EXIT_OUT_OF_MEMORY, EXIT_OUTPUT_LIMIT, EXIT_SANDBOX_FAILURE, EXIT_TIMEOUT, type FromHost } from "../sandbox/protocol.js";
import type { SandboxHost } from "./host.js";
import type { ResolvedPoolOptions } from "./pool-options.js";

export interface ExecuteOptions extends OutputListeners {
  /** Aborting ends the execution like a timeout would (the result has timedOut: false, exit code 130). */
  signal?: AbortSignal;
}

export interface SpawnOptions {
  /** Aborting ends the execution as `kill()` does. */
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
/** A runtime that failed to load (e.g. a toolchain not yet installed) is tried again after this. */
const RETRY_UNAVAILABLE_MS = 5000;

/** Timers of an idle executor must not keep a Node process alive; a page has no such notion. */
function unref(timer: ReturnType<typeof setTimeout>): void {
  (timer as { unref?: () => void }).unref?.();
}

export abstract class PoolExecutor<O extends ResolvedPoolOptions = ResolvedPoolOptions> {
  readonly options: O;
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

  /** Loads a runtime's adapter and checks it can run here; throws RuntimeUnavailableError if not. */
  protected abstract loadRuntime(name: RuntimeName): Promise<Runtime>;
  /** Makes (starts) a sandbox host for the runtime. */
  protected abstract createHost(name: RuntimeName, runtime: Runtime): Promise<SandboxHost>;
  /** What an adapter's prepare step (e.g. a compiler) may use besides the job. */
  protected abstract prepareEnvironment(name: RuntimeName): Pick<PrepareContext, "options" | "toolchains" | "cacheDir">;
  /** How results name a host that died ("host", "worker"). */
  protected abstract readonly hostNoun: string;
  /** Called once every host has ended. */
  protected onClosed(): void {}

  constructor(options: O) {
    this.options = options;
  }

  /** Starts the hosts of `options.prewarm`; called by the subclass once it is ready. */
  protected prewarm(): void {
    for (const r of this.options.prewarm) {
      this.runtime(r).then(
        () => this.topUp(r),
        (e) => this.options.onWarning(`prewarm of "${r}" skipped: ${(e as Error).message}`),
      );
    }
  }

  /** Runs one request. Throws WasmboxError for invalid input or host failures; a failing program is a result. */
  async execute(request: ExecuteRequest, opts: ExecuteOptions = {}): Promise<ExecuteResult> {
    const { onStdout, onStderr } = opts;
    const live: LiveJob | undefined =
      onStdout || onStderr ? { emit: (fd, text) => (fd === 1 ? onStdout : onStderr)?.(text) } : undefined;
    return this.executeLive(request, opts.signal, live);
  }

  /**
   * Starts an execution whose standard input the caller writes while it runs; `request.stdin`,
   * if given, is sent first. Output streams as it is written. Errors that `execute()` would
   * throw (invalid request, full queue, closed executor) reject `result`.
   */
  spawn(request: ExecuteRequest, opts: SpawnOptions = {}): ExecutionHandle {
    const initial = typeof request?.stdin === "string" ? request.stdin : undefined;
    return createHandle(initial, opts.signal, (live, signal) => this.executeLive(request, signal, live));
  }

  private async executeLive(request: ExecuteRequest, signal: AbortSignal | undefined, live: LiveJob | undefined): Promise<ExecuteResult> {
    if (this.closed) throw new ExecutorClosedError();
    this.inflight++;
    try {
      return await this.executeAccepted(request, signal, live);
    } finally {
      this.inflight--;
      if (this.inflight === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private async executeAccepted(request: ExecuteRequest, signal: AbortSignal | undefined, live: LiveJob | undefined): Promise<ExecuteResult> {
    const req = validateRequest(request, this.options.caps);
    const runtime = await this.runtime(req.runtime);
    const { files, entrypoint } = resolveEntrypoint(req, runtime.entryFile);
    const limits = { timeoutMs: req.timeoutMs, memoryBytes: this.options.memoryLimit, outputBytes: this.options.outputLimit };
    const job: Job = { runtime: req.runtime, files, entrypoint, args: req.args, env: req.env, limits };
    // An interactive execution reads what its caller sends (request.stdin went first, see spawn()).
    const stdin = live?.stdin ? new Uint8Array(0) : new TextEncoder().encode(req.stdin);
    // Aborted while waiting for a slot: it leaves the queue and never starts.
    if (!(await this.acquireSlot(signal))) return { stdout: "", stderr: "", exitCode: 130, executionTime: 0, timedOut: false };
    try {
      return await this.runJob(runtime, job, stdin, signal, live);
    } finally {
      this.releaseSlot();
    }
  }

  /** Loads the adapter and checks it can run here (once per runtime). */
  runtime(name: RuntimeName): Promise<Runtime> {
    let p = this.checked.get(name);
    if (!p) {
      p = this.loadRuntime(name);
      this.checked.set(name, p);
      // A missing toolchain may be installed later: do not cache failures forever.
      p.catch(() => unref(setTimeout(() => this.checked.delete(name), RETRY_UNAVAILABLE_MS)));
    }
    return p;
  }

  /**
   * Loads a runtime and waits until one of its hosts is ready, so that the next execution
   * starts at once (e.g. the CLI, before it starts a program's clock). Ends early on `signal`.
   */
  async warm(name: RuntimeName, signal?: AbortSignal): Promise<void> {
    if (this.closed) throw new ExecutorClosedError();
    await this.runtime(name);
    const acquiring = this.acquireHost(name);
    const host = await raceAbort(acquiring, signal ?? new AbortController().signal);
    if (!host) acquiring.then((h) => this.releaseHost(h, true, true), () => {});
    else this.releaseHost(host, true, true);
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
    this.onClosed();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  protected get isClosed(): boolean {
    return this.closed;
  }

  // ---- queue -------------------------------------------------------------------------------

  /** Resolves true with a slot taken, or false when `signal` aborted first. */
  private acquireSlot(signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    if (this.running < this.options.concurrency && this.queue.length === 0) {
      this.running++;
      return Promise.resolve(true);
    }
    if (this.queue.length >= this.options.maxQueue) throw new QueueFullError(this.options.maxQueue);
    return new Promise<boolean>((resolve, reject) => {
      const start = () => {
        signal?.removeEventListener("abort", onAbort);
        if (this.terminated || (this.closed && this.idleWaiters.length === 0)) return reject(new ExecutorClosedError());
        this.running++;
        resolve(true);
      };
      const onAbort = () => {
        const i = this.queue.indexOf(start);
        if (i < 0) return;
        this.queue.splice(i, 1);
        resolve(false);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(start);
    });
  }

  private releaseSlot(): void {
    this.running--;
    this.queue.shift()?.();
  }

  // ---- one execution -------------------------------------------------------------------------

  private async runJob(runtime: Runtime, job: Job, stdin: Uint8Array, signal: AbortSignal | undefined, live: LiveJob | undefined): Promise<ExecuteResult> {
    if (this.terminated) throw new ExecutorClosedError();
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const abort = new AbortController();
    const deadline = setTimeout(() => abort.abort(new Error("timeout")), job.limits.timeoutMs);
    const onUserAbort = () => abort.abort(new Error("aborted"));
    signal?.addEventListener("abort", onUserAbort, { once: true });
    // A listener added to a signal that already fired never runs.
    if (signal?.aborted) onUserAbort();
    try {
      let prepTime = 0;
      if (runtime.prepare) {
        const ctx: PrepareContext = {
          signal: abort.signal,
          remainingMs: () => Math.max(0, job.limits.timeoutMs - elapsed()),
          ...this.prepareEnvironment(job.runtime),
        };
        const preparing = runtime.prepare(job, ctx).catch((e) => {
          if (abort.signal.aborted) return undefined;
          throw e;
        });
        // A timeout or kill ends the wait at once; the compiler, told by the signal, stops in the background.
        const prep = await raceAbort(preparing, abort.signal);
        prepTime = elapsed();
        if (!prep || abort.signal.aborted) return this.stoppedResult(signal, "", "", elapsed());
        if (prep.kind === "done") {
          if (live) {
            const out = new LiveOutput(live);
            out.text(1, prep.stdout);
            out.text(2, prep.stderr);
          }
          return { stdout: prep.stdout, stderr: prep.stderr, exitCode: prep.exitCode, executionTime: Math.round(prepTime), timedOut: false };
        }
        job.prepared = prep.prepared;
      }

      // Waiting for a host that is still loading (a cold start) ends at the deadline, and at
      // once on an abort; the host, once ready, joins the pool for the next execution. The
      // program itself then gets its whole timeout: like a queue wait, the wait for a host is
      // not part of the execution (executionTime excludes it).
      const acquiring = this.acquireHost(job.runtime);
      const host = await raceAbort(acquiring, abort.signal).catch((e: unknown) => {
        // A host that was still loading when close() ended it.
        throw this.terminated ? new ExecutorClosedError() : e;
      });
      if (!host) {
        acquiring.then((h) => this.releaseHost(h, true, true), () => {});
        return this.stoppedResult(signal, "", "", elapsed());
      }
      clearTimeout(deadline);
      if (this.terminated) {
        this.releaseHost(host, false);
        throw new ExecutorClosedError();
      }
      return await this.runOnHost(host, job, stdin, prepTime, signal, live);
    } finally {
      clearTimeout(deadline);
      signal?.removeEventListener("abort", onUserAbort);
    }
  }

  private stoppedResult(signal: AbortSignal | undefined, stdout: string, stderr: string, ms: number): ExecuteResult {
    const aborted = signal?.aborted ?? false;
    return { stdout, stderr, exitCode: aborted ? 130 : EXIT_TIMEOUT, executionTime: Math.round(ms), timedOut: !aborted };
  }

  private async runOnHost(
    host: SandboxHost,
    job: Job,
    stdin: Uint8Array,
    prepTime: number,
    signal: AbortSignal | undefined,
    live: LiveJob | undefined,
  ): Promise<ExecuteResult> {
    const output = this.outputBuffer(host, job.limits.outputBytes);
    const cursor = live && new OutputCursor(output, job.limits.outputBytes);
    const liveOut = live && new LiveOutput(live);
    const drain = () => {
      if (!cursor) return;
      const { stdout, stderr } = cursor.take();
      liveOut!.push(1, stdout);
      liveOut!.push(2, stderr);
    };
    const remaining = Math.max(1, job.limits.timeoutMs - prepTime);
    const started = performance.now();
    let stoppedBy: "timeout" | "abort" | "output" | undefined;
    let graceTimer: ReturnType<typeof setTimeout> | undefined;
    host.ref();
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
      // The guest ran past its output cap: its host normally ends the program at once; if the
      // guest swallowed the error, stop it from outside.
      if (m.type === "output-limit" && !graceTimer) graceTimer = setTimeout(() => stop("output"), GRACE_AFTER_OUTPUT_LIMIT_MS);
      else if (m.type === "output") drain();
      else if (m.type === "stdin-room") live?.stdin?.pump();
    };
    let outcome;
    try {
      const liveRun = live && { ...(live.stdin && { stdin: live.stdin.sab }) };
      outcome = await host.run({ job, stdin, output, ...(liveRun && { live: liveRun }), ...(live?.stdin && { stdinWriter: live.stdin }) }, onMessage);
    } finally {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      signal?.removeEventListener("abort", onAbort);
    }
    const executionTime = Math.round(prepTime + performance.now() - started);
    drain();
    liveOut?.flush();
    const captured = readOutput(output, job.limits.outputBytes);
    const stdout = decoder.decode(captured.stdout);
    let stderr = decoder.decode(captured.stderr);
    this.releaseHost(host, outcome.kind === "done" && !stoppedBy);

    if (this.terminated && outcome.kind === "crashed" && !stoppedBy) throw new ExecutorClosedError();
    if (stoppedBy === "timeout" || stoppedBy === "abort") return this.stoppedResult(signal, stdout, stderr, executionTime);

    const note = (text: string) => {
      const added = `${stderr.endsWith("\n") || stderr === "" ? "" : "\n"}[wasmbox] ${text}\n`;
      stderr += added;
      liveOut?.text(2, added);
    };
    let exitCode: number;
    if (captured.exceeded.stdout || captured.exceeded.stderr || stoppedBy === "output") {
      note(`${captured.exceeded.stdout ? "stdout" : "stderr"} exceeded the ${job.limits.outputBytes}-byte limit; the program was stopped`);
      exitCode = EXIT_OUTPUT_LIMIT;
    } else if (outcome.kind === "crashed") {
      if (outcome.outOfMemory) {
        note("out of memory: the program exceeded the memory limit");
        exitCode = EXIT_OUT_OF_MEMORY;
      } else {
        note(`the sandbox ${this.hostNoun} stopped unexpectedly (${outcome.reason})`);
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

  private async newHost(runtime: RuntimeName): Promise<SandboxHost> {
    const host = await this.createHost(runtime, await this.runtime(runtime));
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

  /** `unused`: the host ran nothing (a one-shot host can still serve an execution). */
  private releaseHost(host: SandboxHost, healthy: boolean, unused = false): void {
    host.unref();
    const pool = this.pool(host.runtime);
    if (healthy && (host.reusable || unused) && host.alive && !this.terminated) {
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
          this.options.onWarning(`a "${runtime}" sandbox ${this.hostNoun} failed to start ahead of demand: ${(e as Error).message}`);
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
    unref(pool.idleTimer);
  }
}

/** The promise's value, or undefined once `signal` aborts first. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/** An adapter that failed to load, as the error every caller sees. */
export function adapterLoadFailed(name: RuntimeName, e: unknown): RuntimeUnavailableError {
  return new RuntimeUnavailableError(name, `its adapter failed to load: ${(e as Error).message}`, { cause: e });
}

export { EXIT_OUT_OF_MEMORY, EXIT_OUTPUT_LIMIT, EXIT_SANDBOX_FAILURE, EXIT_TIMEOUT };
