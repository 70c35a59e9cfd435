// Benchmark of the QuickJS-based `node`/`bun` runtimes (run after `npx tsc -p .`):
//   node runtimes/javascript/test/bench.mjs
// Hello-world execute() latency (warm p50/p95) next to spawning `node -e` / `bun -e`, and the
// CPU-bound ratio (primes below 200000) against native node and `node --jitless`.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createExecutor } from "wasmbox";

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const fmt = (ms) => `${ms.toFixed(2)} ms`;
const HELLO = 'console.log("Hello, World!")';
const PRIMES = `let count = 0;
for (let n = 2; n < 200000; n++) { let prime = true; for (let d = 2; d * d <= n; d++) if (n % d === 0) { prime = false; break; } if (prime) count++; }
console.log(count);`;

function spawnTimes(cmd, args, n) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = spawnSync(cmd, args, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
    times.push(performance.now() - t);
  }
  return times;
}

const executor = createExecutor({ concurrency: 1, prewarm: ["node", "bun"] });
const rows = [];
for (const runtime of ["node", "bun"]) {
  for (let i = 0; i < 20; i++) await executor.execute({ runtime, code: HELLO }); // warm
  const times = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    const r = await executor.execute({ runtime, code: HELLO });
    times.push(performance.now() - t);
    if (r.stdout !== "Hello, World!\n") throw new Error(`unexpected output: ${JSON.stringify(r)}`);
  }
  rows.push([`wasmbox ${runtime} hello execute()`, pct(times, 50), pct(times, 95)]);
}
const nodeSpawn = spawnTimes(process.execPath, ["-e", HELLO], 20);
rows.push(["native node -e spawn", pct(nodeSpawn, 50), pct(nodeSpawn, 95)]);
const bun = "node_modules/.bin/bun";
if (existsSync(bun)) {
  const bunSpawn = spawnTimes(bun, ["-e", HELLO], 20);
  rows.push(["native bun -e spawn", pct(bunSpawn, 50), pct(bunSpawn, 95)]);
}
for (const [name, p50, p95] of rows) console.log(`${name.padEnd(34)} p50 ${fmt(p50).padStart(10)}  p95 ${fmt(p95).padStart(10)}`);
console.log(`speed-up of warm node execute() over node -e spawn: ${(rows[2][1] / rows[0][1]).toFixed(1)}x (target >= 10x)`);

const t0 = performance.now();
const q = await executor.execute({ runtime: "node", code: PRIMES, timeout: 120_000 });
const quick = performance.now() - t0;
const native = spawnTimes(process.execPath, ["-e", PRIMES], 1)[0];
const jitless = spawnTimes(process.execPath, ["--jitless", "-e", PRIMES], 1)[0];
console.log(`primes < 200000 (${q.stdout.trim()}): wasmbox ${fmt(quick)}, node ${fmt(native)} (${(quick / native).toFixed(1)}x slower), node --jitless ${fmt(jitless)} (${(quick / jitless).toFixed(1)}x slower)`);
await executor.close();
