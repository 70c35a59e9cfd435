/**
 * Running a compiled program on the linear memory of the previous execution, zeroed, instead of
 * a fresh one. A fresh memory costs a page fault per page the module's data and start-up touch,
 * and later a GC to release it: for Go's hello world ~360 pages, which on the VMs this project
 * runs on (20-60 µs a fault) made instantiate + start 17-23 ms of CPU; on a kept memory that is
 * zeroed it is 6 ms (zeroing 25 MiB of resident memory: ~1.6 ms).
 *
 * Only for modules that ask for it with a custom section: the program's allocator must start its
 * heap at the module's initial memory size rather than at the memory's current size, or it would
 * grow the memory on every execution (Go with scripts/go-runtime-overlay.mjs does). Such a module
 * is rewritten to import its memory, and the sandbox host supplies one: a kept memory, filled
 * with zeros right before the instance is made, so nothing of an earlier program (its data, its
 * heap, the static data of a module instantiated but never run) is visible to the next one.
 */
import { leb, readLeb } from "../../src/wasi/leb128.js";

/** The custom section a module carries when its allocator allows a reused memory. */
export const MEMORY_REUSE_SECTION = "wasmbox.memory-reuse";
/** Where the rewritten module imports its memory from. */
export const MEMORY_IMPORT = { module: "wasmbox", name: "memory" } as const;

const PAGE = 65536;
/** A memory that grew past this is dropped rather than kept: zeroing it would cost more than it saves. */
const KEEP_LIMIT_BYTES = 64 * 2 ** 20;

/** Limits of the imported memory, in 64 KiB pages. */
export interface MemoryShape {
  initial: number;
  maximum: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function name(s: string): number[] {
  const bytes = encoder.encode(s);
  return [...leb(bytes.length), ...bytes];
}

/** Appends the marker section (a module stays valid with any custom section at its end). */
export function markMemoryReuse(wasm: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const body = [...name(MEMORY_REUSE_SECTION), 1];
  const section = [0, ...leb(body.length), ...body];
  const out = new Uint8Array(wasm.length + section.length);
  out.set(wasm, 0);
  out.set(section, wasm.length);
  return out;
}

interface Section {
  id: number;
  start: number;
  body: number;
  end: number;
}

function sections(wasm: Uint8Array): Section[] {
  const out: Section[] = [];
  let pos = 8;
  while (pos < wasm.length) {
    const [size, body] = readLeb(wasm, pos + 1);
    out.push({ id: wasm[pos]!, start: pos, body, end: body + size });
    pos = body + size;
  }
  return out;
}

function hasMarker(wasm: Uint8Array, all: Section[]): boolean {
  return all.some((s) => {
    if (s.id !== 0) return false;
    const [len, at] = readLeb(wasm, s.body);
    return decoder.decode(wasm.subarray(at, at + len)) === MEMORY_REUSE_SECTION;
  });
}

/** Skips a `limits` at `p`; returns [flags, min, max | undefined, next]. */
function readLimits(wasm: Uint8Array, p: number): [number, number, number | undefined, number] {
  const flags = wasm[p]!;
  const [min, afterMin] = readLeb(wasm, p + 1);
  if (!(flags & 0x01)) return [flags, min, undefined, afterMin];
  const [max, afterMax] = readLeb(wasm, afterMin);
  return [flags, min, max, afterMax];
}

/** True when the import section (if any) already imports a memory; undefined when it cannot be read. */
function importsMemory(wasm: Uint8Array, imports: Section | undefined): boolean | undefined {
  if (!imports) return false;
  let [count, p] = readLeb(wasm, imports.body);
  for (; count > 0; count--) {
    for (let i = 0; i < 2; i++) {
      const [len, at] = readLeb(wasm, p);
      p = at + len;
    }
    const kind = wasm[p++]!;
    if (kind === 0) p = readLeb(wasm, p)[1];
    else if (kind === 1) p = readLimits(wasm, p + 1)[3];
    else if (kind === 2) return true;
    else if (kind === 3) p += 2;
    else return undefined;
  }
  return false;
}

/**
 * For a marked module with one defined, capped, unshared 32-bit memory: the module rewritten to
 * import that memory from {@link MEMORY_IMPORT}, and the memory's limits. Otherwise undefined
 * (the module is run as it is, on a fresh memory of its own).
 */
export function importMemory(wasm: Uint8Array<ArrayBuffer>): { wasm: Uint8Array<ArrayBuffer>; memory: MemoryShape } | undefined {
  const all = sections(wasm);
  if (!hasMarker(wasm, all)) return undefined;
  const memorySection = all.find((s) => s.id === 5);
  const importSection = all.find((s) => s.id === 2);
  if (!memorySection || importsMemory(wasm, importSection) !== false) return undefined;
  const [count, at] = readLeb(wasm, memorySection.body);
  if (count !== 1) return undefined;
  const [flags, initial, maximum, end] = readLimits(wasm, at);
  if (flags !== 0x01 || maximum === undefined || end !== memorySection.end) return undefined;

  const entry = [...name(MEMORY_IMPORT.module), ...name(MEMORY_IMPORT.name), 2, 0x01, ...leb(initial), ...leb(maximum)];
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
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return { wasm: out, memory: { initial, maximum } };
}

/** Per sandbox host: the memory of the last execution, kept for the next instance. */
export class MemoryReuse {
  private kept?: { memory: WebAssembly.Memory; maximum: number };

  /** A memory for a new instance: the kept one, zeroed, if it fits the shape; otherwise a fresh one. */
  take(shape: MemoryShape): WebAssembly.Memory {
    const kept = this.kept;
    this.kept = undefined;
    if (kept && kept.maximum === shape.maximum && kept.memory.buffer.byteLength >= shape.initial * PAGE) {
      new Uint8Array(kept.memory.buffer).fill(0);
      return kept.memory;
    }
    return new WebAssembly.Memory({ initial: shape.initial, maximum: shape.maximum });
  }

  /** Keeps the memory of an instance that will not run again (zeroed when it is next taken). */
  give(memory: WebAssembly.Memory, shape: MemoryShape): void {
    if (memory.buffer.byteLength <= KEEP_LIMIT_BYTES) this.kept = { memory, maximum: shape.maximum };
  }
}
