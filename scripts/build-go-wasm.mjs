#!/usr/bin/env node
/**
 * Builds Go's compiler and linker as WASI modules (GOOS=wasip1 GOARCH=wasm go build cmd/compile
 * cmd/link) from the installed Go toolchain, and the standard library's wasip1 archives a
 * compile and link need, into an asset directory outside the repository:
 *
 *   <dir>/compile.wasm, <dir>/link.wasm
 *   <dir>/pkg/<import path>.a       one archive per std package (export data + object code)
 *   <dir>/manifest.json             Go version, stamp, and per package its file, size and deps
 *
 * runtimes/go/wasm-compiler.ts runs them with files in memory (runtimeOptions.go.compiler "wasm").
 * Idempotent: a directory whose manifest has the same stamp (Go version, GOROOT, runtime overlay,
 * format) is left as it is, in well under a second. A new build goes to <dir>.partial and replaces
 * <dir> only when complete.
 *
 *   node scripts/build-go-wasm.mjs [--out DIR] [--go PATH] [--gocache DIR] [--force]
 *
 * Defaults: DIR = $WASMBOX_GO_WASM_DIR or ${XDG_CACHE_HOME:-~/.cache}/wasmbox/go-wasm; the Go found
 * as runtimes/compiled/toolchain.ts finds it (WASMBOX_GO, PATH, /usr/lib/go-1.*); GOCACHE = the
 * cache the Go adapter builds the std in (so the pre-built std is shared). Prints DIR.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { writeRuntimeOverlay } from "./go-runtime-overlay.mjs";

/** Bump when what this script writes changes: an older directory is then rebuilt. */
export const GO_WASM_FORMAT = 1;

