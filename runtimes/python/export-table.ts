/**
 * pyodide.asm.wasm exports 8,560 names (7,415 functions, 1,141 data addresses as globals): every
 * C symbol, for dynamic linking. V8 builds all of them into the instance's exports object when
 * it instantiates (~40 ms of CPU per interpreter here, most of the instantiation), and
 * Emscripten's linker then copies them around and puts every function in the table.
 *
 * This rewrite, made once per host process, leaves those costs to the names actually used:
 * - the exported functions go, in export order, into a new table (exported as `TABLE_EXPORT`),
 *   from which lazy-exports.ts fetches one when it is first asked for;
 * - the exported data addresses (immutable i32 globals with a constant value) become numbers
 *   in `LazyExportsInfo`;
 * - the function table gets, at instantiation, the slots Emscripten's linker would give every
 *   exported function (from the link plan an earlier interpreter recorded, link-plan.ts), so the
 *   linker has only the few JavaScript functions and GOT values left to set.
 * Everything else (memory, tables, tags, mutable globals) stays exported as it was.
 */
import { leb, readLeb, readSleb32, sleb } from "../../src/wasm/leb128.js";
import { concatBytes, importKinds, name, sections, type Section } from "../../src/wasm/memory-import.js";
import type { LinkPlan } from "./link-plan.js";

export const TABLE_EXPORT = "__wasmbox_exports";

/**
 * What the guest needs to answer for every original export: `names` in export order, and per
 * name its `slot`: >= 0 in the exports table, -1 still a real export, -2 - i the data address
 * `values[i]`.
 */
export interface LazyExportsInfo {
  names: string[];
  slots: number[];
  values: number[];
}

