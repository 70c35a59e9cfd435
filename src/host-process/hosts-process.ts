/**
 * The executor's hosts process: its worker-thread hosts (ruby, php, node, bun) run in one child
 * process instead of the embedding process. Threads that end leave their memory in glibc's
 * per-thread arenas, which a process keeps until it exits: here that process is ours to end.
 * The executor recycles it once its resident memory passes a bound (new hosts start in a fresh
 * process; the old one ends when its last running job does), and close() ends it, so the
 * embedding process's memory stays flat whatever the guests do. The child runs with a fixed
 * malloc mmap threshold and two arenas, which keep freed blocks from piling up in the first place.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { RuntimeUnavailableError, SandboxFailureError, type WireError } from "../errors.js";
import type { HostFactoryOptions, HostOutcome, HostRunOptions, SandboxHost } from "../executor/host.js";
import { isDrained } from "../sandbox/output.js";
import type { FromHost } from "../sandbox/protocol.js";
import { ChildLink, type Refable } from "./child-link.js";
import type { FromHostsProcess, ToHostsProcess } from "./hosts-process-protocol.js";
import { RelayedRun } from "./relayed-run.js";

const entry = fileURLToPath(new URL("./hosts-process-entry.js", import.meta.url));

/** How long a stopped job's host may take to hand back what the program printed before it was stopped. */
const TERMINATE_ACK_MS = 2000;

class HostsProcess extends ChildLink<FromHostsProcess> {
  /** Hosts started in this process and not yet ended. */
  readonly members = new Set<RemoteHost>();
  retiring = false;
  alive = true;

  constructor(
    onWarning: ((message: string) => void) | undefined,
    private readonly onExit: () => void,
  ) {
    const debug = process.env.WASMBOX_DEBUG_HOSTS === "1";
    const env: NodeJS.ProcessEnv = { ...process.env };
    // The embedding application's preloads and flags are not the hosts'.
    delete env.NODE_OPTIONS;
    // Freed blocks of 128 KiB and more go back to the system at once, and two arenas serve every
    // thread: without this, RSS climbs with each host that ends (README, "Memory of the host process").
    env.MALLOC_MMAP_THRESHOLD_ ??= "131072";
    env.MALLOC_ARENA_MAX ??= "2";
    // In a session of its own: a terminal's Ctrl-C (SIGINT to the foreground process group) is
    // the embedding process's to handle (e.g. a server finishing its requests), not the hosts'.
    // It still ends with us: it exits when the IPC channel closes.
    const child = fork(entry, [], {
      execArgv: [],
      env,
      detached: true,
      serialization: "advanced",
      stdio: ["ignore", debug ? "inherit" : "ignore", debug ? "inherit" : "ignore", "ipc"],
    });
    super(child, () => [child.channel as Refable | undefined]);
    child.on("message", (m: FromHostsProcess) => {
      if (m?.t === "warning") return void onWarning?.(String(m.message));
      this.dispatch((m as { id?: unknown })?.id, m);
    });
    child.on("error", () => this.exited());
    child.on("exit", () => this.exited());
  }

  private exited(): void {
    if (!this.alive) return;
    this.alive = false;
    for (const l of [...this.listeners.values()]) l.onMessage({ t: "gone", id: -1 });
    this.listeners.clear();
    this.onExit();
  }

  send(m: ToHostsProcess): void {
    if (this.alive && this.child.connected) this.child.send(m);
  }

  kill(): void {
    if (this.alive) this.child.kill("SIGKILL");
  }
}

export interface HostsProcessOptions {
  /** Resident memory (bytes) past which the process is replaced by a fresh one. */
  recycleBytes: number;
}

/** The hosts process of one executor (one at a time, plus a retiring one finishing its jobs). */
export class HostsProcesses {
  private current: HostsProcess | undefined;
  private readonly all = new Set<HostsProcess>();
  private nextId = 1;

  constructor(private readonly settings: HostsProcessOptions) {}

