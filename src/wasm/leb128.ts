/** LEB128, as the WebAssembly binary format encodes sizes and counts. */

/** Reads an unsigned LEB128 at `pos`; returns the value and the position after it. */
export function readLeb(bytes: Uint8Array, pos: number): [value: number, next: number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++]!;
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return [result, pos];
    if (shift > 35) throw new Error("malformed LEB128 in wasm module");
  }
}

export function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value !== 0) b |= 0x80;
    out.push(b);
  } while (value !== 0);
  return out;
}

/** Reads a signed LEB128 of at most 32 bits at `pos` (an `i32.const`); returns the value and the position after it. */
export function readSleb32(bytes: Uint8Array, pos: number): [value: number, next: number] {
  let result = 0;
  let shift = 0;
  let b: number;
  do {
    b = bytes[pos++]!;
    result |= (b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80 && shift < 35);
  if (b & 0x80) throw new Error("malformed signed LEB128 in wasm module");
  if (shift < 32 && b & 0x40) result |= -1 << shift;
  return [result, pos];
}

/** A signed LEB128 (an `i32.const` operand). */
export function sleb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = value & 0x7f;
    value >>= 7;
    if ((value === 0 && !(b & 0x40)) || (value === -1 && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/**
 * A copy of `module` whose first section with id `id` (e.g. 5 memory, 7 export, 11 data) has
 * the contents `rewrite` returns for its current contents (`module` and the offsets of those
 * contents, as `rewrite` may read LEB128s in place); `undefined` when there is no such section.
 */
export function rewriteSection(
  module: Uint8Array,
  id: number,
  rewrite: (module: Uint8Array, start: number, end: number) => number[],
): Uint8Array<ArrayBuffer> | undefined {
  let pos = 8;
  while (pos < module.length) {
    const [size, start] = readLeb(module, pos + 1);
    const end = start + size;
    if (module[pos] === id) {
      const body = rewrite(module, start, end);
      const section = [id, ...leb(body.length), ...body];
      const out = new Uint8Array(pos + section.length + (module.length - end));
      out.set(module.subarray(0, pos), 0);
      out.set(section, pos);
      out.set(module.subarray(end), pos + section.length);
      return out;
    }
    pos = end;
  }
  return undefined;
}
