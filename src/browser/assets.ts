/**
 * The files each runtime needs in the browser, as paths inside node_modules. `wasmbox assets
 * <dir>` copies them to `<dir>/<path>`; the browser executor fetches `<assetsBaseUrl><path>`.
 * Paths are npm package paths so that the Node adapters' own `require.resolve(...)` +
 * `readFile(...)` find them unchanged through the browser shims (./shims).
 */
import type { RuntimeName } from "../request.js";

const QUICKJS = "@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm";

export const RUNTIME_ASSETS: Record<RuntimeName, readonly string[]> = {
  python: ["pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip", "pyodide/pyodide-lock.json"],
  node: [QUICKJS],
  bun: [QUICKJS],
  ruby: ["@ruby/3.4-wasm-wasi/dist/ruby+stdlib.wasm"],
  php: ["@php-wasm/web-8-3/asyncify/8_3_33/php_8_3.wasm"],
  // Compiled in the page's own way (runtimeOptions.<go|rust>.compile): nothing to fetch.
  go: [],
  rust: [],
};

/** Every asset path, once. */
export function allAssets(): string[] {
  return [...new Set(Object.values(RUNTIME_ASSETS).flat())];
}
