/**
 * Python (CPython 3.14 on Pyodide). Pyodide's guest can run any JavaScript in its host, so this
 * runtime declares `host: "process"`: every execution gets an interpreter restored from a memory
 * snapshot inside a contained process host, used once and thrown away (see src/host-process/).
 */
import { createRequire } from "node:module";
import path from "node:path";
import type { Runtime } from "../../src/runtime.js";
import { RuntimeUnavailableError } from "../../src/errors.js";
import { pyodideDir, snapshotDir, snapshotFile } from "./assets.js";
import { prepareAsmScript, withSharedSource } from "./asm-script.js";
import { bootFromSnapshot, nonZeroRuns, offlineFetch, snapshotMemoryOffset, type BootOptions, type Booted, type PyodideAPI } from "./interpreter.js";
import { runProgram } from "./program.js";
import { memoryToImport } from "../../src/wasm/memory-import.js";
import { closePyodideBridges } from "./bridges.js";
import { decodeLinkPlan } from "./link-plan.js";
import { PYTHON_REPL_DRIVER } from "./repl-driver.js";
import { encodeLazyExports, exportsBehindTable } from "./export-table.js";
import { readWholeFile } from "../../src/read-file.js";

const require = createRequire(import.meta.url);

interface Loaded {
  py: PyodideAPI;
  reusable: Booted["reusable"];
  /** Fresh random bytes from the process host's supervisor, for this interpreter's one execution. */
  entropy?: Uint8Array;
}

/**
 * What a process host prepares once and gives every interpreter it starts. The snapshot lives in
 * shared memory (one copy per host process, not one per interpreter): an interpreter reads it
 * while it boots and keeps no reference, so no guest can reach it. The code cache, signature
 * modules and link plan are given later by its first interpreter, before any guest code ran
 * (`contribute`).
 */
type Shared = Omit<BootOptions, "module" | "memory" | "memoryMaximumPages"> & { module: WebAssembly.Module };

/** Supervisor only: the bytes a `shared.module` was compiled from, until `refine` has used them. */
const moduleBytes = new WeakMap<WebAssembly.Module, Uint8Array>();

function pythonVersion(): string {
  try {
    return (require("pyodide/pyodide-lock.json") as { info: { python: string } }).info.python;
  } catch {
    return "unknown";
  }
}

