/**
 * REPL contexts: an interpreter kept alive between calls, so that definitions, imports and
 * variables of one cell are there for the next (python, node, bun, ruby, php).
 *
 * A context is one long-lived execution of its runtime's driver (`Runtime.repl`), started on
 * the executor's live I/O with no overall deadline and output drained as it is read
 * (ContextPort in pool-executor.ts). Protocol, all on the driver's standard streams:
 * - in: one frame per cell, `<byte length>\n<JSON {n, cell, writes: {path: base64}, deletes}>`;
 *   the driver applies the file changes to its working directory, then runs the cell with an
 *   empty stdin of its own;
 * - out: the cell's own output, then a marker `\x01wasmbox:<nonce>:` on stderr (ending the line)
 *   and on stdout followed by the result JSON `{value?, error?, writes, deletes}` and a newline.
 *   The driver also sends both markers once when it is ready, before any cell.
 * The nonce is random per interpreter so that ordinary output cannot end a cell by accident; a
 * cell that reads the driver's memory can forge a marker, which confuses only its own context.
 *
 * Limits are per cell: its timeout, its output cap (the executor's outputLimit per stream), and
 * a concurrency slot held only while it runs. A cell that times out, is aborted, goes over its
 * output cap or ends its interpreter (exit(), out of memory) returns `ended: true`: the
 * interpreter is gone and the next run() starts a fresh one (state lost, files resent).
 * Nothing here imports Node: the browser executor runs contexts the same way.
 */
import { ContextClosedError, ContextUnsupportedError, ExecutorClosedError, InvalidRequestError } from "../errors.js";
import { CONTEXT_PORT, type ContextPort } from "../executor/workspace.js";
import { EXIT_OUTPUT_LIMIT, EXIT_TIMEOUT } from "../sandbox/protocol.js";
import type { LiveJob, OutputListeners } from "../executor/live.js";
import { RUNTIME_NAMES, filePathProblem, type ExecuteResult, type RuntimeName } from "../request.js";
import { StdinWriter } from "../sandbox/live-stdin.js";

/** File sync between a context and its session's in-memory tree (the session implements it). */
export interface ContextFileSync {
  /**
   * Changes of the session's tree to apply in the context before its next cell. `fresh`: the
   * context's interpreter is new (its working directory is empty), so return the whole tree.
   */
  pending(fresh: boolean): { writes: Map<string, Uint8Array>; deletes: string[] };
  /** What a cell changed in the context's working directory: the session applies it (it may throw, e.g. over its quota). */
  apply(changes: { writes: Map<string, Uint8Array>; deletes: string[] }): void;
}

export interface ContextOptions {
  files?: ContextFileSync;
  /** Wraps each call's work (a session marks itself busy, so it does not expire while a cell runs). */
  activity?: <T>(work: () => Promise<T>) => Promise<T>;
  /** Told once when the context closes (its session forgets it). */
  onClose?: () => void;
  /** Default timeout of a cell, ms (default: the executor's defaultTimeout). */
  timeout?: number;
}

export interface ContextRunOptions extends OutputListeners {
  /** Aborting ends the cell and its interpreter (exit code 130, `ended: true`). */
  signal?: AbortSignal;
  /** This cell's timeout, ms; at most the executor's maxTimeout. */
  timeout?: number;
}

export interface ContextError {
  /** The exception's class, as the language names it: "ZeroDivisionError", "TypeError", "RuntimeError". */
  type: string;
  message: string;
  /** As the language prints it, frames of the driver left out. */
  traceback: string;
}

