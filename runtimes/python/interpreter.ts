/**
 * Booting a Pyodide interpreter, either to take the memory snapshot (once, outside any sandbox)
 * or from that snapshot (inside the sandbox, once per execution).
 *
 * A boot from the snapshot is what every execution pays for, so it avoids what Pyodide's own
 * loader repeats each time: reading and compiling pyodide.asm.wasm (the host process compiled it
 * once), parsing pyodide.asm.mjs (a code cache, see asm-script.ts), Emscripten's dynamic linking
 * of the main module (replayed from what the first interpreter recorded, see link-plan.ts), and
 * copying the whole 30 MB memory image (only its non-zero pages are written; on this kind of
 * machine touching a fresh page costs more than copying it).
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { installRunnerSource } from "./runner.js";
import { compileAsmScript, type AsmFactory, type AsmScript, type LinkHooks } from "./asm-script.js";
import { decodeLinkPlan, encodeLinkPlan, recordLink, replayLink, wrapperModule, type LinkPlan } from "./link-plan.js";
import { decodeLazyExports, type LazyExportsIndex } from "./export-table.js";
import { lazyExportHooks } from "./lazy-exports.js";
import { lazyBuiltin } from "../../src/sandbox/builtin-import.js";

export type PyodideAPI = Awaited<ReturnType<typeof import("pyodide").loadPyodide>>;

// Imported before the snapshot is taken, so that programs using them start faster
// (pkgutil: runpy.run_path imports it on first use).
const PRELOADED = [
  "os", "sys", "runpy", "pkgutil", "traceback", "linecache", "tokenize", "io", "json", "re", "math", "collections",
  "itertools", "functools", "datetime", "decimal", "fractions", "random", "heapq", "bisect", "statistics",
  "dataclasses", "typing", "string", "textwrap", "copy", "operator", "enum", "abc",
];

const installRunner = installRunnerSource(PRELOADED);

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

/** The bytes of a snapshot file and where its memory image starts (Pyodide's header before it). */
export function snapshotMemoryOffset(snapshot: Uint8Array): number {
  return new DataView(snapshot.buffer, snapshot.byteOffset, 16).getUint32(4, true);
}

/**
 * The non-zero 4 KiB pages of the snapshot's memory image, as [offset, length] pairs relative to
 * the image. Computed once per host process.
 */
export function nonZeroRuns(image: Uint8Array): Int32Array {
  const PAGE = 4096;
  const runs: number[] = [];
  const words = image.byteOffset % 4 === 0 ? new Uint32Array(image.buffer, image.byteOffset, image.byteLength >>> 2) : undefined;
  const pages = Math.ceil(image.byteLength / PAGE);
  const nonZero = (p: number) => {
    const end = Math.min((p + 1) * PAGE, image.byteLength);
    if (words && end % 4 === 0) {
      for (let i = (p * PAGE) >>> 2; i < end >>> 2; i++) if (words[i] !== 0) return true;
      return false;
    }
    for (let i = p * PAGE; i < end; i++) if (image[i] !== 0) return true;
    return false;
  };
  let start = -1;
  for (let p = 0; p <= pages; p++) {
    const nz = p < pages && nonZero(p);
    if (nz && start < 0) start = p;
    if (!nz && start >= 0) {
      runs.push(start * PAGE, Math.min(p * PAGE, image.byteLength) - start * PAGE);
      start = -1;
    }
  }
  return Int32Array.from(runs);
}

export interface BootOptions {
  indexURL: string;
  /** The whole snapshot file (it may live in shared memory: nothing here keeps a reference). */
  snapshot: Uint8Array;
  /** The compiled pyodide.asm.wasm, shared by every interpreter of a host process. */
  module?: WebAssembly.Module;
  /** Set when `module` imports its memory (src/wasm/memory-import.ts): the memory's initial size, pages. */
  memoryPages?: number;
  /**
   * When `module` imports its memory: this interpreter's memory, all zero, used by no other
   * interpreter at the same time; without it a new one is made, of at most `memoryMaximumPages`.
   */
  memory?: WebAssembly.Memory;
  memoryMaximumPages?: number;
  /** `nonZeroRuns()` of the snapshot's memory image: write only those pages. */
  memoryRuns?: Int32Array;
  /** pyodide-lock.json's text, read once per host process (else each interpreter reads the file). */
  lockFile?: string;
  /** pyodide.asm.mjs prepared as a script, and a V8 code cache for it. */
  asm?: AsmScript;
  asmCache?: Uint8Array;
  signatureModules?: Map<string, WebAssembly.Module>;
  /** `encodeLinkPlan()` of the dynamic linking an earlier interpreter recorded (link-plan.ts). */
  linkPlan?: Uint8Array;
  /** The plan's `wrapperModule()`, compiled once per host process. */
  linkWrappers?: WebAssembly.Module;
  /**
   * Set when `module` was rewritten from the link plan (export-table.ts): `encodeLazyExports()`
   * of what its exports were. Needs `asm` with the "lazy exports" patch.
   */
  lazyExports?: Uint8Array;
}

