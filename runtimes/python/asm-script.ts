/**
 * pyodide.asm.mjs (1.2 MB: Emscripten's glue and Pyodide's JavaScript API) prepared once per host
 * process and evaluated as a classic script in every interpreter thread, for two reasons:
 * - a V8 code cache: node:vm accepts one for scripts (not for ES modules on Node 20), so a new
 *   thread does not parse and compile the file again;
 * - a few of Emscripten's dynamic-linking start-up loops, run once per interpreter, are made
 *   cheaper without changing their outcome (same table slots, same GOT values), see PATCHES.
 * When this Pyodide build does not have the expected text, the runtime loads the module as is
 * (slower, same behaviour): `prepareAsmScript` returns undefined.
 */
import vm from "node:vm";
import { pathToFileURL } from "node:url";
import type { LinkGlue } from "./link-plan.js";
import { lazyExportHooks, type LazyHooks } from "./lazy-exports.js";

/** The wrapped source, the patches that applied, and the file name stack traces show. */
export interface AsmScript {
  /** The text, or its Latin-1 bytes (see `withSharedSource`). */
  source: string | Uint8Array;
  filename: string;
  patches: string[];
}

/** Pyodide's `createPyodideModule(settings)`. */
export type AsmFactory = (settings: Record<string, unknown>) => Promise<Record<string, unknown>>;

interface Patch {
  name: string;
  /** Every `find` must occur exactly once (or at least once with `all`), else the patch is skipped. */
  edits: { find: string; replace: string }[];
  /** Applied after the edits; undefined when the text is not as expected (the patch is skipped). */
  transform?: (src: string) => string | undefined;
  /** Without it the script cannot be built; the others only save time. */
  required?: boolean;
  all?: boolean;
}

