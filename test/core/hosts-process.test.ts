/**
 * The hosts process: worker-thread hosts (ruby, php, node, bun) run in a child process of the
 * executor's, which the executor replaces past a memory bound and ends on close().
 */
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor } from "wasmbox";
import { treePids } from "../../scripts/bench/memory.mjs";

/** Pids of this process's hosts processes (children running the hosts entry). */
function hostsProcesses(): number[] {
  return (treePids(process.pid) ?? []).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("hosts-process-entry.js");
    } catch {
      return false;
    }
  });
}

const gone = async (pid: number) => {
  for (let i = 0; i < 50 && hostsProcesses().includes(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return !hostsProcesses().includes(pid);
};

describe("hosts process", () => {
  const executors: { close(): Promise<void> }[] = [];
  afterAll(() => Promise.all(executors.map((e) => e.close())));

  it("rejects a hostProcess option that is not true, false or { recycleBytes }", () => {
    for (const bad of ["yes", 1, { recycleBytes: -1 }, { recycleBytes: "1GB" }, null])
      expect(() => createExecutor({ hostProcess: bad as never, prewarm: false }), JSON.stringify(bad)).toThrow(/`hostProcess` must be true, false or \{ recycleBytes/);
  });

  it("runs the hosts in a child process, which close() ends; with hostProcess: false there is none", { timeout: 120_000 }, async () => {
    const before = hostsProcesses();
    const inProcess = createExecutor({ prewarm: false, hostProcess: false });
    executors.push(inProcess);
    expect((await inProcess.execute({ runtime: "node", code: 'console.log("here")' })).stdout).toBe("here\n");
    expect(hostsProcesses()).toEqual(before);

    const executor = createExecutor({ prewarm: false });
    expect((await executor.execute({ runtime: "node", code: 'console.log("there")' })).stdout).toBe("there\n");
    const made = hostsProcesses().filter((p) => !before.includes(p));
    expect(made).toHaveLength(1);
    await executor.close();
    expect(await gone(made[0]!), "the hosts process outlived close()").toBe(true);
  });

  it("is not started for runtimes it does not host (python, go, rust)", { timeout: 180_000 }, async () => {
    const before = hostsProcesses();
    const executor = createExecutor({ prewarm: false, warmHosts: 0 });
    executors.push(executor);
    expect((await executor.execute({ runtime: "python", code: 'print("py")' })).stdout).toBe("py\n");
    expect((await executor.execute({ runtime: "go", code: 'package main\nimport "fmt"\nfunc main() { fmt.Println("go") }\n', timeout: 120_000 })).stdout).toBe("go\n");
    expect(hostsProcesses().filter((p) => !before.includes(p))).toEqual([]);
    await executor.close();
  });

  it("a hosts process left without hosts (all trimmed) ends on its own", { timeout: 60_000 }, async () => {
    const executor = createExecutor({ prewarm: false, warmHosts: 0, idleTimeout: 100 });
    executors.push(executor);
    const before = hostsProcesses();
    expect((await executor.execute({ runtime: "node", code: "console.log(1)" })).exitCode).toBe(0);
    const [pid] = hostsProcesses().filter((p) => !before.includes(p));
    expect(pid).toBeDefined();
    let ended = false;
    for (let i = 0; i < 200 && !ended; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ended = !hostsProcesses().includes(pid!);
    }
    expect(ended, "the idle hosts process still runs after 20 s").toBe(true);
    expect(executor.stats().hosts).toBe(0);
    // and the next execution starts another
    expect((await executor.execute({ runtime: "node", code: "console.log(2)" })).stdout).toBe("2\n");
  });

  it("a program stopped at its timeout keeps what it printed", { timeout: 120_000 }, async () => {
    const executor = createExecutor({ prewarm: false });
    executors.push(executor);
    // A loaded host first: a host's load counts against the timeout of the job that waits for it.
    await executor.warm("ruby");
    const r = await executor.execute({ runtime: "ruby", code: 'puts "before"; $stdout.flush; loop {}', timeout: 1500 });
    expect(r).toMatchObject({ stdout: "before\n", timedOut: true, exitCode: 124 });
  });

  it("is replaced past its memory bound: every execution still runs, and the old process ends", { timeout: 180_000 }, async () => {
    // Every process is over a 1-byte bound after its first job.
    const executor = createExecutor({ prewarm: false, warmHosts: 0, hostProcess: { recycleBytes: 1 } });
    executors.push(executor);
    const before = hostsProcesses();
    const seen = new Set<number>();
    // A retired process ends right after its job: look while each job runs.
    const look = setInterval(() => {
      for (const p of hostsProcesses()) if (!before.includes(p)) seen.add(p);
    }, 25);
    try {
      for (let i = 0; i < 3; i++) {
        const r = await executor.execute({ runtime: "node", code: `const t = Date.now(); while (Date.now() - t < 400); console.log(${i} * 2)` });
        expect(r).toMatchObject({ stdout: `${i * 2}\n`, exitCode: 0 });
      }
    } finally {
      clearInterval(look);
    }
    expect(seen.size, "one process per job").toBeGreaterThanOrEqual(3);
    for (const p of seen) expect(await gone(p), `retired process ${p} still runs`).toBe(true);
  });

  it("an execution whose hosts process dies ends as a sandbox failure, and the next one runs", { timeout: 120_000 }, async () => {
    const executor = createExecutor({ prewarm: false });
    executors.push(executor);
    const before = hostsProcesses();
    expect((await executor.execute({ runtime: "node", code: "console.log(1)" })).exitCode).toBe(0);
    const [pid] = hostsProcesses().filter((p) => !before.includes(p));
    expect(pid).toBeDefined();
    const running = executor.execute({ runtime: "node", code: 'console.log("started"); for (;;) {}', timeout: 60_000 });
    await new Promise((r) => setTimeout(r, 500));
    process.kill(pid!, "SIGKILL");
    const r = await running;
    expect(r.exitCode).toBe(70);
    expect(r.stderr).toMatch(/stopped unexpectedly \(the hosts process exited\)/);
    expect(await executor.execute({ runtime: "node", code: 'console.log("again")' })).toMatchObject({ stdout: "again\n", exitCode: 0 });
  });
});
