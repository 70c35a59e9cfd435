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
import { leb, readLeb } from "../../src/wasm/leb128.js";
import { memoryToImport, name, sections, type MemoryShape, type Section } from "../../src/wasm/memory-import.js";

export type { MemoryShape };

/** The custom section a module carries when its allocator allows a reused memory. */
export const MEMORY_REUSE_SECTION = "wasmbox.memory-reuse";
/** Where the rewritten module imports its memory from. */
export const MEMORY_IMPORT = { module: "wasmbox", name: "memory" } as const;

const PAGE = 65536;
/** A memory that grew past this is dropped rather than kept: zeroing it would cost more than it saves. */
const KEEP_LIMIT_BYTES = 64 * 2 ** 20;

const decoder = new TextDecoder();

/** Appends the marker section (a module stays valid with any custom section at its end). */
export function markMemoryReuse(wasm: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const body = [...name(MEMORY_REUSE_SECTION), 1];
  const section = [0, ...leb(body.length), ...body];
  const out = new Uint8Array(wasm.length + section.length);
  out.set(wasm, 0);
  out.set(section, wasm.length);
  return out;
}

function hasMarker(wasm: Uint8Array, all: Section[]): boolean {
  return all.some((s) => {
    if (s.id !== 0) return false;
    const [len, at] = readLeb(wasm, s.body);
    return decoder.decode(wasm.subarray(at, at + len)) === MEMORY_REUSE_SECTION;
  });
}

/**
 * For a marked module with one defined, capped, unshared 32-bit memory: the module rewritten to
 * import that memory from {@link MEMORY_IMPORT}, and the memory's limits. Otherwise undefined
 * (the module is run as it is, on a fresh memory of its own).
 */
export function importMemory(wasm: Uint8Array<ArrayBuffer>): { wasm: Uint8Array<ArrayBuffer>; memory: MemoryShape } | undefined {
  const all = sections(wasm);
  if (!hasMarker(wasm, all)) return undefined;
  return memoryToImport(wasm, MEMORY_IMPORT, all);
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
