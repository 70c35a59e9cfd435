/**
 * The contract between the core and a language adapter (`runtimes/<language>/`).
 * The core never switches on the language: everything language-specific lives behind this.
 */
import type { RuntimeName } from "./request.js";

export type { RuntimeName };

/** Limits that apply to one execution. */
export interface Limits {
  /** Wall clock for compile + run, ms. */
  timeoutMs: number;
  /** Maximum guest memory, bytes (enforced through the wasm memory maximum). */
  memoryBytes: number;
  /** Maximum bytes per output stream. */
  outputBytes: number;
  /**
   * A long-lived execution (a REPL context) whose output the executor drains as it is written:
   * `outputBytes` then caps each cell (the executor enforces it), not the execution's life.
   */
  outputDrained?: boolean;
}

/** A validated request, as an adapter sees it. */
export interface Job {
  runtime: RuntimeName;
  /**
   * Every file of the request, relative POSIX path → content: text, or bytes (a session's
   * files). Holds the entrypoint.
   */
  files: Record<string, string | Uint8Array>;
  /** Relative path of the file to run. */
  entrypoint: string;
  args: string[];
  /** The program's whole environment; nothing of the host's. */
  env: Record<string, string>;
  limits: Limits;
  /** What `Runtime.prepare()` returned on the main thread (e.g. a compiled module), if anything. */
  prepared?: unknown;
  /** What the request asked to have reported beyond the five fields (absent: nothing). */
  report?: JobReport;
}

/** Reports a request asked for, as the sandbox host sees them (plain data: it crosses threads and processes). */
export interface JobReport {
  /** CPU time and peak linear memory of the run. */
  usage?: boolean;
  /** Files of the working directory to send back (`returnFiles`). */
  files?: ReturnFilesSpec;
}

export interface ReturnFilesSpec {
  /** The glob patterns, compiled on the main thread (picomatch), as RegExp source and flags. */
  patterns: { source: string; flags: string }[];
  maxFiles: number;
  /** Content beyond this many bytes of one file is cut (`truncated: true`). */
  maxFileBytes: number;
  /** Content of all files together; later files are listed without content once it is reached. */
  maxTotalBytes: number;
  /** Also report the path of every file (`RunReport.paths`): a session's tree learns what was deleted. */
  list?: boolean;
}

export interface WorkFile {
  path: string;
  read(): Uint8Array;
}

/**
 * What an adapter lets the host read after a run, for `usage` and `returnFiles`: both lazy, read
 * only when the request asked, after `run()` has settled.
 */
export interface RunInspection {
  /** Current size of the guest's linear memory, bytes (wasm memory only grows: its peak). */
  memoryBytes?(): number;
  /** Every regular file under the working directory: relative POSIX path, and its bytes on demand. */
  files?(): Iterable<WorkFile>;
}

/** Standard streams of one execution, inside the sandbox host. */
export interface Io {
  /**
   * The whole of stdin when it is known up front (batch requests); empty for an interactive
   * execution. Adapters read through `read()`, which serves both.
   */
  readonly stdin: Uint8Array;
  /**
   * Reads standard input into `into`; returns the count, 0 at end of input. Blocks (the
   * thread waits on shared memory) until the caller of an interactive execution sends data or
   * ends its input.
   */
  read(into: Uint8Array): number;
  /**
   * Interactive executions only: waits at most `timeoutMs` for input; null when none came
   * (event-loop runtimes wait for input and timers at once). Absent for batch executions.
   */
  readWithin?(into: Uint8Array, timeoutMs: number): number | null;
  /**
   * Append bytes (or a string, encoded as UTF-8) to a stream. Throws `OutputLimitExceeded`
   * once the stream's cap is reached: let it propagate, the host turns it into the documented result.
   */
  write(fd: 1 | 2, data: Uint8Array | string): void;
  /** Adapters call this during `run()` (optional: an Io made by an adapter for itself may lack it). */
  inspect?(inspection: RunInspection): void;
}

/** Given to `load()`, once per sandbox host. */
export interface LoadContext {
  /** The executor's memory cap, bytes: size wasm memories' maximum from it. */
  memoryBytes: number;
  /** Adapter-specific options the user passed in `createExecutor({ runtimeOptions })`. */
  options: Record<string, unknown>;
  /** What `workerHost.shared()` made once for every worker host of this runtime, if anything. */
  shared?: WorkerShared;
}

