/**
 * Go: `go build` for GOOS=wasip1 GOARCH=wasm (Go >= 1.21), then the module runs through the
 * shared WASI layer. wasmbox writes the go.mod (only the user's module path is kept), builds
 * with modules only from the standard library (GOPROXY=off), -trimpath so that panics show
 * `main/main.go:5` and not a host directory.
 */
import { mkdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { textFiles, type Job } from "../../src/runtime.js";
import { BuildStopped, type BuildResult } from "../compiled/cache.js";
import { compiledRuntime, type BuildContext } from "../compiled/runtime.js";
import { runCompiler } from "../compiled/jail.js";
import { findGo, type Toolchain } from "../compiled/toolchain.js";
import { relativize, writeFiles, type Workspace } from "../compiled/workspace.js";
import { markMemoryReuse } from "../compiled/memory-reuse.js";
import { planGoBuild } from "./wasm-build.js";
import { buildInWasm, findGoWasm, goWasmDir, warmGoWasm, type GoWasmToolchain } from "./wasm-compiler.js";
// Plain JS shared with scripts/setup-toolchains.sh, which pre-builds the std with it.
import { writeRuntimeOverlay } from "../../scripts/go-runtime-overlay.mjs";

const DEFAULT_MODULE = "main";
/** Files of the user's that would let the build reach outside the request (replace, workspaces). */
const UNTRUSTED = new Set(["go.mod", "go.sum", "go.work", "go.work.sum"]);
const BUILD_FLAGS = ["-trimpath", "-buildvcs=false", "-ldflags=-s -w"];

/** The module path of the user's go.mod, if it has a plausible one; nothing else of it is used. */
function modulePath(files: Record<string, string>): string {
  const gomod = files["go.mod"];
  const m = gomod && /^\s*module\s+"?([A-Za-z0-9._~\/-]+)"?\s*$/m.exec(gomod);
  if (!m || m[1]!.split("/").some((part) => part === "" || part === "." || part === "..")) return DEFAULT_MODULE;
  return m[1]!;
}

/**
 * The compiler's own cache (standard library built for wasip1, ~25 s cold). Under the
 * executor's cacheDir when set, otherwise the user's cache directory, like Go's default.
 */
export async function goBuildCache(cacheDir?: string): Promise<string> {
  const candidates = [
    cacheDir && path.join(cacheDir, "go-build"),
    path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "wasmbox", "go-build"),
    path.join(os.tmpdir(), `wasmbox-go-build-${process.getuid?.() ?? "user"}`),
  ].filter((p): p is string => !!p);
  for (const dir of candidates) {
    try {
      await mkdir(dir, { recursive: true });
      return dir;
    } catch {
      /* not writable: next */
    }
  }
  throw new Error("wasmbox: no writable directory for the Go build cache; set cacheDir in createExecutor()");
}

function buildInputs(job: Job): Record<string, string> {
  const text = textFiles(job.files);
  const sources = Object.entries(text).filter(([name]) => name.endsWith(".go") || name === "go.mod");
  // //go:embed can pull any file of the package into the binary.
  if (sources.some(([, content]) => content.includes("go:embed"))) return text;
  return Object.fromEntries(sources);
}

async function build(job: Job, tc: Toolchain, ws: Workspace, ctx: BuildContext): Promise<BuildResult> {
  const files = Object.fromEntries(Object.entries(job.files).filter(([name]) => !UNTRUSTED.has(name)));
  const mod = modulePath(textFiles(job.files));
  await writeFiles(ws.src, { ...files, "go.mod": `module ${mod}\n\ngo ${tc.semver[0]}.${tc.semver[1]}\n` });
  const gocache = await goBuildCache(ctx.cacheDir);
  const goroot = tc.env.GOROOT;
  const overlay = goroot ? await writeRuntimeOverlay(goroot, path.join(gocache, "wasmbox-overlay")).catch(() => undefined) : undefined;
  const gopath = path.join(ws.root, "gopath");
  const pkgDir = path.posix.dirname(job.entrypoint);
  const output = path.join(ws.out, "main.wasm");
  const env: Record<string, string> = {
    ...tc.env,
    PATH: `${path.dirname(tc.command)}:/usr/bin:/bin`,
    GOCACHE: gocache,
    GOPATH: gopath,
    GOMODCACHE: path.join(gopath, "pkg", "mod"),
    TMPDIR: ws.tmp,
    GOOS: "wasip1",
    GOARCH: "wasm",
    CGO_ENABLED: "0",
    GOTOOLCHAIN: "local",
    GOPROXY: "off",
    GOSUMDB: "off",
    GOFLAGS: "-mod=mod",
    GOWORK: "off",
    GOENV: "off",
    GOTELEMETRY: "off",
  };
  const r = await runCompiler({
    argv: [tc.command, "build", ...BUILD_FLAGS, ...(overlay ? ["-overlay", overlay] : []), "-o", output, pkgDir === "." ? "." : `./${pkgDir}`],
    cwd: ws.src,
    env,
    workspace: ws.root,
    toolchain: tc,
    writable: [gocache],
    signal: ctx.signal,
    timeoutMs: ctx.timeoutMs,
    memoryBytes: ctx.memoryBytes,
  });
  if (r.killed === "timeout" || r.killed === "abort") throw new BuildStopped(`go build stopped (${r.killed})`);
  if (r.exitCode === 0) {
    const wasm = new Uint8Array(await readFile(output));
    // The overlay's sbrk starts the heap at the initial memory size: a kept memory can be reused.
    return { ok: true, wasm: overlay ? markMemoryReuse(wasm) : wasm };
  }
  // e.g. "package x is not in std (/usr/lib/go-1.23/src/x)": the toolchain's place is the host's.
  let diagnostics = relativize(r.output, ws);
  for (const [dir, name] of [[goroot, "$GOROOT"], [gocache, "$GOCACHE"]] as const) if (dir) diagnostics = diagnostics.split(dir).join(name);
  if (r.killed === "memory") diagnostics += "\n[wasmbox] the Go compiler ran out of memory\n";
  return { ok: false, diagnostics };
}

