/**
 * Python (Pyodide) in the browser. Pyodide's guest can run any JavaScript of its worker, so every
 * execution gets a worker nobody used before and nobody uses after (`host: "process"` means
 * one-shot here); the worker has no network (see ./seal.ts) and holds nothing of the page.
 * A fresh boot of CPython costs seconds, so the first worker boots it, takes a memory snapshot
 * and shares it with the page (`browserHost.shared`); every later worker boots from the snapshot.
 * The CPython runner and the closed bridges are the Node adapter's (runtimes/python).
 */
import { PYTHON_REPL_DRIVER } from "./repl-driver.js";
import createPyodideModule from "pyodide/pyodide.asm.mjs";
import { closePyodideBridges } from "./bridges.js";
import type { PyodideAPI } from "./interpreter.js";
import { runProgram } from "./program.js";
import { installRunnerSource } from "./runner.js";
import { limitModuleMemory } from "../../src/wasm/memory-limit.js";
import { getAsset } from "../../src/browser/asset-store.js";
import type { Runtime } from "../../src/runtime.js";


// Imported before the snapshot is taken, so that programs using them start faster.
const PRELOADED = ["os", "sys", "runpy", "traceback", "io", "json", "re", "math", "collections", "itertools", "functools", "random"];

const installRunner = installRunnerSource(PRELOADED);

interface Loaded {
  py: PyodideAPI;
  /** Taken by the first worker only. */
  snapshot?: Uint8Array;
  module?: WebAssembly.Module;
}

/** Pyodide compiles pyodide.asm.wasm itself; hand it the module compiled once instead. */
function instantiateWith(module: WebAssembly.Module): () => void {
  const wa = WebAssembly as unknown as Record<"instantiate" | "instantiateStreaming", unknown>;
  const { instantiate, instantiateStreaming } = wa;
  const original = instantiate as (m: WebAssembly.Module, i?: WebAssembly.Imports) => Promise<WebAssembly.Instance>;
  const mine = async (src: unknown, imports?: WebAssembly.Imports) =>
    src instanceof WebAssembly.Module ? original(src, imports) : { module, instance: await original(module, imports) };
  wa.instantiateStreaming = mine;
  wa.instantiate = mine;
  return () => {
    wa.instantiate = instantiate;
    wa.instantiateStreaming = instantiateStreaming;
  };
}

export const python: Runtime<Loaded> = {
  name: "python",
  language: "Python",
  entryFile: "main.py",
  repl: { file: ".wasmbox-repl.py", driver: PYTHON_REPL_DRIVER },
  host: "process",

  browserHost: {
    shared: (loaded) => {
      const { snapshot, module } = loaded;
      return snapshot && module ? { snapshot, module } : undefined;
    },
  },

  async load(ctx) {
    const { loadPyodide } = await import("pyodide");
    const base = String(ctx.options.assetsBaseUrl ?? "/");
    const lock = getAsset("pyodide/pyodide-lock.json");
    // Compiled once, by the first worker, with the memory cap as its memory maximum; later workers get it.
    let module = ctx.options.module instanceof WebAssembly.Module ? ctx.options.module : undefined;
    if (!module) {
      const wasm = getAsset("pyodide/pyodide.asm.wasm");
      if (!wasm) throw new Error("pyodide/pyodide.asm.wasm was not handed to the worker");
      module = await WebAssembly.compile(limitModuleMemory(wasm as Uint8Array<ArrayBuffer>, ctx.memoryBytes));
    }
    const fromSnapshot = ctx.options.snapshot instanceof Uint8Array ? ctx.options.snapshot : undefined;
    const restore = instantiateWith(module);
    const py = await loadPyodide({
      indexURL: `${base}pyodide/`,
      env: {},
      checkAPIVersion: true,
      lockFileContents: lock ? new TextDecoder().decode(lock) : undefined,
      // Bundled, so the worker imports no script at run time.
      createPyodideModule: createPyodideModule as never,
      ...(fromSnapshot ? { _loadSnapshot: fromSnapshot } : { _makeSnapshot: true }),
    } as Parameters<typeof loadPyodide>[0]).finally(restore);
    let snapshot: Uint8Array | undefined;
    if (!fromSnapshot) {
      py.runPython(installRunner);
      snapshot = (py as unknown as { makeMemorySnapshot(): Uint8Array }).makeMemorySnapshot();
    }
    closePyodideBridges(py);
    return { py, snapshot, module: fromSnapshot ? undefined : module };
  },

  async run(loaded, job, io) {
    return runProgram(loaded.py, job, io);
  },
};
