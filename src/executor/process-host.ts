/**
 * Process sandbox hosts, for runtimes whose guest can run any JavaScript in its host (Python on
 * Pyodide). Every execution gets an interpreter nobody used before and nobody uses after: a
 * worker thread of a contained host process, terminated after its one job. The host process is
 * the boundary, and it is given nothing worth reaching:
 *   - bubblewrap (when usable): new user/pid/net/ipc/uts namespaces, an empty environment,
 *     uid 65534, no capabilities, and a file system holding only node, its libraries and the
 *     runtime's own assets, read-only; it dies with the executor;
 *   - Node's permission model: reads only of those assets, no writes, no child processes, no
 *     addons, no inspector (workers are allowed: they hold the interpreters);
 *   - no code generation from strings (`eval`, `Function`), so a guest cannot author new
 *     JavaScript (e.g. a dynamic `import()`), only call what its realm holds;
 *   - each interpreter's realm is locked before guest code runs (src/sandbox/process-entry.ts);
 *   - a data rlimit and a wasm memory maximum.
 * Without bubblewrap the other layers remain (weaker: no network namespace): the executor warns
 * once, or the runtime refuses with isolation "strict".
 * The executor talks to a host process over its stdin/stdout in JSON lines; output chunks are
 * written into the execution's shared output buffer here, so the cap and partial output on
 * timeout behave as for worker hosts.
 */
import { spawn, execFile } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { mkdir, rename, rm, symlink } from "node:fs/promises";
import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { RuntimeUnavailableError, SandboxFailureError, loadFailure } from "../errors.js";
import { loadRuntime } from "../registry.js";
import { SharedIo } from "../sandbox/output.js";
import { jobToWire, type FromSupervisor, type SupervisorInit, type ToSupervisor } from "../sandbox/process-protocol.js";
import type { FromHost } from "../sandbox/protocol.js";
import { ChildLink, type Refable } from "./child-link.js";
import type { HostFactory, HostFactoryOptions, HostOutcome, HostRunOptions, SandboxHost } from "./host.js";

const entry = fileURLToPath(new URL("../sandbox/process-entry.js", import.meta.url));
const distDir = path.resolve(path.dirname(entry), "../..");
const packageRoot = path.dirname(distDir);

// ---- bubblewrap --------------------------------------------------------------------------------

let bwrapProbe: Promise<string | undefined> | undefined;

/**
 * The bubblewrap binary when it is installed and unprivileged user namespaces work here;
 * undefined otherwise, or when disabled (`runtimeOptions.<rt>.bubblewrap: false` or WASMBOX_BUBBLEWRAP=0).
 */
/** A process-hosted runtime under isolation "strict" where bubblewrap cannot jail its host process. */
export function strictIsolationUnavailable(runtime: string): RuntimeUnavailableError {
  return new RuntimeUnavailableError(
    runtime,
    'isolation "strict" needs bubblewrap (`bwrap`) with unprivileged user namespaces, which is not usable here; install the `bubblewrap` package or use isolation "best-effort"',
  );
}

export function bubblewrap(options: Record<string, unknown> = {}): Promise<string | undefined> {
  if (options.bubblewrap === false || process.env.WASMBOX_BUBBLEWRAP === "0") return Promise.resolve(undefined);
  const bin = typeof options.bubblewrap === "string" ? options.bubblewrap : "bwrap";
  if (bin !== "bwrap") return probe(bin);
  return (bwrapProbe ??= probe(bin));
}

function probe(bin: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(bin, ["--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "true"], { timeout: 10_000, env: {} }, (err) =>
      resolve(err ? undefined : bin),
    );
  });
}

