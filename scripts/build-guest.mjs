#!/usr/bin/env node
/**
 * Bundles the guest of Python host processes (src/sandbox/process-guest-main.ts, the Python
 * adapter and pyodide.mjs) into one CommonJS script, dist/src/sandbox/process-guest.cjs, which
 * every interpreter thread starts from instead of loading ~20 ES modules (see process-guest.ts).
 * Runs after `tsc` (npm run build), from its output. Every file in the bundle sees
 * `import.meta.url` as the bundle's own URL: the adapter only resolves packages from it.
 */
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sandbox = path.join(root, "dist/src/sandbox");

await build({
  entryPoints: [path.join(sandbox, "process-guest-main.js")],
  outfile: path.join(sandbox, "process-guest.cjs"),
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  define: { "import.meta.url": "__wasmbox_bundle_url" },
  banner: { js: 'const __wasmbox_bundle_url = require("node:url").pathToFileURL(__filename).href;' },
  // Loaded at run time as ES modules when needed (the registry for other runtimes), or only
  // outside interpreter threads (the adapter's check and snapshot making).
  external: ["../runtimes.js", "../../src/executor/process-host.js", "./snapshot.js"],
  logLevel: "warning",
});
