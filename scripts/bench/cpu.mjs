/**
 * CPU-bound work, wasm against native: primes below 200,000 and a recursive fib(27). Each
 * program times its own computation (programs.mjs), so the slowdown compares computations and
 * not process start-ups; the whole-execution ratio (a warm execute() against a native spawn) is
 * kept beside it. Contenders alternate within each repetition; short programs get more.
 */
import { executeTimed } from "./latency.mjs";
import { spawnTimed } from "./native.mjs";
import { EXPECTED, PROGRAMS, computeMs } from "./programs.mjs";
import { median, ratio, round } from "./stats.mjs";

const MAX_REPS = 9;

export async function measureCpu({ runtime, executor, native, reps, budgetMs, progress }) {
  const out = {};
  for (const kind of ["primes", "fib"]) {
    const request = { runtime, code: PROGRAMS[runtime][kind], timeout: 300_000 };
    const contenders = [
      { name: "wasmbox", run: (o) => executeTimed(executor, request, EXPECTED[kind], o) },
      native && { name: native.tool, run: (o) => spawnTimed(native.run[kind], EXPECTED[kind], o) },
      ...(native?.extra ?? []).map((e) => ({ name: e.tool, run: (o) => spawnTimed(e.run[kind], EXPECTED[kind], o) })),
    ].filter(Boolean);
    const wall = Object.fromEntries(contenders.map((c) => [c.name, []]));
    const compute = Object.fromEntries(contenders.map((c) => [c.name, []]));
    const started = performance.now();
    for (let rep = 0; rep < MAX_REPS; rep++) {
      if (rep >= reps && performance.now() - started > budgetMs) break;
      progress.tick(`${kind}: repetition ${rep + 1}`);
      for (const c of rep % 2 === 0 ? contenders : [...contenders].reverse()) {
        const stdouts = [];
        wall[c.name].push(await c.run(stdouts));
        compute[c.name].push(computeMs(stdouts[0], EXPECTED[kind]));
      }
    }
    const w = (k) => median(wall[k]);
    const c = (k) => median(compute[k]);
    const vs = (k) => ({ ms: round(c(k)), wallMs: round(w(k)), slowdown: ratio(c("wasmbox"), c(k)), wallRatio: ratio(w("wasmbox"), w(k)) });
    out[kind] = {
      reps: wall.wasmbox.length,
      wasmboxMs: round(c("wasmbox")),
      wasmboxWallMs: round(w("wasmbox")),
      ...(native ? { nativeMs: round(c(native.tool)), nativeWallMs: round(w(native.tool)), slowdown: vs(native.tool).slowdown, wallRatio: vs(native.tool).wallRatio } : {}),
      others: Object.fromEntries(contenders.slice(native ? 2 : 1).map((k) => [k.name, vs(k.name)])),
    };
  }
  return out;
}
