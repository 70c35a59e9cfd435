/**
 * Lazy exports (runtimes/python/export-table.ts, lazy-exports.ts): once the first interpreter
 * of a host process has recorded the link plan, later ones instantiate a module whose exports sit
 * behind a table and are made on first use. Such an interpreter must be indistinguishable from
 * one booted from the original module: same table slots, same GOT, the same `Module._name`
 * functions and addresses, and C code looking symbols up at run time (ctypes → dlsym) must find
 * functions and data as before.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { python } from "../../../dist/runtimes/python/index.js";
import { pyodideDir } from "../../../dist/runtimes/python/assets.js";
import { bootFromSnapshot, type BootOptions, type Booted } from "../../../dist/runtimes/python/interpreter.js";
import { POINTERS_PROGRAM, tableMismatches } from "./interpreters.js";
import { decodeLinkPlan } from "../../../dist/runtimes/python/link-plan.js";
import { exportsBehindTable } from "../../../dist/runtimes/python/export-table.js";

type Module = Record<string, unknown> & { wasmTable: WebAssembly.Table; GOT: Record<string, WebAssembly.Global> };
const moduleOf = (b: Booted) => (b.py as unknown as { _module: Module })._module;

let shared: Omit<BootOptions, "indexURL">;
let linked: Booted;
let lazy: Booted;
beforeAll(async () => {
  await python.check!({ options: {} } as never);
  shared = (await python.processHost.shared({})) as never;
  linked = await bootFromSnapshot({ indexURL: pyodideDir(), ...shared });
  const withPlan = { ...shared, ...linked.reusable() };
  const refined = await python.processHost.refine(withPlan as never);
  expect(refined, "the supervisor rewrites the module once a plan is recorded").toBeDefined();
  lazy = await bootFromSnapshot({ indexURL: pyodideDir(), ...withPlan, ...(refined as Partial<BootOptions>) });
});

describe("python: lazy exports", () => {
  it("boots from the rewritten module with the linking replayed", () => {
    expect(linked.lazyExports).toBe(false);
    expect(lazy.lazyExports).toBe(true);
    expect(lazy.linkReplayed).toBe(true);
  });

  it("gives every table slot and GOT global what the original module gets", () => {
    const a = moduleOf(linked);
    const b = moduleOf(lazy);
    const plan = decodeLinkPlan(linked.reusable().linkPlan!)!;
    expect(b.wasmTable.length).toBe(a.wasmTable.length);
    expect(tableMismatches(a.wasmTable, b.wasmTable, plan)).toEqual([]);
    for (const name of Object.keys(plan.got)) expect([name, b.GOT[name]?.value]).toEqual([name, a.GOT[name]!.value]);
  });

  it("answers every Module._name as the original module does", () => {
    const a = moduleOf(linked);
    const b = moduleOf(lazy);
    const names = Object.keys(a).filter((k) => k.startsWith("_") && (typeof a[k] === "function" || typeof a[k] === "number"));
    expect(names.length).toBeGreaterThan(4000);
    const mismatches: string[] = [];
    for (const k of names) {
      const x = a[k] as { name?: string; length?: number } | number;
      const y = b[k] as { name?: string; length?: number } | number;
      const same = typeof x === "number" ? x === y : typeof y === "function" && y.name === x.name && y.length === x.length;
      if (!same) mismatches.push(k);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect("_PyRun_SimpleString" in b).toBe(true);
    expect("_no_such_symbol" in b).toBe(false);
  });

  it("runs programs whose function pointers come from the snapshot", () => {
    const { source: program, expected } = POINTERS_PROGRAM;
    expect(linked.py.runPython(program)).toBe(expected);
    expect(lazy.py.runPython(program)).toBe(expected);
  });

  it("lets ctypes look up functions and data of the interpreter (dlsym)", () => {
    const program = `
import ctypes, sys
version = ctypes.pythonapi.Py_GetVersion
version.restype = ctypes.c_char_p
libc = ctypes.CDLL(None)
none = ctypes.c_char.in_dll(ctypes.pythonapi, "_Py_NoneStruct")
try:
    ctypes.pythonapi.no_such_function_anywhere
    missing = "found"
except AttributeError:
    missing = "missing"
repr([version().decode().split()[0] == sys.version.split()[0], libc.strlen(b"hello"), ctypes.addressof(none) == id(None), missing])
`;
    const expected = "[True, 5, True, 'missing']";
    expect(linked.py.runPython(program)).toBe(expected);
    expect(lazy.py.runPython(program)).toBe(expected);
  });

  it("leaves a module whose table does not match the plan as it is", () => {
    const wasm = readFileSync(path.join(pyodideDir(), "pyodide.asm.wasm"));
    const plan = decodeLinkPlan(linked.reusable().linkPlan!)!;
    expect(exportsBehindTable(wasm, plan)).toBeDefined();
    expect(exportsBehindTable(wasm, { ...plan, base: plan.base + 1 })).toBeUndefined();
    expect(exportsBehindTable(wasm, { ...plan, exportCount: plan.exportCount - 1 })).toBeUndefined();
  });
});
