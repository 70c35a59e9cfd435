/**
 * What Go and Rust share: a toolchain found on the machine compiles the job's sources to a
 * WASI command module on the main thread (`prepare`), cached; the sandbox host runs that
 * module on a fresh instance through the shared WASI layer. The language folders supply only
 * how to find the compiler, what to refuse, and how to invoke it.
 */
import { createHash } from "node:crypto";
import { RuntimeUnavailableError } from "../../src/errors.js";
import type { Io, Job, PrepareContext, PrepareResult, Runtime } from "../../src/runtime.js";
import { createWasi, MemoryLimitError, unprovidedImports, WASIProcExit, wasiFiles, type WasiContext } from "../../src/wasi/index.js";
import { BuildCache, BuildStopped, type BuildResult } from "./cache.js";
import { MEMORY_IMPORT, MemoryReuse, type MemoryShape } from "./memory-reuse.js";
import { sandboxTools, toolchainBinds } from "./jail.js";
import type { Toolchain } from "./toolchain.js";
import { watchStderr } from "./stderr-tail.js";
import { withWorkspace, type Workspace } from "./workspace.js";

export interface BuildContext {
  signal: AbortSignal;
  timeoutMs: number;
  /** Address-space limit of the compiler process. */
  memoryBytes: number;
  cacheDir?: string;
}

export interface CompiledLanguage {
  name: "go" | "rust";
  language: string;
  /** What runs the program, for GET /v1/runtimes. */
  engine?: string;
  entryFile: string;
  /** argv[0] the program sees. */
  argv0: string;
  /** Compiler flags that change the output; part of the cache key (bump when build() changes). */
  flagsKey: string;
  /** Throws an Error whose message says what to install. */
  findToolchain(explicit: string | undefined): Promise<Toolchain>;
  toolchainOption: "go" | "rustc";
  /** Files that can influence the compiled module (others are only data for the run). */
  buildInputs(job: Job): Record<string, string>;
  /** A reason to refuse the sources before any compiler sees them (a diagnostic), or undefined. */
  refuse?(job: Job): string | undefined;
  build(job: Job, toolchain: Toolchain, ws: Workspace, ctx: BuildContext): Promise<BuildResult>;
  /** Native stack the sandbox host needs for a memory cap (Runtime.hostStackBytes); default the host's. */
  hostStackBytes?(memoryBytes: number): number;
  /** Exit code for a wasm trap (e.g. Rust's panic=abort), given the tail of stderr so far. */
  trapExitCode?(stderrTail: string): number;
  /**
   * Where bubblewrap is missing, what the compiler can then expose: set, compiles are refused
   * unless the executor accepts the risk (`toolchains.unjailedCompile`); unset, they run with a warning.
   */
  unjailed: { exposes?: string; protected: string };
  /** Why this language has only the host's compiler (GET /v1/runtimes), if it has no WebAssembly one. */
  hostOnly?: string;
  /**
   * A compiler that itself runs in WebAssembly (Go): no host process, so no jail. Chosen by
   * `runtimeOptions.<name>.compiler` (or WASMBOX_<NAME>_COMPILER): "wasm" always, "host" never,
   * "auto" (the default) when no host toolchain is found (and none is named in `toolchains`) and this one is available.
   */
  wasmCompiler?: {
    /** Its assets as a toolchain (identity for the cache key); throws an Error saying how to build them. */
    find(options: Record<string, unknown>): Promise<Toolchain>;
    build(job: Job, toolchain: Toolchain, ctx: Omit<BuildContext, "memoryBytes"> & { memoryBytes?: number }): Promise<BuildResult>;
    /** Starts loading what a build needs (in the background). */
    warm?(toolchain: Toolchain, options: Record<string, unknown>): void;
  };
}

const COMPILER_CHOICES = ["auto", "host", "wasm"] as const;

const COMPILER_MEMORY_BYTES = 4 * 2 ** 30;
/** The executor's own deadline stops a compile; this is the fallback if it does not. */
const COMPILE_GRACE_MS = 2000;
const TRAP_EXIT = 134; // as a native abort (SIGABRT)
/**
 * For a language with a large host stack: a job whose memory ended above this ends its host.
 * Memory this large is not kept for the next job anyway (memory-reuse.ts), and a deep recursion
 * grows both the linear memory and the native stack, whose touched pages stay with the thread.
 */
const RETIRE_ABOVE_BYTES = 64 * 2 ** 20;

