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
    const a = createExecutor({ concurrency: 1, prewarm: [runtime], onWarning });
    try {
      await waitForWarmHosts(a, 1);
      cold.push(await executeTimed(a, request, EXPECTED.hello));
    } finally {
      await a.close();
    }
    const b = createExecutor({ concurrency: 1, prewarm: [runtime], onWarning });
    try {
      await waitForWarmHosts(b, 1);
      warm.push(await executeTimed(b, request, EXPECTED.hello));
    } finally {
      await b.close();
    }
  }
  return { coldCacheMs: round(median(cold)), warmCacheMs: round(median(warm)) };
}
