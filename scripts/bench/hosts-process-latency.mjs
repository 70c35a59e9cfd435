#!/usr/bin/env node
// node scripts/bench/hosts-process-latency.mjs <runtime>: prints one JSON line.
// Warm p50 of a hello world with hosts in this process vs in the hosts process, alternating,
// with a pause between calls (as the bench's latency phase has while the native tool runs).
import { createExecutor } from "../../dist/src/index.js";
import { PROGRAMS, EXPECTED } from "./programs.mjs";
const rt = process.argv[2];
const hello = { runtime: rt, code: PROGRAMS[rt].hello };
const exs = { before: createExecutor({ prewarm: [rt], concurrency: 1, hostProcess: false }), after: createExecutor({ prewarm: [rt], concurrency: 1 }) };
for (const e of Object.values(exs)) for (let i = 0; i < 10; i++) await e.execute(hello);
const lat = { before: [], after: [] };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
for (let i = 0; i < 150; i++) {
  const order = i % 2 ? ["before", "after"] : ["after", "before"];
  for (const k of order) {
    await sleep(30);
    const t = performance.now();
    const r = await exs[k].execute(hello);
    lat[k].push(performance.now() - t);
    if (r.stdout !== EXPECTED.hello) throw new Error(JSON.stringify(r));
  }
}
const q = (a, p) => [...a].sort((x, y) => x - y)[Math.floor(a.length * p)].toFixed(2);
console.log(JSON.stringify({ runtime: rt, before: { p50: q(lat.before, 0.5), p90: q(lat.before, 0.9) }, after: { p50: q(lat.after, 0.5), p90: q(lat.after, 0.9) } }));
for (const e of Object.values(exs)) await e.close();
