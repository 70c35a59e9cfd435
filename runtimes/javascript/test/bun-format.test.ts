/**
 * Bun's console formatting, differentially: every case runs under the real `bun` (the npm
 * package, in a temp directory, in the test itself) and under wasmbox's `bun` runtime, and
 * stdout and stderr must agree byte for byte once the temp directory is mapped to "/".
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor } from "wasmbox";
import { BUN_FORMAT_CASES } from "./bun-format-cases.js";

const BUN = join(process.cwd(), "node_modules/.bin/bun");
const bunAvailable = spawnSync(BUN, ["--version"]).status === 0;
const executor = createExecutor({ concurrency: 2 });
afterAll(() => executor.close());

function runBun(code: string) {
  const dir = mkdtempSync(join(tmpdir(), "wasmbox-bunfmt-"));
  try {
    writeFileSync(join(dir, "main.ts"), code);
    const r = spawnSync(BUN, ["main.ts"], { cwd: dir, env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" }, encoding: "utf8", timeout: 30_000 });
    const unroot = (s: string) => s.replaceAll(dir, "");
    return { stdout: unroot(r.stdout), stderr: unroot(r.stderr), exitCode: r.status ?? -1 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!bunAvailable)("bun console.log formatting (skipped when node_modules/.bin/bun is missing)", () => {
  it("has at least 40 cases", () => expect(BUN_FORMAT_CASES.length).toBeGreaterThanOrEqual(40));
  for (const c of BUN_FORMAT_CASES) {
    it(c.name, async () => {
      const expected = runBun(c.code);
      const got = await executor.execute({ runtime: "bun", code: c.code });
      expect({ stdout: got.stdout, stderr: got.stderr, exitCode: got.exitCode }).toEqual(expected);
    });
  }
});
