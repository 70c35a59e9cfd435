/**
 * The latency chart: hello world per runtime on a log scale, wasmbox (warm p50 and cold first
 * call) against the native spawn and Runno, rendered to SVG by Vega-Lite headless (no canvas).
 */
import * as vega from "vega";
import * as vl from "vega-lite";

const CONTENDERS = ["wasmbox warm p50", "wasmbox cold first call", "native spawn p50", "Runno p50"];

export async function latencyChartSvg(result) {
  const values = [];
  for (const [runtime, r] of Object.entries(result.runtimes)) {
    if (r.skipped) continue;
    const h = r.headline;
    const add = (contender, ms) => ms && values.push({ runtime, contender, ms });
    add(CONTENDERS[0], h.warmP50Ms);
    add(CONTENDERS[1], h.coldFirstCallMs);
    add(CONTENDERS[2], h.nativeSpawnP50Ms);
    add(CONTENDERS[3], h.runnoP50Ms);
  }
  const m = result.machine;
  const spec = vl.compile({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      anchor: "start",
      text: "wasmbox: hello world latency per runtime (log scale, lower is better)",
      subtitle: `${result.mode} run ${result.generatedAt.slice(0, 10)} on ${m.cpu}, ${m.cores} cores, Node ${m.node}; load average ${m.loadavgStart[0]} (shared machine: compare bars within a runtime)`,
    },
    width: 110 * Math.max(1, new Set(values.map((v) => v.runtime)).size),
    height: 320,
    data: { values },
    mark: { type: "bar", tooltip: true },
    encoding: {
      x: { field: "runtime", type: "nominal", title: null, sort: Object.keys(result.runtimes), axis: { labelAngle: 0 } },
      xOffset: { field: "contender", sort: CONTENDERS },
      y: { field: "ms", type: "quantitative", stack: null, scale: { type: "log" }, title: "milliseconds (log scale)" },
      color: { field: "contender", type: "nominal", sort: CONTENDERS, title: null, legend: { orient: "bottom", labelLimit: 240 } },
    },
    config: { font: "sans-serif", background: "white" },
  }).spec;
  return new vega.View(vega.parse(spec), { renderer: "none" }).toSVG();
}
