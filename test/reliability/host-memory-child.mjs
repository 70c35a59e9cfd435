// Run by host-memory.test.ts in a child process (its environment sets glibc's malloc tunables,
// which are read once at process start): terminates sandbox hosts in batches and prints this
// process's memory, measured after a forced GC, as one JSON line.
import { createExecutor } from "wasmbox";
import { measure, sleep } from "./memory-sample.mjs";

const MiB = 1024 * 1024;
const LOOPS = {
  ruby: 'exit 0 if ENV["PRIME"]\nloop {}',
  php: '<?php if (getenv("PRIME")) exit(0); while (true) {}',
  node: "if (process.env.PRIME) process.exit(0);\nfor (;;) {}",
};
const [batches, perBatch] = JSON.parse(process.argv[2] ?? "[3, 4]");
// "in-process": the hosts in this process (hostProcess: false); else the executor's default.
const inProcess = process.argv[3] === "in-process";

/** Replacement hosts load in the background; measure once every pool has its idle host back. */
async function settled(executor, pools) {
  while (executor.stats().idleHosts < pools) await sleep(100);
}

const samples = [await measure("start")];
const executor = createExecutor({ concurrency: 1, memoryLimit: 128 * MiB, ...(inProcess && { hostProcess: false }) });
const runtimes = [];
for (const [runtime, code] of Object.entries(LOOPS)) {
  try {
    await executor.runtime(runtime);
  } catch {
    continue; // unavailable here
  }
  const r = await executor.execute({ runtime, code, env: { PRIME: "1" }, timeout: 120_000 });
  if (r.exitCode !== 0) throw new Error(`${runtime} failed to start: ${r.stderr}`);
  runtimes.push(runtime);
}
await settled(executor, runtimes.length);
samples.push(await measure("loaded", executor));
for (let b = 1; b <= batches; b++) {
  for (const runtime of runtimes)
    for (let i = 0; i < perBatch; i++) {
      // Each one times out: its host is terminated and a new one loads. It starts on a loaded
      // host: a wait for one still loading would end at the 300 ms deadline before any run.
      await executor.warm(runtime);
      const r = await executor.execute({ runtime, code: LOOPS[runtime], timeout: 300 });
      if (!r.timedOut) throw new Error(`${runtime} did not time out: ${JSON.stringify(r)}`);
    }
  await settled(executor, runtimes.length);
  samples.push(await measure(`batch ${b}`, executor));
}
await executor.close();
await sleep(500);
samples.push(await measure("closed"));
console.log(JSON.stringify({ runtimes, samples }));
