/**
 * Whole-file reads of large assets (wasm modules, snapshots): one read call where the system
 * allows, into a buffer of the file's size, and optionally into shared memory (one copy that every
 * host thread reads). `readFile` reads in 512 KiB turns of the thread pool, ~3x slower for 30 MB.
 */
import { open, type FileHandle } from "node:fs/promises";

export function readWholeFile(file: string): Promise<Uint8Array<ArrayBuffer>>;
export function readWholeFile(file: string, opts: { shared: true }): Promise<Uint8Array<SharedArrayBuffer>>;
export async function readWholeFile(file: string, opts: { shared?: boolean } = {}): Promise<Uint8Array> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    const bytes = new Uint8Array(opts.shared ? new SharedArrayBuffer(size) : new ArrayBuffer(size));
    if (!(await readExactly(handle, bytes, 0))) throw new Error(`wasmbox: ${file} ended before its ${size} bytes were read (it changed while read; a cache file can be deleted to have it made again)`);
    return bytes;
  } finally {
    await handle.close();
  }
}

/** Fills `into` from the file's `position` on; false if the file ends first. */
export async function readExactly(handle: FileHandle, into: Uint8Array, position: number): Promise<boolean> {
  for (let at = 0; at < into.byteLength; ) {
    const { bytesRead } = await handle.read(into, at, into.byteLength - at, position + at);
    if (bytesRead === 0) return false;
    at += bytesRead;
  }
  return true;
}
