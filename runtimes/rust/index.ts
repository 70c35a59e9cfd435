/**
 * Rust: `rustc --target wasm32-wasip1` (or wasm32-wasi on older toolchains), edition 2021,
 * std only, then the module runs through the shared WASI layer. No cargo: a single crate whose
 * root is the entrypoint, so `mod helper;` finds the request's other files. rustc can read files
 * at compile time (include_str!, #[path], the linker's @file), however macros assemble them: it
 * runs in the jail of ../compiled/jail.ts, where only the toolchain and the request's files exist, and
 * without bubblewrap only if the executor accepts the risk. The direct forms are refused first
 * with a clear diagnostic (containment.ts).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { textFiles, type Job } from "../../src/runtime.js";
import { BuildStopped, type BuildResult } from "../compiled/cache.js";
import { compiledRuntime, type BuildContext } from "../compiled/runtime.js";
import { runCompiler } from "../compiled/jail.js";
import { findRustc, type Toolchain } from "../compiled/toolchain.js";
import { relativize, writeFiles, type Workspace } from "../compiled/workspace.js";
import { refuseHostAccess } from "./containment.js";

/** Optimised like `cargo build --release` (no overflow checks), symbols stripped (7 MB → 70 KB). */
const BUILD_FLAGS = ["--edition=2021", "--crate-type=bin", "--crate-name=main", "-Copt-level=2", "-Cdebuginfo=0", "-Cstrip=symbols", "--color=never"];
const PANIC_EXIT = 101;
const ABORT_EXIT = 134;

function sources(job: Job): Record<string, string> {
  return Object.fromEntries(Object.entries(textFiles(job.files)).filter(([name]) => name.endsWith(".rs")));
}

async function build(job: Job, tc: Toolchain, ws: Workspace, ctx: BuildContext): Promise<BuildResult> {
  // Only the sources: nothing else of the request is the compiler's business.
  await writeFiles(ws.src, sources(job));
  const output = path.join(ws.out, "main.wasm");
  const r = await runCompiler({
    argv: [tc.command, ...BUILD_FLAGS, `--target=${tc.target}`, ...tc.flags, "-o", output, job.entrypoint],
    cwd: ws.src,
    // Never RUSTC_BOOTSTRAP or RUSTFLAGS: user code gets the stable compiler, nothing else.
    env: { ...tc.env, PATH: "/usr/bin:/bin", TMPDIR: ws.tmp },
    workspace: ws.root,
    toolchain: tc,
    writable: [],
    signal: ctx.signal,
    timeoutMs: ctx.timeoutMs,
    memoryBytes: ctx.memoryBytes,
  });
  if (r.killed === "timeout" || r.killed === "abort") throw new BuildStopped(`rustc stopped (${r.killed})`);
  // Warnings of a successful build are not the program's output.
  if (r.exitCode === 0) return { ok: true, wasm: new Uint8Array(await readFile(output)) };
  let diagnostics = relativize(r.output, ws);
  if (r.killed === "memory") diagnostics += "\n[wasmbox] rustc ran out of memory\n";
  return { ok: false, diagnostics };
}

export const rust = compiledRuntime({
  name: "rust",
  language: "Rust",
  engine: "the machine's rustc, compiled to wasm32-wasip1 and run as WebAssembly",
  entryFile: "main.rs",
  argv0: "main",
  flagsKey: `rustc ${BUILD_FLAGS.join(" ")} v1`,
  toolchainOption: "rustc",
  findToolchain: findRustc,
  buildInputs: sources,
  refuse: (job) => refuseHostAccess(textFiles(job.files)),
  build,
  unjailed: {
    exposes:
      "a program can make rustc and its linker read any file this user can read and show it in diagnostics or embed it in the module (macros assemble include_str!, #[path] and #[link] past the early token check)",
    protected:
      "the compiler's environment is empty, its directory holds only the request's files, time, memory and file size are limited, and the compiled program runs in WebAssembly without host access",
  },
  hostOnly:
    "rustc is not available as a WebAssembly build here (it is an LLVM-based native program; Debian ships none for wasm32-wasip1), so Rust needs this machine's compiler on Node and a `compile` hook in the browser",
  // wasm32 std panics with panic=abort: the message is printed, then the module traps.
  trapExitCode: (stderrTail) => (/panicked at/.test(stderrTail) ? PANIC_EXIT : ABORT_EXIT),
});
