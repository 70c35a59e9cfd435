import os from "node:os";
import { DEFAULT_CAPS, type RequestCaps, type RuntimeName } from "../request.js";

export interface ExecutorOptions {
  /** Executions running at once. Default: the number of cores. */
  concurrency?: number;
  /** Executions waiting for a slot; one more is refused with QUEUE_FULL. Default 1000. */
  maxQueue?: number;
  /** Runtimes whose sandbox hosts start loading at once, ahead of demand. Default none; `true` for all. */
  prewarm?: RuntimeName[] | boolean;
  /** Ready (idle) sandbox hosts kept per runtime once it has been used or prewarmed. Default 1. */
  warmHosts?: number | Partial<Record<RuntimeName, number>>;
  /** Idle hosts above `warmHosts` are ended after this many ms. Default 30000. */
  idleTimeout?: number;
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
  /** Paths of compilers: `{ go: "/usr/lib/go-1.23/bin/go", rustc: "..." }`. Default: discovered. */
  toolchains?: { go?: string; rustc?: string };
  /** Directory for compiled-module caches that outlive the process. Default: memory only. */
  cacheDir?: string;
  /**
   * "strict" refuses to run a runtime whose guest can reach JavaScript (python) when the
   * strongest containment (bubblewrap) is missing; "best-effort" warns once and runs with the
   * remaining layers. Default "best-effort".
   */
  isolation?: "strict" | "best-effort";
  /** Adapter-specific options, by runtime. */
  runtimeOptions?: Partial<Record<RuntimeName, Record<string, unknown>>>;
  /** Where one-time warnings go. Default: process.emitWarning. */
  onWarning?: (message: string) => void;
}

export interface ResolvedOptions {
  concurrency: number;
  maxQueue: number;
  prewarm: RuntimeName[];
  warmHosts: (r: RuntimeName) => number;
  idleTimeout: number;
  memoryLimit: number;
  outputLimit: number;
  caps: RequestCaps;
  toolchains: { go?: string; rustc?: string };
  cacheDir?: string;
  isolation: "strict" | "best-effort";
  runtimeOptions: (r: RuntimeName) => Record<string, unknown>;
  onWarning: (message: string) => void;
}

function positiveInt(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0)
    throw new TypeError(`wasmbox: createExecutor(): \`${name}\` must be a positive integer; got ${String(value)}`);
  return value;
}

export function resolveOptions(o: ExecutorOptions = {}, allRuntimes: readonly RuntimeName[]): ResolvedOptions {
  const concurrency = positiveInt("concurrency", o.concurrency, Math.max(1, os.availableParallelism?.() ?? os.cpus().length));
  const defaultTimeoutMs = positiveInt("defaultTimeout", o.defaultTimeout, DEFAULT_CAPS.defaultTimeoutMs);
  const maxTimeoutMs = positiveInt("maxTimeout", o.maxTimeout, Math.max(DEFAULT_CAPS.maxTimeoutMs, defaultTimeoutMs));
  if (defaultTimeoutMs > maxTimeoutMs)
    throw new TypeError("wasmbox: createExecutor(): `defaultTimeout` is larger than `maxTimeout`");
  const caps: RequestCaps = { ...DEFAULT_CAPS, ...o.caps, defaultTimeoutMs, maxTimeoutMs };
  for (const [k, v] of Object.entries(caps)) positiveInt(`caps.${k}`, v, 1);
  const warm = o.warmHosts;
  if (warm !== undefined && typeof warm !== "object") positiveInt("warmHosts", warm === 0 ? 1 : warm, 1);
  const memoryLimit = positiveInt("memoryLimit", o.memoryLimit, 512 * 1024 * 1024);
  if (memoryLimit < 16 * 1024 * 1024) throw new TypeError("wasmbox: createExecutor(): `memoryLimit` must be at least 16 MiB");
  if (o.isolation !== undefined && o.isolation !== "strict" && o.isolation !== "best-effort")
    throw new TypeError('wasmbox: createExecutor(): `isolation` must be "strict" or "best-effort"');
  return {
    concurrency,
    maxQueue: o.maxQueue === 0 ? 0 : positiveInt("maxQueue", o.maxQueue, 1000),
    prewarm: o.prewarm === true ? [...allRuntimes] : Array.isArray(o.prewarm) ? [...o.prewarm] : [],
    warmHosts: (r) => (typeof warm === "number" ? warm : typeof warm === "object" ? (warm[r] ?? 1) : 1),
    idleTimeout: positiveInt("idleTimeout", o.idleTimeout, 30_000),
    memoryLimit,
    outputLimit: positiveInt("outputLimit", o.outputLimit, 1024 * 1024),
    caps,
    toolchains: {
      go: o.toolchains?.go ?? process.env.WASMBOX_GO,
      rustc: o.toolchains?.rustc ?? process.env.WASMBOX_RUSTC,
    },
    cacheDir: o.cacheDir,
    isolation: o.isolation ?? "best-effort",
    runtimeOptions: (r) => ({ isolation: o.isolation ?? "best-effort", ...(o.runtimeOptions?.[r] ?? {}) }),
    onWarning: o.onWarning ?? ((m) => process.emitWarning(m, { code: "WASMBOX" })),
  };
}