const PATCHES: Patch[] = [
  { name: "import.meta.url", edits: [{ find: "import.meta.url", replace: "__wasmbox_meta_url" }], required: true, all: true },
  { name: "import()", edits: [{ find: "await import(", replace: "await __wasmbox_import(" }], required: true, all: true },
  { name: "export", edits: [{ find: "export default _createPyodideModule;", replace: "return _createPyodideModule;" }], required: true },
  // Each JavaScript function put in the table is wrapped by compiling a one-function wasm module
  // (~260 of them, 52 distinct signatures): compile each signature once.
  {
    name: "signature modules",
    edits: [
      {
        find: "var module=new WebAssembly.Module(bytes);",
        replace:
          "var __key=bytes.join();var module=__wasmbox_sig_modules.get(__key);if(!module){module=new WebAssembly.Module(bytes);__wasmbox_sig_modules.set(__key,module)}",
      },
    ],
  },
  // CPython's call trampoline is a small wasm module (it holds no state: the table and memory are
  // imports of its instance) compiled from a hex string in every interpreter: compile it once too.
  // Where V8 cannot compile it (it uses wasm GC opcodes, off by default on Node 20) Pyodide falls
  // back to a JavaScript trampoline; that outcome is kept as well, as an empty module under
  // another key (the map carries modules only), so later interpreters do not fail to compile it again.
  {
    name: "trampoline module",
    edits: [
      {
        find: "function getWasmTrampolineModule(){",
        replace:
          "function getWasmTrampolineModule(){" +
          'if(__wasmbox_sig_modules.has("no trampoline"))throw new Error("no trampoline");' +
          'var __m=__wasmbox_sig_modules.get("trampoline");if(__m)return __m;' +
          'try{__m=__wasmbox_trampoline()}catch(e){__wasmbox_sig_modules.set("no trampoline",new WebAssembly.Module(new Uint8Array([0,97,115,109,1,0,0,0])));throw e}' +
          '__wasmbox_sig_modules.set("trampoline",__m);return __m}' +
          "function __wasmbox_trampoline(){",
      },
    ],
  },
  // Pyodide's finalizeBootstrap, run by every interpreter restored from the snapshot, compiles and
  // runs three one-line Python programs through eval_code (ast parse + compile in wasm, ~1-2 ms
  // each, the first slowest) only to fetch modules that are already imported and an empty dict.
  // The same objects, fetched directly. `runPythonInternal_dict` serves runPythonInternal alone,
  // which nothing calls after these three.
  {
    name: "finalize without eval",
    edits: [
      {
        find: 'API.runPythonInternal_dict=API._pyodide._base.eval_code("{}"),API.importlib=API.runPythonInternal("import importlib; importlib");',
        replace: 'API.runPythonInternal_dict=API._pyodide._base.builtins.dict(),API.importlib=API._pyodide._base.import_module("importlib");',
      },
      {
        find: 'let i=API.runPythonInternal("import __main__; __main__.__dict__"),s=API.runPythonInternal("import builtins; builtins.__dict__");',
        replace: 'let i=o("__main__").__dict__,s=o("builtins").__dict__;',
      },
    ],
  },
  // The main module's dynamic linking, replayed from a plan the first interpreter of the host
  // process recorded (link-plan.ts); without a plan (or when it does not fit) the linker runs.
  {
    name: "link replay",
    edits: [
      {
        find: "updateGOT(origExports);LDSO.init();loadDylibs();",
        replace:
          "var __wasmbox_glue=()=>({exports:origExports,table:wasmTable,got:GOT,resolve:n=>resolveGlobalSymbol(n,true).sym});" +
          "if(!dynamicLibraries.length&&__wasmbox_link.replay(__wasmbox_glue())){LDSO.init()}else{" +
          "var __wasmbox_base=wasmTable.length,__wasmbox_imported=Object.keys(GOT);updateGOT(origExports);LDSO.init();loadDylibs();" +
          "if(!dynamicLibraries.length)__wasmbox_link.record(__wasmbox_glue(),__wasmbox_base,__wasmbox_imported)}",
      },
    ],
  },
  // mergeLibSymbols makes an entry array and a closure per export (~8500): the same loop without them.
  {
    name: "merge symbols",
    edits: [
      {
        find: 'var mergeLibSymbols=(exports,libName)=>{for(var[sym,exp]of Object.entries(exports)){const setImport=target=>{if(!isSymbolDefined(target)){wasmImports[target]=exp}};setImport(sym);const main_alias="__main_argc_argv";if(sym=="main"){setImport(main_alias)}if(sym==main_alias){setImport("main")}}};',
        replace:
          'var mergeLibSymbols=(exports,libName)=>{for(var sym of Object.keys(exports)){var exp=exports[sym];if(!isSymbolDefined(sym)){wasmImports[sym]=exp}if(sym=="main"&&!isSymbolDefined("__main_argc_argv")){wasmImports["__main_argc_argv"]=exp}if(sym=="__main_argc_argv"&&!isSymbolDefined("main")){wasmImports["main"]=exp}}};',
      },
    ],
  },
  // reportUndefinedSymbols walks every GOT entry (~8000, one per export) to find the few still
  // unresolved. Only entries the import proxy created can be unresolved, so walk those, in the
  // same (creation) order: the table slots they get stay identical.
  {
    name: "unresolved GOT entries",
    edits: [
      {
        find: 'var GOTHandler={get(weakImports,symName){var rtn=GOT[symName];if(!rtn){rtn=GOT[symName]=new WebAssembly.Global({value:"i32",mutable:true},-1)}',
        replace:
          'var __wasmbox_got_created=[];var GOTHandler={get(weakImports,symName){var rtn=GOT[symName];if(!rtn){rtn=GOT[symName]=new WebAssembly.Global({value:"i32",mutable:true},-1);__wasmbox_got_created.push(symName)}',
      },
      {
        find: "var reportUndefinedSymbols=()=>{for(var[symName,entry]of Object.entries(GOT)){",
        replace: "var reportUndefinedSymbols=()=>{for(var symName of __wasmbox_got_created.slice()){var entry=GOT[symName];",
      },
    ],
  },
  // The glue's top level adds ~1,800 properties to `Module` one by one, most of them functions.
  // V8 keeps an object whose fields are constant functions in fast mode up to 1,020 properties,
  // copying its property and descriptor arrays on every addition (quadratic, ~6% of an
  // interpreter's CPU in a new thread). Deleting a property that is not the last one added puts
  // the object in dictionary mode first: same properties, same order, no copies.
  {
    name: "dictionary Module",
    edits: [
      {
        find: "async function _createPyodideModule(moduleArg={}){var moduleRtn;var Module=moduleArg;",
        replace:
          "async function _createPyodideModule(moduleArg={}){var moduleRtn;var Module=moduleArg;" +
          "Module.__wasmbox_a=0;Module.__wasmbox_b=0;delete Module.__wasmbox_a;delete Module.__wasmbox_b;",
      },
    ],
  },
  // Emscripten's system() (os.system, ctypes' libc.system) runs a real shell through
  // child_process.spawnSync on Node. The permission model refuses the spawn, but as a JavaScript
  // exception inside a wasm import, which kills the interpreter instead of failing the call: answer
  // as a shell that does not exist would, status 127. (Without this patch bridges.ts stubs
  // child_process itself, which loads it and its dependencies, ~2 ms per interpreter.)
  {
    name: "no shell",
    edits: [
      {
        find: 'var cp=require("node:child_process");var ret=cp.spawnSync(cmdstr,[],{shell:true,stdio:"inherit"});',
        replace: "var ret={status:127,signal:null};",
      },
    ],
  },
  // Node built-ins the glue loads at start-up for what an interpreter here does not need (~2 ms
  // per interpreter): node:tty (and with it net) for the isatty of the process's own fds 0-2,
  // which Pyodide's default stdio readers and writers ask before the runtime sets its own; they
  // are pipes to the executor in a process host (src/host-process/), never terminals. And the
  // perf_hooks modules behind the `performance` global, for the clock: the same monotonic time.
  {
    name: "lazy built-ins",
    edits: [
      { find: 'Ir=h.IN_NODE?A("node:tty"):void 0', replace: "Ir=h.IN_NODE?{isatty:()=>false}:void 0" },
      {
        find: "var _emscripten_get_now=()=>performance.now();",
        replace: "var __wasmbox_now=()=>{var t=process.hrtime();return t[0]*1e3+t[1]/1e6};var _emscripten_get_now=__wasmbox_now;",
      },
      { find: "var _emscripten_performance_now=()=>performance.now();", replace: "var _emscripten_performance_now=__wasmbox_now;" },
    ],
  },
  // The main module's exports made only when first used (export-table.ts, lazy-exports.ts). The
  // hooks do what the original code does unless the instance is the lazy one.
  { name: "lazy exports", edits: [], transform: lazyExports },
];

