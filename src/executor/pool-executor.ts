/**
 * The executor's logic, the same in Node and in a page: validates requests, queues them
 * (bounded), runs each on a sandbox host from a per-runtime pool started ahead of demand,
 * enforces the timeout (the host is ended) and the output cap (output lives in a
 * SharedArrayBuffer, so what was printed survives), and owns every host it made.
 * What differs by platform (how an adapter is loaded and checked, how a host is made, what an
 * adapter's prepare step may use) is given by the subclass: Executor (executor.ts) for Node,
 * BrowserExecutor (src/browser/executor.ts) for Web Workers. Nothing here imports Node.
 */
import { ContextLimitError, ExecutorClosedError, QueueFullError, RuntimeUnavailableError, SandboxFailureError, SessionLimitError, WasmboxError } from "../errors.js";
import {
  filePathProblem,
  resolveEntrypoint,
  sameOutput,
  validateBatch,
  validateRequest,
  type BatchCaseResult,
  type BatchRequest,
  type BatchResult,
  type CompileStage,
  type ExecuteRequest,
  type ExecuteResult,
  type NormalizedRequest,
  type RequestCaps,
  type ReturnedFile,
  type RuntimeName,
  type Usage,
} from "../request.js";
import type { Job, PrepareContext, ReturnFilesSpec, Runtime } from "../runtime.js";
import { capFiles } from "../sandbox/run-report.js";
import { CONTEXT_PORT, WORKSPACE_RUN, type ContextPort, type Workspace, type WorkspaceOutcome } from "./workspace.js";
export { CONTEXT_PORT, type ContextPort } from "./workspace.js";
import { Session, decodeSession, type SessionOptions } from "../session/session.js";
import { FileTree, type TreeChange } from "../session/tree.js";
import { OutputCursor, createOutputBuffer, readOutput, resetOutputBuffer, setDrained } from "../sandbox/output.js";
import { LiveOutput, createHandle, type ExecuteOptions, type ExecutionHandle, type LiveJob } from "./live.js";
import { EXIT_OUT_OF_MEMORY, EXIT_OUTPUT_LIMIT, EXIT_SANDBOX_FAILURE, EXIT_TIMEOUT, type FromHost } from "../sandbox/protocol.js";
import type { SandboxHost } from "./host.js";
import { resolveSessionLimits, type LoadEvent, type ResolvedPoolOptions } from "./pool-options.js";

export type { LoadEvent } from "./pool-options.js";

export type { ExecuteOptions } from "./live.js";

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


/** A context's execution lives until it is closed: its timer would never fire (setTimeout's largest delay). */
const NO_DEADLINE_MS = 2 ** 31 - 1;