/**
 * Made once per executor on the main thread and given to every worker host of a runtime:
 * compiled modules (V8 shares their code between threads) and bytes (copied).
 */
export type WorkerShared = Record<string, WebAssembly.Module | Uint8Array>;

/** Hooks of a worker-hosted runtime. */
export interface WorkerHosting<Loaded = unknown> {
  /** Main thread, once per executor: what every worker host of this runtime is given in `LoadContext.shared`. */
  shared?(ctx: { memoryBytes: number; options: Record<string, unknown> }): Promise<WorkerShared>;
  /**
   * Worker host, in the first host of this runtime an executor starts, after `load()` and before
   * any job: more for the `LoadContext.shared` of later hosts (e.g. the memory of a booted
   * interpreter, so they skip the boot). Only keys not set already are taken; bytes are put in
   * shared memory, one copy for every host, so an adapter must only ever read them.
   */
  contribute?(loaded: Loaded): WorkerShared | undefined;
  /**
   * Jobs carry what cannot leave the executor's process (`prepare()` hands over a compiled
   * WebAssembly.Module): host them there, never in the executor's hosts process.
   */
  localOnly?: boolean;
}

/** Given to `prepare()`, on the main thread, once per job. */
export interface PrepareContext {
  /** Aborted when the job's timeout elapses or the executor closes. */
  signal: AbortSignal;
  /** Milliseconds left of the job's timeout. */
  remainingMs(): number;
  options: Record<string, unknown>;
  toolchains: Record<string, string | undefined>;
  cacheDir?: string;
  /** Tells the executor's load listeners that slow work (a compile) started; call the result when it ends. */
  loading?(phase: "compile"): (error?: unknown) => void;
}

/** `prepare()` either hands something to the sandbox host or ends the job (e.g. a compile error). */
export type PrepareResult =
  | { kind: "run"; prepared?: unknown; transfer?: ArrayBuffer[] }
  | { kind: "done"; exitCode: number; stdout: string; stderr: string };

export interface RuntimeInfo {
  name: RuntimeName;
  language: string;
  /** Language version, e.g. "3.4.1"; "unknown" when it cannot be told without loading. */
  version: string;
  /** What runs the program, e.g. "QuickJS (quickjs-emscripten)" for node: not the native engine. */
  engine?: string;
  /** For runtimes that emulate another's API on their engine (node, bun): which, e.g. "Node.js 20.20.2". */
  emulates?: string;
  available: boolean;
  /** Why it is unavailable, and what to install. */
  reason?: string;
  /** For compiled languages: which compiler runs, and why where there is no choice (Rust). */
  compiler?: string;
}

export interface Runtime<Loaded = unknown> {
  name: RuntimeName;
  /** Human name of the language: "Ruby". */
  language: string;
  /** What runs the program, for GET /v1/runtimes: "CRuby on WebAssembly (ruby.wasm)". */
  engine?: string;
  /** The API this runtime emulates on its engine, when that is not the engine's own: "Node.js 20.20.2". */
  emulates?: string;
  /** Where `code` lands: "main.rb". */
  entryFile: string;
  /**
   * Interpreted runtimes: the program a REPL context runs (src/session/context.ts describes its
   * protocol on standard input and output), and the file it is written to. Absent: no contexts.
   */
  repl?: { file: string; driver: string };
  /**
   * Sandbox host kind: "worker" (a worker thread reused for many executions, each on a fresh
   * instance) for guests that cannot reach JavaScript; "process" for guests that can
   * (one-shot, contained child processes). Default "worker".
   */
  host?: "worker" | "process";
  /**
   * Native stack of a worker-thread host, in bytes, for a guest memory cap (default 8 MiB).
   * Every wasm call of the guest is a frame on it: Go's calls are wasm calls, so a Go program
   * recurses only as deep as this stack allows, whatever its own stack in linear memory may hold.
   */
  hostStackBytes?(memoryBytes: number): number;
  /**
   * Sandbox host, after each job: whether the host should end rather than serve another (it
   * holds memory of that job that only ending the thread gives back, e.g. its native stack).
   */
  retire?(loaded: Loaded): boolean;
  /** Main thread: throw RuntimeUnavailableError (with what to install) when this runtime cannot run here. */
  check?(ctx: Pick<PrepareContext, "options" | "toolchains">): Promise<void>;
  /** Main thread: the language version, for GET /v1/runtimes. */
  version?(ctx: Pick<PrepareContext, "options" | "toolchains">): Promise<string>;
  /** Compiled languages: which compiler this executor uses, in a sentence (GET /v1/runtimes). */
  compiler?(ctx: Pick<PrepareContext, "options" | "toolchains">): Promise<string>;
  /** Main thread, before the job reaches a host: compile, cache. */
  prepare?(job: Job, ctx: PrepareContext): Promise<PrepareResult>;
  /** Sandbox host, once: compile the wasm module, boot from a snapshot. */
  load(ctx: LoadContext): Promise<Loaded>;
  /** Sandbox host, per job: a fresh instance; resolves to the exit code. */
  run(loaded: Loaded, job: Job, io: Io): Promise<number>;
  /** What a runtime with `host: "worker"` (the default) has made once for all its worker hosts. */
  workerHost?: WorkerHosting<Loaded>;
  /** What a runtime with `host: "process"` offers the supervisor of its host processes. */
  processHost?: ProcessHosting<Loaded>;
  /** Browser only: what the first Web Worker of this runtime hands its later ones. */
  browserHost?: BrowserHosting<Loaded>;
}

