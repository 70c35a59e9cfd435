/** The interactive stdin ring buffer on its own: order, back-pressure, end of input, a reader that corrupts it. */
import { describe, expect, it } from "vitest";
import { SharedStdinReader, StdinWriter } from "../../src/sandbox/live-stdin.js";

describe("interactive stdin buffer", () => {
  it("delivers more than the ring holds, in order, as the reader frees room; then end of input", () => {
    const w = new StdinWriter();
    let rooms = 0;
    const r = new SharedStdinReader(w.sab, () => rooms++);
    w.attach();
    const data = new Uint8Array(200_000).map((_, i) => i % 251);
    w.write(data);
    w.end();
    const got: number[] = [];
    const buf = new Uint8Array(10_000);
    for (;;) {
      const n = r.read(buf);
      if (n === 0) break;
      got.push(...buf.subarray(0, n));
      w.pump(); // what the "stdin-room" message does
    }
    expect(rooms).toBeGreaterThan(0);
    expect(got.length).toBe(data.length);
    expect(got.every((b, i) => b === data[i])).toBe(true);
  });

  it("readWithin returns null when nothing arrives in time, and data once it does", () => {
    const w = new StdinWriter();
    const r = new SharedStdinReader(w.sab, () => {});
    w.attach();
    expect(r.readWithin(new Uint8Array(4), 20)).toBeNull();
    w.write(new TextEncoder().encode("ab"));
    const buf = new Uint8Array(4);
    expect(r.readWithin(buf, 20)).toBe(2);
    expect(new TextDecoder().decode(buf.subarray(0, 2))).toBe("ab");
  });

  it("a reader that corrupts the indices ends the input; the writer does not loop", () => {
    const w = new StdinWriter();
    w.attach();
    new Int32Array(w.sab, 0, 4)[0] = 123_456_789; // READ far ahead of WRITE
    w.write(new Uint8Array(100_000));
    expect(w.ended).toBe(true);
  });
});
