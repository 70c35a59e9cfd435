/**
 * Go and Rust in the browser. Go compiles in the page with its own compiler in WebAssembly
 * (../go/wasm-compiler-web.ts) unless the page passes a `compile` hook. rustc has no WebAssembly
 * build here, so for Rust (and Go, if it likes) the page supplies one:
 * `runtimeOptions.go.compile` / `runtimeOptions.rust.compile`, called on the page's thread with
 * the job's files, resolving to a wasm32-wasip1 module (bytes or a WebAssembly.Module, e.g.
 * compiled ahead of time or by a server) or to a compile failure `{ exitCode, stderr }`. The
 * module then runs in a sandbox worker through the shared WASI layer, with the memory cap.
 */
import { RuntimeUnavailableError } from "../../src/errors.js";
import { textFiles, type Io, type Job, type PrepareContext, type PrepareResult, type Runtime } from "../../src/runtime.js";
import type { RuntimeName } from "../../src/request.js";
import { limitModuleMemory } from "../../src/wasm/memory-limit.js";
import { runWasiCommand } from "../../src/wasi/index.js";
import { buildGoInPage } from "../go/wasm-compiler-web.js";
import { watchStderr } from "./stderr-tail.js";

/** What a page's `compile` hook gives back. */
export type CompileOutput =
  | Uint8Array
  | ArrayBuffer
  | WebAssembly.Module
  | { exitCode: number; stdout?: string; stderr?: string };

export type CompileHook = (
  files: Record<string, string>,
  entrypoint: string,
  ctx: { signal: AbortSignal; remainingMs(): number },
) => Promise<CompileOutput>;

const TRAP_EXIT = 134;

function compiled(name: "go" | "rust", language: string, entryFile: string, panicExit: number): Runtime<null> {
  const noCompiler = () =>
    new RuntimeUnavailableError(
      name,
      `the browser has no ${language} compiler; pass createExecutor({ runtimeOptions: { ${name}: { compile } } }) with a function that turns the files into a wasm32-wasip1 module (compiled ahead of time, or by a server running \`wasmbox\`)`,
    );
  return {
    name: name as RuntimeName,
    language,
    entryFile,

    // Early, so that executor.runtime(name) tells a page (the playground) it cannot run here.
    async check(ctx) {
      // Go compiles in the page without a hook (its compiler in WebAssembly); Rust needs one.
      if (typeof ctx.options.compile !== "function" && name !== "go") throw noCompiler();
    },

    async prepare(job: Job, ctx: PrepareContext): Promise<PrepareResult> {
      const compile = ctx.options.compile as CompileHook | undefined;
      // Go without a hook: its own compiler, in WebAssembly, in a worker of the page.
      if (typeof compile !== "function" && name === "go") {
        let r;
        try {
          r = await buildGoInPage(textFiles(job.files), job.entrypoint, {
            assetsBaseUrl: String(ctx.options.assetsBaseUrl),
            workerUrl: String(ctx.options.goCompilerUrl),
            signal: ctx.signal,
            timeoutMs: ctx.remainingMs() + 2000,
          });
        } catch (e) {
          if (ctx.signal.aborted) throw e;
          throw new RuntimeUnavailableError(name, (e as Error).message, { cause: e });
        }
        return r.ok ? { kind: "run", prepared: r.wasm } : { kind: "done", exitCode: 1, stdout: "", stderr: r.diagnostics };
      }
      if (typeof compile !== "function") throw noCompiler();
      const out = await compile(textFiles(job.files), job.entrypoint, { signal: ctx.signal, remainingMs: ctx.remainingMs });
      if (out instanceof WebAssembly.Module) return { kind: "run", prepared: out };
      if (out instanceof Uint8Array || out instanceof ArrayBuffer) {
        const bytes = out instanceof Uint8Array ? out.slice() : new Uint8Array(out.slice(0));
        return { kind: "run", prepared: bytes };
      }
      if (out && typeof out === "object" && typeof (out as { exitCode?: unknown }).exitCode === "number") {
        const o = out as { exitCode: number; stdout?: string; stderr?: string };
        return { kind: "done", exitCode: o.exitCode, stdout: o.stdout ?? "", stderr: o.stderr ?? "" };
      }
      throw new TypeError(`wasmbox: runtimeOptions.${name}.compile must resolve to wasm bytes, a WebAssembly.Module or { exitCode, stderr }`);
    },

    async load() {
      return null;
    },

    async run(_loaded, job: Job, io: Io) {
      const p = job.prepared;
      const module =
        p instanceof WebAssembly.Module
          ? p
          : p instanceof Uint8Array
            ? await WebAssembly.compile(limitModuleMemory(p as Uint8Array<ArrayBuffer>, job.limits.memoryBytes))
            : undefined;
      if (!module) throw new Error(`no compiled module was handed to the ${name} sandbox`);
      const watched = watchStderr(io);
      try {
        return await runWasiCommand(module, { args: ["main", ...job.args], env: job.env, files: job.files, io: watched.io });
      } catch (e) {
        if (!(e instanceof WebAssembly.RuntimeError)) throw e;
        // A panic prints its message, then aborts (a trap): exit as the native program would.
        const tail = watched.tail();
        if (/panicked|panic:/.test(tail)) return panicExit;
        io.write(2, `${tail === "" || tail.endsWith("\n") ? "" : "\n"}wasm trap: ${e.message}\n`);
        return TRAP_EXIT;
      }
    },
  };
}

export const go = compiled("go", "Go", "main.go", 2);
export const rust = compiled("rust", "Rust", "main.rs", 101);