  private process(onWarning: HostFactoryOptions["onWarning"]): HostsProcess {
    let p = this.current;
    if (!p || !p.alive || p.retiring) {
      const made: HostsProcess = new HostsProcess(onWarning, () => {
        this.all.delete(made);
        if (this.current === made) this.current = undefined;
      });
      this.all.add(made);
      this.current = p = made;
      this.idle(made);
    }
    return p;
  }

  /**
   * A runtime is about to be asked for: start the process (Node's start-up overlaps the
   * executor's own loading) and have it load the runtime and what its hosts share.
   */
  preload(runtime: HostFactoryOptions["runtime"], settings: Pick<HostFactoryOptions, "memoryBytes" | "options" | "onWarning">): void {
    this.process(settings.onWarning).send({ t: "preload", runtime, memoryBytes: settings.memoryBytes, options: settings.options });
  }

  create(opts: HostFactoryOptions): SandboxHost {
    const p = this.process(opts.onWarning);
    p.busy();
    return new RemoteHost(this, p, this.nextId++, opts);
  }

  /** A process without hosts (every runtime's trimmed, or none was hosted here) ends after a while (HOST_PROCESS_IDLE_MS). */
  private idle(p: HostsProcess): void {
    p.idle(() => {
      if (p.members.size > 0) return;
      if (this.current === p) this.current = undefined;
      p.kill();
    });
  }

  /** After a job: a process over its bound takes no new hosts, and ends once it runs nothing. */
  measured(p: HostsProcess, rss: number): void {
    if (rss <= this.settings.recycleBytes || p.retiring) return;
    if (process.env.WASMBOX_DEBUG_HOSTS === "1") process.stderr.write(`wasmbox: hosts process ${p.child.pid} retires at ${Math.round(rss / 2 ** 20)} MiB\n`);
    p.retiring = true;
    if (this.current === p) this.current = undefined;
    // Its idle hosts end now (the executor replaces them in the next process); busy ones after their job.
    // (A report comes from a member still running its job, so the process never ends here.)
    for (const h of p.members) if (h.idle) h.retire();
  }

  /** A host of `p` ended. */
  ended(p: HostsProcess, h: RemoteHost): void {
    p.members.delete(h);
    if (p.members.size > 0) return;
    if (p.retiring) p.kill();
    else this.idle(p);
  }

  shutdown(): void {
    for (const p of this.all) {
      p.busy();
      p.kill();
    }
    this.all.clear();
    this.current = undefined;
  }
}

function loadError(runtime: string, w: WireError): Error {
  if (w?.code === "RUNTIME_UNAVAILABLE") return new RuntimeUnavailableError(w.runtime ?? runtime, w.reason ?? w.message);
  return new SandboxFailureError(String(w?.message ?? `the ${runtime} runtime failed to load in its hosts process`));
}

/** A worker-thread host that lives in the hosts process. */
class RemoteHost implements SandboxHost {
  readonly runtime: HostFactoryOptions["runtime"];
  readonly ready: Promise<void>;
  readonly reusable = true;
  private ownAlive = true;
  onGone: (() => void) | undefined;
  private ended = false;
  private loaded = false;
  private refd = false;
  private current: RelayedRun | undefined;
  private readyResolve!: () => void;
  private readyReject!: (e: Error) => void;

