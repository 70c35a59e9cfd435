#!/usr/bin/env node
/**
 * Bundles the browser build (src/browser) into dist/browser: index.js (the page's entry),
 * worker.js (the sandbox worker), go-compiler.js (Go's compiler worker) and their shared chunks. Node built-ins the adapters import
 * are answered by src/browser/shims (assets come from the page, not from the file system).
 * Runs after `tsc` (npm run build).
 */
import { build } from "esbuild";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const shim = (name) => path.join(root, "src/browser/shims", name);

const alias = {
  "node:fs/promises": shim("fs-promises.ts"),
  "fs/promises": shim("fs-promises.ts"),
  "node:module": shim("module.ts"),
  "node:crypto": shim("crypto.ts"),
  "node:path": require.resolve("path-browserify"),
  path: require.resolve("path-browserify"),
  "node:buffer": require.resolve("buffer/"),
  "node:events": require.resolve("events/"),
  events: require.resolve("events/"),
  "node:process": shim("process.ts"),
  process: shim("process.ts"),
  "node:stream": shim("stream.ts"),
  stream: shim("stream.ts"),
  "node:url": shim("url.ts"),
  url: shim("url.ts"),
  // php-wasm's web loader, past the package's `exports` (its asyncify build, as in Node).
  "wasmbox-php-web-loader": path.join(path.dirname(require.resolve("@php-wasm/web-8-3/package.json")), "asyncify/php_8_3.js"),
};
const unavailable = ["fs", "os", "util", "stream/web", "child_process", "worker_threads", "readline", "net", "tls", "http", "https", "zlib", "vm", "perf_hooks", "ws"];
for (const name of unavailable) {
  alias[`node:${name}`] ??= shim("unavailable.ts");
  alias[name] ??= shim("unavailable.ts");
}

/** Maps bare node built-ins and `node:` ids to the shims above. */
const nodeShims = {
  name: "wasmbox-node-shims",
  setup(b) {
    b.onResolve({ filter: /^(node:)?[a-z_/-]+$/ }, (args) => {
      const target = alias[args.path];
      return target ? { path: target } : undefined;
    });
  },
};

/**
 * The one registry (src/registry.ts) names each adapter's Node entry, runtimes/<lang>/index.ts;
 * where a runtime has a browser entry beside it (runtimes/<lang>/browser.ts), the bundle takes
 * that instead, as a package's "browser" condition would.
 */
const browserEntries = {
  name: "wasmbox-browser-entries",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/runtimes\/[a-z]+\/index\.js$/ }, (args) => {
      if (!args.importer.endsWith(path.join("src", "registry.ts"))) return undefined;
      const browser = path.join(root, args.path.slice(3).replace(/index\.js$/, "browser.ts"));
      return existsSync(browser) ? { path: browser } : undefined;
    });
  },
};

const started = Date.now();
// Chunk names carry hashes: start from an empty directory so stale chunks are not shipped.
await rm(path.join(root, "dist/browser"), { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  // go-compiler.js: the Web Worker that runs Go's compiler in WebAssembly (runtimes/go/wasm-compiler-web.ts).
  entryPoints: { index: "src/browser/index.ts", worker: "src/browser/worker.ts", "go-compiler": "runtimes/go/wasm-compiler-web-worker.ts" },
  outdir: "dist/browser",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  mainFields: ["browser", "module", "main"],
  conditions: ["browser", "import"],
  chunkNames: "chunks/[name]-[hash]",
  sourcemap: true,
  minify: process.env.WASMBOX_BROWSER_MINIFY === "1",
  inject: [shim("buffer.ts"), shim("timers.ts")],
  define: { "process.env.NODE_ENV": '"production"' },
  // Engines' own wasm is an asset the page serves (wasmbox assets), never a bundled file.
  loader: { ".wasm": "empty" },
  plugins: [browserEntries, nodeShims],
  logLevel: "warning",
  metafile: true,
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`browser build: dist/browser (${(bytes / 1e6).toFixed(1)} MB incl. source maps) in ${Date.now() - started} ms`);