export interface Booted {
  py: PyodideAPI;
  /** Whether the dynamic linking was replayed from `linkPlan` (else the linker ran). */
  linkReplayed: boolean;
  /** Whether the exports were made lazily (`lazyExports`). */
  lazyExports: boolean;
  /** What later interpreters of the same host process can reuse (call before guest code runs). */
  reusable(): {
    asmCache?: Uint8Array;
    signatureModules?: Map<string, WebAssembly.Module>;
    linkPlan?: Uint8Array;
    linkWrappers?: WebAssembly.Module;
  };
}

// Node built-ins pyodide.asm.mjs imports while it boots; nothing is imported after that.
const BOOT_IMPORTS = new Set(["node:module", "node:url", "node:fs", "node:fs/promises", "node:vm", "node:path"]);
// Required, not imported, and only when first used (see lazyBuiltin).
const requireBuiltin = createRequire(import.meta.url);

export async function bootFromSnapshot(opts: BootOptions): Promise<Booted> {
  const { loadPyodide } = await import("pyodide");
  let booting = true;
  const importModule = (specifier: string): Promise<unknown> =>
    booting && BOOT_IMPORTS.has(specifier)
      ? lazyBuiltin(specifier, requireBuiltin)
      : Promise.reject(new Error(`wasmbox: import("${specifier}") is not available in this sandbox`));

  const plan = opts.linkPlan && decodeLinkPlan(opts.linkPlan);
  const lazy = lazyExportHooks();
  const lazyInfo: LazyExportsIndex | undefined =
    plan && opts.module && opts.asm?.patches.includes("lazy exports") && opts.lazyExports ? decodeLazyExports(opts.lazyExports) : undefined;
  let recorded: LinkPlan | undefined;
  let linkReplayed = false;
  // The glue keeps these hooks: they close over what they use, not over `opts` (the snapshot bytes).
  const wrappers = opts.linkWrappers;
  const link: LinkHooks = {
    replay: (glue) => (linkReplayed = plan !== undefined && replayLink(glue, plan, wrappers, lazyInfo !== undefined)),
    record: (glue, base, imported) => {
      if (!plan) recorded = recordLink(glue, base, imported);
    },
  };
  let factory: AsmFactory | undefined;
  let compiled: ReturnType<typeof compileAsmScript> | undefined;
  if (opts.asm) {
    compiled = compileAsmScript(opts.asm, { cachedData: opts.asmCache, importModule, signatureModules: opts.signatureModules, link, lazy });
    factory = compiled.factory;
  }

  // Pyodide keeps its options (API.config) where the guest can read them: the function below must
  // not close over `opts` (the snapshot bytes), only over what it needs.
  const { indexURL, module, memoryRuns: runs } = opts;
  const memory =
    opts.memory ??
    (opts.memoryPages === undefined ? undefined : new WebAssembly.Memory({ initial: opts.memoryPages, maximum: opts.memoryMaximumPages ?? 65536, shared: true }));
  const createPyodideModule = async (settings: Record<string, unknown>) => {
    delete (globalThis as Record<string, unknown>).WasmOffsetConverter;
    if (module) settings.instantiateWasm = instantiateFrom(module, memory, lazyInfo && ((instance) => lazy.lazy(instance, lazyInfo)));
    const create = factory ?? ((await import(pathToFileURL(`${indexURL}pyodide.asm.mjs`).href)) as { default: AsmFactory }).default;
    const Module = await create(settings);
    if (runs) restoreSparsely(Module, runs);
    return Module;
  };

  // With a compiled module at hand, keep Pyodide's loader from reading the 9.6 MB wasm file:
  // it skips its own instantiateWasm when this global exists (it is removed again at once).
  if (module) (globalThis as Record<string, unknown>).WasmOffsetConverter = true;
  let py: PyodideAPI;
  try {
    py = await loadPyodide({
      indexURL,
      _loadSnapshot: opts.snapshot,
      env: {},
      checkAPIVersion: true,
      ...(opts.lockFile !== undefined && { lockFileContents: opts.lockFile }),
      createPyodideModule: createPyodideModule as never,
    } as Parameters<typeof loadPyodide>[0]);
  } finally {
    booting = false;
    delete (globalThis as Record<string, unknown>).WasmOffsetConverter;
  }
  // The snapshot bytes may be shared with other interpreters: leave no path to them.
  const config = (py as unknown as { _api?: { config?: Record<string, unknown> } })._api?.config;
  if (config) {
    delete config._loadSnapshot;
    delete config.createPyodideModule;
  }
  return {
    py,
    linkReplayed,
    lazyExports: lazyInfo !== undefined,
    reusable: () =>
      compiled
        ? {
            asmCache: compiled.script.createCachedData(),
            signatureModules: compiled.signatureModules,
            ...(recorded && { linkPlan: encodeLinkPlan(recorded), linkWrappers: new WebAssembly.Module(wrapperModule(recorded)) }),
          }
        : {},
  };
}

