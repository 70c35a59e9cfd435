/** `node:fs/promises` in a sandbox worker: `readFile` of a runtime asset (see ../asset-store.ts). */
import { getAsset } from "../asset-store.js";

function missing(path: string): Error {
  return Object.assign(
    new Error(`wasmbox: "${path}" is not among the assets handed to this worker; run \`npx wasmbox assets <dir>\` and serve <dir> at assetsBaseUrl`),
    { code: "ENOENT" },
  );
}

export async function readFile(path: string | URL): Promise<Uint8Array> {
  const p = String(path);
  const bytes = getAsset(p);
  if (!bytes) throw missing(p);
  return bytes;
}

export async function access(path: string): Promise<void> {
  if (!getAsset(String(path))) throw missing(String(path));
}

/** A read-only handle on an asset (what an adapter's whole-file read needs). */
export async function open(path: string | URL) {
  const p = String(path);
  const bytes = getAsset(p);
  if (!bytes) throw missing(p);
  return {
    stat: async () => ({ size: bytes.byteLength }),
    read: async (into: Uint8Array, offset: number, length: number, position: number) => {
      const chunk = bytes.subarray(position, position + length);
      into.set(chunk, offset);
      return { bytesRead: chunk.byteLength, buffer: into };
    },
    close: async () => {},
  };
}

// No cache directory in a browser worker: the adapters never call these there.
const unavailable = async (): Promise<never> => {
  throw new Error("wasmbox: writing files is not available in the browser build");
};
export const stat = unavailable;
export const readdir = unavailable;
export const mkdir = unavailable;
export const rename = unavailable;
export const rm = unavailable;

export default { readFile, access, open, stat, readdir, mkdir, rename, rm };
