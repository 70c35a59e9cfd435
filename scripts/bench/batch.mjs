/**
 * Test-case batches (issue 22): executeBatch() of one Go or Rust program wasmbox has never seen
 * over N cases, against its estimate as one compile plus N runs: the compile of another unseen
 * program (execute(), cold cache) and N times the median run of a compiled one (execute(),
 * warm cache). Concurrency 1, so that the batch's total is the sum of its parts.
 */
import { uncached } from "./programs.mjs";
import { median, round } from "./stats.mjs";
import { waitForWarmHosts } from "./throughput.mjs";

/** Reads one integer, prints its square: a judge's smallest task. */
const SQUARE = {
  go: 'package main\nimport "fmt"\nfunc main() {\n\tvar n int\n\tfmt.Scan(&n)\n\tfmt.Println(n * n)\n}\n',
  rust: "use std::io::Read;\nfn main() {\n    let mut s = String::new();\n    std::io::stdin().read_to_string(&mut s).unwrap();\n    let n: i64 = s.trim().parse().unwrap();\n    println!(\"{}\", n * n);\n}\n",
};

export async function measureBatch({ runtime, createExecutor, cases, runs, progress, onWarning }) {
  const executor = createExecutor({ concurrency: 1, prewarm: [runtime], warmHosts: 1, maxTimeout: 300_000, onWarning });
  try {
    await waitForWarmHosts(executor, 1);
    progress.tick("one compile (cold cache)");
    const t0 = performance.now();
    const compiled = await executor.execute({ runtime, code: uncached(runtime, SQUARE[runtime]), stdin: "3", timeout: 300_000, report: ["compile"] });
    const compileMs = performance.now() - t0;
    if (compiled.stdout !== "9\n") throw new Error(`the ${runtime} program printed ${JSON.stringify(compiled).slice(0, 300)}`);
    const runTimes = [];
    for (let i = 0; i < runs; i++) {
      progress.tick(`single runs ${i + 1}/${runs}`);
      const t = performance.now();
      await executor.execute({ runtime, code: SQUARE[runtime], stdin: String(i) });
      runTimes.push(performance.now() - t);
    }
    progress.tick(`a batch of ${cases} cases`);
    const list = Array.from({ length: cases }, (_, i) => ({ stdin: `${i}\n`, expectedStdout: `${i * i}\n` }));
    const t1 = performance.now();
    const batch = await executor.executeBatch({ runtime, code: uncached(runtime, SQUARE[runtime]), cases: list, compileTimeout: 300_000 });
    const batchMs = performance.now() - t1;
    if (batch.passed !== cases) throw new Error(`the batch passed ${batch.passed} of ${cases} cases: ${JSON.stringify(batch.results.find((r) => !r.passed)).slice(0, 300)}`);
    const runMs = median(runTimes);
    const estimateMs = compileMs + cases * runMs;
    return {
      cases,
      batchMs: round(batchMs),
      batchCompileMs: batch.compile?.time,
      caseRunMedianMs: round(median(batch.results.map((r) => r.executionTime))),
      oneCompileMs: round(compileMs),
      singleRunMedianMs: round(runMs),
      estimateMs: round(estimateMs),
      ratio: Math.round((batchMs / estimateMs) * 100) / 100,
    };
  } finally {
    await executor.close();
  }
}
