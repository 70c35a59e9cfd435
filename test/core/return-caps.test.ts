/**
 * The caps on returned files (src/sandbox/run-report.ts, capFiles): applied in the host to a run's
 * files and by the executor to a session request's own `returnFiles`, by the same code.
 */
import { describe, expect, it } from "vitest";
import { capFiles } from "../../src/sandbox/run-report.js";

const enc = new TextEncoder();
const text = (path: string, s: string, truncated?: boolean) => ({ path, bytes: enc.encode(s), text: true, size: enc.encode(s).byteLength, truncated });

describe("capFiles", () => {
  it("keeps files whole within the caps, in the order given", () => {
    const files = [text("a.txt", "héllo"), { path: "b.bin", bytes: Uint8Array.of(0, 255), text: false, size: 2 }];
    expect(capFiles(files, { maxFiles: 10, maxFileBytes: 100, maxTotalBytes: 100 }, (f) => f)).toEqual([
      { path: "a.txt", size: 6, encoding: "utf8", content: "héllo" },
      { path: "b.bin", size: 2, encoding: "base64", content: "AP8=" },
    ]);
  });

  it("cuts a file at the per-file cap and at what is left of the total, a text file at a whole character", () => {
    const files = [text("a", "abcdé"), text("b", "xyz"), text("c", "q")];
    // "abcdé" is 6 bytes: 5 kept would split "é", so 4 characters are returned.
    expect(capFiles(files, { maxFiles: 10, maxFileBytes: 5, maxTotalBytes: 7 }, (f) => f)).toEqual([
      { path: "a", size: 6, encoding: "utf8", content: "abcd", truncated: true },
      { path: "b", size: 3, encoding: "utf8", content: "xy", truncated: true },
      { path: "c", size: 1, encoding: "utf8", content: "", truncated: true },
    ]);
  });

  it("stops at maxFiles; a file left out by `read` is not counted; one cut before stays marked as cut", () => {
    const files = [text("skip", "same"), text("a", "1", true), text("b", "2"), text("c", "3")];
    const r = capFiles(files, { maxFiles: 2, maxFileBytes: 10, maxTotalBytes: 10 }, (f) => (f.path === "skip" ? undefined : f));
    expect(r).toEqual([
      { path: "a", size: 1, encoding: "utf8", content: "1", truncated: true },
      { path: "b", size: 1, encoding: "utf8", content: "2" },
    ]);
  });
});
