#!/usr/bin/env node
/**
 * Python throughput benchmark: cold first call, warm hello-world p50 (a request that finds a
 * ready interpreter), sustained executions/s at concurrency 2 and 8, and CPU-seconds per
 * execution (this process plus every process it started, read from /proc), next to native
 * `python3 -c 'print(1)'`. Needs `npx tsc -p .` first (it imports dist/).
 * Usage: node scripts/bench/python-throughput.mjs [--runs N] [--json]
 * The machine may be shared: CPU-s per execution is what bounds throughput, wall time is noisy.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1]) || 40;
const json = args.includes("--json");
const { createExecutor } = await import(new URL("../../dist/src/index.js", import.meta.url).href);

const TICK = Number(execFileSync("getconf", ["CLK_TCK"]).toString()) || 100;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const p = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

/** CPU seconds (user + system) of every live descendant of this process, by pid. */
function descendantsCpu() {
  const stats = new Map();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = readFileSync(`/proc/${d}/stat`, "utf8");
      const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(d), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / TICK, start: f[19] });
    } catch {
      /* gone */
    }
  }
  const out = new Map();
  const walk = (pid) => {
    for (const [c, s] of stats) if (s.ppid === pid && !out.has(c)) (out.set(`${c}:${s.start}`, s.cpu), walk(c));
  };
  walk(process.pid);
  return out;
}

/** Measures CPU used by this process and its descendants between start() and stop(). */
function cpuMeter() {
  const self0 = process.cpuUsage();
  const kids0 = descendantsCpu();
  return () => {
    const self = process.cpuUsage(self0);
    let kids = 0;
    for (const [k, v] of descendantsCpu()) kids += v - (kids0.get(k) ?? 0);
    return { self: (self.user + self.system) / 1e6, kids };
  };
}

const hello = { runtime: "python", code: "print('hello')" };
const check = (r) => {
  if (r.exitCode !== 0 || r.stdout !== "hello\n") throw new Error(`bad result: ${JSON.stringify(r)}`);
};

// ---- cold first call: a new executor, no interpreter ready ------------------------------------
const coldExec = createExecutor({ concurrency: 1 });
let t = performance.now();
check(await coldExec.execute(hello));
const cold = performance.now() - t;
await coldExec.close();
await sleep(500);

// ---- warm: a request that finds a ready interpreter --------------------------------------------
const warmExec = createExecutor({ concurrency: 1 });
check(await warmExec.execute(hello));
const warm = [];
const warmExecTime = [];
for (let i = 0; i < Math.max(10, Math.round(runs / 2)); i++) {
  await sleep(400); // let the pool make the next interpreter ready
  t = performance.now();
  const r = await warmExec.execute(hello);
  warm.push(performance.now() - t);
  warmExecTime.push(r.executionTime);
  check(r);
}
await warmExec.close();
await sleep(500);

// ---- sustained throughput ----------------------------------------------------------------------
async function throughput(concurrency, n) {
  const ex = createExecutor({ concurrency });
  await Promise.all(Array.from({ length: concurrency }, () => ex.execute(hello).then(check)));
  await sleep(1000);
  const meter = cpuMeter();
  t = performance.now();
  let next = 0;
  const lat = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < n) {
        const s = performance.now();
        check(await ex.execute(hello));
        lat.push(performance.now() - s);
      }
    }),
  );
  const wall = (performance.now() - t) / 1000;
  const cpu = meter();
  await ex.close();
  await sleep(500);
  return { concurrency, executions: n, perSecond: n / wall, p50: p(lat, 0.5), cpuPerExecution: (cpu.self + cpu.kids) / n, hostCpuPerExecution: cpu.kids / n };
}
const c2 = await throughput(2, runs);
const c8 = await throughput(8, runs);

// ---- native python3 for comparison -------------------------------------------------------------
const native = [];
for (let i = 0; i < 10; i++) {
  t = performance.now();
  const r = spawnSync("python3", ["-c", "print(1)"]);
  if (r.status !== 0) break;
  native.push(performance.now() - t);
}

const load = os.loadavg()[0].toFixed(1);
const result = {
  coldFirstCallMs: Math.round(cold),
  warmP50Ms: +p(warm, 0.5).toFixed(1),
  warmP90Ms: +p(warm, 0.9).toFixed(1),
  warmExecutionTimeP50Ms: p(warmExecTime, 0.5),
  nativePython3P50Ms: native.length ? +p(native, 0.5).toFixed(1) : null,
  concurrency2: c2,
  concurrency8: c8,
  cpuSecondsPerExecution: +((c2.cpuPerExecution + c8.cpuPerExecution) / 2).toFixed(3),
  loadAverage: Number(load),
};
if (json) console.log(JSON.stringify(result, null, 2));
else {
  const f = (x, d = 1) => x.toFixed(d);
  console.log(`python (load average ${load} on ${os.availableParallelism()} cores)`);
  console.log(`  cold first call            ${result.coldFirstCallMs} ms`);
  console.log(`  warm hello world p50       ${result.warmP50Ms} ms (p90 ${result.warmP90Ms} ms; executionTime p50 ${result.warmExecutionTimeP50Ms} ms)`);
  console.log(`  native python3 -c p50      ${result.nativePython3P50Ms ?? "n/a"} ms`);
  for (const c of [c2, c8])
    console.log(
      `  concurrency ${c.concurrency}: ${f(c.perSecond, 2)} executions/s over ${c.executions}, latency p50 ${f(c.p50)} ms, CPU ${f(c.cpuPerExecution, 3)} s/execution (hosts ${f(c.hostCpuPerExecution, 3)})`,
    );
  console.log(`  CPU-s per execution        ${result.cpuSecondsPerExecution}`);
}
process.exit(0);
