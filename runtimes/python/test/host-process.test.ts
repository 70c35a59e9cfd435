/**
 * Python's host processes: owned by the executor (close() ends them, the idle policy ends those no
 * host needs), and the frames between the executor and a supervisor carry bytes whole.
 */
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor } from "wasmbox";
import { treePids } from "../../../scripts/bench/memory.mjs";

/** Pids of this process's Python supervisors (children running the supervisor entry). */
function supervisors(): number[] {
  return (treePids(process.pid) ?? []).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("host-process/supervisor.js");
    } catch {
      return false;
    }
  });
}

/** Every descendant of this process. */
const descendants = () => (treePids(process.pid) ?? []).filter((p) => p !== process.pid);

const until = async (done: () => boolean, ms: number) => {
  for (let waited = 0; !done() && waited < ms; waited += 100) await new Promise((r) => setTimeout(r, 100));
  return done();
};

describe("python host processes", () => {
  const executors: { close(): Promise<void> }[] = [];
  afterAll(() => Promise.all(executors.map((e) => e.close())));

  it("close() ends them: no child process of this one remains", { timeout: 120_000 }, async () => {
    const before = descendants();
    const executor = createExecutor({ prewarm: false });
    executors.push(executor);
    const r = await executor.execute({ runtime: "python", code: "print('here')" });
    expect(r).toMatchObject({ stdout: "here\n", exitCode: 0 });
    expect(supervisors().length).toBeGreaterThan(0);
    await executor.close();
    const left = () => descendants().filter((p) => !before.includes(p));
    expect(await until(() => left().length === 0, 5000), `left after close(): ${left().join(", ")}`).toBe(true);
  });

  it("one left without hosts ends on its own (the idle policy), and the next execution starts another", { timeout: 120_000 }, async () => {
    const executor = createExecutor({ prewarm: false, warmHosts: 0, idleTimeout: 100 });
    executors.push(executor);
    const before = supervisors();
    expect((await executor.execute({ runtime: "python", code: "print(1)" })).exitCode).toBe(0);
    const made = supervisors().filter((p) => !before.includes(p));
    expect(made.length).toBeGreaterThan(0);
    expect(await until(() => made.every((p) => !supervisors().includes(p)), 30_000), "the idle host process still runs after 30 s").toBe(true);
    expect((await executor.execute({ runtime: "python", code: "print(2)" })).stdout).toBe("2\n");
  });

  it("bytes cross both ways whole: input, and output of one write larger than a frame's payload", { timeout: 120_000 }, async () => {
    const executor = createExecutor({ prewarm: false, outputLimit: 4 * 1024 * 1024 });
    executors.push(executor);
    const text = Array.from({ length: 2047 }, (_, i) => String.fromCodePoint(i + 1)).join("");
    // 3 MiB in one write: more than one frame's payload (1 MiB), split inside a character.
    const code = [
      "import sys",
      "data = sys.stdin.buffer.read()",
      "assert data == ''.join(map(chr, range(1, 2048))).encode() * 4, data[:40]",
      "sys.stdout.write('a' + 'é' * (3 * 1024 * 1024 // 2))",
      "sys.stdout.flush()",
      "sys.stderr.write('done')",
    ].join("\n");
    const r = await executor.execute({ runtime: "python", code, stdin: text.repeat(4) });
    expect(r.stderr).toBe("done");
    expect(r.exitCode).toBe(0);
    expect(r.stdout.length).toBe(1 + (3 * 1024 * 1024) / 2);
    expect(r.stdout).toBe("a" + "é".repeat((3 * 1024 * 1024) / 2));
  });
});