export function defaultGoWasmDir() {
  if (process.env.WASMBOX_GO_WASM_DIR) return process.env.WASMBOX_GO_WASM_DIR;
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "wasmbox", "go-wasm");
}

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 256 << 20, ...opts }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(" ")} failed: ${(stderr || err.message).trim().slice(0, 4000)}`));
      else resolve(stdout);
    });
  });
}

function findGo(explicit) {
  const candidates = [
    explicit,
    process.env.WASMBOX_GO,
    ...(process.env.PATH ?? "").split(":").filter(Boolean).map((d) => path.join(d, "go")),
    ...(existsSync("/usr/lib") ? readdirSync("/usr/lib").filter((n) => /^go-1\.\d+$/.test(n)).sort().reverse().map((n) => `/usr/lib/${n}/bin/go`) : []),
    "/usr/local/go/bin/go",
  ].filter(Boolean);
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error("no Go toolchain found: install Go >= 1.21 (bash scripts/setup-toolchains.sh) or pass --go PATH");
  return found;
}

function parseArgs(argv) {
  const o = { force: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--out") o.out = value();
    else if (a === "--go") o.go = value();
    else if (a === "--gocache") o.gocache = value();
    else if (a === "--force") o.force = true;
    else if (a === "--quiet") o.quiet = true;
    else throw new Error(`unknown option ${a}; usage: build-go-wasm.mjs [--out DIR] [--go PATH] [--gocache DIR] [--force]`);
  }
  return o;
}

/**
 * Builds the assets unless `out` already holds them for this toolchain. Returns
 * { dir, built: boolean, seconds }.
 */
export async function buildGoWasm({ out = defaultGoWasmDir(), go, gocache, force = false, log = () => {} } = {}) {
  const started = Date.now();
  const goBin = findGo(go);
  const baseEnv = { PATH: `${path.dirname(goBin)}:/usr/bin:/bin`, HOME: os.homedir(), GOTOOLCHAIN: "local", GOFLAGS: "", GOENV: "off", GOTELEMETRY: "off" };
  const [goVersion, goroot] = (await run(goBin, ["env", "GOVERSION", "GOROOT"], { env: baseEnv })).trim().split("\n");
  const cache =
    gocache ?? process.env.WASMBOX_GO_BUILD_CACHE ?? path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "wasmbox", "go-build");
  await mkdir(cache, { recursive: true });
  // The same runtime overlay the Go adapter builds programs with: the std archives carry it.
  const overlay = await writeRuntimeOverlay(goroot, path.join(cache, "wasmbox-overlay")).catch(() => undefined);
  const overlayId = overlay ? path.basename(path.dirname(overlay)) : "none";
  const stamp = createHash("sha256").update(JSON.stringify([GO_WASM_FORMAT, goVersion, goroot, overlayId])).digest("hex").slice(0, 16);

  const manifestPath = path.join(out, "manifest.json");
  if (!force) {
    const old = await readFile(manifestPath, "utf8").then(JSON.parse, () => undefined);
    if (old?.stamp === stamp && existsSync(path.join(out, "compile.wasm")) && existsSync(path.join(out, "link.wasm"))) {
      return { dir: out, built: false, seconds: (Date.now() - started) / 1000 };
    }
  }

  const staging = `${out}.partial`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(path.join(staging, "pkg"), { recursive: true });
  const env = { ...baseEnv, GOROOT: goroot, GOCACHE: cache, GOOS: "wasip1", GOARCH: "wasm", CGO_ENABLED: "0", GOPROXY: "off", GOWORK: "off", TMPDIR: os.tmpdir() };

  log(`building cmd/compile and cmd/link for wasip1 with ${goVersion} (a few minutes the first time)`);
  await run(goBin, ["build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", staging + path.sep, "cmd/compile", "cmd/link"], { env, cwd: goroot });
  // go build names them after their directories.
  for (const tool of ["compile", "link"]) await rename(path.join(staging, tool), path.join(staging, `${tool}.wasm`));

  log("building the standard library for wasip1");
  // The same flags the adapter's `go build` uses, so these are the archives a host build links.
  const listed = await run(
    goBin,
    ["list", "-trimpath", "-buildvcs=false", ...(overlay ? ["-overlay", overlay] : []), "-export", "-deps", "-json=ImportPath,Export,Deps,Imports,ImportMap", "std"],
    { env, cwd: goroot },
  );
  const packages = {};
  for (const chunk of listed.split(/\n(?=\{)/)) {
    if (!chunk.trim()) continue;
    const p = JSON.parse(chunk);
    if (!p.Export) continue; // unsafe: no archive
    const file = `pkg/${p.ImportPath}.a`;
    await mkdir(path.dirname(path.join(staging, file)), { recursive: true });
    await copyFile(p.Export, path.join(staging, file));
    packages[p.ImportPath] = { file, size: (await stat(p.Export)).size, deps: (p.Deps ?? []).filter((d) => d !== "unsafe"), imports: p.Imports ?? [], importMap: p.ImportMap ?? {} };
  }
  const size = async (f) => (await stat(path.join(staging, f))).size;
  const manifest = {
    format: GO_WASM_FORMAT,
    stamp,
    goVersion,
    overlay: !!overlay,
    compile: { file: "compile.wasm", size: await size("compile.wasm") },
    link: { file: "link.wasm", size: await size("link.wasm") },
    packages,
  };
  await writeFile(path.join(staging, "manifest.json"), JSON.stringify(manifest));
  await rm(out, { recursive: true, force: true });
  await mkdir(path.dirname(out), { recursive: true });
  await rename(staging, out);
  return { dir: out, built: true, seconds: (Date.now() - started) / 1000 };
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  try {
    const o = parseArgs(process.argv.slice(2));
    const log = o.quiet ? () => {} : (m) => process.stderr.write(`build-go-wasm: ${m}\n`);
    const r = await buildGoWasm({ ...o, log });
    log(r.built ? `built in ${r.seconds.toFixed(0)} s` : "up to date");
    process.stdout.write(`${r.dir}\n`);
  } catch (e) {
    process.stderr.write(`build-go-wasm: error: ${e.message}\n`);
    process.exit(1);
  }
}