interface Export {
  name: string;
  kind: number;
  index: number;
  bytes: Uint8Array;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

function readExports(wasm: Uint8Array, s: Section): Export[] {
  const out: Export[] = [];
  let [count, p] = readLeb(wasm, s.body);
  for (; count > 0; count--) {
    const start = p;
    const [len, at] = readLeb(wasm, p);
    const name = decoder.decode(wasm.subarray(at, at + len));
    p = at + len;
    const kind = wasm[p++]!;
    const [index, next] = readLeb(wasm, p);
    p = next;
    out.push({ name, kind, index, bytes: wasm.subarray(start, p) });
  }
  return out;
}

/**
 * Values of the defined globals that are immutable i32s initialised by a constant, by global
 * index; others are absent. Stops (returns what it has) at anything it does not read.
 */
function constantGlobals(wasm: Uint8Array, s: Section | undefined, imported: number): Map<number, number> {
  const out = new Map<number, number>();
  if (!s) return out;
  let [count, p] = readLeb(wasm, s.body);
  for (let i = 0; i < count; i++) {
    const type = wasm[p]!;
    const mutable = wasm[p + 1]!;
    p += 2;
    if (wasm[p] === 0x41) {
      const [value, next] = readSleb32(wasm, p + 1);
      if (wasm[next] !== 0x0b) return out;
      if (type === 0x7f && mutable === 0) out.set(imported + i, value);
      p = next + 1;
    } else {
      // Other constant expressions: skip to their `end` when they are a single simple instruction.
      const op = wasm[p]!;
      if (op === 0x23) p = readLeb(wasm, p + 1)[1];
      else if (op === 0x42) p = readSleb64End(wasm, p + 1);
      else if (op === 0x44) p += 9;
      else if (op === 0x43) p += 5;
      else return out;
      if (wasm[p] !== 0x0b) return out;
      p++;
    }
  }
  return out;
}

function readSleb64End(wasm: Uint8Array, p: number): number {
  while (wasm[p++]! & 0x80);
  return p;
}

/** `[reftype, flags, min, max?]` of each defined table and the section's end position check. */
function readTables(wasm: Uint8Array, s: Section): { type: number; min: number; max?: number }[] | undefined {
  const out: { type: number; min: number; max?: number }[] = [];
  let [count, p] = readLeb(wasm, s.body);
  for (; count > 0; count--) {
    const type = wasm[p++]!;
    const flags = wasm[p++]!;
    if (flags !== 0 && flags !== 1) return undefined;
    const [min, afterMin] = readLeb(wasm, p);
    p = afterMin;
    let max: number | undefined;
    if (flags === 1) [max, p] = readLeb(wasm, p);
    out.push({ type, min, max });
  }
  return p === s.end ? out : undefined;
}

const encoder = new TextEncoder();

/**
 * The module with its function and constant-global exports moved behind a table, and the
 * table slots `plan` describes filled at instantiation; undefined when the module is not
 * shaped as expected (then it is used as it is).
 */
export function exportsBehindTable(
  wasm: Uint8Array,
  plan: Pick<LinkPlan, "base" | "exportCount" | "slots">,
): { wasm: Uint8Array<ArrayBuffer>; info: LazyExportsInfo } | undefined {
  const all = sections(wasm);
  const find = (id: number) => all.find((s) => s.id === id);
  const exportSection = find(7);
  const tableSection = find(4);
  const elementSection = find(9);
  const imported = importKinds(wasm, find(2));
  const counts = imported && { tables: imported.filter((k) => k === 1).length, globals: imported.filter((k) => k === 3).length };
  if (!exportSection || !tableSection || !counts || all.filter((s) => s.id === 7 || s.id === 4 || s.id === 9).length > 3) return undefined;
  const exports = readExports(wasm, exportSection);
  if (exports.length !== plan.exportCount || exports.some((e) => e.name === TABLE_EXPORT || e.name.includes("\n") || /^(0|[1-9]\d*)$/.test(e.name))) return undefined;
  const tables = readTables(wasm, tableSection);
  const functionTable = exports.find((e) => e.name === "__indirect_function_table" && e.kind === 1);
  if (!tables || !functionTable || functionTable.index < counts.tables) return undefined;
  const defined = tables[functionTable.index - counts.tables]!;
  if (defined.type !== 0x70 || defined.min !== plan.base) return undefined;
  const end = plan.base + plan.slots.length;
  if (defined.max !== undefined && defined.max < end) return undefined;

  const constants = constantGlobals(wasm, find(6), counts.globals);
  const functions = exports.filter((e) => e.kind === 0);
  const kept: Export[] = [];
  const slots: number[] = [];
  const values: number[] = [];
  let functionSlot = 0;
  for (const e of exports) {
    if (e.kind === 0) slots.push(functionSlot++);
    else if (e.kind === 3 && constants.has(e.index)) {
      slots.push(-2 - values.length);
      values.push(constants.get(e.index)!);
    } else {
      slots.push(-1);
      kept.push(e);
    }
  }

  // Tables: the function table grows to what the linker would have made it; a new one holds the exports.
  const newTable = counts.tables + tables.length;
  const tableBody: number[] = [...leb(tables.length + 1)];
  tables.forEach((t, i) => {
    const min = i === functionTable.index - counts.tables ? end : t.min;
    tableBody.push(t.type, t.max === undefined ? 0 : 1, ...leb(min), ...(t.max === undefined ? [] : leb(t.max)));
  });
  tableBody.push(0x70, 0x00, ...leb(functions.length));

  // Element segments: the linker's slots (expressions, for the empty and JavaScript slots), and the exports table.
  const slotExprs: number[] = [];
  for (let i = 0; i < plan.slots.length; i++) {
    const k = plan.slots[i]!;
    const exported = k >= 0 ? exports[k] : undefined;
    if (k >= 0 && exported?.kind !== 0) return undefined;
    slotExprs.push(...(exported ? [0xd2, ...leb(exported.index), 0x0b] : [0xd0, 0x70, 0x0b]));
  }
  const segments = [
    [0x06, ...leb(functionTable.index), 0x41, ...sleb(plan.base), 0x0b, 0x70, ...leb(plan.slots.length), ...slotExprs],
    [0x02, ...leb(newTable), 0x41, 0x00, 0x0b, 0x00, ...leb(functions.length), ...functions.flatMap((f) => leb(f.index))],
  ];
  let elementBody: number[];
  if (elementSection) {
    const [n, first] = readLeb(wasm, elementSection.body);
    elementBody = [...leb(n + segments.length), ...wasm.subarray(first, elementSection.end), ...segments.flat()];
  } else elementBody = [...leb(segments.length), ...segments.flat()];

  const exportBody = [...leb(kept.length + 1), ...kept.flatMap((e) => [...e.bytes]), ...name(TABLE_EXPORT), 0x01, ...leb(newTable)];

  const replaced = new Map<number, number[]>([
    [4, tableBody],
    [7, exportBody],
    [9, elementBody],
  ]);
  const parts: Uint8Array[] = [wasm.subarray(0, 8)];
  let elementPlaced = elementSection !== undefined;
  for (const s of all) {
    // Without an element section, the new one goes before code (10) / data count (12) / data (11).
    if (!elementPlaced && s.id !== 0 && (s.id === 10 || s.id === 11 || s.id === 12)) {
      parts.push(Uint8Array.from([9, ...leb(elementBody.length), ...elementBody]));
      elementPlaced = true;
    }
    const body = replaced.get(s.id);
    parts.push(body ? Uint8Array.from([s.id, ...leb(body.length), ...body]) : wasm.subarray(s.start, s.end));
  }
  if (!elementPlaced) return undefined;
  return { wasm: concatBytes(parts), info: { names: exports.map((e) => e.name), slots, values } };
}

/**
 * What a guest reads: the names sorted (so that it can look one up by binary search instead of
 * building an index of 8,560 names in every interpreter), with, per sorted name, its position
 * in export order and its `slot` (>= 0 in the exports table, -1 a real export, -2 - i the data
 * address `values[i]`). Names are read from the bytes when looked up or asked for: decoding and
 * splitting them all cost every interpreter ~0.7 MB of allocations.
 */
export interface LazyExportsIndex {
  count: number;
  /** The `i`-th name in sorted order. */
  name(i: number): string;
  /** Position of `name` in sorted order, or -1. */
  find(name: string): number;
  order: Int32Array;
  slot: Int32Array;
  values: Int32Array;
}

/**
 * Bytes: int32 [count, value count, names' byte length], order, slot, the names' start offsets
 * (count + 1), values, then the names (ASCII, sorted by UTF-16 code units as `<` compares).
 * Undefined when a name is not ASCII (the guest compares names with bytes).
 */
export function encodeLazyExports(info: LazyExportsInfo): Uint8Array | undefined {
  if (info.names.some((n) => !/^[\x00-\x7f]*$/.test(n))) return undefined;
  const count = info.names.length;
  const byName = info.names.map((_, i) => i).sort((a, b) => (info.names[a]! < info.names[b]! ? -1 : info.names[a]! > info.names[b]! ? 1 : 0));
  const names = encoder.encode(byName.map((i) => info.names[i]).join(""));
  const offsets = new Int32Array(count + 1);
  byName.forEach((i, k) => (offsets[k + 1] = offsets[k]! + info.names[i]!.length));
  const ints = 3 + 3 * count + 1 + info.values.length;
  const bytes = new Uint8Array(ints * 4 + names.length);
  const view = new Int32Array(bytes.buffer, 0, ints);
  view.set([count, info.values.length, names.length]);
  view.set(byName, 3);
  view.set(byName.map((i) => info.slots[i]!), 3 + count);
  view.set(offsets, 3 + 2 * count);
  view.set(info.values, 3 + 3 * count + 1);
  bytes.set(names, ints * 4);
  return bytes;
}

/** Copies `shared` first: nothing a guest changes reaches the next interpreter. */
export function decodeLazyExports(shared: Uint8Array): LazyExportsIndex | undefined {
  try {
    const bytes = shared.slice();
    const [count, valueCount, namesLength] = new Int32Array(bytes.buffer, 0, 3) as unknown as [number, number, number];
    const ints = 3 + 3 * count + 1 + valueCount;
    if (count < 0 || valueCount < 0 || ints * 4 + namesLength !== bytes.length) return undefined;
    const offsets = new Int32Array(bytes.buffer, 12 + 8 * count, count + 1);
    if (offsets[0] !== 0 || offsets[count] !== namesLength) return undefined;
    const names = bytes.subarray(ints * 4);
    const name = (i: number) => String.fromCharCode(...names.subarray(offsets[i]!, offsets[i + 1]!));
    // Sign of (`key` - the i-th name), by UTF-16 code units (the names are ASCII).
    const compare = (key: string, i: number) => {
      const from = offsets[i]!;
      const length = offsets[i + 1]! - from;
      for (let k = 0; k < key.length && k < length; k++) {
        const d = key.charCodeAt(k) - names[from + k]!;
        if (d !== 0) return d;
      }
      return key.length - length;
    };
    const find = (key: string) => {
      let lo = 0;
      let hi = count - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const c = compare(key, mid);
        if (c === 0) return mid;
        if (c > 0) lo = mid + 1;
        else hi = mid - 1;
      }
      return -1;
    };
    return {
      count,
      name,
      find,
      order: new Int32Array(bytes.buffer, 12, count),
      slot: new Int32Array(bytes.buffer, 12 + 4 * count, count),
      values: new Int32Array(bytes.buffer, 12 + 12 * count + 4, valueCount),
    };
  } catch {
    return undefined;
  }
}