export const python: Runtime<Loaded> & {
  processHost: {
    mounts(options: Record<string, unknown>): { mounts: Record<string, string>; linkDir: string };
    shared(options: Record<string, unknown>): Promise<Shared>;
    contribute(loaded: Loaded): Partial<Shared>;
    memory(shared: Record<string, unknown>, memoryBytes: number): { initial: number; maximum: number } | undefined;
    refine(shared: Record<string, unknown>): Promise<Record<string, unknown> | undefined>;
  };
} = {
  name: "python",
  language: "Python",
  engine: "CPython on WebAssembly (Pyodide)",
  entryFile: "main.py",
  host: "process",
  repl: { file: ".wasmbox-repl.py", driver: PYTHON_REPL_DRIVER },

  async check(ctx) {
    try {
      pyodideDir();
    } catch (e) {
      throw new RuntimeUnavailableError("python", "the npm package `pyodide` is not installed; run `npm install pyodide`", { cause: e });
    }
    // Imported here: interpreter threads load this file and need none of child_process.
    const { ensureSnapshot } = await import("./snapshot.js");
    await ensureSnapshot(snapshotDir(ctx.options, cacheDirOf(ctx.options)));
  },

  async version() {
    return pythonVersion();
  },

  processHost: {
    // Everything the contained host process may read besides wasmbox itself: Pyodide and the snapshots.
    mounts(options) {
      const snapshots = snapshotDir(options, cacheDirOf(options));
      return { mounts: { "node_modules/pyodide": pyodideDir(), snapshots }, linkDir: snapshots };
    },
    async shared(options) {
      const { readFile } = await import("node:fs/promises");
      const asmFile = path.join(pyodideDir(), "pyodide.asm.mjs");
      const [wasm, snapshot, asmSource, lockFile] = await Promise.all([
        readFile(path.join(pyodideDir(), "pyodide.asm.wasm")),
        readWholeFile(snapshotFile(snapshotsOf(options)), { shared: true }),
        readFile(asmFile, "utf8"),
        readFile(path.join(pyodideDir(), "pyodide-lock.json"), "utf8"),
      ]);
      // Each interpreter gets a recycled memory from the host process (see `memory` below): the
      // module imports a shared memory, which a thread can be given (else: as it is).
      const rewritten = options.recycleMemory === false ? undefined : memoryToImport(wasm, { module: "env", name: "memory", shared: true });
      const bytes = rewritten?.wasm ?? wasm;
      // V8 compiles on its own threads meanwhile: the work on this one is done beside it.
      const compiling = WebAssembly.compile(bytes);
      const memoryRuns = nonZeroRuns(snapshot.subarray(snapshotMemoryOffset(snapshot)));
      const asm = prepareAsmScript(asmSource, asmFile);
      const shared: Shared = {
        module: await compiling,
        ...(rewritten && { memoryPages: rewritten.memory.initial }),
        snapshot,
        memoryRuns,
        asm: asm && withSharedSource(asm),
        lockFile: packageFreeLock(lockFile),
        indexURL: pyodideDir(),
      };
      if (options.lazyExports !== false && shared.asm?.patches.includes("lazy exports")) moduleBytes.set(shared.module, bytes);
      return shared;
    },
    // Once the first interpreter has recorded the link plan: the module rewritten so that later
    // interpreters make only the exports they use (export-table.ts; ~40 ms of CPU less each).
    async refine(shared) {
      const bytes = shared.module instanceof WebAssembly.Module ? moduleBytes.get(shared.module) : undefined;
      const plan = shared.linkPlan instanceof Uint8Array ? decodeLinkPlan(shared.linkPlan) : undefined;
      if (!bytes || !plan) return undefined;
      moduleBytes.delete(shared.module as WebAssembly.Module);
      const rewritten = exportsBehindTable(bytes, plan);
      if (!rewritten) return undefined;
      try {
        const info = encodeLazyExports(rewritten.info);
        if (!info) return undefined;
        const lazyExports = new Uint8Array(new SharedArrayBuffer(info.byteLength));
        lazyExports.set(info);
        return { module: await WebAssembly.compile(rewritten.wasm), lazyExports };
      } catch {
        return undefined;
      }
    },
    // The first interpreter of a host process hands over what it compiled, before it is locked.
    contribute(loaded) {
      return loaded.reusable();
    },
    // A fresh memory costs a page fault per page the snapshot restores (~14 MB, 40-50 ms of CPU
    // here); a recycled one is already mapped. Its maximum is the memory cap.
    memory(shared, memoryBytes) {
      const initial = (shared as Partial<Shared>).memoryPages;
      const maximum = Math.floor(memoryBytes / 65536);
      return initial !== undefined && maximum >= initial ? { initial, maximum } : undefined;
    },
  },

  async load(ctx) {
    const shared = ctx.options.shared as Shared | undefined;
    const snapshot =
      shared?.snapshot ?? new Uint8Array(await (await import("node:fs/promises")).readFile(snapshotFile(snapshotsOf(ctx.options))));
    globalThis.fetch = offlineFetch as typeof fetch;
    // The module imports its memory when `memoryPages` is set: the supervisor's recycled one, else a new one.
    const given = (ctx.options.shared as { memory?: unknown } | undefined)?.memory;
    const { py, reusable } = await bootFromSnapshot({
      // Given by the supervisor: resolving the package here loads Node's package-exports resolver.
      indexURL: shared?.indexURL ?? pyodideDir(),
      ...shared,
      snapshot,
      memory: given instanceof WebAssembly.Memory ? given : undefined,
      memoryMaximumPages: Math.floor(ctx.memoryBytes / 65536),
    });
    closePyodideBridges(py, shared?.asm?.patches.includes("no shell") ?? false);
    const entropy = (ctx.options.shared as { entropy?: unknown } | undefined)?.entropy;
    return { py, reusable, ...(entropy instanceof Uint8Array && { entropy }) };
  },

  async run({ py, entropy }, job, io) {
    return runProgram(py, job, io, entropy);
  },
};

/** Inside a process host, the snapshots are mounted under its root. */
function snapshotsOf(options: Record<string, unknown>): string {
  if (typeof options.hostRoot === "string") return path.join(options.hostRoot, "snapshots");
  return snapshotDir(options, cacheDirOf(options));
}

/**
 * The lock file as interpreters get it: its `info` (Pyodide checks the ABI version) and no
 * packages. None can be installed offline, and Pyodide's not-found hook would otherwise add
 * "included in the Pyodide distribution, but it is not installed" to some ModuleNotFoundErrors,
 * which `python3` does not print. Each interpreter parses 100 bytes instead of 119 KB.
 */
function packageFreeLock(text: string): string {
  const { info } = JSON.parse(text) as { info: unknown };
  return JSON.stringify({ info, packages: {} });
}

function cacheDirOf(options: Record<string, unknown>): string | undefined {
  return typeof options.cacheDir === "string" ? options.cacheDir : undefined;
}