/** Each text (found once) and what replaces it: calls of the lazy-exports hooks. */
const LAZY_EDITS: [string, string][] = [
  ["var mergeLibSymbols=(exports,libName)=>{", "var mergeLibSymbols=(exports,libName)=>{if(__wasmbox_lazy.merge(exports,wasmImports))return;"],
  // applySignatureConversions' copy of the exports.
  ["wasmExports=Object.assign({},wasmExports);", "wasmExports=__wasmbox_lazy.copy(wasmExports);"],
  // Both list the symbol table (dlsym numbers symbols by their position in it); loading a side module reads it all.
  ["function __dlsym_js(handle,symbol,symbolIndex){", "function __dlsym_js(handle,symbol,symbolIndex){__wasmbox_lazy.materialize(wasmImports);"],
  ["function __dlsym_catchup_js(handle,symbolIndex){", "function __dlsym_catchup_js(handle,symbolIndex){__wasmbox_lazy.materialize(wasmImports);"],
  [
    "var loadWebAssemblyModule=(binary,flags,libName,localScope,handle)=>{",
    "var loadWebAssemblyModule=(binary,flags,libName,localScope,handle)=>{__wasmbox_lazy.materialize(wasmImports);",
  ],
];

/**
 * The edits above and the lazy assignWasmExports, applied in one pass: each edit of a 1.2 MB
 * string made separately cost ~5 ms (a new string to flatten, in fresh pages), on the way to the
 * first execution of every host process.
 */
