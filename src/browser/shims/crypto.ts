/** The synchronous `node:crypto` subset the JavaScript runtime's guest API uses, in the browser. */
import { hmac } from "@noble/hashes/hmac.js";
import { md5, sha1 } from "@noble/hashes/legacy.js";
import { sha224, sha256, sha384, sha512 } from "@noble/hashes/sha2.js";

const HASHES = { md5, sha1, sha224, sha256, sha384, sha512 } as const;
type Name = keyof typeof HASHES;

function algorithm(name: string) {
  const h = HASHES[name.toLowerCase() as Name];
  if (!h) throw new Error(`Digest method not supported: ${name}`);
  return h;
}

class Digest {
  private readonly chunks: Uint8Array[] = [];
  constructor(private readonly finish: (data: Uint8Array) => Uint8Array) {}
  update(data: Uint8Array | string): this {
    this.chunks.push(typeof data === "string" ? new TextEncoder().encode(data) : data);
    return this;
  }
  digest(): Uint8Array {
    const total = this.chunks.reduce((n, c) => n + c.byteLength, 0);
    const all = new Uint8Array(total);
    let at = 0;
    for (const c of this.chunks) {
      all.set(c, at);
      at += c.byteLength;
    }
    return this.finish(all);
  }
}

export function createHash(name: string): Digest {
  const h = algorithm(name);
  return new Digest((data) => h(data));
}

export function createHmac(name: string, key: Uint8Array): Digest {
  const h = algorithm(name);
  return new Digest((data) => hmac(h, key, data));
}

export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  // getRandomValues fills at most 65536 bytes per call.
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

export default { createHash, createHmac, randomBytes };