export function compiledRuntime(lang: CompiledLanguage): Runtime<HostState> & { cache: BuildCache } {
  const toolchains = new Map<string, Promise<Toolchain>>();
  const cache = new BuildCache();

  const toolchain = (ctx: Pick<PrepareContext, "toolchains">): Promise<Toolchain> => {
    const explicit = ctx.toolchains[lang.toolchainOption] || undefined;
    const key = explicit ?? "";
    let p = toolchains.get(key);
    if (!p) {
      p = lang
        .findToolchain(explicit)
        .then((tc) => {
          // What the jail must bind (a walk of the toolchain and ldd): ahead of the first compile.
          toolchainBinds(tc).catch(() => {});
          return tc;
        })
        .catch((e: Error) => {
        toolchains.delete(key);
        throw new RuntimeUnavailableError(lang.name, e.message, { cause: e });
      });
      toolchains.set(key, p);
    }
    return p;
  };

  const wasmToolchains = new Map<string, Promise<Toolchain>>();
  const wasmToolchain = (ctx: Pick<PrepareContext, "options">): Promise<Toolchain> => {
    // The memory cap is part of its identity: a build that ran out of memory under one cap is cached as such.
    const key = JSON.stringify([ctx.options.wasmDir ?? "", ctx.options.compilerMemoryBytes ?? ""]);
    let p = wasmToolchains.get(key);
    if (!p) {
      p = lang.wasmCompiler!.find(ctx.options);
      p.catch(() => wasmToolchains.delete(key));
      wasmToolchains.set(key, p);
    }
    return p;
  };

  /** The compiler to use: the host's toolchain, or the one in WebAssembly (`wasm: true`). */
  const select = async (ctx: Pick<PrepareContext, "toolchains" | "options">): Promise<{ tc: Toolchain; wasm: boolean }> => {
    if (!lang.wasmCompiler) return { tc: await toolchain(ctx), wasm: false };
    const choice = ctx.options.compiler ?? process.env[`WASMBOX_${lang.name.toUpperCase()}_COMPILER`] ?? "auto";
    if (!(COMPILER_CHOICES as readonly unknown[]).includes(choice))
      throw new RuntimeUnavailableError(
        lang.name,
        `runtimeOptions.${lang.name}.compiler is ${JSON.stringify(choice)}; use "auto" (host toolchain, else the WebAssembly one), "host" or "wasm"`,
      );
    // A toolchain named explicitly (toolchains.go) is used or refused, never replaced.
    if (choice === "host" || (choice === "auto" && ctx.toolchains[lang.toolchainOption])) return { tc: await toolchain(ctx), wasm: false };
    if (choice === "wasm")
      return {
        tc: await wasmToolchain(ctx).catch((e: Error) => {
          throw new RuntimeUnavailableError(lang.name, e.message, { cause: e });
        }),
        wasm: true,
      };
    try {
      return { tc: await toolchain(ctx), wasm: false };
    } catch (hostError) {
      const tc = await wasmToolchain(ctx).catch((e: Error) => {
        throw new RuntimeUnavailableError(lang.name, `${(hostError as RuntimeUnavailableError).reason}; nor is the compiler in WebAssembly available: ${e.message}`, {
          cause: hostError,
        });
      });
      return { tc, wasm: true };
    }
  };

  let warned = false;
  /** The jail, or the caller's explicit acceptance of compiling without it. */
  const jail = async (ctx: Pick<PrepareContext, "toolchains">): Promise<void> => {
    const { bwrap } = await sandboxTools();
    if (bwrap) return;
    const missing = "bubblewrap (bwrap) is missing or cannot create namespaces here, so the compiler cannot run in its jail";
    const { exposes } = lang.unjailed;
    if (exposes && ctx.toolchains.unjailedCompile !== "accept-risk")
      throw new RuntimeUnavailableError(
        lang.name,
        `${missing}; without it ${exposes}. Install bubblewrap (Debian: apt-get install bubblewrap) where user namespaces are allowed, ` +
          'or accept the risk explicitly with createExecutor({ toolchains: { unjailedCompile: "accept-risk" } }) (or WASMBOX_UNJAILED_COMPILE=accept-risk)',
      );
    if (warned) return;
    warned = true;
    process.emitWarning(
      `wasmbox: ${missing}; ${lang.language} compiles run without it${exposes ? ' (toolchains.unjailedCompile is "accept-risk")' : ""}. ` +
        `Not protected: ${exposes ? `${exposes}; ` : ""}a bug in the compiler runs as this user with the host's file system in view. ` +
        `Still protected: ${lang.unjailed.protected}`,
      { code: "WASMBOX" },
    );
  };

  const cacheKey = (job: Job, tc: Toolchain): string => {
    const h = createHash("sha256");
    const inputs = lang.buildInputs(job);
    h.update(JSON.stringify([lang.name, lang.flagsKey, tc.command, tc.version, tc.target, tc.flags, job.entrypoint]));
    for (const name of Object.keys(inputs).sort()) h.update(`\0${name}\0${inputs[name]!.length}\0${inputs[name]}`);
    return h.digest("hex");
  };

  return {
    name: lang.name,
    language: lang.language,
    ...(lang.engine !== undefined && { engine: lang.engine }),
    entryFile: lang.entryFile,
    host: "worker",
    // prepare() hands the host a compiled WebAssembly.Module, which no other process can take.
    workerHost: { localOnly: true },
    cache,
    ...(lang.hostStackBytes ? { hostStackBytes: lang.hostStackBytes } : {}),

    async check(ctx) {
      const { tc, wasm } = await select(ctx);
      // The compiler in WebAssembly has no host access to contain; its modules start compiling now.
      if (!wasm) await jail(ctx);
      else lang.wasmCompiler!.warm?.(tc, ctx.options);
    },

    async version(ctx) {
      const { tc } = await select(ctx);
      return tc.semver.join(".");
    },

    async compiler(ctx) {
      const { tc, wasm } = await select(ctx).catch(() => ({ tc: undefined, wasm: false }));
      if (wasm && tc) return `${lang.language}'s own compiler in WebAssembly (${tc.version}), no host process`;
      const host = tc ? `the machine's ${tc.command} (${tc.version.split(" +")[0]}), in a bubblewrap jail where available` : "the machine's toolchain (not found)";
      return lang.hostOnly ? `${host}: ${lang.hostOnly}` : host;
    },

    async prepare(job: Job, ctx: PrepareContext): Promise<PrepareResult> {
      const { tc, wasm } = await select(ctx);
      if (!wasm) await jail(ctx);
      const refusal = lang.refuse?.(job);
      if (refusal) return { kind: "done", exitCode: 1, stdout: "", stderr: refusal };
      const compile = (signal: AbortSignal) =>
        wasm
          ? lang.wasmCompiler!.build(job, tc, {
              signal,
              timeoutMs: ctx.remainingMs() + COMPILE_GRACE_MS,
              memoryBytes: ctx.options.compilerMemoryBytes === undefined ? undefined : Number(ctx.options.compilerMemoryBytes),
              cacheDir: ctx.cacheDir,
            })
          : withWorkspace((ws) =>
              lang.build(job, tc, ws, {
                signal,
                timeoutMs: ctx.remainingMs() + COMPILE_GRACE_MS,
                memoryBytes: Number(ctx.options.compilerMemoryBytes ?? COMPILER_MEMORY_BYTES),
                cacheDir: ctx.cacheDir,
              }),
            );
      const build = async (signal: AbortSignal) => {
        // Called only when the compiler really runs (not for a program found in the cache).
        const compiled = ctx.loading?.("compile");
        try {
          const r = await compile(signal);
          compiled?.();
          return r;
        } catch (e) {
          compiled?.(e);
          throw e;
        }
      };
      try {
        const r = await cache.get(cacheKey(job, tc), job.limits.memoryBytes, ctx.signal, build, ctx.cacheDir);
        if ("diagnostics" in r) return { kind: "done", exitCode: 1, stdout: "", stderr: r.diagnostics };
        // The memory cap is written into the module: a spare made under another cap is not this module.
        const prepared: PreparedModule = { module: r.module, key: `${cacheKey(job, tc)}:${job.limits.memoryBytes}`, memory: r.memory };
        return { kind: "run", prepared };
      } catch (e) {
        if (e instanceof MemoryLimitError)
          return { kind: "done", exitCode: 137, stdout: "", stderr: `[wasmbox] out of memory: ${e.message}\n` };
        // Our own deadline fired before the executor's: let the executor report the timeout.
        if (e instanceof BuildStopped && !ctx.signal.aborted)
          await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
        throw e;
      }
    },

    async load(): Promise<HostState> {
      return { memories: new MemoryReuse() };
    },

    retire: (loaded) => !!(loaded as Partial<HostState> | undefined)?.retire,

    async run(loaded, job, io) {
      const state = (loaded ?? {}) as Partial<HostState>;
      state.memories ??= new MemoryReuse();
      const p = job.prepared as PreparedModule | WebAssembly.Module | undefined;
      const module = p instanceof WebAssembly.Module ? p : p?.module;
      const key = p instanceof WebAssembly.Module ? undefined : p?.key;
      const shape = p instanceof WebAssembly.Module ? undefined : p?.memory;
      if (!(module instanceof WebAssembly.Module)) throw new Error(`no compiled module was handed to the ${lang.name} sandbox`);
      const watched = lang.trapExitCode ? watchStderr(io) : { io, tail: () => "" };
      // e.g. Go's //go:wasmimport of a host function: say so instead of failing to link.
      // The memory import is ours only as a memory (a program's own function import of that name is not).
      const provided = createWasi().imports;
      const ownsMemoryImport = WebAssembly.Module.imports(module).every((i) => i.module !== MEMORY_IMPORT.module || i.kind === "memory");
      const missing = unprovidedImports(module, shape && ownsMemoryImport ? { ...provided, [MEMORY_IMPORT.module]: { [MEMORY_IMPORT.name]: 0 } } : provided);
      if (missing) {
        io.write(2, missing);
        return 1;
      }
      // A program run again (tests over many inputs) finds its next instance made while the
      // host was idle: instantiating copies the module's data segments, a few ms for Go.
      const made = state.spare;
      state.spare = undefined;
      const spare = key !== undefined && made?.key === key ? made.fresh : undefined;
      if (made && !spare) {
        // Made for another program: its memory still serves this one (zeroed when taken).
        const unused = await made.fresh.catch(() => undefined);
        if (unused?.memory && made.shape) state.memories.give(unused.memory, made.shape);
      }
      let fresh: Fresh | undefined;
      try {
        fresh = (await spare?.catch(() => undefined)) ?? (await instantiateFresh(module, shape, state.memories));
        fresh.wasi.bind({ args: [lang.argv0, ...job.args], env: job.env, files: job.files, io: watched.io });
        const { wasi, instance, memory } = fresh;
        const linear = memory ?? (instance.exports.memory as WebAssembly.Memory);
        io.inspect?.({ memoryBytes: () => linear.buffer.byteLength, files: () => wasiFiles(wasi.root) });
        try {
          return fresh.wasi.wasi.start(fresh.instance as never);
        } catch (e) {
          if (e instanceof WASIProcExit) return e.code;
          throw e;
        }
      } catch (e) {
        if (!(e instanceof WebAssembly.RuntimeError)) throw e;
        const tail = watched.tail();
        const code = lang.trapExitCode?.(tail) ?? TRAP_EXIT;
        // A panic already said what happened; any other trap gets a one-line reason.
        if (code === TRAP_EXIT) io.write(2, `${tail === "" || tail.endsWith("\n") ? "" : "\n"}wasm trap: ${e.message}\n`);
        return code;
      } finally {
        // A program that went deep (a Go stack in linear memory as large as the native one) or
        // grew its memory past what is kept: the host thread ends, giving back its stack pages.
        const memory = fresh && (fresh.memory ?? (fresh.instance.exports.memory as WebAssembly.Memory | undefined));
        if (lang.hostStackBytes && memory instanceof WebAssembly.Memory && memory.buffer.byteLength > RETIRE_ABOVE_BYTES) state.retire = true;
        // This instance never runs again: its memory serves the next one (zeroed when taken).
        if (fresh?.memory && shape) state.memories.give(fresh.memory, shape);
        if (key !== undefined && !state.retire) {
          // After the result is on its way: zeroing and instantiating take a few ms.
          const memories = state.memories;
          const next = new Promise<void>((resolve) => setImmediate(resolve)).then(() => instantiateFresh(module, shape, memories));
          next.catch(() => {});
          state.spare = { key, fresh: next, shape };
        }
      }
    },
  };
}

