/**
 * Pyodide's finalizeBootstrap, run by every interpreter restored from the snapshot, fetches the
 * modules and dicts it needs directly instead of compiling Python source for them
 * (asm-script.ts, "finalize without eval"): the interpreter's globals, importlib and the
 * internal runner's namespace are the objects the Python one-liners gave.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { python } from "../../../dist/runtimes/python/index.js";
import { pyodideDir } from "../../../dist/runtimes/python/assets.js";
import { bootFromSnapshot, type BootOptions } from "../../../dist/runtimes/python/interpreter.js";

interface Proxy {
  get(k: string): unknown;
  has(k: string): boolean;
  length: number;
  type: string;
  __name__: string;
  destroy(): void;
}
interface Api {
  runPythonInternal_dict: Proxy;
  importlib: Proxy;
  globals: Proxy;
  runPythonInternal(code: string): unknown;
}

let shared: Omit<BootOptions, "indexURL">;
beforeAll(async () => {
  await python.check!({ options: {} } as never);
  shared = (await python.processHost.shared({})) as never;
});

describe("python: finalizing a restored interpreter", () => {
  it("compiles no Python source, and gives the same globals, importlib and runner namespace", async () => {
    const { py } = await bootFromSnapshot({ indexURL: pyodideDir(), ...shared });
    const api = (py as unknown as { _api: Api })._api;
    // Running `import importlib; importlib` (and the others) in it would have bound those names.
    expect(api.runPythonInternal_dict.type).toBe("dict");
    expect(api.runPythonInternal_dict.length).toBe(0);
    expect(shared.asm?.patches).toContain("finalize without eval");
    expect(api.importlib.__name__).toBe("importlib");
    expect(api.runPythonInternal("6 * 7")).toBe(42);
    // pyodide.globals is __main__'s namespace, over builtins.
    expect(py.globals.get("__name__")).toBe("__main__");
    expect(py.runPython("import sys\nx = 5\nsys.modules['__main__'].__dict__ is globals()")).toBe(true);
    expect(py.globals.get("x")).toBe(5);
    expect(py.runPython("len([print])")).toBe(1);
  });
});
