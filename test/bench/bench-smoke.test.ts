/**
 * Smoke test of `npm run bench` (scripts/bench.mjs): it runs end to end for one runtime in quick
 * mode (latency, and throughput at one concurrency level, to stay short on a busy 2-core machine),
 * prints figures and the tables, and exits 0. The figures themselves are reported by the
 * benchmark and never asserted here: this machine's speed is not a property of wasmbox.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));

function runBench(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["scripts/bench.mjs", ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run bench", () => {
  it("measures ruby in quick mode, prints figures and exits 0", { timeout: 120_000 }, async () => {
    const r = await runBench(["--runtime", "ruby", "--quick", "--no-runno", "--no-write", "--only", "latency,throughput", "--levels", "1"]);
    expect(r.code, r.stderr).toBe(0);
    // progress goes to stderr, one line per phase when not on a terminal
    expect(r.stderr).toMatch(/ruby: hello world latency/);
    expect(r.stderr).toMatch(/done/);
    // a headline line with measured figures, not a skip
    expect(r.stdout).toMatch(/^ruby\s+warm p50 \d+(\.\d+)? ms \| native spawn \d+(\.\d+)? ms \(\d+(\.\d+)?× wasmbox\)/m);
    expect(r.stdout).not.toMatch(/^ruby\s+skipped/m);
    expect(r.stdout).toMatch(/\| ruby \| \d+(\.\d+)? \/ \d+(\.\d+)? \/ \d+(\.\d+)? ms \(n=\d+\)/);
    for (const section of ["## Hello world latency", "## Throughput", "## Memory"]) expect(r.stdout).toContain(section);
    expect(r.stdout).toMatch(/\| ruby \| \d+(\.\d+)?\/s, p95 [\d.]+ ms \| \d+ MiB \|/);
  });

  it("skips a runtime that is unavailable here, with the reason, and still exits 0", async () => {
    const r = await runBench(["--runtime", "go", "--quick", "--no-write"], { WASMBOX_GO: "/nonexistent/bin/go" });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^go\s+skipped: .*\S/m);
    expect(r.stdout).toMatch(/## Not measured[\s\S]*- go: /);
  });

  it("refuses an unknown runtime with a usage message", async () => {
    const r = await runBench(["--runtime", "cobol", "--no-write"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown runtime "cobol"/);
  });
});