interface Pool {
  idle: SandboxHost[];
  /** Hosts started ahead of demand, not ready yet. */
  starting: number;
  /** Those of them that exist already (a job waiting for one keeps the process alive). */
  loading: SandboxHost[];
  /** Jobs waiting for a host started ahead of demand (undefined: it failed, start one of your own). */
  waiting: ((host: SandboxHost | undefined) => void)[];
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
  /** Hosts asked for and not yet made (counted against `maxHosts` with `hosts`). */
  private creating = 0;
  /** When each idle host became idle: the one idle longest is ended first to make room. */
  private readonly idleSince = new WeakMap<SandboxHost, number>();
  private readonly checked = new Map<RuntimeName, Promise<Runtime>>();
  private readonly idleWaiters: Array<() => void> = [];
  private readonly loadListeners = new Set<(event: LoadEvent) => void>();
  /** Runtimes whose first host has been started (its "host" load event told). */
  private readonly firstHost = new Set<RuntimeName>();
  private readonly sessions = new Map<string, Session>();
  /** Open REPL contexts, each ended by close(). */
  private readonly contexts = new Set<{ end(): void }>();

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
    if (options.onLoad) this.loadListeners.add(options.onLoad);
  }

  /**
   * Calls `listener` with every load event (a runtime loading, its first host starting, a
   * program compiling) from now on; returns the function that unsubscribes it.
   */
  onLoad(listener: (event: LoadEvent) => void): () => void {
    this.loadListeners.add(listener);
    return () => void this.loadListeners.delete(listener);
  }

  /** Tells listeners that `phase` started; returns what tells them it ended. */
  protected loading(runtime: RuntimeName, phase: LoadEvent["phase"]): (error?: unknown) => void {
    this.emitLoad({ runtime, phase, done: false });
    const started = performance.now();
    let ended = false;
    return (error?: unknown) => {
      if (ended) return;
      ended = true;
      const ms = Math.round(performance.now() - started);
      this.emitLoad(error === undefined ? { runtime, phase, done: true, ms } : { runtime, phase, done: true, ms, error: (error as Error)?.message ?? String(error) });
    };
  }

  private emitLoad(event: LoadEvent): void {
    for (const listener of this.loadListeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; the execution goes on.
      }
    }
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

  // ---- sessions ------------------------------------------------------------------------------

  /**
   * A stateful session: files that persist between calls (`session.execute()`,
   * `session.files`), within a quota; ended by `session.close()`, by being idle longer than
   * its `idleTimeout`, or by `executor.close()`. SESSION_LIMIT when `sessions.max` are open.
   */
  createSession(options: SessionOptions = {}): Session {
    return this.openSession(options, undefined);
  }

  /** Brings back a session from `session.snapshot()`'s bytes, as a new session (its own id). */
  restoreSession(snapshot: Uint8Array, options: SessionOptions = {}): Session {
    const { limits, files } = decodeSession(snapshot);
    return this.openSession({ ...limits, ...options }, files);
  }

  /** The open session with this id, if any. */
  session(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** Every open session. */
  listSessions(): Session[] {
    return [...this.sessions.values()];
  }

  /** @internal */
  sessionEnded(session: Session): void {
    if (this.sessions.get(session.id) === session) this.sessions.delete(session.id);
  }

  /** @internal */
  sessionFork(session: Session): Session {
    this.checkSessionRoom();
    const copy = new Session(this, session.tree.clone(), { ...session.limits });
    this.sessions.set(copy.id, copy);
    return copy;
  }

  private openSession(options: SessionOptions, files: TreeChange[] | undefined): Session {
    if (this.closed) throw new ExecutorClosedError();
    if (options === null || typeof options !== "object") throw new TypeError("wasmbox: createSession(): options must be an object");
    const limits = resolveSessionLimits("createSession(): options", options, this.options.sessions);
    this.checkSessionRoom();
    const tree = new FileTree(limits);
    if (files) tree.apply(files, undefined, "snapshot");
    const session = new Session(this, tree, { maxBytes: limits.maxBytes, maxFiles: limits.maxFiles, idleTimeout: limits.idleTimeout });
    this.sessions.set(session.id, session);
    return session;
  }

  private checkSessionRoom(): void {
    if (this.closed) throw new ExecutorClosedError();
    if (this.sessions.size >= this.options.sessions.max) throw new SessionLimitError(this.options.sessions.max);
  }

  /** Sessions (src/session/): one request over a session's file tree; what the run left there comes back. */
  async [WORKSPACE_RUN](request: ExecuteRequest, workspace: Workspace, opts: ExecuteOptions = {}): Promise<{ result: ExecuteResult; outcome?: WorkspaceOutcome }> {
    const { onStdout, onStderr } = opts;
    const live: LiveJob | undefined =
      onStdout || onStderr ? { emit: (fd, text) => (fd === 1 ? onStdout : onStderr)?.(text) } : undefined;
    const tree: TreeRun = { workspace };
    const result = await this.executeLive(request, opts.signal, live, tree);
    return { result, ...(tree.outcome && { outcome: tree.outcome }) };
  }

  /** Internal: what REPL contexts use (see ContextPort). */
  [CONTEXT_PORT](): ContextPort {
    return {
      register: (owner) => {
        if (this.closed) throw new ExecutorClosedError();
        if (this.contexts.size >= this.options.maxContexts) throw new ContextLimitError(this.options.maxContexts);
        this.contexts.add(owner);
        return () => void this.contexts.delete(owner);
      },
      start: (request, live, signal) => this.executeLive(request, signal, live, undefined, true),
      acquireSlot: (signal) => this.acquireSlot(signal),
      releaseSlot: () => this.releaseSlot(),
      runtime: (name) => this.runtime(name),
      outputLimit: this.options.outputLimit,
      caps: this.options.caps,
    };
  }

  private async executeLive(request: ExecuteRequest, signal: AbortSignal | undefined, live: LiveJob | undefined, tree?: TreeRun, context = false): Promise<ExecuteResult> {
    if (this.closed) throw new ExecutorClosedError();
    this.inflight++;
    try {
      return await this.executeAccepted(request, signal, live, tree, context);
    } finally {
      this.inflight--;
      if (this.inflight === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private async executeAccepted(request: ExecuteRequest, signal: AbortSignal | undefined, live: LiveJob | undefined, tree: TreeRun | undefined, context: boolean): Promise<ExecuteResult> {
    const req = validateRequest(request, this.options.caps);
    const runtime = await this.runtime(req.runtime);
    const job = this.makeJob(req, runtime, tree?.workspace);
    if (context) {
      // A REPL context's execution: each cell takes a slot and has its own timeout (src/session/context.ts).
      req.timeoutMs = job.limits.timeoutMs = NO_DEADLINE_MS;
      job.limits.outputDrained = true;
      return await this.runJob(runtime, job, new Uint8Array(0), req, signal, live);
    }
    // An interactive execution reads what its caller sends (request.stdin went first, see spawn()).
    const stdin = live?.stdin ? new Uint8Array(0) : new TextEncoder().encode(req.stdin);
    // Aborted while waiting for a slot: it leaves the queue and never starts.
    if (!(await this.acquireSlot(signal))) return { stdout: "", stderr: "", exitCode: 130, executionTime: 0, timedOut: false };
    try {
      return await this.runJob(runtime, job, stdin, req, signal, live, tree);
    } finally {
      this.releaseSlot();
    }
  }

  /**
   * Runs one program on many inputs (a grader's test cases): compiled or loaded once, each case
   * on a fresh instance, at most `concurrency` cases at a time. One result per case, in order;
   * with `expectedStdout`, whether it passed (see `sameOutput`). Go and Rust report the one
   * compile as `compile`; a compile that fails ends every case with its exit code.
   */
  async executeBatch(request: BatchRequest, opts: ExecuteOptions = {}): Promise<BatchResult> {
    if (this.closed) throw new ExecutorClosedError();
    this.inflight++;
    try {
      return await this.executeBatchAccepted(request, opts);
    } finally {
      this.inflight--;
      if (this.inflight === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private async executeBatchAccepted(request: BatchRequest, opts: ExecuteOptions): Promise<BatchResult> {
    const { program: req, cases } = validateBatch(request, this.options.caps);
    const runtime = await this.runtime(req.runtime);
    const job = this.makeJob(req, runtime);
    const signal = opts.signal;
    const aborted = (): ExecuteResult => ({ stdout: "", stderr: "", exitCode: 130, executionTime: 0, timedOut: false });
    const judge = (r: ExecuteResult, i: number): BatchCaseResult => {
      const expected = cases[i]!.expectedStdout;
      return expected === undefined ? r : { ...r, passed: r.exitCode === 0 && !r.timedOut && sameOutput(r.stdout, expected) };
    };
    const finish = (results: BatchCaseResult[], compile?: CompileStage): BatchResult => {
      const judged = results.filter((r) => r.passed !== undefined);
      return { ...(compile && { compile }), results, ...(judged.length > 0 && { passed: judged.filter((r) => r.passed).length }) };
    };

    // The one compile, in a slot of its own: in a batch `timeout` is each case's run, so the
    // compile has `compileTimeout`, else the executor's default timeout.
    if (!(await this.acquireSlot(signal))) return finish(cases.map((_, i) => judge(aborted(), i)));
    let compiled;
    try {
      compiled = await this.compileJob(runtime, job, req.compileTimeoutMs ?? this.options.caps.defaultTimeoutMs, signal);
    } finally {
      this.releaseSlot();
    }
    const stage = runtime.prepare ? this.compileStage(compiled) : undefined;
    if (compiled.kind === "done") {
      const failed: ExecuteResult = compiled.aborted
        ? aborted()
        : { stdout: "", stderr: "", exitCode: compiled.exitCode, executionTime: 0, timedOut: compiled.timedOut };
      return finish(cases.map((_, i) => judge(failed, i)), stage);
    }

    const results: BatchCaseResult[] = new Array(cases.length);
    let next = 0;
    const lane = async () => {
      while (next < cases.length) {
        const i = next++;
        const c = cases[i]!;
        const one: Job = { ...job, args: c.args, env: c.env };
        if (!(await this.acquireSlot(signal))) {
          results[i] = judge(aborted(), i);
          continue;
        }
        try {
          results[i] = judge(await this.runCompiled(one, new TextEncoder().encode(c.stdin), req, job.limits.timeoutMs, 0, false, signal, undefined), i);
        } finally {
          this.releaseSlot();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, cases.length) }, lane));
    return finish(results, stage);
  }

  /** The job of a validated request: files placed (over a session's tree, if any), limits, and what to report. */
  private makeJob(req: NormalizedRequest, runtime: Runtime, workspace?: Workspace): Job {
    const resolved = resolveEntrypoint(req, runtime.entryFile);
    const files: Job["files"] = workspace ? { ...workspace.files, ...resolved.files } : resolved.files;
    const entrypoint = resolved.entrypoint;
    const limits = { timeoutMs: req.timeoutMs, memoryBytes: this.options.memoryLimit, outputBytes: this.options.outputLimit };
    const job: Job = { runtime: req.runtime, files, entrypoint, args: req.args, env: req.env, limits };
    const caps = this.options.caps;
    if (workspace)
      // Every file comes back to the tree; the request's `returnFiles` are picked from them afterwards.
      job.report = {
        ...(req.report.usage && { usage: true }),
        files: { patterns: [{ source: "^", flags: "" }], maxFiles: workspace.maxFiles, maxFileBytes: workspace.maxBytes, maxTotalBytes: workspace.maxBytes, list: true },
      };
    else if (req.report.usage || req.returnFiles)
      job.report = {
        ...(req.report.usage && { usage: true }),
        ...(req.returnFiles && {
          files: {
            patterns: req.returnFiles.map(({ source, flags }) => ({ source, flags })),
            maxFiles: caps.maxReturnFiles,
            maxFileBytes: caps.maxReturnFileBytes,
            maxTotalBytes: caps.maxReturnTotalBytes,
          },
        }),
      };
    return job;
  }

  /** Loads the adapter and checks it can run here (once per runtime). */
  runtime(name: RuntimeName): Promise<Runtime> {
    let p = this.checked.get(name);
    if (!p) {
      const loaded = this.loading(name, "runtime");
      p = this.loadRuntime(name);
      p.then(() => loaded(), loaded);
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
    await Promise.all([...this.sessions.values()].map((s) => s.close()));
    // A context lives until it is closed: a graceful close would wait for it forever.
    for (const c of [...this.contexts]) c.end();
    this.contexts.clear();
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

  /**
   * A request's run: its compile (prepare) and then the program. Without `compileTimeout` both
   * share `timeout`, as before; with it, the compile has its own and the run the whole `timeout`.
   * With report "compile" (Go, Rust) the compile is its own stage and `executionTime` is the run's.
   */
  private async runJob(
    runtime: Runtime,
    job: Job,
    stdin: Uint8Array,
    req: NormalizedRequest,
    signal: AbortSignal | undefined,
    live: LiveJob | undefined,
    tree?: TreeRun,
  ): Promise<ExecuteResult> {
    const compiled = await this.compileJob(runtime, job, req.compileTimeoutMs ?? job.limits.timeoutMs, signal);
    const stage = req.report.compile && runtime.prepare ? this.compileStage(compiled) : undefined;
    const compileTime = runtime.prepare ? Math.round(compiled.ms) : undefined;
    if (compiled.kind === "done") {
      let result: ExecuteResult;
      if (compiled.aborted || (!stage && compiled.timedOut)) result = this.stoppedResult(signal, "", "", stage ? 0 : compiled.ms);
      else if (stage) result = { stdout: "", stderr: "", exitCode: compiled.exitCode, executionTime: 0, timedOut: compiled.timedOut };
      else result = { stdout: compiled.stdout, stderr: compiled.stderr, exitCode: compiled.exitCode, executionTime: Math.round(compiled.ms), timedOut: false };
      if (req.report.usage) result.usage = { cpuTime: 0, wallTime: 0, memory: 0, ...(compileTime !== undefined && { compileTime }) };
      if (stage) result.compile = stage;
      if (req.returnFiles) result.files = [];
      if (live) {
        const out = new LiveOutput(live);
        out.text(1, result.stdout);
        out.text(2, result.stderr);
      }
      return result;
    }
    const budget = req.compileTimeoutMs !== undefined ? job.limits.timeoutMs : job.limits.timeoutMs - compiled.ms;
    const result = await this.runCompiled(job, stdin, req, budget, stage ? 0 : compiled.ms, compileTime, signal, live, tree);
    if (stage) result.compile = stage;
    return result;
  }

  /** A compile (Runtime.prepare) within `budgetMs`: what the run needs, or how it ended. */
  private async compileJob(
    runtime: Runtime,
    job: Job,
    budgetMs: number,
    signal?: AbortSignal,
  ): Promise<
    | { kind: "run"; ms: number }
    | { kind: "done"; ms: number; stdout: string; stderr: string; exitCode: number; timedOut: boolean; aborted: boolean }
  > {
    if (this.terminated) throw new ExecutorClosedError();
    if (!runtime.prepare) return { kind: "run", ms: 0 };
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const abort = new AbortController();
    const deadline = setTimeout(() => abort.abort(new Error("timeout")), budgetMs);
    const onUserAbort = () => abort.abort(new Error("aborted"));
    signal?.addEventListener("abort", onUserAbort, { once: true });
    // A listener added to a signal that already fired never runs.
    if (signal?.aborted) onUserAbort();
    try {
      const ctx: PrepareContext = {
        signal: abort.signal,
        loading: (phase) => this.loading(job.runtime, phase),
        remainingMs: () => Math.max(0, budgetMs - elapsed()),
        ...this.prepareEnvironment(job.runtime),
      };
      const preparing = runtime.prepare(job, ctx).catch((e) => {
        if (abort.signal.aborted) return undefined;
        throw e;
      });
      // A timeout or kill ends the wait at once; the compiler, told by the signal, stops in the background.
      const prep = await raceAbort(preparing, abort.signal);
      const ms = elapsed();
      if (!prep || abort.signal.aborted) {
        const aborted = signal?.aborted ?? false;
        return { kind: "done", ms, stdout: "", stderr: "", exitCode: aborted ? 130 : EXIT_TIMEOUT, timedOut: !aborted, aborted };
      }
      if (prep.kind === "done") return { kind: "done", ms, stdout: prep.stdout, stderr: prep.stderr, exitCode: prep.exitCode, timedOut: false, aborted: false };
      job.prepared = prep.prepared;
      return { kind: "run", ms };
    } finally {
      clearTimeout(deadline);
      signal?.removeEventListener("abort", onUserAbort);
    }
  }

  private compileStage(c: Awaited<ReturnType<PoolExecutor["compileJob"]>>): CompileStage {
    if (c.kind === "run") return { stdout: "", stderr: "", exitCode: 0, time: Math.round(c.ms), timedOut: false };
    return { stdout: c.stdout, stderr: c.stderr, exitCode: c.exitCode, time: Math.round(c.ms), timedOut: c.timedOut };
  }

  /**
   * The program's run on a host, within `budgetMs`. `beforeMs` (a compile sharing the timeout)
   * is added to `executionTime`, as it always was; `usage`, `files` as the request asked.
   */
  private async runCompiled(
    job: Job,
    stdin: Uint8Array,
    req: NormalizedRequest,
    budgetMs: number,
    beforeMs: number,
    compileTime: number | undefined | false,
    signal: AbortSignal | undefined,
    live: LiveJob | undefined,
    tree?: TreeRun,
  ): Promise<ExecuteResult> {
    // Waiting for a host that is still loading (a cold start) ends at the deadline, and at once
    // on an abort; the host, once ready, joins the pool for the next execution. The program
    // itself then gets its whole budget: like a queue wait, the wait for a host is not part of
    // the execution (executionTime excludes it).
    const waitStarted = performance.now();
    const wait = new AbortController();
    const deadline = setTimeout(() => wait.abort(new Error("timeout")), Math.max(1, budgetMs));
    const onUserAbort = () => wait.abort(new Error("aborted"));
    signal?.addEventListener("abort", onUserAbort, { once: true });
    if (signal?.aborted) onUserAbort();
    let host: SandboxHost | undefined;
    try {
      const acquiring = this.acquireHost(job.runtime);
      host = await raceAbort(acquiring, wait.signal).catch((e: unknown) => {
        // A host that was still loading when close() ended it.
        throw this.terminated ? new ExecutorClosedError() : e;
      });
      if (!host) {
        acquiring.then((h) => this.releaseHost(h, true, true), () => {});
        return this.stoppedResult(signal, "", "", beforeMs + performance.now() - waitStarted);
      }
    } finally {
      clearTimeout(deadline);
      signal?.removeEventListener("abort", onUserAbort);
    }
    if (this.terminated) {
      this.releaseHost(host, false);
      throw new ExecutorClosedError();
    }
    // A REPL context keeps its host until it is closed: start the pool's replacement now, not then.
    if (job.limits.outputDrained) this.topUp(job.runtime);
    const { result, runMs, report } = await this.runOnHost(host, job, stdin, budgetMs, signal, live);
    result.executionTime = Math.round(beforeMs + runMs);
    if (req.report.usage) {
      const usage: Usage = { cpuTime: report?.cpuTime ?? null, wallTime: Math.round(runMs), memory: report?.memory ?? 0 };
      if (typeof compileTime === "number") usage.compileTime = compileTime;
      result.usage = usage;
    }
    if (tree && report) {
      tree.outcome = workspaceOutcome(report, job, tree.workspace);
      if (req.returnFiles) result.files = pickReturned(report.files, req.returnFiles, this.options.caps);
    } else if (req.returnFiles) result.files = report?.files ?? [];
    return result;
  }


  private stoppedResult(signal: AbortSignal | undefined, stdout: string, stderr: string, ms: number): ExecuteResult {
    const aborted = signal?.aborted ?? false;
    return { stdout, stderr, exitCode: aborted ? 130 : EXIT_TIMEOUT, executionTime: Math.round(ms), timedOut: !aborted };
  }

  /** What a host reported of a run, checked: a process host's guest could write anything there. */
  private checkReport(raw: unknown, spec: ReturnFilesSpec | undefined): CheckedReport | undefined {
    if (raw === null || typeof raw !== "object") return undefined;
    const r = raw as Record<string, unknown>;
    const count = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.round(v) : undefined);
    const maxFiles = spec?.maxFiles ?? 0;
    const files: ReturnedFile[] = [];
    // base64 is 4/3 of the bytes; a UTF-16 string of n bytes of UTF-8 has at most n units.
    let room = Math.ceil(((spec?.maxTotalBytes ?? 0) * 4) / 3) + 4 * maxFiles;
    for (const f of Array.isArray(r.files) ? r.files.slice(0, maxFiles) : []) {
      const o = f as Record<string, unknown> | null;
      if (!o || typeof o.path !== "string" || filePathProblem(o.path) || typeof o.content !== "string") continue;
      if ((o.encoding !== "utf8" && o.encoding !== "base64") || count(o.size) === undefined || o.content.length > room) continue;
      room -= o.content.length;
      files.push({ path: o.path, size: count(o.size)!, encoding: o.encoding, content: o.content, ...(o.truncated === true && { truncated: true as const }) });
    }
    let paths: string[] | undefined;
    if (spec?.list && Array.isArray(r.paths)) paths = r.paths.filter((p): p is string => typeof p === "string" && !filePathProblem(p));
    return { cpuTime: count(r.cpuTime) ?? null, memory: count(r.memory) ?? 0, files, ...(paths && { paths }) };
  }

  private async runOnHost(
    host: SandboxHost,
    job: Job,
    stdin: Uint8Array,
    budgetMs: number,
    signal: AbortSignal | undefined,
    live: LiveJob | undefined,
  ): Promise<{ result: ExecuteResult; runMs: number; report: ReturnType<PoolExecutor["checkReport"]> }> {
    const output = this.outputBuffer(host, job.limits.outputBytes);
    if (job.limits.outputDrained) setDrained(output);
    const cursor = live && new OutputCursor(output, job.limits.outputBytes);
    const liveOut = live && new LiveOutput(live);
    const drain = () => {
      if (!cursor) return;
      const { stdout, stderr } = cursor.take();
      liveOut!.push(1, stdout);
      liveOut!.push(2, stderr);
    };
    const remaining = Math.max(1, budgetMs);
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
    const timer = remaining >= NO_DEADLINE_MS ? undefined : setTimeout(() => stop("timeout"), remaining);
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
    const runMs = performance.now() - started;
    const report = outcome.kind === "done" && job.report ? this.checkReport(outcome.report, job.report.files) : undefined;
    drain();
    liveOut?.flush();
    // A drained execution's output went to its listeners only (its caller keeps what it needs).
    const captured = job.limits.outputDrained
      ? { stdout: new Uint8Array(0), stderr: new Uint8Array(0), exceeded: { stdout: false, stderr: false } }
      : readOutput(output, job.limits.outputBytes);
    const stdout = decoder.decode(captured.stdout);
    let stderr = decoder.decode(captured.stderr);
    this.releaseHost(host, outcome.kind === "done" && !stoppedBy);

    if (this.terminated && outcome.kind === "crashed" && !stoppedBy) throw new ExecutorClosedError();
    if (stoppedBy === "timeout" || stoppedBy === "abort") return { result: this.stoppedResult(signal, stdout, stderr, 0), runMs, report: undefined };

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
    return { result: { stdout, stderr, exitCode, executionTime: 0, timedOut: false }, runMs, report };
  }

  // ---- hosts ---------------------------------------------------------------------------------

  private pool(runtime: RuntimeName): Pool {
    let p = this.pools.get(runtime);
    if (!p) this.pools.set(runtime, (p = { idle: [], starting: 0, loading: [], waiting: [] }));
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

  /** `onDemand`: an execution waits for it, so idle hosts of other runtimes make room (`maxHosts`). */
  private async newHost(runtime: RuntimeName, onDemand = false): Promise<SandboxHost> {
    if (onDemand) while (this.hostCount() >= this.options.maxHosts && this.endIdleHost(runtime));
    this.creating++;
    let rt: Runtime;
    try {
      rt = await this.runtime(runtime);
    } catch (e) {
      this.creating--;
      throw e;
    }
    const first = !this.firstHost.has(runtime);
    this.firstHost.add(runtime);
    const loaded = first ? this.loading(runtime, "host") : undefined;
    let host: SandboxHost;
    try {
      host = await this.createHost(runtime, rt);
    } catch (e) {
      this.creating--;
      // The next host to start is the first again: its load is still to be shown.
      if (loaded) {
        this.firstHost.delete(runtime);
        loaded(e);
      }
      throw e;
    }
    if (loaded)
      host.ready.then(
        () => loaded(),
        (e) => {
          this.firstHost.delete(runtime);
          loaded(e);
        },
      );
    this.creating--;
    this.hosts.add(host);
    host.onGone = () => this.forgetIdleHost(host);
    host.unref();
    host.ready.catch(() => this.hosts.delete(host));
    return host;
  }

  /** A host that ended by itself while idle: it no longer counts, and a warm one is replaced. */
  private forgetIdleHost(host: SandboxHost): void {
    const pool = this.pool(host.runtime);
    const i = pool.idle.indexOf(host);
    if (i < 0) return; // busy or gone already: the end of its job or its load handles it
    pool.idle.splice(i, 1);
    this.endHost(host);
    this.topUp(host.runtime);
  }

  /** Ends a host the executor no longer counts (taken out of its pool by the caller). */
  private endHost(host: SandboxHost): void {
    this.hosts.delete(host);
    void host.terminate();
  }

  private hostCount(): number {
    return this.hosts.size + this.creating;
  }

  /** Ends the idle host (of a runtime other than `except`) idle longest; false when there is none. */
  private endIdleHost(except?: RuntimeName): boolean {
    let oldest: { pool: Pool; host: SandboxHost; since: number } | undefined;
    for (const [runtime, pool] of this.pools) {
      if (runtime === except) continue;
      for (const host of pool.idle) {
        const since = this.idleSince.get(host) ?? 0;
        if (!oldest || since < oldest.since) oldest = { pool, host, since };
      }
    }
    if (!oldest) return false;
    oldest.pool.idle.splice(oldest.pool.idle.indexOf(oldest.host), 1);
    this.endHost(oldest.host);
    return true;
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
      this.endHost(host);
    }
    // A host started ahead of demand (e.g. prewarm) is still loading: take it when it is ready
    // rather than load a second one beside it.
    if (pool.starting > pool.waiting.length) {
      for (const h of pool.loading) h.ref();
      const adopted = await new Promise<SandboxHost | undefined>((resolve) => pool.waiting.push(resolve));
      // A graceful close lets the job run (on this host, or on one of its own); close() does not.
      if (!adopted && this.terminated) throw new ExecutorClosedError();
      if (adopted) {
        if (!adopted.reusable) this.topUp(runtime);
        return adopted;
      }
    }
    const host = await this.newHost(runtime, true);
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
      this.idleSince.set(host, performance.now());
      // Over `maxHosts` (every host was busy when one more was needed): the longest idle goes.
      while (this.hostCount() > this.options.maxHosts && this.endIdleHost());
      this.scheduleTrim(host.runtime);
    } else this.endHost(host);
    this.topUp(host.runtime);
  }

  /** Keep `warmHosts` ready hosts for a runtime, started ahead of demand. */
  private topUp(runtime: RuntimeName): void {
    if (this.closed) return;
    const pool = this.pool(runtime);
    const want = this.options.warmHosts(runtime);
    // Hosts ahead of demand only where there is room: they never end another runtime's.
    while (pool.idle.length + pool.starting < want && this.hostCount() < this.options.maxHosts) {
      pool.starting++;
      void this.startAhead(runtime, pool);
      if (pool.starting > want * 4) break;
    }
  }

  /** One host started ahead of demand: to the first job waiting for one, else to the idle ones. */
  private async startAhead(runtime: RuntimeName, pool: Pool): Promise<void> {
    let host: SandboxHost | undefined;
    try {
      host = await this.newHost(runtime);
      pool.loading.push(host);
      if (pool.waiting.length > 0) host.ref();
      await host.ready;
    } catch (e) {
      pool.starting--;
      if (host) pool.loading.splice(pool.loading.indexOf(host), 1);
      pool.waiting.shift()?.(undefined);
      if (!this.closed) this.options.onWarning(`a "${runtime}" sandbox ${this.hostNoun} failed to start ahead of demand: ${(e as Error).message}`);
      return;
    }
    pool.starting--;
    pool.loading.splice(pool.loading.indexOf(host), 1);
    const waiter = pool.waiting.shift();
    if (waiter) return waiter(host);
    if (this.closed) return void host.terminate();
    host.unref();
    pool.idle.unshift(host);
    this.idleSince.set(host, performance.now());
  }

  private scheduleTrim(runtime: RuntimeName): void {
    const pool = this.pool(runtime);
    clearTimeout(pool.idleTimer);
    pool.idleTimer = setTimeout(() => {
      const keep = this.options.warmHosts(runtime);
      while (pool.idle.length > keep) {
        this.endHost(pool.idle.shift()!);
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

interface CheckedReport {
  cpuTime: number | null;
  memory: number;
  files: ReturnedFile[];
  paths?: string[];
}

/** A session's run in progress: its tree, and what the run left there once it finished. */
interface TreeRun {
  workspace: Workspace;
  outcome?: WorkspaceOutcome;
}

function decodeFile(f: ReturnedFile): Uint8Array {
  if (f.encoding === "utf8") return new TextEncoder().encode(f.content);
  const bin = atob(f.content);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** What a run left in a session's working directory, as the tree takes it. */
function workspaceOutcome(report: CheckedReport, job: Job, workspace: Workspace): WorkspaceOutcome {
  const written = new Map<string, Uint8Array>();
  let overQuota = false;
  for (const f of report.files) {
    if (f.truncated) overQuota = true;
    else written.set(f.path, decodeFile(f));
  }
  const present = new Set(report.paths ?? Object.keys(job.files));
  // Files past the count cap were neither returned nor can be told apart from unchanged ones.
  if (present.size > workspace.maxFiles) overQuota = true;
  return { written, present, overQuota };
}

/** The request's own `returnFiles`, picked from a session run's files, within the request caps. */
function pickReturned(files: ReturnedFile[], patterns: { source: string; flags: string }[], caps: RequestCaps): ReturnedFile[] {
  const res = patterns.map((p) => new RegExp(p.source, p.flags));
  const matched = files.filter((f) => res.some((re) => re.test(f.path)));
  const limits = { maxFiles: caps.maxReturnFiles, maxFileBytes: caps.maxReturnFileBytes, maxTotalBytes: caps.maxReturnTotalBytes };
  return capFiles(matched, limits, (f) => ({ path: f.path, bytes: decodeFile(f), text: f.encoding === "utf8", size: f.size, truncated: f.truncated === true }));
}
