/**
 * The executor options Node and the browser share, and their checks. Each platform adds its
 * own (options.ts for Node, src/browser/options.ts) and its defaults. Nothing here imports Node.
 */
import { DEFAULT_CAPS, RUNTIME_NAMES, type RequestCaps, type RuntimeName } from "../request.js";

export interface PoolOptions {
  /** Executions running at once. */
  concurrency?: number;
  /** Executions waiting for a slot; one more is refused with QUEUE_FULL. */
  maxQueue?: number;
  /** Runtimes whose sandbox hosts start loading at once, ahead of demand. Default none; `true` for all. */
  prewarm?: RuntimeName[] | boolean;
  /** Ready (idle) sandbox hosts kept per runtime once it has been used or prewarmed. Default 1. */
  warmHosts?: number | Partial<Record<RuntimeName, number>>;
  /** Idle hosts above `warmHosts` are ended after this many ms. Default 30000. */
  idleTimeout?: number;
  /**
   * Sandbox hosts kept at once over all runtimes (each holds its runtime's memory). A runtime
   * that needs a host while this many exist ends the idle host of another runtime that has
   * waited longest; hosts started ahead of demand wait for room. Hosts that are running
   * programs are never ended for this. Default: `concurrency` plus `warmHosts` of every runtime.
   */
  maxHosts?: number;
  /** Guest memory cap in bytes (the wasm memory maximum). Default 512 MiB. */
  memoryLimit?: number;
  /** Cap per output stream in bytes. Default 1 MiB. */
  outputLimit?: number;
  /** `timeout` of a request that gives none, ms. Default 30000. */
  defaultTimeout?: number;
  /** Largest `timeout` a request may ask for, ms. Default 300000. */
  maxTimeout?: number;
  /** Caps on request sizes (stdin, files). Defaults in DEFAULT_CAPS. */
  caps?: Partial<Omit<RequestCaps, "maxTimeoutMs" | "defaultTimeoutMs">>;
  /** Adapter-specific options, by runtime. */
  runtimeOptions?: Partial<Record<RuntimeName, Record<string, unknown>>>;
  /** REPL contexts open at once (each holds a live interpreter and its memory). Default 8. */
  maxContexts?: number;
  /** Where one-time warnings go. */
  onWarning?: (message: string) => void;
  /** Told when slow one-time work starts and ends (see LoadEvent); also `executor.onLoad()`. */
  onLoad?: (event: LoadEvent) => void;
  /** Stateful sessions (`createSession()`): how many may be open, and each one's defaults. */
  sessions?: { max?: number } & SessionLimits;
}

/** A session's limits; `createSession()` may lower or raise each. */
export interface SessionLimits {
  /** Bytes of all of a session's files together. Default 64 MiB. */
  maxBytes?: number;
  /** Files a session may hold. Default 1000. */
  maxFiles?: number;
  /** A session without a call for this many ms is ended with its files (`SESSION_EXPIRED`); 0: never. Default 600000 (10 min). */
  idleTimeout?: number;
}

/**
 * Slow one-time work the executor does before a program runs, as callers can show it:
 * - "runtime": loading a runtime's adapter and checking it can run here (Python builds its boot
 *   snapshot on first use ever, ~15 s; Go and Rust find their toolchain);
 * - "host": the first sandbox host of a runtime in this executor (compiling the runtime's
 *   WebAssembly module and booting it; later hosts reuse the compiled module);
 * - "compile": a Go or Rust program being compiled (not told for a program found in the cache).
 * Each is told twice: `done: false` when it starts, `done: true` with `ms` (and `error` when it
 * failed) when it ends.
 */
export interface LoadEvent {
  runtime: RuntimeName;
  phase: "runtime" | "host" | "compile";
  done: boolean;
  /** When done: how long it took, ms. */
  ms?: number;
  /** When done and it failed: why. */
  error?: string;
}

export interface ResolvedPoolOptions {
  concurrency: number;
  maxQueue: number;
  prewarm: RuntimeName[];
  warmHosts: (r: RuntimeName) => number;
  idleTimeout: number;
  maxHosts: number;
  memoryLimit: number;
  outputLimit: number;
  caps: RequestCaps;
  runtimeOptions: (r: RuntimeName) => Record<string, unknown>;
  maxContexts: number;
  onWarning: (message: string) => void;
  onLoad?: (event: LoadEvent) => void;
  sessions: { max: number; maxBytes: number; maxFiles: number; idleTimeout: number };
}

