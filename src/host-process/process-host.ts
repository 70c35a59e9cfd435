/**
 * Process hosts, for runtimes whose guest can run any JavaScript in its host (Python on
 * Pyodide). Every execution gets an interpreter nobody used before and nobody uses after: a
 * worker thread of a contained host process (jail.ts, pool.ts), terminated after its one job.
 * The host process is the boundary, and it is given nothing worth reaching (see jail.ts).
 * Output chunks are written into the execution's shared output buffer here (RelayedRun), so the
 * cap and partial output on timeout behave as for worker hosts.
 */
import os from "node:os";
import { SandboxFailureError } from "../errors.js";
import type { HostFactory, HostFactoryOptions, HostOutcome, HostRunOptions, SandboxHost } from "../executor/host.js";
import type { FromHost } from "../sandbox/protocol.js";
import { HostPool, type HostProcess } from "./pool.js";
import { jobToWire, type FromSupervisor } from "./protocol.js";
import { RelayedRun } from "./relayed-run.js";

/** How long a stopped job's supervisor may take to hand back what the program printed before it was stopped. */
const TERMINATE_ACK_MS = 500;

/**
 * The host processes of one executor, per runtime configuration. The executor owns them: its
 * close() ends every one (an idle pool also ends its processes on its own: HOST_PROCESS_IDLE_MS).
 */
export class ProcessHosts {
  private readonly pools = new Map<string, HostPool>();

  readonly create: HostFactory = (opts) => new ProcessHost(this.poolFor(opts), opts.runtime);

  private poolFor(opts: HostFactoryOptions): HostPool {
    const key = JSON.stringify([opts.runtime, opts.memoryBytes, opts.options]);
    let pool = this.pools.get(key);
    if (!pool) {
      const n = (k: string, d: number) => (typeof opts.options[k] === "number" && (opts.options[k] as number) > 0 ? (opts.options[k] as number) : d);
      // One host process per two cores: its interpreter threads run in parallel, and on the 2-core
      // machine measured one process served ~15% more executions/s than two (fewer supervisors,
      // processes and busy address spaces for the same work).
      const cores = os.availableParallelism?.() ?? os.cpus().length;
      pool = new HostPool(opts, n("hostProcesses", Math.max(1, Math.floor(cores / 2))), n("readyInterpreters", 2));
      this.pools.set(key, pool);
    }
    return pool;
  }

  /** Ends every host process at once. */
  shutdown(): void {
    for (const p of this.pools.values()) p.shutdown();
    this.pools.clear();
  }
}

// ---- one host = one interpreter, used once -----------------------------------------------------

class ProcessHost implements SandboxHost {
  readonly runtime: HostFactoryOptions["runtime"];
  readonly ready: Promise<void>;
  readonly reusable = false;
  alive = true;
  private proc: HostProcess | undefined;
  private id = 0;
  private used = false;
  private released = false;
  private current: RelayedRun | undefined;
  private readyResolve!: () => void;
  private readyReject!: (e: Error) => void;

  private refd = false;

  constructor(
    private readonly pool: HostPool,
    runtime: HostFactoryOptions["runtime"],
  ) {
    this.runtime = runtime;
    this.ready = new Promise<void>((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    this.ready.catch(() => {});
    pool.claim().then(
      ({ process: proc, id }) => {
        this.proc = proc;
        this.id = id;
        if (this.refd) proc.ref();
        if (!this.alive) return this.release();
        proc.listen(id, { onMessage: (m) => this.onMessage(m) });
        // Someone may be awaiting `ready`: keep the event loop alive until the interpreter is loaded.
        proc.ref();
        this.ready.then(
          () => proc.unref(),
          () => proc.unref(),
        );
        proc.up.then(
          () => proc.send({ t: "claim", id }),
          (e: Error) => this.fail(e),
        );
      },
      (e: Error) => {
        this.alive = false;
        this.readyReject(e);
      },
    );
  }

  private onMessage(m: FromSupervisor): void {
    if (m.t === "ready") this.readyResolve();
    else if (m.t === "out" && m.data instanceof Uint8Array) this.current?.write(m.fd, m.data);
    else if (m.t === "limit") this.current?.exceeded(m.fd);
    else if (m.t === "done") {
      this.finish({ kind: "done", exitCode: typeof m.exitCode === "number" ? m.exitCode : 1, report: m.report });
    } else if (m.t === "crashed") {
      const reason = typeof m.reason === "string" ? m.reason : "crashed";
      if (!this.current) this.fail(new SandboxFailureError(`the ${this.runtime} interpreter failed to start: ${reason}`));
      else this.finish({ kind: "crashed", reason, outOfMemory: m.outOfMemory === true });
    }
  }

  private fail(e: Error): void {
    this.readyReject(e);
    this.finish({ kind: "crashed", reason: e.message, outOfMemory: false });
  }

  private finish(o: HostOutcome): void {
    if (this.current) return this.current.settle(o);
    this.alive = false;
    this.release();
  }

  private release(): void {
    if (this.released || !this.proc) return;
    this.released = true;
    this.unref();
    this.proc.forget(this.id);
    this.pool.release(this.proc);
  }

  run(opts: HostRunOptions, onMessage: (m: FromHost) => void): Promise<HostOutcome> {
    if (!this.alive || this.used || !this.proc)
      return Promise.resolve({ kind: "crashed", reason: "host is gone", outOfMemory: false });
    this.used = true;
    const proc = this.proc;
    const id = this.id;
    const run = new RelayedRun(opts, onMessage, () => {
      this.current = undefined;
      this.alive = false;
      this.release();
    });
    this.current = run;
    const interactive = run.interactive;
    // Copies of the input: the pipe may take it after the caller has reused its buffer.
    proc.send({ t: "run", id, job: jobToWire(opts.job), data: Buffer.from(opts.stdin), ...(interactive && { interactive }) });
    // The guest reads input from a buffer its supervisor fills: the caller's input crosses the protocol.
    run.forwardStdin({
      write: (bytes) => proc.send({ t: "stdin", id, data: Buffer.from(bytes) }),
      end: () => proc.send({ t: "stdin-end", id }),
    });
    return run.outcome;
  }

  async terminate(): Promise<void> {
    if (!this.alive) return;
    const proc = this.proc;
    const current = this.current;
    if (!proc || !current) {
      this.alive = false;
      if (proc) proc.send({ t: "kill", id: this.id });
      this.readyReject(new SandboxFailureError("the host was terminated"));
      this.release();
      return;
    }
    proc.send({ t: "kill", id: this.id });
    await current.stopped(TERMINATE_ACK_MS);
  }

  ref(): void {
    if (this.refd) return;
    this.refd = true;
    this.proc?.ref();
  }
  unref(): void {
    if (!this.refd) return;
    this.refd = false;
    this.proc?.unref();
  }
}
