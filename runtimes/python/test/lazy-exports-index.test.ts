/** The lookups behind lazy exports: the encoded export index and the glue's sorted name lists. */
import { describe, expect, it } from "vitest";
import { decodeLazyExports, encodeLazyExports } from "../export-table.js";
import { inList } from "../lazy-exports.js";

const NAMES = ["main", "_Py_NoneStruct", "abc", "a", "ab", "b", "Z", "__main_argc_argv", "PyList_New", "x_1"];

describe("the lazy exports index", () => {
  const info = { names: NAMES, slots: NAMES.map((_, i) => (i % 3 === 0 ? -1 : i % 3 === 1 ? i : -2)), values: [4096] };
  const index = decodeLazyExports(encodeLazyExports(info)!)!;

  it("finds every name, at the position whose order, slot and name are its own", () => {
    expect(index.count).toBe(NAMES.length);
    for (const [i, name] of NAMES.entries()) {
      const at = index.find(name);
      expect(at, name).toBeGreaterThanOrEqual(0);
      expect(index.name(at)).toBe(name);
      expect(index.order[at]).toBe(i);
      expect(index.slot[at]).toBe(info.slots[i]);
    }
    expect([...index.values]).toEqual([4096]);
    const sorted = Array.from({ length: index.count }, (_, i) => index.name(i));
    expect(sorted).toEqual([...NAMES].sort());
  });

  it("finds nothing for prefixes, extensions and other names", () => {
    for (const name of ["", "m", "mai", "mainx", "abcd", "aa", "Y", "zz", "_", "é", "main "]) expect(index.find(name), name).toBe(-1);
  });

  it("is not made for names that are not ASCII", () => {
    expect(encodeLazyExports({ names: ["a", "é"], slots: [-1, -1], values: [] })).toBeUndefined();
  });

  it("rejects bytes of another layout", () => {
    expect(decodeLazyExports(new Uint8Array(8))).toBeUndefined();
  });
});

describe("inList (the glue's export lists: sorted names separated by spaces)", () => {
  const words = ["_Py_Dealloc", "a", "ab", "abc", "b", "malloc", "z"];
  const list = [...words].sort().join(" ");

  it("finds each word, at either end and in the middle", () => {
    for (const w of words) expect(inList(list, w), w).toBe(true);
  });

  it("finds no prefix, extension, piece of two words or missing name", () => {
    for (const w of ["", " ", "_", "abcd", "aa", "malloc ", "b malloc", "zz", "y", "c"]) expect(inList(list, w), JSON.stringify(w)).toBe(false);
    expect(inList("", "a")).toBe(false);
    expect(inList("solo", "solo")).toBe(true);
  });
});
