/**
 * CPython's call trampoline (a small wasm module Pyodide compiles in every interpreter) is
 * compiled once per host process: later interpreters instantiate the module the first one
 * compiled, or skip a compile the first one saw fail (asm-script.ts, "trampoline module"), and
 * Python calls as before.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { python } from "../../../dist/runtimes/python/index.js";
import { pyodideDir } from "../../../dist/runtimes/python/assets.js";
import { bootFromSnapshot, type BootOptions } from "../../../dist/runtimes/python/interpreter.js";
import { POINTERS_PROGRAM } from "./interpreters.js";

let shared: Omit<BootOptions, "indexURL">;
beforeAll(async () => {
  await python.check!({ options: {} } as never);
  shared = (await python.processHost.shared({})) as never;
});

describe("python: the call trampoline module", () => {
  it("is compiled (or found not to compile) by the first interpreter only, and Python still runs", async () => {
    expect(shared.asm?.patches).toContain("trampoline module");
    const first = await bootFromSnapshot({ indexURL: pyodideDir(), ...shared });
    const { signatureModules } = first.reusable();
    // Node 20's V8 cannot compile it (wasm GC opcodes): Pyodide then uses its JavaScript trampoline.
    const key = signatureModules?.has("trampoline") ? "trampoline" : "no trampoline";
    const kept = signatureModules?.get(key);
    expect(kept).toBeInstanceOf(WebAssembly.Module);
    if (key === "trampoline") expect(WebAssembly.Module.exports(kept!).map((e) => e.name)).toEqual(["trampoline_call"]);

    const next = await bootFromSnapshot({ indexURL: pyodideDir(), ...shared, ...first.reusable() });
    const again = next.reusable().signatureModules!;
    expect(again.get(key)).toBe(kept);
    expect(again.has(key === "trampoline" ? "no trampoline" : "trampoline")).toBe(false);
    // Calls through function pointers (sort keys, sqlite3 callbacks) go through the trampoline.
    const { source, expected } = POINTERS_PROGRAM;
    expect(next.py.runPython(source)).toBe(expected);
    expect(next.py.runPython("def f(*a, **k): return len(a) + len(k)\nf(1, 2, x=3)")).toBe(3);
  });
});
