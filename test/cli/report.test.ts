/** `wasmbox run --json` with the graders' flags: --report, --return-files, --compile-timeout. */
import { describe, expect, it } from "vitest";
import { project, wasmbox } from "./helpers.js";

const dir = project({ "main.rb": 'File.write("out.txt", "made")\nputs 1\n' });

describe("wasmbox run --json with reports", () => {
  it("adds usage and the returned files to the JSON result", async () => {
    const r = await wasmbox(["run", "--json", "--report", "usage", "--return-files", "*.txt", "main.rb"], { cwd: dir });
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({ stdout: "1\n", exitCode: 0, usage: { wallTime: expect.any(Number), memory: expect.any(Number) } });
    expect(result.files).toEqual([{ path: "out.txt", size: 4, encoding: "utf8", content: "made" }]);
  });

  it("prints the five fields when nothing more is asked", async () => {
    const r = await wasmbox(["run", "--json", "main.rb"], { cwd: dir });
    expect(Object.keys(JSON.parse(r.stdout) as object).sort()).toEqual(["executionTime", "exitCode", "stderr", "stdout", "timedOut"]);
  });

  it("refuses an unknown report or a bad --compile-timeout with exit 2", async () => {
    const a = await wasmbox(["run", "--report", "usage,cpu", "main.rb"], { cwd: dir });
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--report takes usage, compile (comma-separated); got "cpu"');
    const b = await wasmbox(["run", "--compile-timeout", "soon", "main.rb"], { cwd: dir });
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("--compile-timeout must be a positive number");
  });
});
