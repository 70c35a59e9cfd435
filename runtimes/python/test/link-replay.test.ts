/**
 * The dynamic linking replay (runtimes/python/link-plan.ts): an interpreter linked from the plan
 * must have the same function table and GOT as one linked by Emscripten, since the snapshot's
 * memory holds table indices; a plan that does not fit must leave the ordinary linker to run.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { python } from "../../../dist/runtimes/python/index.js";
import { pyodideDir } from "../../../dist/runtimes/python/assets.js";
import { bootFromSnapshot, type BootOptions } from "../../../dist/runtimes/python/interpreter.js";
import { POINTERS_PROGRAM, tableMismatches } from "./interpreters.js";
import { decodeLinkPlan, encodeLinkPlan } from "../../../dist/runtimes/python/link-plan.js";

interface Internals {
  _module: { wasmTable: WebAssembly.Table; GOT: Record<string, WebAssembly.Global> };
}
const internals = (b: { py: unknown }) => (b.py as Internals)._module;

let shared: Omit<BootOptions, "indexURL">;
beforeAll(async () => {
  await python.check!({ options: {} } as never);
  shared = (await python.processHost.shared({})) as never;
});

describe("python: dynamic linking replay", () => {
  it("gives every table slot and GOT global the value the linker gives", async () => {
    const linked = await bootFromSnapshot({ indexURL: pyodideDir(), ...shared });
    expect(linked.linkReplayed).toBe(false);
    const reusable = linked.reusable();
    expect(reusable.linkPlan).toBeInstanceOf(Uint8Array);
    const plan = decodeLinkPlan(reusable.linkPlan!)!;
    expect(plan.slots.length).toBeGreaterThan(1000);
    expect(plan.js.length).toBeGreaterThan(0);

    const replayed = await bootFromSnapshot({ indexURL: pyodideDir(), ...shared, ...reusable });
    expect(replayed.linkReplayed).toBe(true);

    const a = internals(linked);
    const b = internals(replayed);
    expect(b.wasmTable.length).toBe(a.wasmTable.length);
    expect(tableMismatches(a.wasmTable, b.wasmTable, plan)).toEqual([]);
    for (const name of Object.keys(plan.got)) expect([name, b.GOT[name]?.value]).toEqual([name, a.GOT[name]!.value]);

    // Function pointers stored in the snapshot's memory reach the right functions.
    const { source: program, expected } = POINTERS_PROGRAM;
    expect(linked.py.runPython(program)).toBe(expected);
    expect(replayed.py.runPython(program)).toBe(expected);
  });

  it("falls back to the linker when the plan does not fit this module", async () => {
    const { linkPlan } = (await bootFromSnapshot({ indexURL: pyodideDir(), ...shared })).reusable();
    const plan = decodeLinkPlan(linkPlan!)!;
    const wrong = encodeLinkPlan({ ...plan, base: plan.base + 1 });
    const booted = await bootFromSnapshot({ indexURL: pyodideDir(), ...shared, linkPlan: wrong });
    expect(booted.linkReplayed).toBe(false);
    expect(booted.py.runPython("sum(range(10))")).toBe(45);
    const garbage = await bootFromSnapshot({ indexURL: pyodideDir(), ...shared, linkPlan: new Uint8Array([1, 2, 3]) });
    expect(garbage.linkReplayed).toBe(false);
    expect(garbage.py.runPython("1 + 1")).toBe(2);
  });
});
