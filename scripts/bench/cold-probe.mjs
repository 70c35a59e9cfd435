#!/usr/bin/env node
/**
 * Run in a fresh Node process for one runtime (scripts/bench.mjs spawns it), so that nothing
 * another runtime loaded is counted:
 *   1. RSS of an idle executor (wasmbox imported, executor made, nothing run);
 *   2. the cold first call: execute() hello world on that executor, which loads the runtime and
 *      starts its first sandbox host (a compiled runtime also compiles: the source is unique);
 *   3. RSS once one warm host is ready, and the extra RSS of one more warm host.
 * Prints one JSON line on stdout.
 *   node scripts/bench/cold-probe.mjs <runtime> [<executor options as JSON>]
 */
import { createExecutor } from "../../dist/src/index.js";
import { treeRssMiB } from "./memory.mjs";
import { EXPECTED, PROGRAMS, uncached } from "./programs.mjs";

const runtime = process.argv[2];
const settle = () => new Promise((r) => setTimeout(r, 300));
const quietly = { ...JSON.parse(process.argv[3] ?? "{}"), onWarning: () => {} };

async function warmExecutor() {
  const ex = createExecutor({ ...quietly, prewarm: [runtime], warmHosts: 1, concurrency: 1 });
  const deadline = Date.now() + 120_000;
  while (ex.stats().idleHosts < 1) {
    if (Date.now() > deadline) throw new Error(`no warm ${runtime} host after 120 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return ex;
}

await settle();
const idle = createExecutor(quietly);
const idleExecutorMiB = treeRssMiB();

const t = performance.now();
const r = await idle.execute({ runtime, code: uncached(runtime, PROGRAMS[runtime].hello), timeout: 120_000 });
const coldFirstCallMs = performance.now() - t;
if (r.stdout !== EXPECTED.hello) throw new Error(`cold ${runtime} call printed ${JSON.stringify(r)}`);
await idle.close();

const first = await warmExecutor();
await settle();
const oneWarmHostMiB = treeRssMiB();
const second = await warmExecutor();
await settle();
const twoWarmHostsMiB = treeRssMiB();
await Promise.all([first.close(), second.close()]);

process.stdout.write(
  `${JSON.stringify({
    runtime,
    coldFirstCallMs,
    idleExecutorMiB: Math.round(idleExecutorMiB),
    oneWarmHostMiB: Math.round(oneWarmHostMiB),
    perWarmHostMiB: Math.round(twoWarmHostsMiB - oneWarmHostMiB),
  })}\n`,
);
