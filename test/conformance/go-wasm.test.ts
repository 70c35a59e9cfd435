/**
 * The shared suite's Go cases once more, compiled by Go's compiler and linker in WebAssembly
 * (runtimeOptions.go.compiler "wasm"; assets from scripts/build-go-wasm.mjs). Skipped with the
 * reason when the assets are not built.
 */
import { afterAll, describe, it } from "vitest";
import { createExecutor } from "wasmbox";
import { CASES } from "./suite.js";
import { programs } from "./programs/go.js";

const executor = createExecutor({ concurrency: 2, runtimeOptions: { go: { compiler: "wasm" } } });
afterAll(() => executor.close());

let unavailable: string | undefined;
try {
  await executor.runtime("go");
} catch (e) {
  unavailable = (e as Error).message;
}

describe("conformance: go, compiled in WebAssembly", () => {
  for (const c of CASES) {
    const p = programs[c.name];
    const skip = !p ? "no program for this case" : "skip" in p ? p.skip : unavailable;
    it.skipIf(!!skip)(`${c.name}${skip ? ` (skipped: ${skip})` : ""}`, { timeout: 180_000 }, async () => {
      const r = await executor.execute({ runtime: "go", stdin: c.stdin, args: c.args, env: c.env, timeout: 120_000, ...(p as object) });
      c.check(r, "go", p!);
    });
  }
});
