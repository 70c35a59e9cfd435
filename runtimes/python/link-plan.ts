/**
 * Emscripten's dynamic linking of the main module, recorded once per host process and replayed
 * in every later interpreter. Linking is a deterministic function of pyodide.asm.wasm: every
 * exported function gets a table slot (`updateGOT` → `addFunction`, which first reads the whole
 * table back into JavaScript, then grows it one slot at a time), and the GOT globals the module
 * imports get their values (`updateGOT`, then `reportUndefinedSymbols` for functions implemented
 * in JavaScript). The snapshot's memory holds those table indices, so a replay must give every
 * slot the same function; it does so with one `grow` and direct `set`s, and sets only the GOT
 * globals the module imported (the others serve only side modules, which then resolve through
 * Emscripten's ordinary path).
 *
 * The first interpreter records the plan before any guest code runs; when a later interpreter's
 * table or GOT does not match it, the replay declines and the ordinary linker runs.
 */
import { leb, sleb } from "../../src/wasm/leb128.js";
import { name } from "../../src/wasm/memory-import.js";

/** What the patched glue hands over (its internal variables). */
export interface LinkGlue {
  exports: Record<string, unknown>;
  table: WebAssembly.Table;
  got: Record<string, WebAssembly.Global>;
  /** Emscripten's `resolveGlobalSymbol(name).sym`: a JavaScript library function. */
  resolve(name: string): unknown;
}

/**
 * `slots[i]` says what table slot `base + i` holds: the export at that index of the instance's
 * exports (in their order), or `-2 - j` for the JavaScript function named `js[j]`, wrapped as a
 * wasm function of signature `sigs[j]` (Emscripten's letters), or -1 for an empty slot.
 * `got`: the value of every imported GOT global.
 */
export interface LinkPlan {
  base: number;
  exportCount: number;
  slots: Int32Array;
  js: string[];
  sigs: string[];
  got: Record<string, number>;
}

/** Called by the glue after the ordinary linker ran; `base` and `imported` are from before it. */
export function recordLink(glue: LinkGlue, base: number, imported: string[]): LinkPlan | undefined {
  const names = Object.keys(glue.exports);
  const indexOf = new Map<unknown, number>();
  names.forEach((name, i) => {
    const v = glue.exports[name];
    if (typeof v === "function" && !indexOf.has(v)) indexOf.set(v, i);
  });
  const got: Record<string, number> = {};
  const jsBySlot = new Map<number, string>();
  for (const name of imported) {
    const entry = glue.got[name];
    if (!entry || typeof entry.value !== "number") return undefined;
    got[name] = entry.value;
    if (!(name in glue.exports)) jsBySlot.set(entry.value, name);
  }
  const js: string[] = [];
  const sigs: string[] = [];
  const slots = new Int32Array(glue.table.length - base);
  for (let i = 0; i < slots.length; i++) {
    const f = glue.table.get(base + i);
    const exported = f === null ? -1 : indexOf.get(f);
    const name = jsBySlot.get(base + i);
    const sig = name === undefined ? undefined : (glue.resolve(name) as { sig?: unknown } | undefined)?.sig;
    if (exported !== undefined) slots[i] = exported;
    // The table refused the function itself, so Emscripten wrapped it.
    else if (name !== undefined && f !== glue.resolve(name) && typeof sig === "string" && SIGNATURE.test(sig)) {
      slots[i] = -2 - js.length;
      js.push(name);
      sigs.push(sig);
    } else return undefined;
  }
  return { base, exportCount: names.length, slots, js, sigs, got };
}

/**
 * Links like the ordinary linker did for the recorded interpreter; false (and no change) if it cannot.
 * `wrappers`: `wrapperModule(plan)` compiled once per host process.
 * `prefilled`: the module was rewritten from this plan (export-table.ts), so the table already
 * holds every exported function's slot; only the JavaScript functions and the GOT are left.
 */
export function replayLink(glue: LinkGlue, plan: LinkPlan, wrappers?: WebAssembly.Module, prefilled = false): boolean {
  const { table, exports, got } = glue;
  const size = plan.base + plan.slots.length;
  if (table.length !== (prefilled ? size : plan.base)) return false;
  // (The lazy exports of a rewritten module are not listed: that would make every one of them.)
  const names = prefilled ? [] : Object.keys(exports);
  if (!prefilled && names.length !== plan.exportCount) return false;
  for (const name in got) if (typeof plan.got[name] !== "number") return false;
  const functions: unknown[] = new Array(prefilled ? 0 : plan.slots.length);
  for (let i = 0; i < functions.length; i++) {
    const k = plan.slots[i]!;
    const f = k >= 0 ? exports[names[k]!] : null;
    if (f !== null && typeof f !== "function") return false;
    functions[i] = f;
  }
  const imports: Record<string, unknown> = {};
  for (let j = 0; j < plan.js.length; j++) {
    const f = glue.resolve(plan.js[j]!);
    if (typeof f !== "function") return false;
    imports[`f${j}`] = f;
  }
  const module = wrappers && WebAssembly.Module.imports(wrappers).length === plan.js.length + 1 ? wrappers : new WebAssembly.Module(wrapperModule(plan));
  if (!prefilled) table.grow(plan.slots.length);
  // Its element segments put every wrapped JavaScript function in its slot.
  new WebAssembly.Instance(module, { e: { ...imports, table } } as WebAssembly.Imports);
  for (let i = 0; i < functions.length; i++) if (functions[i] !== null) table.set(plan.base + i, functions[i] as never);
  for (const name in got) got[name]!.value = plan.got[name]!;
  return true;
}

