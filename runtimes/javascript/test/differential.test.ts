/**
 * Differential test: every program runs under the real tool (node / bun, in a temp directory,
 * in the test itself) and under wasmbox; stdout, stderr and the exit code must agree byte for
 * byte once the temp directory is mapped to wasmbox's "/" and the tool's version line is set aside.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor } from "wasmbox";
import { NODE_PROGRAMS, type DiffProgram } from "./node-programs.js";
import { BUN_PROGRAMS } from "./bun-programs.js";

const executor = createExecutor({ concurrency: 2 });
afterAll(() => executor.close());

const BUN = join(process.cwd(), "node_modules/.bin/bun");
const bunAvailable = spawnSync(BUN, ["--version"]).status === 0;

function runNative(tool: string, p: DiffProgram, entry: string) {
  const dir = mkdtempSync(join(tmpdir(), "wasmbox-diff-"));
  try {
    for (const [rel, content] of Object.entries({ ...p.files, [entry]: p.code })) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), content);
    }
    const r = spawnSync(tool, [entry, ...(p.args ?? [])], {
      cwd: dir,
      input: p.stdin ?? "",
      env: { ...p.env, PATH: process.env.PATH ?? "" },
      encoding: "utf8",
      timeout: 30_000,
    });
    const unroot = (s: string) => s.replaceAll(dir, "");
    return { stdout: unroot(r.stdout), stderr: unroot(r.stderr), exitCode: r.status ?? -1 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const versionLine = (s: string) => s.replace(/^(Node\.js v|Bun v)\S+.*$/m, "$1<version>");

async function compare(runtime: "node" | "bun", tool: string, p: DiffProgram) {
  const entry = p.entry ?? (runtime === "node" ? "main.js" : "main.ts");
  const expected = runNative(tool, p, entry);
  const files = { ...p.files, [entry]: p.code };
  const got = await executor.execute({ runtime, files, entrypoint: entry, stdin: p.stdin, args: p.args, env: p.env });
  expect({ stdout: got.stdout, stderr: versionLine(got.stderr), exitCode: got.exitCode }).toEqual({
    stdout: expected.stdout,
    stderr: versionLine(expected.stderr),
    exitCode: expected.exitCode,
  });
}

describe("differential: node", () => {
  it("has at least 40 programs", () => expect(NODE_PROGRAMS.length).toBeGreaterThanOrEqual(40));
  for (const p of NODE_PROGRAMS) it(p.name, { timeout: 60_000 }, () => compare("node", process.execPath, p));
});

describe.skipIf(!bunAvailable)("differential: bun (skipped when node_modules/.bin/bun is missing)", () => {
  it("has at least 10 programs", () => expect(BUN_PROGRAMS.length).toBeGreaterThanOrEqual(10));
  for (const p of BUN_PROGRAMS) it(p.name, { timeout: 60_000 }, () => compare("bun", BUN, p));
});
