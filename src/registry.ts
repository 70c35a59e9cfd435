/**
 * The one list of runtimes. Each entry loads its adapter lazily, so a user who needs
 * only Ruby never loads the PHP engine. Adding a language is adding a folder and a line here.
 */
import type { Runtime } from "./runtime.js";
import type { RuntimeName } from "./request.js";

type Loader = () => Promise<Runtime>;

export const runtimeLoaders: Record<RuntimeName, Loader> = {
  python: async () => (await import("../runtimes/python/index.js")).python,
  node: async () => (await import("../runtimes/javascript/index.js")).node,
  bun: async () => (await import("../runtimes/javascript/index.js")).bun,
  go: async () => (await import("../runtimes/go/index.js")).go,
  rust: async () => (await import("../runtimes/rust/index.js")).rust,
  ruby: async () => (await import("../runtimes/ruby/index.js")).ruby,
  php: async () => (await import("../runtimes/php/index.js")).php,
};

/** File extensions `wasmbox run` maps to each runtime, without loading its adapter. */
export const runtimeExtensions: Record<RuntimeName, readonly string[]> = {
  python: [".py"],
  node: [".js", ".mjs", ".cjs"],
  bun: [".ts", ".mts"],
  go: [".go"],
  rust: [".rs"],
  ruby: [".rb"],
  php: [".php"],
};

const cache = new Map<RuntimeName, Promise<Runtime>>();

export function loadRuntime(name: RuntimeName): Promise<Runtime> {
  let p = cache.get(name);
  if (!p) {
    p = runtimeLoaders[name]();
    cache.set(name, p);
    p.catch(() => cache.delete(name));
  }
  return p;
}
