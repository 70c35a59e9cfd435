/**
 * Measurement only (issue 17, bench/results/cost/python-realm.md): the pieces of a Python boot
 * that must run INSIDE the per-execution vm context of scripts/bench/python-realm-probe.mjs, so
 * that no function of the thread's own realm is ever stored where the guest can reach it.
 * Bundled by the probe (esbuild, IIFE) from dist/, and evaluated in every new context from one
 * vm.Script (its compiled code is shared by all contexts of the isolate).
 *
 * `realmBoot(host, data)` boots Pyodide from the snapshot with only what `host` gives: functions
 * of the outer realm that take primitives or typed arrays of this realm and return primitives
 * (every call is wrapped so that an outer exception never reaches the guest as an object).
 */
import { decodeLinkPlan, replayLink } from "../../dist/runtimes/python/link-plan.js";
import { lazyExportHooks } from "../../dist/runtimes/python/lazy-exports.js";
import { decodeLazyExports } from "../../dist/runtimes/python/export-table.js";

// Copied from runtimes/python/interpreter.ts (not exported there); the image write is the host's.
function restoreSparsely(Module, restoreImage, headerLength) {
  const stackBase = Module._emscripten_stack_get_base?.();
  const stackEnd = Module._emscripten_stack_get_end?.();
  const brk = Module._sbrk?.(0);
  const original = Module.API?.restoreSnapshot;
  if (typeof original !== "function" || stackBase === undefined || stackEnd === undefined || brk === undefined) throw new Error("restore hooks missing");
  Module.API.restoreSnapshot = (bytes) => {
    const meta = original.call(Module.API, bytes.subarray(0, headerLength));
    // Writes the non-zero runs and zeroes the ranges instantiation dirtied, into this realm's heap view.
    restoreImage(Module.HEAPU8, 0, stackEnd, Math.max(stackEnd, stackBase - 1024 * 1024), Math.max(brk, stackBase));
    return meta;
  };
}

function instantiateFrom(module, memory, wrap) {
  return (imports, receive) => {
    if (memory) imports.env.memory = memory;
    const marker = Symbol("error marker");
    imports.env.Jsv_GetError_import = () => marker;
    imports.env.JsvError_Check = (v) => v === marker;
    void WebAssembly.instantiate(module, imports).then((instance) => receive(wrap ? wrap(instance) : instance, module));
    return {};
  };
}

/** Runs `phase(name)` between steps so the probe can time them (host.mark takes a string). */
export async function realmBoot(host, data) {
  const { asmFactory, loadPyodide, moduleBytesLength, memoryPages, maximumPages, snapshotLength, headerLength } = data;
  const bytes = (n, fill) => {
    const u = new Uint8Array(n);
    fill(u);
    return u;
  };
  host.mark("realm set-up");
  // A module object of this realm; V8 finds the compiled code in its native module cache (same bytes).
  const module = data.module ?? new WebAssembly.Module(bytes(moduleBytesLength, host.moduleBytes));
  const wrappers = data.wrapperLength ? new WebAssembly.Module(bytes(data.wrapperLength, host.wrapperBytes)) : undefined;
  const plan = data.planLength ? decodeLinkPlan(bytes(data.planLength, host.planBytes)) : undefined;
  const lazy = lazyExportHooks();
  const lazyInfo = data.lazyLength ? decodeLazyExports(bytes(data.lazyLength, host.lazyBytes)) : undefined;
  const memory = data.memory ?? new WebAssembly.Memory({ initial: memoryPages, maximum: maximumPages, shared: true });
  const sig = new Map();
  for (const key of data.sigKeys) sig.set(key, new WebAssembly.Module(Uint8Array.from(key.split(","), Number)));
  if (data.noTrampoline) sig.set("no trampoline", new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])));
  host.mark("modules and memory");
  let linkReplayed = false;
  const link = {
    replay: (glue) => (linkReplayed = plan !== undefined && replayLink(glue, plan, wrappers, lazyInfo !== undefined)),
    record: () => {},
  };
  const factory = asmFactory(data.metaUrl, data.importModule, sig, link, lazy);
  host.mark("glue top level (factory)");
  const createPyodideModule = async (settings) => {
    delete globalThis.WasmOffsetConverter;
    settings.instantiateWasm = instantiateFrom(module, memory, lazyInfo && ((instance) => lazy.lazy(instance, lazyInfo)));
    const Module = await factory(settings);
    host.mark("glue: instantiate");
    restoreSparsely(Module, host.restoreImage, headerLength);
    return Module;
  };
  globalThis.WasmOffsetConverter = true;
  // The header only: with an imported memory the image length is not used, and the image is
  // written by restoreImage (a 30 MB buffer here per context made V8 collect old space each time).
  const snapshot = new Uint8Array(data.fullSnapshotBuffer ? snapshotLength : headerLength);
  host.snapshotHeader(snapshot);
  const py = await loadPyodide({
    indexURL: data.indexURL,
    _loadSnapshot: snapshot,
    env: {},
    checkAPIVersion: true,
    lockFileContents: data.lockFile,
    createPyodideModule,
  });
  delete globalThis.WasmOffsetConverter;
  host.mark("restore + finalize");
  const config = py._api?.config;
  if (config) {
    delete config._loadSnapshot;
    delete config.createPyodideModule;
  }
  // What the next context may pre-compile: only primitives leave this realm.
  const sigKeys = [];
  for (const key of sig.keys()) if (key !== "no trampoline" && key !== "trampoline") sigKeys.push(key);
  return { py, linkReplayed, lazyExports: lazyInfo !== undefined, sigKeys: sigKeys.join("\n"), noTrampoline: sig.has("no trampoline") };
}

/** The job: stdout and stderr gathered in this realm and handed back as one string. */
export function realmRun(py, code) {
  let out = "";
  const dec = new TextDecoder();
  py.setStdout({ write: (b) => ((out += dec.decode(b.slice())), b.length), isatty: false });
  py.setStderr({ write: (b) => ((out += dec.decode(b.slice())), b.length), isatty: false });
  try {
    py.runPython(code);
  } catch (e) {
    out += `\n[exception] ${String(e && e.message)}`;
  }
  return out;
}
