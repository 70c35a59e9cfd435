/**
 * Hostile workloads in every runtime: each ends with its documented result (README.md,
 * "Result") within its timeout plus 1 s, the executor keeps serving (a hello world right after),
 * and the memory of this process (which holds the worker-thread hosts) returns near its baseline.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExecutor, type RuntimeName } from "wasmbox";
import { HELLO, RUNTIMES, expectHealthy, unavailability } from "../security/runtimes.js";
import { EXPECTATIONS, workloadPrograms, type WorkloadName } from "./workloads.js";

const MiB = 1024 * 1024;
const OUTPUT_CAP = 1 * MiB;
const executor = createExecutor({ concurrency: 2, memoryLimit: 256 * MiB, outputLimit: OUTPUT_CAP });
const unavailable = await unavailability(executor);

const rssMiB = () => Math.round(process.memoryUsage().rss / MiB);
let baseline = 0;
const peaks: number[] = [];

beforeAll(async () => {
  // Baseline with every available runtime loaded once: their engines are part of the steady state.
  for (const r of RUNTIMES) if (!unavailable[r]) await executor.execute({ runtime: r, code: HELLO[r], timeout: 120_000 });
  baseline = rssMiB();
}, 300_000);

afterAll(async () => {
  await executor.close();
});

for (const runtime of RUNTIMES) {
  const programs = await workloadPrograms(runtime);
  describe(`hostile workloads: ${runtime}`, () => {
    for (const [name, expectation] of Object.entries(EXPECTATIONS) as [WorkloadName, (typeof EXPECTATIONS)[WorkloadName]][]) {
      const program = programs[name];
      const skip = unavailable[runtime] ?? (typeof program === "object" ? program.skip : undefined);
      it.skipIf(!!skip)(`${name}${skip ? ` (skipped: ${skip})` : ""}`, { timeout: 180_000 }, async () => {
        if (typeof program !== "string") return;
        if (expectation.timeout < 10_000) {
          // Compile (and cache) first, so the timed run measures the program, not the compiler.
          const primed = await executor.execute({ runtime, code: program, env: { PRIME: "1" }, timeout: 120_000 });
          expect(primed.exitCode, primed.stderr).toBe(0);
        }
        const started = performance.now();
        const r = await executor.execute({ runtime, code: program, stdin: expectation.stdin, timeout: expectation.timeout });
        const wall = performance.now() - started;
        expectation.check(r, OUTPUT_CAP);
        expect(r.executionTime).toBeLessThanOrEqual(expectation.timeout + 1000);
        expect(wall, "wall clock over the timeout + 1 s").toBeLessThanOrEqual(expectation.timeout + 1000);
        await expectHealthy(executor, runtime);
        peaks.push(rssMiB());
      });
    }
  });
}

describe("host memory", () => {
  it("returns near its baseline after every hostile workload", async () => {
    expect(baseline).toBeGreaterThan(0);
    // Let terminated hosts' memories go.
    for (let i = 0; i < 10 && rssMiB() > baseline + 150; i++) await new Promise((r) => setTimeout(r, 500));
    const after = rssMiB();
    console.log(`[reliability] rss baseline ${baseline} MiB, peak ${Math.max(baseline, ...peaks)} MiB, after ${after} MiB`);
    expect(after - baseline, `rss grew from ${baseline} to ${after} MiB`).toBeLessThan(256);
  });
});