/** Emscripten's instantiateWasm hook: instantiate the module compiled once per host process. */
function instantiateFrom(module: WebAssembly.Module, memory: WebAssembly.Memory | undefined, wrap?: (instance: WebAssembly.Instance) => WebAssembly.Instance) {
  return (imports: { env: Record<string, unknown> }, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => {
    if (memory) imports.env.memory = memory;
    // What Pyodide's loader adds to the imports (its JavaScript fallback: same behaviour).
    const marker = Symbol("error marker");
    imports.env.Jsv_GetError_import = () => marker;
    imports.env.JsvError_Check = (v: unknown) => v === marker;
    void WebAssembly.instantiate(module, imports as unknown as WebAssembly.Imports).then((instance) => receive(wrap ? wrap(instance) : instance, module));
    return {};
  };
}

interface EmscriptenModule {
  HEAPU8: Uint8Array;
  API: { restoreSnapshot(bytes: Uint8Array): unknown };
  _emscripten_stack_get_base?: () => number;
  _emscripten_stack_get_end?: () => number;
  _sbrk?: (n: number) => number;
}

/**
 * Replaces Pyodide's restoreSnapshot (which copies the whole image) with one that writes only the
 * image's non-zero pages. The memory is fresh except for what instantiation and the C constructors
 * wrote (static data, the top of the stack, the heap below the break), so zero pages are cleared
 * only there; deeper stack pages are dead stack whose content C never relies on.
 */
function restoreSparsely(Module: Record<string, unknown>, runs: Int32Array): void {
  const M = Module as unknown as EmscriptenModule;
  const stackBase = M._emscripten_stack_get_base?.();
  const stackEnd = M._emscripten_stack_get_end?.();
  const brk = M._sbrk?.(0);
  const original = M.API?.restoreSnapshot;
  if (typeof original !== "function" || stackBase === undefined || stackEnd === undefined || brk === undefined) return;
  const dirty: [number, number][] = [
    [0, stackEnd],
    [Math.max(stackEnd, stackBase - 1024 * 1024), Math.max(brk, stackBase)],
  ];
  M.API.restoreSnapshot = (bytes: Uint8Array) => {
    const offset = snapshotMemoryOffset(bytes);
    // The header only: Pyodide checks the magic number and build id and parses its metadata.
    const meta = original.call(M.API, bytes.subarray(0, offset));
    const image = bytes.subarray(offset);
    const heap = M.HEAPU8;
    let zeroFrom = 0;
    const clear = (from: number, to: number) => {
      for (const [a, b] of dirty) {
        const lo = Math.max(from, a);
        const hi = Math.min(to, b);
        if (lo < hi) zero(heap, lo, hi);
      }
    };
    for (let i = 0; i < runs.length; i += 2) {
      const at = runs[i]!;
      const len = runs[i + 1]!;
      clear(zeroFrom, at);
      heap.set(image.subarray(at, at + len), at);
      zeroFrom = at + len;
    }
    clear(zeroFrom, Math.min(heap.length, image.length));
    return meta;
  };
}

/**
 * `heap.fill(0, from, to)`, 8 bytes at a store where aligned: on a shared memory V8 fills byte by
 * byte with atomic stores (30 MB: 9 ms, against 1.2 ms in 8-byte words).
 */
function zero(heap: Uint8Array, from: number, to: number): void {
  const a = Math.min(to, from + ((8 - ((heap.byteOffset + from) % 8)) % 8));
  const b = Math.max(a, to - ((heap.byteOffset + to) % 8));
  heap.fill(0, from, a);
  if (b > a) new BigUint64Array(heap.buffer, heap.byteOffset + a, (b - a) / 8).fill(0n);
  heap.fill(0, b, to);
}
