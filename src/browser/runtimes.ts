/**
 * The runtimes of the browser build: the same adapters as in Node where they are browser-safe
 * (their node-only imports are answered by ./shims at bundle time), browser adapters where the
 * engine needs another build (PHP's web build, Pyodide in a one-shot worker) or a toolchain
 * (Go, Rust).
 */
import type { RuntimeName } from "../request.js";
import type { Runtime } from "../runtime.js";

type Loader = () => Promise<Runtime>;

export const browserRuntimeLoaders: Record<RuntimeName, Loader> = {
  python: async () => (await import("./python.js")).python,
  node: async () => (await import("../../runtimes/javascript/index.js")).node,
  bun: async () => (await import("../../runtimes/javascript/index.js")).bun,
  go: async () => (await import("./precompiled.js")).go,
  rust: async () => (await import("./precompiled.js")).rust,
  ruby: async () => (await import("../../runtimes/ruby/index.js")).ruby,
  php: async () => (await import("./php.js")).php,
};

const cache = new Map<RuntimeName, Promise<Runtime>>();

export function loadBrowserRuntime(name: RuntimeName): Promise<Runtime> {
  let p = cache.get(name);
  if (!p) {
    p = browserRuntimeLoaders[name]();
    cache.set(name, p);
    p.catch(() => cache.delete(name));
  }
  return p;
}