/** Bytes or compiled modules a first worker shares with later workers of its runtime (copied). */
export type SharedData = Record<string, Uint8Array | WebAssembly.Module>;

export interface BrowserHosting<Loaded = unknown> {
  /**
   * Worker, once after loading: data every later worker of this runtime gets in
   * `LoadContext.options` (e.g. a memory snapshot taken by the first, so the others boot from it).
   */
  shared?(loaded: Loaded): SharedData | undefined;
}

/** Hooks of a process-hosted runtime, each optional; the supervisor supplies the fallbacks. */
export interface ProcessHosting<Loaded = unknown> {
  /**
   * Executor, once per host process: host directories the contained process may read besides
   * wasmbox itself (jail path -> host path), and where links to them are made.
   */
  mounts?(options: Record<string, unknown>): { mounts: Record<string, string>; linkDir: string };
  /** Supervisor, once: what every interpreter of this host process gets in `options.shared`. */
  shared?(options: Record<string, unknown>): Promise<Record<string, unknown>>;
  // Every interpreter also finds `entropy` in `options.shared`: fresh random bytes of its own.
  /**
   * Guest, in the first interpreter of a host process, after `load()` and before any guest code
   * runs: more to share with later interpreters (e.g. a code cache). Only keys `shared()` did not
   * set are taken, and only byte arrays, compiled wasm modules and maps of them.
   */
  contribute?(loaded: Loaded): Record<string, unknown> | undefined;
  /**
   * Supervisor, once: the limits of the wasm memory each interpreter is given (in
   * `options.shared.memory`), if it takes one. The supervisor recycles these memories: a
   * memory goes back to its pool only after the thread that used it has exited, and is zeroed
   * first, so the next interpreter finds its pages already mapped and nothing of the last one.
   */
  memory?(shared: Record<string, unknown>, memoryBytes: number): { initial: number; maximum: number } | undefined;
  /**
   * Supervisor, once, after the first interpreter contributed and a first job has finished:
   * replacements for entries of `shared` made from what it contributed (e.g. a module rewritten
   * from a recorded link plan). Interpreters started meanwhile get the entries as they were.
   */
  refine?(shared: Record<string, unknown>): Promise<Record<string, unknown> | undefined>;
}

/** Thrown by `Io.write` once a stream reaches its cap. */
export class OutputLimitExceeded extends Error {
  constructor(readonly fd: 1 | 2) {
    super(`output limit exceeded on ${fd === 1 ? "stdout" : "stderr"}`);
    this.name = "OutputLimitExceeded";
  }
}

const utf8 = new TextDecoder("utf-8");

/** A job's files as text, for compilers and source scans: bytes (a session's files) read as UTF-8. */
export function textFiles(files: Job["files"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) out[name] = typeof content === "string" ? content : utf8.decode(content);
  return out;
}