export interface ContextRunResult {
  stdout: string;
  stderr: string;
  /** 0 ok, 1 an error was raised (see `error`), 124 timeout, 130 aborted, 137 out of memory, 153 output cap, else the interpreter's exit code. */
  exitCode: number;
  timedOut: boolean;
  /** Milliseconds the cell ran (not the wait for a slot or for a fresh interpreter to boot). */
  executionTime: number;
  error?: ContextError;
  /** Text form of the cell's last expression where the language has one (Python repr, JS util.inspect, Ruby inspect); absent for None/undefined/nil. */
  value?: string;
  /** The interpreter is gone (timeout, abort, output cap, exit(), out of memory): the next run() starts a fresh one. */
  ended?: true;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const EXIT_ABORTED = 130;

interface Cell {
  n: number;
  listeners: OutputListeners;
  out: [string, string];
  /** UTF-8 bytes of the cell's own output per stream, for its cap. */
  bytes: [number, number];
  done: [boolean, boolean];
  result?: string;
  started: number;
  stoppedBy?: "timeout" | "abort" | "output" | "files";
  settle: () => void;
}

/** One interpreter: the driver's execution. */
class Interpreter {
  readonly marker: string;
  readonly stdin = new StdinWriter();
  readonly abort = new AbortController();
  readonly exited: Promise<ExecuteResult | Error>;
  /** Resolves when the driver has sent its first markers. */
  readonly ready: Promise<boolean>;
  alive = true;
  cellsRun = 0;
  cell: Cell | undefined;
  private markersSeen: [number, number] = [0, 0];
  private buffers: [string, string] = ["", ""];
  /** Output written while no cell runs (a timer of an earlier cell): shown with the next cell. */
  private stray: [string, string] = ["", ""];
  private readyResolve!: (ok: boolean) => void;

