/**
 * The frames between the executor and a Python supervisor (src/host-process/protocol.ts): messages
 * and their bytes arrive whole however the pipe splits them, and a broken stream stops the reader.
 */
import { describe, expect, it } from "vitest";
import { FrameReader, encodeFrame } from "../../src/host-process/protocol.js";

const messages = [
  { t: "up" },
  { t: "out", id: 1, fd: 1, data: Uint8Array.from({ length: 3000 }, (_, i) => i % 251) },
  { t: "ready", id: 2 },
  { t: "out", id: 3, fd: 2, data: new Uint8Array(0) },
  { t: "done", id: 1, exitCode: 0, report: { note: "é ✓" } },
];
const stream = Buffer.concat(messages.flatMap((m) => encodeFrame(m).filter((b): b is Buffer => b !== undefined).map((b) => Buffer.from(b))));

function read(chunks: Buffer[], max?: number) {
  const got: unknown[] = [];
  let corrupt = 0;
  const reader = new FrameReader((m) => got.push(m), max, () => corrupt++);
  for (const c of chunks) reader.push(c);
  return { got, corrupt };
}

const normal = (ms: unknown[]) =>
  ms.map((m) => {
    const { data, ...rest } = m as { data?: unknown };
    return data instanceof Uint8Array ? { ...rest, data: [...data] } : m;
  });

describe("host-process frames", () => {
  it("decode to the messages sent, with their bytes, for every split of the stream in two and in single bytes", () => {
    const expected = normal(messages);
    for (let at = 0; at <= stream.length; at += 7) expect(normal(read([stream.subarray(0, at), stream.subarray(at)]).got)).toEqual(expected);
    expect(normal(read([...stream].map((b) => Buffer.from([b]))).got)).toEqual(expected);
  });

  it("a frame longer than the bound, or whose header overruns it, stops the reader", () => {
    const huge = Buffer.alloc(8);
    huge.writeUInt32LE(2 ** 31, 0);
    expect(read([stream.subarray(0, 20), huge, stream], 1 << 20)).toMatchObject({ corrupt: 1 });
    const overrun = Buffer.alloc(12);
    overrun.writeUInt32LE(8, 0);
    overrun.writeUInt32LE(100, 4);
    const r = read([overrun, stream]);
    expect(r).toMatchObject({ corrupt: 1, got: [] });
  });

  it("a header that is not JSON is skipped, and the next frame read", () => {
    const bad = Buffer.alloc(11);
    bad.writeUInt32LE(7, 0);
    bad.writeUInt32LE(3, 4);
    bad.write("{x]", 8);
    expect(normal(read([bad, stream]).got)).toEqual(normal(messages));
  });
});
