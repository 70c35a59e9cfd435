/**
 * Throughput: `c` clients each send hello world, one request after another, for a window (the
 * requests in flight at its end finish and count), against one executor sized as a user gets it (concurrency = cores, as many warm hosts). Beyond
 * the executor's concurrency the rest wait in its queue, so executions/s levels off while p95
 * grows: that is where the queue saturates. Latency is the client's (queue wait included).
 */
import os from "node:os";
import { executeTimed } from "./latency.mjs";
import { peakSampler } from "./memory.mjs";
import { EXPECTED, PROGRAMS } from "./programs.mjs";
import { percentile, round } from "./stats.mjs";

export async function waitForWarmHosts(executor, n, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (executor.stats().idleHosts < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

const MIN_EXECUTIONS = 30;

export async function measureThroughput({ runtime, createExecutor, levels, windowMs, progress, onWarning }) {
  const cores = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const executor = createExecutor({ concurrency: cores, warmHosts: cores, prewarm: [runtime], onWarning });
  const hello = { runtime, code: PROGRAMS[runtime].hello };
  const memory = peakSampler();
  const rows = [];
  try {
    progress.tick("warming hosts");
    await waitForWarmHosts(executor, cores);
    await Promise.all(Array.from({ length: cores }, () => executeTimed(executor, hello, EXPECTED.hello)));
    for (const c of levels) {
      const latencies = [];
      let failures = 0;
      const start = performance.now();
      const deadline = start + windowMs;
      // A window that holds only a few executions of a slow runtime measures mostly its ramp
      // (hosts warmed ahead of it, the last ones in flight): it is extended until it holds
      // MIN_EXECUTIONS, up to 4 windows.
      const extended = start + 4 * windowMs;
      const more = () => {
        const now = performance.now();
        return now < deadline || (now < extended && latencies.length + failures < MIN_EXECUTIONS);
      };
      // Closed loop: each client sends its next request when the last one returns, until the
      // window ends; requests in flight then are waited for and counted, so a runtime slower
      // than the window still shows its rate instead of zero.
      const client = async () => {
        do {
          try {
            latencies.push(await executeTimed(executor, hello, EXPECTED.hello));
          } catch {
            failures++;
          }
        } while (more());
      };
      const ticker = setInterval(() => progress.tick(`concurrency ${c}: ${latencies.length} done`), 250);
      await Promise.all(Array.from({ length: c }, client));
      clearInterval(ticker);
      const elapsed = performance.now() - start;
      rows.push({
        concurrency: c,
        executions: latencies.length,
        seconds: round(elapsed / 1000),
        perSecond: round((latencies.length / elapsed) * 1000),
        p50: round(percentile(latencies, 50)),
        p95: round(percentile(latencies, 95)),
        failures,
      });
    }
  } finally {
    await executor.close();
  }
  return { cores, windowMs, levels: rows, peakRssMiB: memory.stop() };
}