/** What differs between platforms in the shared options. */
export interface PoolDefaults {
  concurrency: number;
  maxQueue: number;
  /** What `prewarm: true` means. */
  prewarmAll: RuntimeName[];
  onWarning: (message: string) => void;
  /** Options every adapter gets before its own. */
  runtimeOptionBase?: Record<string, unknown>;
}

export function positiveInt(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0)
    throw new TypeError(`wasmbox: createExecutor(): \`${name}\` must be a positive integer; got ${String(value)}`);
  return value;
}

export function resolvePoolOptions(o: PoolOptions, d: PoolDefaults): ResolvedPoolOptions {
  const defaultTimeoutMs = positiveInt("defaultTimeout", o.defaultTimeout, DEFAULT_CAPS.defaultTimeoutMs);
  const maxTimeoutMs = positiveInt("maxTimeout", o.maxTimeout, Math.max(DEFAULT_CAPS.maxTimeoutMs, defaultTimeoutMs));
  if (defaultTimeoutMs > maxTimeoutMs) throw new TypeError("wasmbox: createExecutor(): `defaultTimeout` is larger than `maxTimeout`");
  const caps: RequestCaps = { ...DEFAULT_CAPS, ...o.caps, defaultTimeoutMs, maxTimeoutMs };
  for (const [k, v] of Object.entries(caps)) positiveInt(`caps.${k}`, v, 1);
  const warm = o.warmHosts;
  if (warm !== undefined && typeof warm !== "object") positiveInt("warmHosts", warm === 0 ? 1 : warm, 1);
  const memoryLimit = positiveInt("memoryLimit", o.memoryLimit, 512 * 1024 * 1024);
  if (memoryLimit < 16 * 1024 * 1024) throw new TypeError("wasmbox: createExecutor(): `memoryLimit` must be at least 16 MiB");
  const concurrency = positiveInt("concurrency", o.concurrency, d.concurrency);
  const warmHosts = (r: RuntimeName) => (typeof warm === "number" ? warm : typeof warm === "object" ? (warm[r] ?? 1) : 1);
  return {
    concurrency,
    maxQueue: o.maxQueue === 0 ? 0 : positiveInt("maxQueue", o.maxQueue, d.maxQueue),
    prewarm: o.prewarm === true ? [...d.prewarmAll] : Array.isArray(o.prewarm) ? [...o.prewarm] : [],
    warmHosts,
    idleTimeout: positiveInt("idleTimeout", o.idleTimeout, 30_000),
    maxHosts: positiveInt("maxHosts", o.maxHosts, concurrency + RUNTIME_NAMES.reduce((n, r) => n + warmHosts(r), 0)),
    memoryLimit,
    outputLimit: positiveInt("outputLimit", o.outputLimit, 1024 * 1024),
    caps,
    runtimeOptions: (r) => ({ ...d.runtimeOptionBase, ...(o.runtimeOptions?.[r] ?? {}) }),
    maxContexts: positiveInt("maxContexts", o.maxContexts, 8),
    onWarning: o.onWarning ?? d.onWarning,
    onLoad: o.onLoad,
    sessions: resolveSessionLimits("sessions", o.sessions, {
      max: positiveInt("sessions.max", o.sessions?.max, 100),
      maxBytes: 64 * 1024 * 1024,
      maxFiles: 1000,
      idleTimeout: 600_000,
    }),
  };
}

/** Limits given as `where` (an option object), over `base`; idleTimeout may be 0 (never). */
export function resolveSessionLimits<T extends Required<SessionLimits>>(where: string, given: SessionLimits | undefined, base: T): T {
  const idle = given?.idleTimeout;
  if (idle !== undefined && idle !== 0) positiveInt(`${where}.idleTimeout`, idle, 1);
  return {
    ...base,
    maxBytes: positiveInt(`${where}.maxBytes`, given?.maxBytes, base.maxBytes),
    maxFiles: positiveInt(`${where}.maxFiles`, given?.maxFiles, base.maxFiles),
    idleTimeout: idle ?? base.idleTimeout,
  };
}
