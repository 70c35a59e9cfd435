/**
 * Hello-world latency, side by side: wasmbox execute() on a warm executor, the native tool
 * spawned from Node, and Runno where it has the language. Each round runs every contender once,
 * in an order that alternates between rounds, so drift of a shared machine hits all of them.
 */
import { spawnTimed } from "./native.mjs";
import { EXPECTED, PROGRAMS, matches } from "./programs.mjs";
import { runnoTimed } from "./runno.mjs";
import { summary } from "./stats.mjs";

/** Runs `request` and resolves to the wall time in ms; `stdouts`, when given, collects the output. */
export async function executeTimed(executor, request, expected, stdouts) {
  const t = performance.now();
  const r = await executor.execute(request);
  const ms = performance.now() - t;
  if (r.exitCode !== 0 || (expected !== undefined && !matches(r.stdout, expected)))
    throw new Error(`wasmbox ${request.runtime} returned ${JSON.stringify(r).slice(0, 400)}`);
  stdouts?.push(r.stdout);
  return ms;
}

/**
 * @param o.rounds most rounds; o.budgetMs stops earlier (after at least 5 rounds)
 * @param o.runnoSamples Runno calls, spread over the rounds (0: Runno not measured)
 */
export async function measureLatency({ runtime, executor, native, rounds, budgetMs, runnoSamples, progress }) {
  const hello = { runtime, code: PROGRAMS[runtime].hello };
  for (let i = 0; i < 3; i++) await executeTimed(executor, hello, EXPECTED.hello);
  if (native) await spawnTimed(native.run.hello, EXPECTED.hello);

  const wasmbox = [];
  const nativeMs = [];
  const runno = [];
  const every = runnoSamples > 0 ? Math.max(1, Math.floor(rounds / runnoSamples)) : Infinity;
  const started = performance.now();
  for (let i = 0; i < rounds; i++) {
    if (i >= 5 && performance.now() - started > budgetMs && runno.length >= runnoSamples) break;
    const contenders = [
      async () => wasmbox.push(await executeTimed(executor, hello, EXPECTED.hello)),
      native && (async () => nativeMs.push(await spawnTimed(native.run.hello, EXPECTED.hello))),
      runno.length < runnoSamples && i % every === 0 && (async () => runno.push(await runnoTimed(runtime, hello.code, EXPECTED.hello))),
    ].filter(Boolean);
    if (i % 2 === 1) contenders.reverse();
    for (const run of contenders) await run();
    progress.tick(`round ${i + 1}/${rounds}${runnoSamples ? `, runno ${runno.length}/${runnoSamples}` : ""}`);
  }
  return {
    wasmbox: summary(wasmbox),
    native: nativeMs.length ? summary(nativeMs) : undefined,
    runno: runno.length ? summary(runno) : undefined,
  };
}