const SIGNATURE = /^[vipjfde][ipjfde]*$/;
const VALUE_TYPE: Record<string, number> = { i: 0x7f, p: 0x7f, j: 0x7e, f: 0x7d, d: 0x7c, e: 0x6f };

/**
 * A wasm module importing `e.f<j>` with signature `sigs[j]` (what Emscripten's
 * convertJsFunctionToWasm makes of each JavaScript function) and the function table `e.table`,
 * whose element segments put each `f<j>` in the slot the plan gives it. It exports nothing: in a
 * new thread, V8 spends ~10 ms preparing the first instance of a module that exports 260
 * functions, against ~0.2 ms for one that puts them in the table itself.
 */
export function wrapperModule(plan: Pick<LinkPlan, "base" | "slots" | "sigs">): Uint8Array<ArrayBuffer> {
  const section = (id: number, items: number[][]) => {
    const body = [...leb(items.length), ...items.flat()];
    return [id, ...leb(body.length), ...body];
  };
  const { sigs } = plan;
  const distinct = [...new Set(sigs)];
  const types = distinct.map((sig) => {
    const params = [...sig.slice(1)].map((c) => VALUE_TYPE[c]!);
    const results = sig[0] === "v" ? [] : [VALUE_TYPE[sig[0]!]!];
    return [0x60, ...leb(params.length), ...params, ...leb(results.length), ...results];
  });
  const imports = sigs.map((sig, j) => [...name("e"), ...name(`f${j}`), 0x00, ...leb(distinct.indexOf(sig))]);
  imports.push([...name("e"), ...name("table"), 0x01, 0x70, 0x00, ...leb(plan.base + plan.slots.length)]);
  // One active segment per run of consecutive JavaScript slots.
  const segments: number[][] = [];
  for (let i = 0; i < plan.slots.length; ) {
    if (plan.slots[i]! >= -1) {
      i++;
      continue;
    }
    const run: number[] = [];
    const start = i;
    for (; i < plan.slots.length && plan.slots[i]! < -1; i++) run.push(...leb(-2 - plan.slots[i]!));
    segments.push([0x00, 0x41, ...sleb(plan.base + start), 0x0b, ...leb(i - start), ...run]);
  }
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...section(1, types), ...section(2, imports), ...section(9, segments)]);
}

/** Bytes: int32 header [base, exportCount, slot count, JSON length], the slots, then JSON of the names. */
export function encodeLinkPlan(plan: LinkPlan): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify({ js: plan.js, sigs: plan.sigs, got: plan.got }));
  const head = 4 * (4 + plan.slots.length);
  const bytes = new Uint8Array(head + json.length);
  const ints = new Int32Array(bytes.buffer, 0, 4 + plan.slots.length);
  ints.set([plan.base, plan.exportCount, plan.slots.length, json.length]);
  ints.set(plan.slots, 4);
  bytes.set(json, head);
  return bytes;
}

/** The bytes may live in shared memory, which TextDecoder refuses: they are copied first. */
export function decodeLinkPlan(shared: Uint8Array): LinkPlan | undefined {
  try {
    const bytes = shared.slice();
    const [base, exportCount, count, jsonLength] = new Int32Array(bytes.buffer, 0, 4);
    const head = 4 * (4 + count!);
    if (head + jsonLength! !== bytes.length) return undefined;
    const { js, sigs, got } = JSON.parse(new TextDecoder().decode(bytes.subarray(head))) as Pick<LinkPlan, "js" | "sigs" | "got">;
    if (!Array.isArray(js) || !Array.isArray(sigs) || js.length !== sigs.length || typeof got !== "object" || got === null) return undefined;
    if (!sigs.every((sig) => typeof sig === "string" && SIGNATURE.test(sig))) return undefined;
    return { base: base!, exportCount: exportCount!, slots: new Int32Array(bytes.buffer, 16, count), js, sigs, got };
  } catch {
    return undefined;
  }
}
