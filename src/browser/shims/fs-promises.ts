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

export default { readFile, access };
