/** Options of the browser executor: Node's, less what has no meaning in a page, plus where files are. */
import type { RuntimeName } from "../request.js";
import { resolvePoolOptions, type PoolOptions, type ResolvedPoolOptions } from "../executor/pool-options.js";

export interface BrowserExecutorOptions extends PoolOptions {
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

export interface ResolvedBrowserOptions extends ResolvedPoolOptions {
  assetsBaseUrl: string;
  workerUrl: URL;
}

function pageUrl(): string {
  return (globalThis as { location?: { href: string } }).location?.href ?? "http://localhost/";
}

export function resolveBrowserOptions(o: BrowserExecutorOptions, all: readonly RuntimeName[]): ResolvedBrowserOptions {
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 2;
  let base = new URL(String(o.assetsBaseUrl ?? "/wasmbox/"), pageUrl()).href;
  if (!base.endsWith("/")) base += "/";
  return {
    ...resolvePoolOptions(o, {
      concurrency: Math.max(1, Math.min(4, cores)),
      maxQueue: 100,
      prewarmAll: all.filter((r) => r !== "go" && r !== "rust"),
      onWarning: (m) => console.warn(`wasmbox: ${m}`),
    }),
    assetsBaseUrl: base,
    workerUrl: new URL(String(o.workerUrl ?? new URL("./worker.js", import.meta.url)), pageUrl()),
  };
}
