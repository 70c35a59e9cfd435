/** Options of the browser executor: Node's, less what has no meaning in a page, plus where files are. */
import { DEFAULT_CAPS, type RequestCaps, type RuntimeName } from "../request.js";

export interface BrowserExecutorOptions {
  /**
   * Where `npx wasmbox assets <dir>` put the runtimes' files, served by your site (same origin,
   * or CORS-enabled). Default: "/wasmbox/" on the page's origin. Nothing is ever fetched from a CDN.
   */
  assetsBaseUrl?: string | URL;
  /** The sandbox worker script. Default: worker.js beside this module (dist/browser/worker.js). */
  workerUrl?: string | URL;
  /** Executions running at once. Default: navigator.hardwareConcurrency, at most 4. */
  concurrency?: number;
  /** Executions waiting for a slot; one more is refused with QUEUE_FULL. Default 100. */
  maxQueue?: number;
  /** Runtimes whose workers start loading at once. Default none; `true` for all but go and rust. */
  prewarm?: RuntimeName[] | boolean;
  /** Ready (idle) workers kept per runtime once it has been used or prewarmed. Default 1. */
  warmHosts?: number | Partial<Record<RuntimeName, number>>;
  /** Idle workers above `warmHosts` are ended after this many ms. Default 30000. */
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
  /**
   * Adapter-specific options, by runtime. Go and Rust take `compile(files, entrypoint)`, resolving
   * to a wasm32-wasip1 module (bytes or WebAssembly.Module) or to `{ exitCode, stderr }` for a
   * compile error: the browser has no Go or Rust toolchain, so the page supplies one (for example
   * a server running `wasmbox`, or modules compiled ahead of time).
   */
  runtimeOptions?: Partial<Record<RuntimeName, Record<string, unknown>>>;
  /** Where one-time warnings go. Default: console.warn. */
  onWarning?: (message: string) => void;
}

export interface ResolvedBrowserOptions {
  assetsBaseUrl: string;
  workerUrl: URL;
  concurrency: number;
  maxQueue: number;
  prewarm: RuntimeName[];
  warmHosts: (r: RuntimeName) => number;
  idleTimeout: number;
  memoryLimit: number;
  outputLimit: number;
  caps: RequestCaps;
  runtimeOptions: (r: RuntimeName) => Record<string, unknown>;
  onWarning: (message: string) => void;
}

function positiveInt(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0)
    throw new TypeError(`wasmbox: createExecutor(): \`${name}\` must be a positive integer; got ${String(value)}`);
  return value;
}

function pageUrl(): string {
  return (globalThis as { location?: { href: string } }).location?.href ?? "http://localhost/";
}

export function resolveBrowserOptions(o: BrowserExecutorOptions, all: readonly RuntimeName[]): ResolvedBrowserOptions {
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 2;
  const defaultTimeoutMs = positiveInt("defaultTimeout", o.defaultTimeout, DEFAULT_CAPS.defaultTimeoutMs);
  const maxTimeoutMs = positiveInt("maxTimeout", o.maxTimeout, Math.max(DEFAULT_CAPS.maxTimeoutMs, defaultTimeoutMs));
  if (defaultTimeoutMs > maxTimeoutMs) throw new TypeError("wasmbox: createExecutor(): `defaultTimeout` is larger than `maxTimeout`");
  const caps: RequestCaps = { ...DEFAULT_CAPS, ...o.caps, defaultTimeoutMs, maxTimeoutMs };
  for (const [k, v] of Object.entries(caps)) positiveInt(`caps.${k}`, v, 1);
  const memoryLimit = positiveInt("memoryLimit", o.memoryLimit, 512 * 1024 * 1024);
  if (memoryLimit < 16 * 1024 * 1024) throw new TypeError("wasmbox: createExecutor(): `memoryLimit` must be at least 16 MiB");
  const warm = o.warmHosts;
  let base = new URL(String(o.assetsBaseUrl ?? "/wasmbox/"), pageUrl()).href;
  if (!base.endsWith("/")) base += "/";
  return {
    assetsBaseUrl: base,
    workerUrl: new URL(String(o.workerUrl ?? new URL("./worker.js", import.meta.url)), pageUrl()),
    concurrency: positiveInt("concurrency", o.concurrency, Math.max(1, Math.min(4, cores))),
    maxQueue: o.maxQueue === 0 ? 0 : positiveInt("maxQueue", o.maxQueue, 100),
    prewarm: o.prewarm === true ? all.filter((r) => r !== "go" && r !== "rust") : Array.isArray(o.prewarm) ? [...o.prewarm] : [],
    warmHosts: (r) => (typeof warm === "number" ? warm : typeof warm === "object" ? (warm[r] ?? 1) : 1),
    idleTimeout: positiveInt("idleTimeout", o.idleTimeout, 30_000),
    memoryLimit,
    outputLimit: positiveInt("outputLimit", o.outputLimit, 1024 * 1024),
    caps,
    runtimeOptions: (r) => ({ ...(o.runtimeOptions?.[r] ?? {}) }),
    onWarning: o.onWarning ?? ((m) => console.warn(`wasmbox: ${m}`)),
  };
}
