/**
 * Compiled runtimes (Go, Rust): execute() of a program wasmbox has never seen (the compiler
 * runs: cold cache) against the same program again on a new executor (the compiled-module cache
 * answers: warm cache), alternating. The compiler's own caches (GOCACHE) stay as they are.
 */
import { executeTimed } from "./latency.mjs";
import { EXPECTED, PROGRAMS, uncached } from "./programs.mjs";
import { median, round } from "./stats.mjs";
import { waitForWarmHosts } from "./throughput.mjs";

export async function measureCompile({ runtime, createExecutor, reps, progress, onWarning }) {
  const cold = [];
  const warm = [];
  for (let rep = 0; rep < reps; rep++) {
    progress.tick(`compile ${rep + 1}/${reps}`);
    const request = { runtime, code: uncached(runtime, PROGRAMS[runtime].hello), timeout: 300_000 };
    // The first executor compiles (cold cache); a second one finds the module in the cache.
    for (const times of [cold, warm]) {
      const executor = createExecutor({ concurrency: 1, prewarm: [runtime], onWarning });
      try {
        await waitForWarmHosts(executor, 1);
        times.push(await executeTimed(executor, request, EXPECTED.hello));
      } finally {
        await executor.close();
      }
    }
  }
  return { coldCacheMs: round(median(cold)), warmCacheMs: round(median(warm)) };
}