/** The same build with Go's compiler and linker in WebAssembly (wasm-compiler.ts). */
async function buildWasm(job: Job, tc: Toolchain, ctx: { signal: AbortSignal; timeoutMs: number; memoryBytes?: number }): Promise<BuildResult> {
  const wt = tc as GoWasmToolchain;
  const text = textFiles(job.files);
  const files = Object.fromEntries(Object.entries(text).filter(([name]) => !UNTRUSTED.has(name)));
  const planned = planGoBuild(files, path.posix.dirname(job.entrypoint), modulePath(text), wt.wasm.manifest);
  if ("diagnostics" in planned) return { ok: false, diagnostics: planned.diagnostics };
  // The tools see the sources and what //go:embed names; data files only when embedded.
  const embedded = new Set(planned.plan.packages.flatMap((p) => Object.keys(p.embed?.Files ?? {}).map((f) => (p.dir === "." ? f : `${p.dir}/${f}`))));
  const sources = Object.fromEntries(Object.entries(files).filter(([name]) => name.endsWith(".go") || embedded.has(name)));
  const r = await buildInWasm(wt, planned.plan, sources, ctx);
  if (!r.ok) {
    // The tool's memory cap: its fatal error, without the goroutine dump of the compiler's own frames.
    const oom = /fatal error: (runtime: )?out of memory\n/.exec(r.diagnostics);
    const diagnostics = oom
      ? `${r.diagnostics.slice(0, oom.index + oom[0].length)}[wasmbox] the Go compiler ran out of memory (runtimeOptions.go.compilerMemoryBytes)\n`
      : r.diagnostics;
    return { ok: false, diagnostics };
  }
  // The std archives were built with the runtime overlay: the program's memory can be reused.
  return { ok: true, wasm: wt.wasm.manifest.overlay ? markMemoryReuse(r.wasm) : r.wasm };
}

export const go = compiledRuntime({
  name: "go",
  language: "Go",
  engine: "the machine's Go toolchain, compiled to wasip1 and run as WebAssembly",
  entryFile: "main.go",
  argv0: "main",
  flagsKey: `go-build ${BUILD_FLAGS.join(" ")} runtime-overlay-2 v2`,
  toolchainOption: "go",
  findToolchain: findGo,
  buildInputs,
  build,
  // Go keeps its goroutine stacks in linear memory, but each Go call is also a wasm call on the
  // host thread's stack (~30 bytes a frame, about what the same frame takes in linear memory).
  // A stack that grows by doubling can use at most ~1/4 of the memory cap, so half the cap lets
  // Go's own limit ("fatal error: out of memory" / "stack overflow", exit 2) end a runaway
  // recursion first; Go's limit of 1 GB bounds it above.
  hostStackBytes: (memoryBytes) => Math.min(memoryBytes / 2, 2 ** 30),
  wasmCompiler: {
    find: (options) =>
      findGoWasm(
        goWasmDir(typeof options.wasmDir === "string" ? options.wasmDir : undefined),
        options.compilerMemoryBytes === undefined ? undefined : Number(options.compilerMemoryBytes),
      ),
    build: (job, tc, ctx) => buildWasm(job, tc, ctx),
    warm: (tc, options) => warmGoWasm(tc as GoWasmToolchain, options.compilerMemoryBytes === undefined ? undefined : Number(options.compilerMemoryBytes)),
  },
  // The Go toolchain gives source no way to read outside the module (cgo off, //go:embed confined
  // to the module's regular files, go.mod written by wasmbox, no compiler flags from the request).
  unjailed: {
    protected:
      "Go source cannot make the toolchain read files outside the request (cgo is off, //go:embed stays in the module, wasmbox writes go.mod and the flags), the compiler's environment is empty, time, memory and file size are limited, and the compiled program runs in WebAssembly without host access",
  },
});
