/**
 * `maxHosts`: the sandbox hosts an executor keeps at once over all runtimes. Under mixed load a
 * runtime that needs a host ends idle hosts of other runtimes instead of adding to them.
 */
import { describe, expect, it } from "vitest";
import { createExecutor, type RuntimeName } from "wasmbox";

const HELLO: Partial<Record<RuntimeName, string>> = {
  node: 'console.log("hi")',
  bun: 'console.log("hi")',
  php: '<?php echo "hi\\n";',
};

/** Samples `stats().hosts` until stopped; resolves to the most seen. */
function watchHosts(executor: ReturnType<typeof createExecutor>): () => number {
  let most = executor.stats().hosts;
  const timer = setInterval(() => (most = Math.max(most, executor.stats().hosts)), 2);
  return () => {
    clearInterval(timer);
    return Math.max(most, executor.stats().hosts);
  };
}

describe("maxHosts", () => {
  it("mixed load over several runtimes keeps at most maxHosts hosts, and every execution runs", { timeout: 120_000 }, async () => {
    const runtimes = Object.keys(HELLO) as RuntimeName[];
    const executor = createExecutor({ concurrency: 3, maxHosts: 3 });
    try {
      const stop = watchHosts(executor);
      let next = 0;
      const results: string[] = [];
      const client = async () => {
        while (next < 30) {
          const runtime = runtimes[next++ % runtimes.length]!;
          const r = await executor.execute({ runtime, code: HELLO[runtime]! });
          results.push(`${runtime}:${r.exitCode}:${r.stdout}`);
        }
      };
      await Promise.all([client(), client(), client()]);
      expect(stop()).toBeLessThanOrEqual(3);
      expect(results).toHaveLength(30);
      for (const r of results) expect(r).toMatch(/^(node|bun|php):0:hi\n$/);
    } finally {
      await executor.close();
    }
  });

  it("a runtime asked for ends another runtime's idle host; hosts started ahead of demand wait for room", { timeout: 120_000 }, async () => {
    const executor = createExecutor({ concurrency: 1, maxHosts: 1, prewarm: ["node", "bun"] });
    try {
      await executor.warm("node");
      // warm() may have started a host of its own while the one ahead of demand was still
      // loading (slower in the hosts process on a busy machine): the executor then ends one of
      // the two once both are idle. Wait for that, then bun's host ahead of demand found no room.
      for (let i = 0; i < 300 && executor.stats().idleHosts < 1; i++) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 500));
      expect(executor.stats()).toMatchObject({ hosts: 1, idleHosts: 1 });
      const stop = watchHosts(executor);
      for (const runtime of ["bun", "node", "bun"] as RuntimeName[]) {
        const r = await executor.execute({ runtime, code: HELLO[runtime]! });
        expect(r).toMatchObject({ exitCode: 0, stdout: "hi\n" });
        expect(executor.stats().hosts).toBe(1);
      }
      expect(stop()).toBe(1);
    } finally {
      await executor.close();
    }
  });

  it("the default leaves room for a warm host of every runtime beside `concurrency` busy ones", { timeout: 120_000 }, async () => {
    const executor = createExecutor({ concurrency: 2 });
    try {
      for (const runtime of Object.keys(HELLO) as RuntimeName[]) await executor.warm(runtime);
      // Two more node hosts busy at once: nothing idle is ended for them.
      const slow = 'const t = Date.now(); while (Date.now() - t < 300); console.log("hi")';
      await Promise.all([executor.execute({ runtime: "node", code: slow }), executor.execute({ runtime: "node", code: slow })]);
      expect(executor.stats().hosts).toBe(4);
    } finally {
      await executor.close();
    }
  });

  it("rejects a bad maxHosts with a message naming it", () => {
    expect(() => createExecutor({ maxHosts: 0 })).toThrow(/`maxHosts` must be a positive integer/);
    expect(() => createExecutor({ maxHosts: 1.5 })).toThrow(/`maxHosts`/);
  });
});

describe("hosts started ahead of demand", () => {
  /** Until the job has its slot and waits for the host started ahead of demand (still loading). */
  const admitted = async (executor: ReturnType<typeof createExecutor>) => {
    for (let i = 0; i < 500 && executor.stats().running === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(executor.stats()).toMatchObject({ running: 1, idleHosts: 0 });
  };
  it("a graceful close lets a job waiting for one run on it; close() rejects it", { timeout: 120_000 }, async () => {
    for (const runtime of ["node", "python"] as const) {
      const code = runtime === "python" ? 'print("hi")' : HELLO.node!;
      const graceful = createExecutor({ prewarm: [runtime], warmHosts: 1 });
      const running = graceful.execute({ runtime, code });
      await admitted(graceful);
      const closing = graceful.close({ graceful: true });
      expect((await running).stdout, runtime).toBe("hi\n");
      await closing;

      const abrupt = createExecutor({ prewarm: [runtime], warmHosts: 1 });
      const stopped = abrupt.execute({ runtime, code });
      await admitted(abrupt);
      await abrupt.close();
      await expect(stopped, runtime).rejects.toMatchObject({ code: "EXECUTOR_CLOSED" });
    }
  });

  for (const hostProcess of [false, true])
    it(`a job or warm() arriving while one loads takes it rather than start a second (hostProcess: ${hostProcess})`, { timeout: 120_000 }, async () => {
      for (const runtime of ["node", "php"] as const) {
        const executor = createExecutor({ prewarm: [runtime], warmHosts: 1, hostProcess });
        try {
          const most = watchHosts(executor);
          const r = await executor.execute({ runtime, code: HELLO[runtime]! });
          expect(r.stdout, runtime).toBe("hi\n");
          expect(most(), `${runtime}: hosts at once`).toBe(1);
          expect(executor.stats().hosts).toBe(1);
        } finally {
          await executor.close();
        }
        const warmed = createExecutor({ prewarm: [runtime], warmHosts: 1, hostProcess });
        try {
          const most = watchHosts(warmed);
          await warmed.warm(runtime);
          expect(most(), `${runtime}: hosts at once after warm()`).toBe(1);
          expect(warmed.stats()).toMatchObject({ hosts: 1, idleHosts: 1 });
        } finally {
          await warmed.close();
        }
      }
    });
});