/**
 * What prepare() hands to the sandbox host: the module, its cache key to recognise a repeat, and
 * the limits of the memory it imports when the host is to supply one (memory-reuse.ts).
 */
interface PreparedModule {
  module: WebAssembly.Module;
  key: string;
  memory?: MemoryShape;
}

interface Fresh {
  wasi: WasiContext;
  instance: WebAssembly.Instance;
  /** The memory the host supplied, if the module imports it. */
  memory?: WebAssembly.Memory;
}

/** Per sandbox host: at most one instance made ahead, for the program that ran last. */
export interface HostState {
  spare?: { key: string; fresh: Promise<Fresh>; shape?: MemoryShape };
  memories: MemoryReuse;
  /** This host should end after the job (see `retire`). */
  retire?: boolean;
}

async function instantiateFresh(module: WebAssembly.Module, shape: MemoryShape | undefined, memories: MemoryReuse): Promise<Fresh> {
  const wasi = createWasi();
  if (!shape) return { wasi, instance: await WebAssembly.instantiate(module, wasi.imports) };
  const memory = memories.take(shape);
  const imports = { ...wasi.imports, [MEMORY_IMPORT.module]: { [MEMORY_IMPORT.name]: memory } };
  return { wasi, instance: await WebAssembly.instantiate(module, imports), memory };
}
