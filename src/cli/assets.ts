/**
 * `wasmbox assets <dir>`: copies what the browser build fetches (each runtime's wasm, Pyodide's
 * standard library) and the browser bundle itself into <dir>, to be served by the user's site;
 * the page then points `assetsBaseUrl` at it. Nothing is ever fetched from a CDN.
 */
import { existsSync } from "node:fs";
import { copyFile, mkdir, readdir, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { RUNTIME_ASSETS } from "../browser/assets.js";
import { RUNTIME_NAMES, type RuntimeName } from "../request.js";
import { UsageError } from "./usage.js";

export const ASSETS_HELP = `Usage: wasmbox assets [options] <dir>

Copies the files the browser build needs into <dir>: each runtime's WebAssembly module and
data under <dir>/<package path>, Go's compiler in WebAssembly under <dir>/go-wasm (when
scripts/build-go-wasm.mjs has built it), and the browser bundle (index.js, worker.js, chunks)
under <dir>/browser. Serve <dir> from your site and pass its URL as assetsBaseUrl:

  import { createExecutor } from "<dir URL>/browser/index.js";   // or "wasmbox/browser" via a bundler
  const box = createExecutor({ assetsBaseUrl: "/wasmbox/" });

The page must be served with Cross-Origin-Opener-Policy: same-origin and
Cross-Origin-Embedder-Policy: require-corp.

Options:
  -r, --runtime <name>   only this runtime's files (repeatable): ${RUNTIME_NAMES.join(", ")}
      --no-bundle        do not copy the browser bundle
  -q, --quiet            print nothing
  -h, --help             show this help
`;

const require = createRequire(import.meta.url);

/**
 * The file of a package path such as "@ruby/3.4-wasm-wasi/dist/ruby+stdlib.wasm", looked up in
 * the node_modules directories Node would search (package `exports` often hide data files).
 */
export function resolveAssetPath(asset: string): string {
  for (const dir of require.resolve.paths(asset) ?? []) {
    const file = path.join(dir, ...asset.split("/"));
    if (existsSync(file)) return file;
  }
  throw new Error(`${asset} not found`);
}

async function copyTree(from: string, to: string): Promise<number> {
  let bytes = 0;
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) bytes += await copyTree(src, dst);
    else if (entry.isFile()) {
      await copyFile(src, dst);
      bytes += (await stat(src)).size;
    }
  }
  return bytes;
}

export interface CopyAssetsOptions {
  runtimes?: RuntimeName[];
  bundle?: boolean;
}

/** Copies the assets; returns what was written, for the summary. */
export async function copyAssets(dir: string, opts: CopyAssetsOptions = {}): Promise<{ files: string[]; bytes: number }> {
  const runtimes = opts.runtimes?.length ? opts.runtimes : [...RUNTIME_NAMES];
  const wanted = [...new Set(runtimes.flatMap((r) => RUNTIME_ASSETS[r]))];
  const files: string[] = [];
  let bytes = 0;
  for (const asset of wanted) {
    let src: string;
    try {
      src = resolveAssetPath(asset);
      await stat(src);
    } catch {
      const pkg = asset.startsWith("@") ? asset.split("/").slice(0, 2).join("/") : asset.split("/")[0];
      // Browser-only packages are optional peer dependencies of wasmbox: name the version it was built with.
      const peers = (require("wasmbox/package.json") as { peerDependencies?: Record<string, string> }).peerDependencies ?? {};
      const spec = peers[pkg!] ? `${pkg}@${peers[pkg!]}` : pkg;
      throw new Error(`${asset} is missing; the browser build needs it: install the package it comes from (npm install ${spec})`);
    }
    const dst = path.join(dir, ...asset.split("/"));
    await mkdir(path.dirname(dst), { recursive: true });
    await copyFile(src, dst);
    bytes += (await stat(src)).size;
    files.push(asset);
  }
  // Go's compiler in WebAssembly, where scripts/build-go-wasm.mjs built it: the browser compiles Go with it.
  if (runtimes.includes("go")) {
    const { goWasmDir } = await import("../cache-dir.js");
    const goWasm = goWasmDir();
    if (existsSync(path.join(goWasm, "manifest.json"))) {
      bytes += await copyTree(goWasm, path.join(dir, "go-wasm"));
      files.push("go-wasm/");
    } else if (opts.runtimes?.includes("go"))
      throw new Error(`Go's compiler in WebAssembly is not built in ${goWasm}; run \`node scripts/build-go-wasm.mjs\` (or set WASMBOX_GO_WASM_DIR)`);
  }
  if (opts.bundle !== false) {
    const bundle = fileURLToPath(new URL("../../browser/", import.meta.url));
    try {
      await stat(path.join(bundle, "worker.js"));
    } catch {
      throw new Error(`the browser bundle is not built (${bundle}); run \`npm run build\` in the wasmbox package`);
    }
    bytes += await copyTree(bundle, path.join(dir, "browser"));
    files.push("browser/");
  }
  return { files, bytes };
}

export async function assets(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      runtime: { type: "string", short: "r", multiple: true },
      "no-bundle": { type: "boolean" },
      quiet: { type: "boolean", short: "q" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(ASSETS_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length ? "give one directory" : "the target directory is required", "assets");
  const runtimes = (values.runtime ?? []).map((r) => {
    if (!(RUNTIME_NAMES as readonly string[]).includes(r)) throw new UsageError(`unknown runtime "${r}"; one of ${RUNTIME_NAMES.join(", ")}`, "assets");
    return r as RuntimeName;
  });
  const dir = path.resolve(positionals[0]!);
  const { files, bytes } = await copyAssets(dir, { runtimes, bundle: !values["no-bundle"] });
  if (!values.quiet) process.stdout.write(`wasmbox assets: ${files.length} entries, ${(bytes / 1e6).toFixed(1)} MB → ${dir}\n`);
  return 0;
}