  constructor(
    private readonly owner: HostsProcesses,
    private readonly proc: HostsProcess,
    private readonly id: number,
    opts: HostFactoryOptions,
  ) {
    this.runtime = opts.runtime;
    this.ready = new Promise<void>((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    this.ready.catch(() => {});
    proc.members.add(this);
    proc.listen(id, { onMessage: (m) => this.onMessage(m) });
    proc.send({ t: "create", id, runtime: opts.runtime, memoryBytes: opts.memoryBytes, options: opts.options });
  }

  /** A host of a retiring process takes no further job: the executor replaces it. */
  get alive(): boolean {
    return this.ownAlive && this.proc.alive && !this.proc.retiring;
  }

  private onMessage(m: FromHostsProcess): void {
    switch (m.t) {
      case "ready":
        this.loaded = true;
        this.readyResolve();
        // Loaded ahead of demand in a process that retired meanwhile: once the executor has put
        // it with its idle hosts, end it (a job waiting for it holds a ref, and runs on it).
        if (this.proc.retiring && !this.refd)
          setTimeout(() => {
            if (this.idle && !this.refd) this.retire();
          });
        return;
      case "load-error":
        this.readyReject(loadError(this.runtime, m.error));
        return this.end();
      case "out":
        return this.output(m.stdout, m.stderr);
      case "limit":
        return this.current?.exceeded(m.fd);
      case "end": {
        this.output(m.stdout, m.stderr);
        if (!m.alive) this.ownAlive = false;
        if (typeof m.rss === "number") this.owner.measured(this.proc, m.rss);
        const outcome: HostOutcome =
          m.outcome?.kind === "done"
            ? { kind: "done", exitCode: typeof m.outcome.exitCode === "number" ? m.outcome.exitCode : 1, report: m.outcome.report }
            : { kind: "crashed", reason: String(m.outcome?.reason ?? "crashed"), outOfMemory: m.outcome?.outOfMemory === true };
        const c = this.current;
        this.current = undefined;
        if (!this.ownAlive) this.end();
        return c?.settle(outcome);
      }
      case "gone": {
        // The host's thread or the whole process ended by itself.
        this.ownAlive = false;
        this.readyReject(new SandboxFailureError(`the ${this.runtime} sandbox host ended while loading`));
        const c = this.current;
        this.current = undefined;
        this.end();
        c?.settle({ kind: "crashed", reason: m.id === -1 ? "the hosts process exited" : "the sandbox host exited", outOfMemory: false });
        if (!c) this.onGone?.();
        return;
      }
    }
  }

  private output(stdout: unknown, stderr: unknown): void {
    if (stdout instanceof Uint8Array) this.current?.write(1, stdout);
    if (stderr instanceof Uint8Array) this.current?.write(2, stderr);
  }

  /** Loaded, and running nothing: a host still loading may be what a job waits for. */
  get idle(): boolean {
    return this.loaded && !this.current && !this.ended;
  }

  /** Ends this idle host of a retiring process and tells the executor, which starts another elsewhere. */
  retire(): void {
    void this.terminate();
    this.onGone?.();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.ownAlive = false;
    this.unref();
    this.proc.forget(this.id);
    this.owner.ended(this.proc, this);
  }

  run(opts: HostRunOptions, onMessage: (m: FromHost) => void): Promise<HostOutcome> {
    if (!this.ownAlive || !this.proc.alive) return Promise.resolve({ kind: "crashed", reason: "host is gone", outOfMemory: false });
    if (this.current) throw new Error("wasmbox: internal: host already busy");
    const run: RelayedRun = new RelayedRun(opts, onMessage, () => {
      if (this.current === run) this.current = undefined;
    });
    this.current = run;
    const cap = opts.job.limits.outputBytes;
    const drained = isDrained(opts.output);
    this.proc.send({ t: "run", id: this.id, job: opts.job, stdin: opts.stdin, cap, drained, live: opts.live !== undefined, interactive: run.interactive });
    run.forwardStdin({
      write: (data) => this.proc.send({ t: "stdin", id: this.id, data }),
      end: () => this.proc.send({ t: "stdin-end", id: this.id }),
    });
    return run.outcome;
  }

  async terminate(): Promise<void> {
    if (this.ended) return;
    this.ownAlive = false;
    this.proc.send({ t: "terminate", id: this.id });
    const current = this.current;
    if (!current) {
      this.readyReject(new SandboxFailureError("the host was terminated"));
      return this.end();
    }
    await current.stopped(TERMINATE_ACK_MS);
    this.end();
  }

  ref(): void {
    if (this.refd || this.ended) return;
    this.refd = true;
    this.proc.ref();
  }
  unref(): void {
    if (!this.refd) return;
    this.refd = false;
    this.proc.unref();
  }
}
