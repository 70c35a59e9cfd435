/**
 * Memory snapshots of booted wasm instances: boot an interpreter once, keep its linear memory,
 * and give every job a fresh instance whose memory is overwritten with the snapshot.
 */

import { leb, readLeb, rewriteSection } from "./leb128.js";

const PAGE = 4096;

/** The non-zero parts of a memory image: a fresh memory is all zeros, so only these are copied. */
export interface MemorySnapshot {
  byteLength: number;
  runs: { offset: number; bytes: Uint8Array }[];
}

/**
 * `view`: the runs are views of the memory, not copies, for a snapshot encoded at once (before
 * the memory changes): no second copy of the image is made and left for the collector.
 */
export function takeSnapshot(memory: WebAssembly.Memory, view = false): MemorySnapshot {
  // Read in place: the memory is not running, and copying it whole first would double it for a while.
  const image = new Uint8Array(memory.buffer);
  // 32-bit words: a BigUint64Array read makes a BigInt per element (~10x slower on a 100 MB memory).
  const words = new Int32Array(memory.buffer, 0, image.byteLength >>> 2);
  const runs: MemorySnapshot["runs"] = [];
  let start = -1;
  const pages = Math.ceil(image.byteLength / PAGE);
  for (let p = 0; p <= pages; p++) {
    let nonZero = false;
    if (p < pages) {
      const end = Math.min(((p + 1) * PAGE) / 4, words.length);
      for (let i = (p * PAGE) / 4; i < end; i++)
        if (words[i] !== 0) {
          nonZero = true;
          break;
        }
    }
    if (nonZero && start < 0) start = p;
    if (!nonZero && start >= 0) {
      const end = Math.min(p * PAGE, image.byteLength);
      runs.push({ offset: start * PAGE, bytes: view ? image.subarray(start * PAGE, end) : image.slice(start * PAGE, end) });
      start = -1;
    }
  }
  return { byteLength: image.byteLength, runs };
}

/**
 * A snapshot as one byte array in shared memory, to be shared by every host without a copy: a
 * header of 32-bit words (byteLength, run count, then offset and length of each run) and the
 * runs' bytes after it.
 */
export function encodeSnapshot(snapshot: MemorySnapshot): Uint8Array<SharedArrayBuffer> {
  const header = 8 + snapshot.runs.length * 8;
  const out = new Uint8Array(new SharedArrayBuffer(header + snapshot.runs.reduce((n, r) => n + r.bytes.byteLength, 0)));
  const words = new DataView(out.buffer);
  words.setUint32(0, snapshot.byteLength, true);
  words.setUint32(4, snapshot.runs.length, true);
  let at = header;
  snapshot.runs.forEach((run, i) => {
    words.setUint32(8 + i * 8, run.offset, true);
    words.setUint32(12 + i * 8, run.bytes.byteLength, true);
    out.set(run.bytes, at);
    at += run.bytes.byteLength;
  });
  return out;
}

/** The snapshot `encodeSnapshot` made; its runs are views of `bytes`, not copies. */
export function decodeSnapshot(bytes: Uint8Array): MemorySnapshot {
  const words = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = words.getUint32(4, true);
  const runs: MemorySnapshot["runs"] = [];
  let at = 8 + count * 8;
  for (let i = 0; i < count; i++) {
    const length = words.getUint32(12 + i * 8, true);
    runs.push({ offset: words.getUint32(8 + i * 8, true), bytes: bytes.subarray(at, at + length) });
    at += length;
  }
  if (at !== bytes.byteLength) throw new Error("wasmbox: internal: a memory snapshot's encoding is inconsistent");
  return { byteLength: words.getUint32(0, true), runs };
}

/** Writes a snapshot into a fresh (all-zero) memory, growing it to the snapshot's size. */
export function restoreSnapshot(memory: WebAssembly.Memory, snapshot: MemorySnapshot): void {
  const missing = snapshot.byteLength - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / 65536));
  const view = new Uint8Array(memory.buffer);
  for (const run of snapshot.runs) view.set(run.bytes, run.offset);
}

/**
 * Puts a used memory of the snapshot's size back into the snapshot's exact state: every byte
 * outside the runs zeroed, the runs copied. The pages a job wrote are already mapped, so this
 * costs a read of the memory and a memset/memcpy of what changed instead of a page fault per page;
 * pages no job wrote stay unmapped.
 */
export function resetToSnapshot(memory: WebAssembly.Memory, snapshot: MemorySnapshot): void {
  if (memory.buffer.byteLength !== snapshot.byteLength) throw new Error("wasmbox: internal: a memory is reset only to a snapshot of its own size");
  const view = new Uint8Array(memory.buffer);
  const words = new Int32Array(memory.buffer, 0, view.byteLength >>> 2);
  let at = 0;
  for (const run of snapshot.runs) {
    zeroDirtyPages(view, words, at, run.offset);
    view.set(run.bytes, run.offset);
    at = run.offset + run.bytes.byteLength;
  }
  zeroDirtyPages(view, words, at, view.byteLength);
}

/**
 * Zeroes [from, to) page by page, writing only pages that hold a non-zero byte: a page no job
 * wrote is read (never faulted in for writing) and stays out of the host's resident memory.
 */
function zeroDirtyPages(view: Uint8Array, words: Int32Array, from: number, to: number): void {
  for (let at = from; at < to; ) {
    const end = Math.min(to, (Math.floor(at / PAGE) + 1) * PAGE);
    let dirty = at % 4 !== 0 || end % 4 !== 0;
    for (let i = at >>> 2; !dirty && i < end >>> 2; i++) if (words[i] !== 0) dirty = true;
    if (dirty) view.fill(0, at, end);
    at = end;
  }
}

/**
 * A copy of `module` whose data segments are empty (same count, so the code still validates).
 * Instances restored from a snapshot already hold that data in memory; instantiating the data
 * (tens of MB for interpreters that embed their stdlib) is most of the instantiation cost.
 * Only valid when the code does not read a segment again after the snapshot was taken.
 */
export function withoutDataSegments(module: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  return (
    rewriteSection(module, 11, (m, start) => {
      const [count] = readLeb(m, start);
      const body = [...leb(count)];
      for (let i = 0; i < count; i++) body.push(1, 0); // passive, zero bytes
      return body;
    }) ?? module
  );
}
