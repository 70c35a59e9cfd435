#!/usr/bin/env node
/**
 * The cost phase's measurements, each run in a fresh Node process (scripts/bench/cost.mjs spawns
 * it) so that what one measurement loaded or left in glibc's arenas is not counted by another.
 * Prints one JSON line on stdout.
 *
 *   node scripts/bench/cost-probe.mjs runtime  '{"runtime","native","windowMs","rounds","extraHosts"}'
 *   node scripts/bench/cost-probe.mjs all-warm '{"runtimes"}'
 *   node scripts/bench/cost-probe.mjs load     '{"runtimes","executions","concurrency","settleMs"}'
 *   node scripts/bench/cost-probe.mjs soak     '{"runtimes","executions","concurrency"}'
 *
 * runtime: RSS with one warm host and with 1 + extraHosts (memory first, while the process is
 * fresh), then hello-world executions/s at concurrency 2 with the default executor against the
 * native tool's spawn at concurrency 2, in alternating windows, with the CPU time of the process
 * tree per execution. all-warm: one warm host of each runtime in one executor, added one at a
 * time. load / soak: mixed hello worlds (the runtimes in turn) at the given concurrency.
 * Every mode takes `executor`: options for the executors it makes (e.g. {"hostProcess":false}).
 */
import os from "node:os";
import { createExecutor } from "../../dist/src/index.js";
import { peakSampler, treeCpuMs, treeRssMiB, treeSeries } from "./memory.mjs";
import { spawnerPid, spawnTimed } from "./native.mjs";
import { EXPECTED, PROGRAMS, matches } from "./programs.mjs";
import { median, percentile, round } from "./stats.mjs";

const [mode, json] = process.argv.slice(2);
const opts = JSON.parse(json ?? "{}");
const warnings = new Set();
const onWarning = (m) => warnings.add(m);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const TIMEOUT = 120_000; // covers a Go or Rust compile on a busy machine
const hello = (runtime) => ({ runtime, code: PROGRAMS[runtime].hello, timeout: TIMEOUT });

async function helloOnce(executor, runtime) {
  const r = await executor.execute(hello(runtime));
  if (r.exitCode !== 0 || !matches(r.stdout, EXPECTED.hello)) throw new Error(`wasmbox ${runtime} returned ${JSON.stringify(r).slice(0, 300)}`);
}

async function waitForIdleHosts(executor, n, what) {
  const deadline = Date.now() + 180_000;
  while (executor.stats().idleHosts < n) {
    if (Date.now() > deadline) throw new Error(`no ${n} warm host(s) of ${what} after 180 s`);
    await sleep(50);
  }
}

/**
 * Waits until the tree is at rest (under 10% of a core over 300 ms, at most 10 s): a pool may
 * still be booting interpreters ahead of demand once the host asked for is ready.
 */
async function quiesce() {
  const deadline = Date.now() + 10_000;
  let before = treeCpuMs();
  do {
    await sleep(300);
    const now = treeCpuMs();
    if (now - before < 30) return;
    before = now;
  } while (Date.now() < deadline);
}

const rss = () => Math.round(treeRssMiB());
const rate = (n, ms) => (ms > 0 ? round((n / ms) * 1000) : undefined);

/** RSS with one warm host of `runtime`, and per further warm host. */
async function hostsMemory(runtime, extraHosts) {
  await quiesce();
  const baseMiB = rss();
  const one = createExecutor({ ...opts.executor, onWarning, warmHosts: 1, concurrency: 1, prewarm: [runtime] });
  // one execution first: a host that has served holds what serving loads
  await helloOnce(one, runtime);
  await waitForIdleHosts(one, 1, runtime);
  await quiesce();
  const oneWarmHostMiB = rss();
  // a second executor with the same options shares the runtime's loaded module and python's host processes
  const more = createExecutor({ ...opts.executor, onWarning, warmHosts: extraHosts, concurrency: 1, prewarm: [runtime] });
  await waitForIdleHosts(more, extraHosts, runtime);
  await quiesce();
  const moreMiB = rss();
  await Promise.all([one.close(), more.close()]);
  return { baseMiB, oneWarmHostMiB, warmHosts: 1 + extraHosts, manyWarmHostsMiB: moreMiB, perExtraHostMiB: round((moreMiB - oneWarmHostMiB) / extraHosts) };
}

