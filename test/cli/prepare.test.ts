/** `wasmbox prepare go`: builds Go's compiler in WebAssembly once; later runs check the stamp and return. */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { goWasmDir } from "../../dist/runtimes/go/wasm-compiler.js";

const run = promisify(execFile);
const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist/src/cli/main.js");
const built = existsSync(path.join(goWasmDir(), "manifest.json"));

describe("wasmbox prepare", () => {
  it.skipIf(!built)("prepare go on a built directory is up to date in seconds and prints the directory", async () => {
    const started = Date.now();
    const { stdout, stderr } = await run(process.execPath, [cli, "prepare", "go"]);
    expect(stdout).toBe(`${goWasmDir()}\n`);
    expect(stderr).toContain("up to date");
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 60_000);

  it("refuses anything but go with a usage error (exit 2) that says why", async () => {
    const err = await run(process.execPath, [cli, "prepare", "rust"]).then(() => undefined, (e: { code: number; stderr: string }) => e);
    expect(err?.code).toBe(2);
    expect(err?.stderr).toMatch(/^wasmbox prepare: cannot prepare "rust"; only "go" has a compiler to build/);
  });
});
