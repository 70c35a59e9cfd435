/** `wasmbox assets <dir>`: copies what the browser build fetches, byte for byte, and the bundle. */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RUNTIME_ASSETS } from "../../src/browser/assets.js";
import { copyAssets, ensureBuilt, root } from "./harness.js";

const run = promisify(execFile);

describe("wasmbox assets", () => {
  let out: Awaited<ReturnType<typeof copyAssets>>;
  beforeAll(async () => {
    await ensureBuilt();
    out = await copyAssets(["--runtime", "ruby", "--runtime", "node"]);
  }, 120_000);
  afterAll(() => out?.cleanup());

  it("copies the chosen runtimes' files, identical to the installed packages, and the bundle", () => {
    expect(out.stdout).toMatch(/^wasmbox assets: \d+ entries, [\d.]+ MB → /);
    for (const asset of [...RUNTIME_ASSETS.ruby, ...RUNTIME_ASSETS.node]) {
      const copied = readFileSync(path.join(out.dir, asset));
      expect(copied.equals(readFileSync(path.join(root, "node_modules", asset)))).toBe(true);
    }
    expect(existsSync(path.join(out.dir, "pyodide"))).toBe(false);
    expect(existsSync(path.join(out.dir, "browser/index.js"))).toBe(true);
    expect(existsSync(path.join(out.dir, "browser/worker.js"))).toBe(true);
  });

  it("refuses an unknown runtime and a missing directory with usage errors (exit 2)", async () => {
    const cli = path.join(root, "dist/src/cli/main.js");
    for (const args of [["assets", "--runtime", "cobol", "/tmp/x"], ["assets"]]) {
      const err = await run(process.execPath, [cli, ...args]).then(() => undefined, (e: { code: number; stderr: string }) => e);
      expect(err?.code).toBe(2);
      expect(err?.stderr).toMatch(/^wasmbox assets: /);
    }
  });
});
