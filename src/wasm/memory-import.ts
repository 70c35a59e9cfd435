/**
 * Rewriting a wasm module so that the memory it defines becomes an import: the host can then give
 * an instance a memory whose pages are already mapped (a memory an earlier instance used, zeroed)
 * instead of a fresh one, whose every page costs a fault when first touched. Functions, globals,
 * tables, data and exports keep their indices; an export of the memory now exports the import.
 * Used for Go and Rust programs (runtimes/compiled/memory-reuse.ts) and Pyodide
 * (runtimes/python/index.ts).
 */
import { leb, readLeb } from "./leb128.js";

/** Limits of the imported memory, in 64 KiB pages. */
export interface MemoryShape {
  initial: number;
  maximum: number;
}

export interface Section {
  id: number;
  /** Offset of the section's id byte. */
  start: number;
  /** Offset of its contents. */
  body: number;
  end: number;
}

export function sections(wasm: Uint8Array): Section[] {
  const out: Section[] = [];
  let pos = 8;
  while (pos < wasm.length) {
    const [size, body] = readLeb(wasm, pos + 1);
    out.push({ id: wasm[pos]!, start: pos, body, end: body + size });
    pos = body + size;
  }
  return out;
}

const encoder = new TextEncoder();

/** A wasm `name`: its length, then its UTF-8 bytes. */
export function name(s: string): number[] {
  const bytes = encoder.encode(s);
  return [...leb(bytes.length), ...bytes];
}

/** Skips a `limits` at `p`; returns [flags, min, max | undefined, next]. */
function readLimits(wasm: Uint8Array, p: number): [number, number, number | undefined, number] {
  const flags = wasm[p]!;
  const [min, afterMin] = readLeb(wasm, p + 1);
  if (!(flags & 0x01)) return [flags, min, undefined, afterMin];
  const [max, afterMax] = readLeb(wasm, afterMin);
  return [flags, min, max, afterMax];
}

/**
 * The kind of every import (0 function, 1 table, 2 memory, 3 global, 4 tag), in order; undefined
 * when the section cannot be read.
 */
export function importKinds(wasm: Uint8Array, imports: Section | undefined): number[] | undefined {
  const kinds: number[] = [];
  if (!imports) return kinds;
  let [count, p] = readLeb(wasm, imports.body);
  for (; count > 0; count--) {
    for (let i = 0; i < 2; i++) {
      const [len, at] = readLeb(wasm, p);
      p = at + len;
    }
    const kind = wasm[p++]!;
    if (kind === 0) p = readLeb(wasm, p)[1];
    else if (kind === 1) p = readLimits(wasm, p + 1)[3];
    else if (kind === 2) p = readLimits(wasm, p)[3];
    else if (kind === 3) p += 2;
    else if (kind === 4) p = readLeb(wasm, p + 1)[1];
    else return undefined;
    kinds.push(kind);
  }
  return kinds;
}

/**
 * For a module with one defined, capped, unshared 32-bit memory: the module rewritten to import
 * that memory as `from.module`.`from.name` (declared shared when `shared`: such a memory can be
 * given to another thread), and the memory's limits. Otherwise undefined (run it as it is).
 * `from.initial`, pages: a smaller initial size to declare (the memory grows from there as the
 * program's allocator asks), so that a kept memory holds only what programs actually used.
 */
export function memoryToImport(
  wasm: Uint8Array,
  from: { module: string; name: string; shared?: boolean; initial?: number },
  all: Section[] = sections(wasm),
): { wasm: Uint8Array<ArrayBuffer>; memory: MemoryShape } | undefined {
  const memorySection = all.find((s) => s.id === 5);
  const importSection = all.find((s) => s.id === 2);
  const kinds = importKinds(wasm, importSection);
  if (!memorySection || !kinds || kinds.includes(2)) return undefined;
  const [count, at] = readLeb(wasm, memorySection.body);
  if (count !== 1) return undefined;
  const [flags, declared, maximum, end] = readLimits(wasm, at);
  if (flags !== 0x01 || maximum === undefined || end !== memorySection.end) return undefined;
  const initial = Math.min(declared, from.initial ?? declared);

  const entry = [...name(from.module), ...name(from.name), 2, from.shared ? 0x03 : 0x01, ...leb(initial), ...leb(maximum)];
  let importBody: number[];
  if (importSection) {
    const [n, first] = readLeb(wasm, importSection.body);
    importBody = [...leb(n + 1), ...wasm.subarray(first, importSection.end), ...entry];
  } else {
    importBody = [...leb(1), ...entry];
  }
  const newImports = Uint8Array.from([2, ...leb(importBody.length), ...importBody]);
  const parts: Uint8Array[] = [wasm.subarray(0, 8)];
  let placed = false;
  for (const s of all) {
    // Known sections keep their order: the import section (2) comes before function (3) and memory (5).
    if (!placed && s.id !== 0 && s.id >= 2) {
      parts.push(newImports);
      placed = true;
    }
    if (s.id === 2 || s.id === 5) continue;
    parts.push(wasm.subarray(s.start, s.end));
  }
  if (!placed) parts.push(newImports);
  return { wasm: concatBytes(parts), memory: { initial, maximum } };
}

/** The parts one after the other, in one new array (a rewritten module from its sections). */
export function concatBytes(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}
