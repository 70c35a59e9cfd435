/**
 * A minimal wasm32-wasip1 command, assembled byte by byte: it writes `text` to stdout with
 * fd_write and exits with `exitCode` through proc_exit. Stands in for a Go/Rust module compiled
 * ahead of time, so the browser's precompiled path is tested without a toolchain.
 */
const enc = new TextEncoder();

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}
const str = (s: string) => [...leb(enc.encode(s).length), ...enc.encode(s)];
const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
const vec = (items: number[][]) => [...leb(items.length), ...items.flat()];
// i32.const takes a signed LEB128: values below 64 are one byte either way.
const i32 = (n: number) => {
  if (n < 0 || n > 63) throw new RangeError("keep constants in 0..63");
  return [0x41, n];
};

export function wasiCommand(text: string, exitCode: number): Uint8Array {
  const message = [...enc.encode(text)];
  const I32 = 0x7f;
  const types = vec([
    [0x60, ...vec([[I32], [I32], [I32], [I32]]), ...vec([[I32]])],
    [0x60, ...vec([[I32]]), 0x00],
    [0x60, 0x00, 0x00],
  ]);
  const imports = vec([
    [...str("wasi_snapshot_preview1"), ...str("fd_write"), 0x00, 0],
    [...str("wasi_snapshot_preview1"), ...str("proc_exit"), 0x00, 1],
  ]);
  const body = [0x00, ...i32(1), ...i32(0), ...i32(1), ...i32(48), 0x10, 0, 0x1a, ...i32(exitCode), 0x10, 1, 0x0b];
  // iovec { buf: 8, len } at 0, the text at 8, nwritten at 48: texts up to 40 bytes.
  if (message.length > 40) throw new RangeError("text too long");
  const iovec = [8, 0, 0, 0, message.length, 0, 0, 0];
  const data = vec([
    [0x00, ...i32(0), 0x0b, ...leb(iovec.length), ...iovec],
    [0x00, ...i32(8), 0x0b, ...leb(message.length), ...message],
  ]);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types),
    ...section(2, imports),
    ...section(3, vec([[2]])),
    ...section(5, vec([[0x00, 1]])),
    ...section(7, vec([[...str("_start"), 0x00, 2], [...str("memory"), 0x02, 0]])),
    ...section(10, vec([[...leb(body.length), ...body]])),
    ...section(11, data),
  ]);
}
