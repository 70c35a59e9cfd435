/**
 * API keys: `X-API-Key` checked against the configured keys in constant time. Without keys the
 * server is open, so it may then only listen on loopback unless the operator says otherwise.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { isIP } from "node:net";

/** Keys from a comma-separated list, as in `WASMBOX_API_KEYS`. */
export function parseKeyList(list: string | undefined): string[] {
  return (list ?? "")
    .split(",")
    .map((k) => k.trim())
    .filter((k) => k.length > 0);
}

/** One key per line; blank lines and `#` comments are ignored. */
export function readKeysFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`wasmbox: cannot read the API keys file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const keys = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith("#"));
  // An empty file is most likely a mistake; serving without auth because of it would be worse.
  if (keys.length === 0) throw new Error(`wasmbox: the API keys file ${path} holds no keys; put one key per line`);
  return keys;
}

// Hashing first makes every comparison the same length, so neither the length nor the
// content of a key can be learnt from response times.
const digest = (s: string): Buffer => createHash("sha256").update(s, "utf8").digest();

export function createKeyCheck(keys: readonly string[]): (presented: string | undefined) => boolean {
  const digests = keys.map(digest);
  return (presented) => {
    const d = digest(presented ?? "");
    let ok = false;
    // No early exit: the time taken does not tell which key matched.
    for (const k of digests) ok = timingSafeEqual(k, d) || ok;
    return ok && presented !== undefined;
  };
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h === "::1") return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (h.startsWith("::ffff:")) return h.slice(7).startsWith("127.");
  return false;
}
