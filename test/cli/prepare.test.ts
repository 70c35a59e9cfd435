/** `wasmbox prepare go`: builds Go's compiler in WebAssembly once; later runs check the stamp and return. */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { goWasmDir } from "../../src/cache-dir.js";

const run = promisify(execFile);
const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist/src/cli/main.js");
const built = existsSync(path.join(goWasmDir(), "manifest.json"));

describe("wasmbox prepare go", () => {
  it.skipIf(!built)("on a built directory: the compiler is up to date, then go is ready", async () => {
    const { stdout } = await run(process.execPath, [cli, "prepare", "go"], { timeout: 240_000 });
    const dir = goWasmDir().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    expect(stdout).toMatch(new RegExp(`^go: compiler in WebAssembly up to date: ${dir}\ngo: ready \\(\\d+\\.\\d s\\)\n$`));
  }, 300_000);
});