/** Shared libraries of the node binary (`ldd`), bound read-only into the sandbox. */
function nodeLibraries(): Promise<string[]> {
  return new Promise((resolve) => {
    execFile("ldd", [process.execPath], { env: {} }, (err, stdout) => {
      if (err) return resolve(["/lib", "/lib64", "/usr/lib"]);
      resolve([...stdout.matchAll(/(\/[^\s]+)\s+\(0x/g)].map((m) => m[1]!));
    });
  });
}

interface Containment {
  /** Runtime assets: path inside the host root → host path. */
  mounts: Record<string, string>;
  memoryBytes: number;
  dataLimitBytes: number;
  bwrap: string | undefined;
  /** Where the host root is assembled from symbolic links when there is no bubblewrap. */
  linkDir: string;
}

/** Inside bubblewrap, everything the host process may read sits under this one directory. */
const SANDBOX_ROOT = "/wasmbox";

/**
 * The host process sees one directory, `<root>/{dist,package.json,<runtime assets>}`, granted to
 * Node's permission model as a single `<root>/*`: Node 20's permission tree mishandles several
 * grants that share a prefix. With bubblewrap the root is assembled from bind mounts; without it,
 * from symbolic links (kept as such by --preserve-symlinks, so the grant matches module paths).
 */
async function command(c: Containment): Promise<{ file: string; args: string[]; root: string }> {
  const node = realpathSync(process.execPath);
  const major = Number(process.versions.node.split(".")[0]);
  const mounts: Record<string, string> = { dist: distDir, "package.json": path.join(packageRoot, "package.json"), ...c.mounts };
  const root = c.bwrap ? SANDBOX_ROOT : await linkRoot(c.linkDir, mounts);
  const nodeArgs = [
    major >= 22 ? "--permission" : "--experimental-permission",
    `--allow-fs-read=${root}/*`,
    "--allow-worker",
    "--preserve-symlinks",
    "--preserve-symlinks-main",
    "--disallow-code-generation-from-strings",
    `--wasm-max-mem-pages=${Math.max(1, Math.floor(c.memoryBytes / 65536))}`,
    // Booting an interpreter builds ~20 MB of long-lived JavaScript objects; with V8's small
    // initial old space that costs two full collections per (short-lived) interpreter thread,
    // ~15% of its CPU. The per-thread maximum (resourceLimits) is unchanged.
    "--initial-old-space-size=96",
    // Interpreter threads are short-lived and busy booting: helper threads for their collections
    // cost more CPU in hand-offs than they save (measured: ~10% of an execution's CPU).
    "--single-threaded-gc",
    "--no-warnings",
    `${root}/dist/${path.relative(distDir, entry).split(path.sep).join("/")}`,
  ];
  const limit = [`--data=${c.dataLimitBytes}`];
  if (!c.bwrap) return { file: "prlimit", args: [...limit, "--", node, ...nodeArgs], root };
  const binds: string[] = [];
  const bind = (from: string, to: string) => {
    try {
      binds.push("--ro-bind", realpathSync(from), to);
    } catch {
      /* missing: nothing to bind */
    }
  };
  bind(node, node);
  for (const lib of await nodeLibraries()) bind(lib, lib);
  for (const [name, from] of Object.entries(mounts)) bind(from, `${root}/${name}`);
  const bwrapArgs = [
    "--unshare-all",
    "--die-with-parent",
    "--new-session",
    "--clearenv",
    "--cap-drop", "ALL",
    "--uid", "65534",
    "--gid", "65534",
    ...binds,
    "--dev", "/dev",
    "--chdir", "/",
  ];
  if (process.env.WASMBOX_DEBUG_HOSTS === "1") process.stderr.write(`wasmbox: host command: ${[c.bwrap, ...bwrapArgs, node, ...nodeArgs].join(" ")}\n`);
  return { file: "prlimit", args: [...limit, "--", c.bwrap, ...bwrapArgs, node, ...nodeArgs], root };
}

/** A directory of symbolic links to the mounts, made atomically (safe against concurrent makers). */
async function linkRoot(dir: string, mounts: Record<string, string>): Promise<string> {
  const key = createHash("sha256").update(JSON.stringify(mounts)).digest("hex").slice(0, 16);
  const root = path.join(dir, `host-root-${key}`);
  if (existsSync(root)) return root;
  const tmp = `${root}.${process.pid}.${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  for (const [name, from] of Object.entries(mounts)) {
    await mkdir(path.dirname(path.join(tmp, name)), { recursive: true });
    await symlink(path.resolve(from), path.join(tmp, name));
  }
  try {
    await rename(tmp, root);
  } catch {
    await rm(tmp, { recursive: true, force: true });
  }
  return root;
}

// ---- host processes ----------------------------------------------------------------------------

class HostProcess extends ChildLink<FromSupervisor> {
  readonly up: Promise<void>;
  bound = 0;
  alive = true;
  failure: Error | undefined;

  constructor(cmd: { file: string; args: string[] }, init: SupervisorInit, onExit: () => void) {
    // In a session of its own: a terminal's Ctrl-C (SIGINT to the foreground process group) is
    // the embedding process's to handle, not the host's. It still ends with us: bwrap
    // --die-with-parent, and the supervisor exits when its stdin closes.
    const child = spawn(cmd.file, cmd.args, { env: {}, stdio: ["pipe", "pipe", "pipe"], detached: true });
    // Its pipes are sockets, which keep the event loop alive as the child does.
    super(child, () => [child.stdin, child.stdout, child.stderr] as unknown as Refable[]);
    // The host's own diagnostics (never the guest's output): shown only when debugging wasmbox.
    if (process.env.WASMBOX_DEBUG_HOSTS === "1") this.child.stderr!.pipe(process.stderr);
    else this.child.stderr!.resume();
    this.child.stdin!.on("error", () => {});
    this.child.stdin!.write(JSON.stringify(init) + "\n");
    const lines = createInterface({ input: this.child.stdout! });
    this.up = new Promise<void>((resolve, reject) => {
      lines.on("line", (line) => {
        let m: FromSupervisor;
        try {
          m = JSON.parse(line) as FromSupervisor;
        } catch {
          return;
        }
        if (m?.t === "up") resolve();
        else if (m?.t === "fatal") {
          this.failure = loadFailure(init.runtime, "in its host process", m.error);
          reject(this.failure);
        } else this.dispatch(m?.id, m);
      });
      this.child.on("error", (e) => {
        this.failure ??= new SandboxFailureError(`the ${init.runtime} host process could not start: ${e.message}`);
        reject(this.failure);
      });
      this.child.on("exit", (code, signal) => {
        this.alive = false;
        this.failure ??= new SandboxFailureError(`the ${init.runtime} host process exited (${signal ?? `code ${code}`})`);
        reject(this.failure);
        for (const [id, l] of this.listeners) l.onMessage({ t: "crashed", id, reason: "the host process exited", outOfMemory: false });
        this.listeners.clear();
        onExit();
      });
    });
    this.up.catch(() => {});
  }

  send(m: ToSupervisor): void {
    if (this.alive) this.child.stdin!.write(JSON.stringify(m) + "\n");
  }

  kill(): void {
    if (this.alive) this.child.kill("SIGKILL");
  }
}

/** The host processes serving one runtime configuration (one per two cores by default). */
class HostPool {
  private readonly processes: HostProcess[] = [];
  private live = 0;
  private shutdownTimer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private cmd: Promise<{ file: string; args: string[]; root: string }> | undefined;

  constructor(
    private readonly opts: HostFactoryOptions,
    private readonly size: number,
    private readonly ready: number,
  ) {}

  /**
   * Binds a new host to the least loaded process. Another process (up to `size`) is started only
   * when every running one already has `ready` hosts bound: a cold start boots one process, not
   * one per core, and a steady load spreads over all of them.
   */
  async claim(): Promise<{ process: HostProcess; id: number }> {
    clearTimeout(this.shutdownTimer);
    this.live++;
    this.cmd ??= this.containment();
    const cmd = await this.cmd;
    const busy = () => this.processes.every((p) => p.bound >= Math.max(1, this.ready));
    while (this.processes.length < this.size && busy()) {
      // `hostRoot` tells the adapter where its mounts are, as the host process sees them.
      const options = { ...this.opts.options, hostRoot: cmd.root };
      const init: SupervisorInit = { runtime: this.opts.runtime, memoryBytes: this.opts.memoryBytes, options, ready: this.ready };
      const p: HostProcess = new HostProcess(cmd, init, () => {
        const i = this.processes.indexOf(p);
        if (i >= 0) this.processes.splice(i, 1);
      });
      this.processes.push(p);
    }
    const p = this.processes.reduce((a, b) => (b.bound < a.bound ? b : a));
    p.bound++;
    return { process: p, id: this.nextId++ };
  }

  release(p: HostProcess): void {
    p.bound--;
    if (--this.live === 0) {
      // Hosts come and go between executions; end the processes only when none is wanted for a while.
      clearTimeout(this.shutdownTimer);
      this.shutdownTimer = setTimeout(() => this.shutdown(), 250);
      this.shutdownTimer.unref();
    }
  }

  shutdown(): void {
    for (const p of this.processes.splice(0)) p.kill();
  }

  private async containment(): Promise<{ file: string; args: string[]; root: string }> {
    const runtime = await loadRuntime(this.opts.runtime);
    const bwrap = await bubblewrap(this.opts.options);
    if (!bwrap) {
      if (this.opts.options.isolation === "strict") throw strictIsolationUnavailable(this.opts.runtime);
      warnOnce(this.opts, `bubblewrap (bwrap) is not usable here, so "${this.opts.runtime}" runs with the remaining layers only (Node's permission model, a locked realm, no code generation); its guest is not network-isolated. Install bubblewrap, or pass isolation: "strict" to refuse instead.`);
    }
    const dataLimit = this.opts.options.dataLimitBytes;
    const assets = runtime.processHost?.mounts?.(this.opts.options) ?? { mounts: {}, linkDir: os.tmpdir() };
    return command({
      ...assets,
      memoryBytes: this.opts.memoryBytes,
      dataLimitBytes: typeof dataLimit === "number" ? dataLimit : Math.max(4 * 1024 ** 3, (this.ready + 2) * this.opts.memoryBytes * 2),
      bwrap,
    });
  }
}

