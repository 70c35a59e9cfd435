/**
 * Booting a Pyodide interpreter, either to take the memory snapshot (once, outside any sandbox)
 * or from that snapshot (inside the sandbox, once per execution).
 */
import { RUNNER_MODULE, RUNNER_SOURCE } from "./runner.js";

export type PyodideAPI = Awaited<ReturnType<typeof import("pyodide").loadPyodide>>;

// Imported before the snapshot is taken, so that programs using them start faster.
const PRELOADED = [
  "os", "sys", "runpy", "traceback", "io", "json", "re", "math", "collections", "itertools", "functools",
  "datetime", "decimal", "fractions", "random", "heapq", "bisect", "statistics", "dataclasses", "typing",
  "string", "textwrap", "copy", "operator", "enum", "abc",
];

const installRunner = `
import sys, types
_m = types.ModuleType(${JSON.stringify(RUNNER_MODULE)})
_m.__file__ = "<wasmbox>"
exec(compile(${JSON.stringify(RUNNER_SOURCE)}, "<wasmbox>", "exec"), _m.__dict__)
sys.modules[${JSON.stringify(RUNNER_MODULE)}] = _m
del _m, types
import ${PRELOADED.join(", ")}
`;

/** Pyodide may try to download packages; offline there is nothing to fetch, so say so clearly. */
export function offlineFetch(): Promise<never> {
  return Promise.reject(new Error("wasmbox: the Python sandbox is offline; only the packages shipped with Pyodide's core are available"));
}

export async function makeSnapshot(indexURL: string): Promise<Uint8Array> {
  const { loadPyodide } = await import("pyodide");
  const py = await loadPyodide({ indexURL, _makeSnapshot: true, env: {}, checkAPIVersion: true });
  py.runPython(installRunner);
  return py.makeMemorySnapshot();
}

export interface BootOptions {
  indexURL: string;
  snapshot: Uint8Array;
  /** The compiled pyodide.asm.wasm, shared by every interpreter of a host process. */
  module?: WebAssembly.Module;
}

export async function bootFromSnapshot(opts: BootOptions): Promise<PyodideAPI> {
  const { loadPyodide } = await import("pyodide");
  const instantiate = WebAssembly.instantiate;
  if (opts.module) {
    const module = opts.module;
    // Pyodide compiles pyodide.asm.wasm itself; hand it the module compiled once per process instead.
    (WebAssembly as { instantiate: unknown }).instantiate = async (src: unknown, imports?: WebAssembly.Imports) => {
      if (src instanceof WebAssembly.Module) return instantiate(src, imports);
      return { module, instance: await instantiate(module, imports) };
    };
  }
  try {
    return await loadPyodide({ indexURL: opts.indexURL, _loadSnapshot: opts.snapshot, env: {}, checkAPIVersion: true });
  } finally {
    (WebAssembly as { instantiate: unknown }).instantiate = instantiate;
  }
}