/**
 * Two clients send `run` back to back for `windowMs` (longer, up to 4 windows, until 20 have
 * run; those in flight at the end finish and count). CPU: `cpu()` read before and after.
 */
async function window(run, windowMs, cpu) {
  let executions = 0;
  let failures = 0;
  const cpu0 = cpu();
  const start = performance.now();
  const more = () => {
    const t = performance.now() - start;
    return t < windowMs || (t < 4 * windowMs && executions + failures < 20);
  };
  const client = async () => {
    do {
      try {
        await run();
        executions++;
      } catch {
        failures++;
      }
    } while (more());
  };
  await Promise.all([client(), client()]);
  const ms = performance.now() - start;
  return { executions, failures, ms, cpuMs: cpu() - cpu0 };
}

async function throughput(runtime, native, windowMs, rounds) {
  const executor = createExecutor({ ...opts.executor, onWarning });
  try {
    for (let i = 0; i < 3; i++) await Promise.all([helloOnce(executor, runtime), helloOnce(executor, runtime)]);
    const spawner = native ? spawnerPid() : undefined;
    if (native) for (let i = 0; i < 2; i++) await spawnTimed(native, EXPECTED.hello);
    // This process's tree holds the idle spawner too: its share is taken out of wasmbox's.
    const wasmCpu = () => treeCpuMs(process.pid) - (spawner ? treeCpuMs(spawner) : 0);
    // The native tools' own CPU (reaped by the spawner); the spawner's own is Node's spawn cost.
    const toolCpu = () => treeCpuMs(spawner, { reapedOnly: true });
    const sum = { wasmbox: { executions: 0, failures: 0, ms: 0, cpuMs: 0 }, native: { executions: 0, failures: 0, ms: 0, cpuMs: 0 } };
    const add = (k, w) => {
      for (const f of Object.keys(sum[k])) sum[k][f] += w[f];
    };
    const perRound = [];
    for (let i = 0; i < rounds; i++) {
      const contenders = [
        ["wasmbox", () => window(() => helloOnce(executor, runtime), windowMs, wasmCpu)],
        native && ["native", () => window(() => spawnTimed(native, EXPECTED.hello), windowMs, toolCpu)],
      ].filter(Boolean);
      if (i % 2 === 1) contenders.reverse();
      const row = {};
      for (const [k, run] of contenders) {
        const w = await run();
        add(k, w);
        row[k] = rate(w.executions, w.ms);
      }
      perRound.push(row);
    }
    const figures = (s) =>
      s.executions || s.failures
        ? { executions: s.executions, failures: s.failures, perSecond: rate(s.executions, s.ms), cpuMsPerExecution: s.executions ? round(s.cpuMs / s.executions) : undefined }
        : undefined;
    return { concurrency: 2, windowMs, rounds, wasmbox: figures(sum.wasmbox), native: native ? figures(sum.native) : undefined, perRound };
  } finally {
    await executor.close();
  }
}

async function allWarm(runtimes) {
  await quiesce();
  const baseMiB = rss();
  const executor = createExecutor({ ...opts.executor, onWarning });
  const steps = [];
  let last = baseMiB;
  try {
    for (const [i, runtime] of runtimes.entries()) {
      await helloOnce(executor, runtime);
      await waitForIdleHosts(executor, i + 1, runtime);
      await quiesce();
      const totalMiB = rss();
      steps.push({ runtime, totalMiB, incrementMiB: totalMiB - last });
      last = totalMiB;
    }
  } finally {
    await executor.close();
  }
  return { baseMiB, totalMiB: last, steps };
}