function lazyExports(src: string): string | undefined {
  const edits: { at: number; end: number; text: string }[] = [];
  for (const [find, replace] of LAZY_EDITS) {
    const at = onlyAt(src, find);
    if (at < 0) return undefined;
    edits.push({ at, end: at + find.length, text: replace });
  }
  const assign = lazyAssignWasmExports(src);
  if (!assign) return undefined;
  edits.push(assign);
  edits.sort((a, b) => a.at - b.at);
  const parts: string[] = [];
  let from = 0;
  for (const e of edits) {
    if (e.at < from) return undefined;
    parts.push(src.slice(from, e.at), e.text);
    from = e.end;
  }
  parts.push(src.slice(from));
  return parts.join("");
}

const ASSIGN_HEAD = "function assignWasmExports(wasmExports){";

/**
 * assignWasmExports is one statement per export, `_name=Module["_name"]=wasmExports["name"]`
 * (`.value>>>0` for data addresses). Statements whose variable the rest of the glue mentions
 * (~120 of ~4,900) stay; the others become one `__wasmbox_lazy.module` call that sets
 * `Module._name` on first use (nothing reads those variables).
 */
function lazyAssignWasmExports(src: string): { at: number; end: number; text: string } | undefined {
  const start = onlyAt(src, ASSIGN_HEAD);
  if (start < 0) return undefined;
  const bodyStart = start + ASSIGN_HEAD.length;
  const end = src.indexOf("}", bodyStart);
  if (end < 0) return undefined;
  const statement = /^([\w$]+)=Module\["([\w$]+)"\]=wasmExports\["([\w$]+)"\](\.value>>>0)?$/;
  const candidates = new Map<string, { s: string; m: RegExpExecArray | null }>();
  const kept: string[] = [];
  for (const s of src.slice(bodyStart, end).split(";")) {
    if (!s) continue;
    const m = statement.exec(s);
    if (!m || m[1] !== m[2] || m[2] !== `_${m[3]}`) kept.push(s);
    else candidates.set(m[1]!, { s, m });
  }
  // Every other mention of a candidate, its `var` declaration included: two or more is a use.
  const mentions = new Map<string, number>();
  // Only the identifiers that start with "_" (a match object for each of the ~150,000 tokens of
  // the file cost ~60 ms on the cold path).
  for (const part of [src.slice(0, start), src.slice(end + 1)])
    for (const id of part.match(/(?<![\w$])_[\w$]*/g) ?? []) if (candidates.has(id)) mentions.set(id, (mentions.get(id) ?? 0) + 1);
  const functions: string[] = [];
  const values: string[] = [];
  for (const [name, { s, m }] of candidates) {
    if ((mentions.get(name) ?? 0) >= 2) kept.push(s);
    else (m![4] ? values : functions).push(m![3]!);
  }
  if (functions.length + values.length === 0) return undefined;
  // Sorted (code unit order, as `<` compares): the hook finds a name by binary search.
  const list = (names: string[]) => JSON.stringify(names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join(" "));
  const lazy = `__wasmbox_lazy.module(Module,wasmExports,${list(functions)},${list(values)})`;
  return { at: bodyStart, end, text: [...kept, lazy].join(";") };
}

/** What the "link replay" patch calls. */
export interface LinkHooks {
  replay(glue: LinkGlue): boolean;
  record(glue: LinkGlue, base: number, imported: string[]): void;
}

const NO_LINK_HOOKS: LinkHooks = { replay: () => false, record: () => {} };