const warned = new WeakSet<object>();
let warnedDefault = false;
function warnOnce(opts: HostFactoryOptions, message: string): void {
  const sink = opts.onWarning;
  if (sink) {
    if (warned.has(sink)) return;
    warned.add(sink);
    sink(message);
  } else if (!warnedDefault) {
    warnedDefault = true;
    process.emitWarning(`wasmbox: ${message}`, { code: "WASMBOX" });
  }
}

/**
 * The host processes of one executor, per runtime configuration. The executor owns them: its
 * close() ends every one (an idle pool also ends its processes on its own, see HostPool.release).
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
  private current: { resolve: (o: HostOutcome) => void; io: SharedIo; onMessage: (m: FromHost) => void } | undefined;
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
    else if (m.t === "out" && this.current && typeof m.data === "string" && (m.fd === 1 || m.fd === 2)) {
      try {
        this.current.io.write(m.fd, Buffer.from(m.data, "base64"));
      } catch {
        /* over the cap: the SharedIo recorded it and told the executor */
      }
    } else if (m.t === "limit" && this.current && (m.fd === 1 || m.fd === 2)) {
      // The guest side stops at exactly the cap, so the shared buffer never overflows by itself.
      this.current.io.markExceeded(m.fd);
    } else if (m.t === "done") {
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
    this.alive = false;
    const c = this.current;
    this.current = undefined;
    c?.resolve(o);
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
    const io = new SharedIo(opts.output, opts.job.limits.outputBytes, new Uint8Array(0));
    io.onExceeded = (fd) => onMessage({ type: "output-limit", fd });
    // Output arrives here as the guest writes it (one protocol line per write): tell a streamed execution.
    if (opts.live) io.onWrite = () => onMessage({ type: "output" });
    const proc = this.proc;
    const id = this.id;
    return new Promise<HostOutcome>((resolve) => {
      this.current = { resolve, io, onMessage };
      const interactive = opts.stdinWriter !== undefined;
      proc.send({ t: "run", id, job: jobToWire(opts.job), stdin: Buffer.from(opts.stdin).toString("base64"), ...(interactive && { interactive }) });
      // The guest reads input from a buffer its supervisor fills: the caller's input crosses the protocol.
      opts.stdinWriter?.forward({
        write: (bytes) => proc.send({ t: "stdin", id, data: Buffer.from(bytes).toString("base64") }),
        end: () => proc.send({ t: "stdin-end", id }),
      });
    });
  }

  async terminate(): Promise<void> {
    if (!this.alive) return;
    const proc = this.proc;
    if (!proc || !this.current) {
      this.alive = false;
      if (proc) proc.send({ t: "kill", id: this.id });
      this.readyReject(new SandboxFailureError("the host was terminated"));
      this.release();
      return;
    }
    // Output the program wrote before it was stopped is still in the pipe: the supervisor
    // acknowledges the kill after it, so wait for that (briefly) to keep partial output whole.
    proc.send({ t: "kill", id: this.id });
    const current = this.current;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        if (this.current === current) this.finish({ kind: "crashed", reason: "terminated", outOfMemory: false });
        resolve();
      }, 500);
      const original = current.resolve;
      current.resolve = (o) => {
        clearTimeout(t);
        original(o);
        resolve();
      };
    });
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