/** `executions` hello worlds over `runtimes` in turn from `concurrency` clients; calls onDone(count) after each. */
async function mixed(executor, runtimes, executions, concurrency, onDone = () => {}) {
  let next = 0;
  let done = 0;
  const failures = {};
  const client = async () => {
    while (next < executions) {
      const runtime = runtimes[next++ % runtimes.length];
      try {
        await helloOnce(executor, runtime);
      } catch (e) {
        const key = `${runtime}: ${(e.code ?? e.message).slice(0, 120)}`;
        failures[key] = (failures[key] ?? 0) + 1;
      }
      onDone(++done);
    }
  };
  const t = performance.now();
  await Promise.all(Array.from({ length: concurrency }, client));
  return { ms: performance.now() - t, failures };
}

/** What the mixed load and the soak both report of their run. */
const runSummary = ({ runtimes, executions, concurrency }, run, startMiB) => ({
  runtimes,
  executions,
  concurrency,
  seconds: round(run.ms / 1000),
  perSecond: rate(executions, run.ms),
  failures: run.failures,
  startMiB,
});

const mixedExecutor = (concurrency) => createExecutor({ ...opts.executor, onWarning, concurrency, maxQueue: 100_000 });

async function load({ runtimes, executions, concurrency, settleMs }) {
  await quiesce();
  const startMiB = rss();
  const executor = mixedExecutor(concurrency);
  const peak = peakSampler();
  let run;
  try {
    run = await mixed(executor, runtimes, executions, concurrency);
  } finally {
    await executor.close();
  }
  const peakMiB = peak.stop();
  const closedMiB = rss();
  await sleep(settleMs);
  const afterMiB = rss();
  return {
    ...runSummary({ runtimes, executions, concurrency }, run, startMiB),
    peakMiB,
    closedMiB,
    afterMiB,
    afterOverStartMiB: afterMiB - startMiB,
    settleMs,
  };
}

async function soak({ runtimes, executions, concurrency }) {
  await quiesce();
  const startMiB = rss();
  const executor = mixedExecutor(concurrency);
  // every 500 ms, the tree listed again every 2 s: a cheap sampler, the soak is also a rate
  const series = treeSeries(process.pid, 500, 2000);
  let halfAt;
  let run;
  try {
    run = await mixed(executor, runtimes, executions, concurrency, (done) => {
      if (done === Math.ceil(executions / 2)) halfAt = series.samples.at(-1)[0];
    });
  } finally {
    await executor.close();
  }
  const samples = series.stop();
  const first = samples.filter(([t]) => t <= halfAt).map(([, m]) => m);
  const second = samples.filter(([t]) => t > halfAt).map(([, m]) => m);
  const firstHalfMedianMiB = median(first);
  const secondHalfMedianMiB = median(second);
  return {
    ...runSummary({ runtimes, executions, concurrency }, run, startMiB),
    peakMiB: Math.max(...samples.map(([, m]) => m)),
    p95MiB: percentile(samples.map(([, m]) => m), 95),
    firstHalfMedianMiB,
    secondHalfMedianMiB,
    growthMiB: firstHalfMedianMiB !== undefined && secondHalfMedianMiB !== undefined ? secondHalfMedianMiB - firstHalfMedianMiB : undefined,
    samples: samples.length,
  };
}

let out;
switch (mode) {
  case "runtime": {
    const hosts = await hostsMemory(opts.runtime, opts.extraHosts);
    out = { runtime: opts.runtime, hosts, throughput: await throughput(opts.runtime, opts.native, opts.windowMs, opts.rounds) };
    break;
  }
  case "all-warm":
    out = await allWarm(opts.runtimes);
    break;
  case "load":
    out = await load(opts);
    break;
  case "soak":
    out = await soak(opts);
    break;
  default:
    throw new Error(`unknown mode ${mode}`);
}
out.cores = os.availableParallelism?.() ?? os.cpus().length;
out.warnings = [...warnings];
process.stdout.write(`${JSON.stringify(out)}\n`);
// the spawner and the executors are closed; do not wait for stray handles
process.exit(0);