/** Where `find` occurs in `s` when it occurs exactly once, else -1. */
const onlyAt = (s: string, find: string) => {
  const at = s.indexOf(find);
  return at >= 0 && s.indexOf(find, at + find.length) < 0 ? at : -1;
};

/**
 * Patches pyodide.asm.mjs into a script that evaluates to
 * `(metaUrl, importModule, signatureModules, link, lazy) => createPyodideModule`.
 */
export function prepareAsmScript(moduleSource: string, filename: string): AsmScript | undefined {
  let src = moduleSource;
  const applied: string[] = [];
  for (const p of PATCHES) {
    const fits = p.edits.every((e) => (p.all ? src.includes(e.find) : onlyAt(src, e.find) >= 0));
    let patched: string | undefined;
    if (fits) {
      patched = src;
      for (const e of p.edits) patched = p.all ? patched.replaceAll(e.find, e.replace) : patched.replace(e.find, e.replace);
      if (p.transform) patched = p.transform(patched);
    }
    if (patched === undefined) {
      if (p.required) return undefined;
      continue;
    }
    src = patched;
    applied.push(p.name);
  }
  const source = `(function (__wasmbox_meta_url, __wasmbox_import, __wasmbox_sig_modules, __wasmbox_link, __wasmbox_lazy) {"use strict";\n${src}\n})`;
  return { source, filename, patches: applied };
}

/**
 * The script with its source as Latin-1 bytes in shared memory, when every character is Latin-1
 * (it is, for Pyodide's glue): each interpreter thread makes its string with one copy, where a
 * 1 MB string in a message costs the supervisor a copy and the thread a slower one (~5 ms of
 * CPU per interpreter, measured in bare threads). Otherwise as it is.
 */
export function withSharedSource(asm: AsmScript): AsmScript {
  if (typeof asm.source !== "string" || /[^\x00-\xff]/.test(asm.source)) return asm;
  const bytes = new Uint8Array(new SharedArrayBuffer(asm.source.length));
  bytes.set(Buffer.from(asm.source, "latin1"));
  return { ...asm, source: bytes };
}

/**
 * Compiles the prepared script in the current realm. `cachedData` comes from `codeCache()` of an
 * earlier thread of the same host process (same V8 version and flags); V8 rejects a stale one.
 */
export function compileAsmScript(
  asm: AsmScript,
  opts: {
    cachedData?: Uint8Array;
    importModule: (specifier: string) => Promise<unknown>;
    /** Signature wrapper modules and CPython's call trampoline, compiled by an earlier thread (they hold no state). */
    signatureModules?: Map<string, WebAssembly.Module>;
    /** Replays the dynamic linking from a plan, or records one (see link-plan.ts). */
    link?: LinkHooks;
    /** Keeps the exports lazy (lazy-exports.ts); by default the hooks do what the original glue does. */
    lazy?: LazyHooks;
  },
): { factory: AsmFactory; script: vm.Script; signatureModules: Map<string, WebAssembly.Module>; cacheRejected: boolean } {
  const source = typeof asm.source === "string" ? asm.source : Buffer.from(asm.source.buffer, asm.source.byteOffset, asm.source.byteLength).toString("latin1");
  const script = new vm.Script(source, { filename: asm.filename, cachedData: opts.cachedData });
  const wrap = script.runInThisContext() as (
    url: string,
    imp: typeof opts.importModule,
    sig: Map<string, WebAssembly.Module>,
    link: LinkHooks,
    lazy: LazyHooks | undefined,
  ) => AsmFactory;
  const signatureModules = new Map(opts.signatureModules);
  return {
    factory: wrap(pathToFileURL(asm.filename).href, opts.importModule, signatureModules, opts.link ?? NO_LINK_HOOKS, opts.lazy ?? lazyExportHooks()),
    script,
    signatureModules,
    cacheRejected: opts.cachedData !== undefined && script.cachedDataRejected === true,
  };
}
