#!/usr/bin/env node
/**
 * Bundles the guest of contained host processes (src/host-process/guest-main.ts, the adapters
 * of the runtimes hosted in processes, e.g. Python's with pyodide.mjs) into one CommonJS script, dist/src/host-process/guest.cjs, which
 * every interpreter thread runs instead of loading ~20 ES modules (see guest.ts), through
 * scripts/guest-loader.cjs (copied beside it: it compiles the bundle with a code cache).
 * Runs after `tsc` (npm run build), from its output. Every file in the bundle sees
 * `import.meta.url` as the bundle's own URL: the adapter only resolves packages from it.
 */
import { build } from "esbuild";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sandbox = path.join(root, "dist/src/sandbox");
const hostProcess = path.join(root, "dist/src/host-process");

// esbuild keeps `import("node:…")` as is in CommonJS output, and a thread's first dynamic import
// builds Node's ES module loader. In the bundle each is src/sandbox/builtin-import.ts's
// lazyBuiltin (through `__wasmbox_builtin`, which the injected file defines).
const BUILTIN_IMPORT = /\bimport\((["'])(node:[a-z_/]+)\1\)/g;
const inject = path.join(sandbox, "builtin-import-inject.js");
const injectSource = `import { lazyBuiltin } from "./builtin-import.js";\nexport const __wasmbox_builtin = (id) => lazyBuiltin(id, require);\n`;

// pyodide.mjs reads the standard library zip (2.5 MB) into a buffer of the interpreter's own and
// writes it into the interpreter's file system with a copy: the file system keeps the buffer
// instead (one 2.5 MB copy less per interpreter, in fresh pages). Without this text the bundle
// works as before.
const STDLIB_WRITE = "n.FS.writeFile(`/lib/python${i}${s}.zip`,r)";

// The registry, as the guest sees it: adapters of process-hosted runtimes are bundled, any other
// is loaded through the real registry (as ES modules) should a host process ever ask for one.
const { runtimeLoaders } = await import(pathToFileURL(path.join(root, "dist/src/registry.js")).href);
const processHosted = [];
for (const [name, load] of Object.entries(runtimeLoaders)) {
  if ((await load()).host !== "process") continue;
  const m = /import\((["'])([^"']+)\1\)\)\.(\w+)/.exec(String(load));
  if (!m) throw new Error(`build-guest: cannot read the registry entry of ${name}: ${load}`);
  processHosted.push({ name, file: path.join(root, "dist/src", m[2]), exported: m[3] });
}
const guestRegistry = [
  "export async function loadRuntime(name) {",
  "  switch (name) {",
  ...processHosted.map((r) => `    case ${JSON.stringify(r.name)}: return (await import(${JSON.stringify(r.file)})).${r.exported};`),
  '    default: return (await import("../registry.js")).loadRuntime(name);',
  "  }",
  "}",
].join("\n");

const guestSources = {
  name: "guest-sources",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/registry\.js$/ }, (args) =>
      args.importer.endsWith(`${path.sep}host-process${path.sep}guest-main.js`) ? { path: "registry", namespace: "guest-registry" } : { path: args.path, external: true },
    );
    b.onLoad({ filter: /.*/, namespace: "guest-registry" }, () => ({ contents: guestRegistry, loader: "js", resolveDir: hostProcess }));
    // pyodide.mjs imports the `ws` package (129 KB, more than half the bundle, parsed by every
    // thread) only where `importScripts` exists, which is never the case here.
    b.onResolve({ filter: /^ws$/ }, () => ({ path: "ws", namespace: "unavailable" }));
    b.onLoad({ filter: /.*/, namespace: "unavailable" }, (args) => ({
      contents: `throw new Error("wasmbox: the ${args.path} package is not available in this sandbox");`,
      loader: "js",
    }));
    b.onLoad({ filter: /\.m?js$/ }, async (args) => {
      let text = await readFile(args.path, "utf8");
      if (/[\\/]pyodide[\\/]pyodide\.mjs$/.test(args.path)) {
        const found = text.split(STDLIB_WRITE).length - 1;
        if (found === 1) text = text.replace(STDLIB_WRITE, STDLIB_WRITE.slice(0, -1) + ",{canOwn:!0})");
        else console.warn(`build-guest: pyodide.mjs writes its standard library differently (${found} matches); left as is`);
      }
      if (args.path !== inject) text = text.replace(BUILTIN_IMPORT, (_, q, id) => `__wasmbox_builtin(${q}${id}${q})`);
      return { contents: text, loader: "js" };
    });
  },
};

await writeFile(inject, injectSource);
await writeFile(path.join(hostProcess, "guest-loader.cjs"), await readFile(path.join(root, "scripts/guest-loader.cjs")));
await build({
  entryPoints: [path.join(hostProcess, "guest-main.js")],
  outfile: path.join(hostProcess, "guest.cjs"),
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  define: { "import.meta.url": "__wasmbox_bundle_url" },
  banner: { js: 'const __wasmbox_bundle_url = require("node:url").pathToFileURL(__filename).href;' },
  inject: [inject],
  plugins: [guestSources],
  // Loaded only outside interpreter threads (Python's snapshot making), as ES modules.
  external: ["./snapshot.js"],
  logLevel: "warning",
});