  constructor(
    private readonly port: ContextPort,
    runtime: RuntimeName,
    repl: { file: string; driver: string },
  ) {
    const nonce = Array.from(globalThis.crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
    this.marker = `\x01wasmbox:${nonce}:`;
    this.ready = new Promise((r) => (this.readyResolve = r));
    const live: LiveJob = { emit: (fd, text) => this.onOutput(fd, text), stdin: this.stdin };
    this.exited = port
      .start({ runtime, files: { [repl.file]: repl.driver }, entrypoint: repl.file, args: [nonce] }, live, this.abort.signal)
      .then(
        (r) => r,
        (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
      )
      .then((r) => {
        this.alive = false;
        this.readyResolve(false);
        this.cell?.settle();
        return r;
      });
  }

  /** Ended by the context (timeout, abort, restart, close), not by itself. */
  killed = false;

  kill(): void {
    this.killed = true;
    this.alive = false;
    this.abort.abort();
  }

  send(frame: unknown): void {
    const body = encoder.encode(JSON.stringify(frame));
    this.stdin.write(encoder.encode(`${body.byteLength}\n`));
    this.stdin.write(body);
  }

  private onOutput(fd: 1 | 2, text: string): void {
    const i = fd - 1;
    this.buffers[i] += text;
    for (;;) {
      const buf = this.buffers[i]!;
      const at = buf.indexOf(this.marker);
      if (at < 0) {
        // Hold back what could be the start of a marker; the rest is the program's output.
        let keep = Math.min(buf.length, this.marker.length - 1);
        while (keep > 0 && !this.marker.startsWith(buf.slice(buf.length - keep))) keep--;
        this.user(fd, buf.slice(0, buf.length - keep));
        this.buffers[i] = buf.slice(buf.length - keep);
        this.checkFrame(fd);
        return;
      }
      const end = buf.indexOf("\n", at);
      if (end < 0) {
        this.user(fd, buf.slice(0, at));
        this.buffers[i] = buf.slice(at);
        this.checkFrame(fd);
        return;
      }
      this.user(fd, buf.slice(0, at));
      const payload = buf.slice(at + this.marker.length, end);
      this.buffers[i] = buf.slice(end + 1);
      this.onMarker(fd, payload);
    }
  }

  /** A result frame (files as base64) is bounded too: the request's file caps, and some room. */
  private checkFrame(fd: 1 | 2): void {
    if (this.buffers[fd - 1]!.length > this.frameLimit() && this.cell) this.stop("files");
  }

  frameLimit(): number {
    return Math.ceil((this.port.caps.maxTotalFileBytes * 4) / 3) + this.port.outputLimit + 4096;
  }

  private onMarker(fd: 1 | 2, payload: string): void {
    const i = fd - 1;
    this.markersSeen[i]!++;
    const cell = this.cell;
    // The first marker of each stream: the driver is ready.
    if (this.markersSeen[i] === 1) {
      if (this.markersSeen[0]! >= 1 && this.markersSeen[1]! >= 1) this.readyResolve(true);
      return;
    }
    if (!cell) return;
    cell.done[i] = true;
    if (fd === 1) cell.result = payload;
    if (cell.done[0] && cell.done[1]) cell.settle();
  }

  private user(fd: 1 | 2, text: string): void {
    if (!text) return;
    const i = fd - 1;
    const cell = this.cell;
    // A stopped cell still gets what was written before the stop (its cap still applies).
    if (!cell || cell.done[i]) {
      if (this.stray[i]!.length < this.port.outputLimit) this.stray[i] += text;
      return;
    }
    this.deliver(cell, fd, text);
  }

  /** Output that came while no cell ran goes to the cell that starts now. */
  adopt(cell: Cell, from: Interpreter = this): void {
    const [out, err] = from.stray;
    from.stray = ["", ""];
    if (out) this.deliver(cell, 1, out);
    if (err) this.deliver(cell, 2, err);
  }

  private deliver(cell: Cell, fd: 1 | 2, text: string): void {
    const i = fd - 1;
    const cap = this.port.outputLimit;
    const size = encoder.encode(text).byteLength;
    let shown = text;
    if (cell.bytes[i]! + size > cap) {
      // The cell's cap, as a one-shot execution's: what fits is kept, then the interpreter is stopped.
      shown = decoder.decode(encoder.encode(text).subarray(0, cap - cell.bytes[i]!)).replace(/\uFFFD$/, "");
      cell.bytes[i] = cap;
      this.stop("output", fd);
    } else cell.bytes[i]! += size;
    if (!shown) return;
    cell.out[i] += shown;
    try {
      (fd === 1 ? cell.listeners.onStdout : cell.listeners.onStderr)?.(shown);
    } catch {
      /* a caller's listener that throws must not break the context */
    }
  }

  note(cell: Cell, text: string): void {
    const err = cell.out[1];
    this.deliver(cell, 2, `${err === "" || err.endsWith("\n") ? "" : "\n"}${text}`);
  }

  exceededOn: 1 | 2 | undefined;

  stop(why: "timeout" | "abort" | "output" | "files", fd?: 1 | 2): void {
    const cell = this.cell;
    if (cell && !cell.stoppedBy) {
      cell.stoppedBy = why;
      if (why === "output") this.exceededOn = fd ?? 1;
    }
    this.kill();
  }
}

let counter = 0;

/**
 * A REPL context. Made by a session (`session.createContext(runtime)`), or directly:
 * `new ReplContext(executor, "python", { files })`. Runs are serialized: a run() waits for the
 * one before it.
 */
export class ReplContext {
  readonly id: string;
  private readonly port: ContextPort;
  private interp: Interpreter | undefined;
  /** An interpreter that ended by itself between cells (a timer's uncaught error, exit()): told to the next cell. */
  private lost: { interp: Interpreter; exitCode: number } | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private isClosed = false;
  private readonly unregister: () => void;
  private readonly files: ContextFileSync | undefined;
  private readonly defaultTimeout: number | undefined;
  private readonly activity: <T>(work: () => Promise<T>) => Promise<T>;
  private readonly onClose: (() => void) | undefined;

  constructor(
    executor: { [CONTEXT_PORT](): ContextPort },
    readonly runtime: RuntimeName,
    options: ContextOptions = {},
  ) {
    if (!(RUNTIME_NAMES as readonly string[]).includes(runtime))
      throw new InvalidRequestError("runtime", `is ${JSON.stringify(runtime)}; use one of ${RUNTIME_NAMES.join(", ")}`);
    this.port = executor[CONTEXT_PORT]();
    this.files = options.files;
    this.activity = options.activity ?? ((work) => work());
    this.onClose = options.onClose;
    if (options.timeout !== undefined) this.checkTimeout(options.timeout);
    this.defaultTimeout = options.timeout;
    this.id = `ctx_${(++counter).toString(36)}_${Array.from(globalThis.crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, "0")).join("")}`;
    this.unregister = this.port.register({ end: () => this.end() });
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Boots the interpreter now rather than at the first run() (throws CONTEXT_UNSUPPORTED for go and rust). */
  start(): Promise<void> {
    return this.serial(async () => {
      await this.interpreter();
    });
  }

  /** Runs one cell. A failing cell is a result (exitCode 1 with `error`); throws only for host failures. */
  run(code: string, opts: ContextRunOptions = {}): Promise<ContextRunResult> {
    if (typeof code !== "string") return Promise.reject(new InvalidRequestError("code", `must be a string; got ${typeof code}`));
    const timeout = opts.timeout ?? this.defaultTimeout ?? this.port.caps.defaultTimeoutMs;
    try {
      this.checkTimeout(timeout);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.serial(() => this.runCell(code, timeout, opts));
  }

  /** Forgets every variable and import: the next run() starts a fresh interpreter. Files stay in the session. */
  restart(): Promise<void> {
    return this.serial(async () => {
      await this.drop();
    });
  }

  /** Ends the interpreter and frees the context's place; later runs throw CONTEXT_CLOSED. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.unregister();
    this.onClose?.();
    const interp = this.interp;
    interp?.kill();
    this.interp = undefined;
    if (interp) await interp.exited;
  }

  /** executor.close(): the interpreter ends with the executor's hosts. */
  private end(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.onClose?.();
    this.interp?.kill();
    this.interp = undefined;
  }

  private checkTimeout(t: number): void {
    if (typeof t !== "number" || !Number.isInteger(t) || t <= 0 || t > this.port.caps.maxTimeoutMs)
      throw new InvalidRequestError("timeout", `must be a whole number of ms from 1 to ${this.port.caps.maxTimeoutMs}; got ${String(t)}`);
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const f = () => this.activity(work);
    const next = this.chain.then(f, f);
    this.chain = next.catch(() => {});
    return next;
  }

  private async drop(): Promise<void> {
    const interp = this.interp;
    this.interp = undefined;
    if (!interp) return;
    interp.kill();
    await interp.exited;
  }

  private async interpreter(): Promise<Interpreter> {
    if (this.isClosed) throw new ContextClosedError();
    if (this.interp?.alive) return this.interp;
    const old = this.interp;
    if (old && !old.killed) {
      const r = await old.exited;
      this.lost = { interp: old, exitCode: r instanceof Error ? 70 : r.exitCode };
    }
    await this.drop();
    const rt = await this.port.runtime(this.runtime);
    if (!rt.repl) throw new ContextUnsupportedError(this.runtime);
    if (this.isClosed) throw new ContextClosedError();
    const interp = new Interpreter(this.port, this.runtime, rt.repl);
    this.interp = interp;
    if (!(await interp.ready)) {
      const r = await interp.exited;
      this.interp = undefined;
      if (this.isClosed) throw new ContextClosedError();
      if (r instanceof Error) throw r;
      throw new ExecutorClosedError();
    }
    return interp;
  }

  private async runCell(code: string, timeout: number, opts: ContextRunOptions): Promise<ContextRunResult> {
    if (this.isClosed) throw new ContextClosedError();
    const signal = opts.signal;
    const aborted = (): ContextRunResult => ({ stdout: "", stderr: "", exitCode: EXIT_ABORTED, executionTime: 0, timedOut: false });
    if (!(await this.port.acquireSlot(signal))) return aborted();
    try {
      if (signal?.aborted) return aborted();
      const interp = await this.interpreter();
      const fresh = interp.cellsRun === 0;
      interp.cellsRun++;
      let settle!: () => void;
      const settled = new Promise<void>((r) => (settle = r));
      const cell: Cell = {
        n: interp.cellsRun,
        listeners: { onStdout: opts.onStdout, onStderr: opts.onStderr },
        out: ["", ""],
        bytes: [0, 0],
        done: [false, false],
        started: performance.now(),
        settle,
      };
      interp.cell = cell;
      const lost = this.lost;
      this.lost = undefined;
      if (lost) {
        // Say why the variables are gone: the old interpreter's last output, and a note.
        interp.adopt(cell, lost.interp);
        interp.note(cell, `[wasmbox] the context's interpreter ended between cells (exit code ${lost.exitCode}); this cell runs on a fresh one\n`);
      }
      interp.adopt(cell);
      const changes = this.files?.pending(fresh) ?? { writes: new Map(), deletes: [] };
      const writes: Record<string, string> = {};
      for (const [path, bytes] of changes.writes) writes[path] = toBase64(bytes);
      interp.send({ n: cell.n, cell: code, writes, deletes: changes.deletes });
      const timer = setTimeout(() => interp.stop("timeout"), timeout);
      const onAbort = () => interp.stop("abort");
      signal?.addEventListener("abort", onAbort, { once: true });
      if (signal?.aborted) onAbort();
      try {
        await settled;
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      }
      interp.cell = undefined;
      const executionTime = Math.round(performance.now() - cell.started);
      const base = { stdout: cell.out[0], stderr: cell.out[1], executionTime, timedOut: false };
      if (cell.done[0] && cell.done[1] && !cell.stoppedBy) return this.finish(base, cell.result ?? "");
      // The interpreter is gone: say why, as a one-shot execution would.
      const exited = await interp.exited;
      if (this.interp === interp) this.interp = undefined;
      if (exited instanceof Error) {
        if (this.isClosed) throw new ContextClosedError();
        throw exited;
      }
      if (cell.stoppedBy === "timeout") return { ...base, exitCode: EXIT_TIMEOUT, timedOut: true, ended: true };
      if (cell.stoppedBy === "abort") return { ...base, exitCode: EXIT_ABORTED, ended: true };
      if (cell.stoppedBy === "output" || cell.stoppedBy === "files") {
        const stream = interp.exceededOn === 2 ? "stderr" : "stdout";
        const what =
          cell.stoppedBy === "files"
            ? `the files this cell changed exceed ${this.port.caps.maxTotalFileBytes} bytes`
            : `${stream} exceeded the ${this.port.outputLimit}-byte limit`;
        const note = `${base.stderr === "" || base.stderr.endsWith("\n") ? "" : "\n"}[wasmbox] ${what}; the context's interpreter was stopped\n`;
        try {
          opts.onStderr?.(note);
        } catch {
          /* the caller's */
        }
        return { ...base, stderr: base.stderr + note, exitCode: EXIT_OUTPUT_LIMIT, ended: true };
      }
      if (this.isClosed) throw new ContextClosedError();
      return { ...base, exitCode: exited.exitCode === 0 ? 0 : exited.exitCode, ended: true };
    } finally {
      this.port.releaseSlot();
    }
  }

  /** The driver's result frame (written by guest code: checked field by field). */
  private finish(base: Omit<ContextRunResult, "exitCode">, json: string): ContextRunResult {
    let r: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(json);
      if (parsed && typeof parsed === "object") r = parsed as Record<string, unknown>;
    } catch {
      /* a cell that forged a marker: no value, no files */
    }
    const result: ContextRunResult = { ...base, exitCode: 0 };
    if (typeof r.value === "string") result.value = r.value;
    const e = r.error as Record<string, unknown> | undefined;
    if (e && typeof e === "object") {
      result.exitCode = 1;
      result.error = { type: String(e.type ?? "Error"), message: String(e.message ?? ""), traceback: String(e.traceback ?? "") };
    }
    if (this.files) {
      const writes = new Map<string, Uint8Array>();
      if (r.writes && typeof r.writes === "object")
        for (const [path, b64] of Object.entries(r.writes as Record<string, unknown>))
          if (typeof b64 === "string" && !filePathProblem(path)) writes.set(path, fromBase64(b64));
      const deletes = Array.isArray(r.deletes) ? r.deletes.filter((p): p is string => typeof p === "string" && !filePathProblem(p)) : [];
      try {
        if (writes.size > 0 || deletes.length > 0) this.files.apply({ writes, deletes });
      } catch (err) {
        // The session refused (e.g. its quota): the cell's result stands; say what was not kept.
        const note = `${result.stderr === "" || result.stderr.endsWith("\n") ? "" : "\n"}[wasmbox] the files this cell changed were not kept: ${(err as Error)?.message ?? String(err)}\n`;
        result.stderr += note;
      }
    }
    return result;
  }
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
