// Run by hostile.test.ts in a child process (its environment sets glibc's malloc tunables, which
// are read once at process start): loads every runtime with a hello world, runs the hostile
// workloads it reads from stdin as the test file runs them, closes the executor and prints this
// process's memory, measured after a forced GC, as one JSON line.
import { createExecutor } from "wasmbox";
import { measure, sleep } from "./memory-sample.mjs";

let input = "";
for await (const chunk of process.stdin) input += chunk;
/** @type {{ options: object, hellos: object[], workloads: { request: { runtime: string, code: string }, prime: boolean }[] }} */
const { options, hellos, workloads } = JSON.parse(input);

const samples = [await measure("start")];
const executor = createExecutor(options);
for (const hello of hellos) {
  const r = await executor.execute(hello);
  if (r.exitCode !== 0) throw new Error(`${hello.runtime} failed to start: ${r.stderr}`);
}
samples.push(await measure("loaded", executor));
const exitCodes = [];
for (const { request, prime } of workloads) {
  if (prime) {
    const r = await executor.execute({ runtime: request.runtime, code: request.code, env: { PRIME: "1" }, timeout: 120_000 });
    if (r.exitCode !== 0) throw new Error(`${request.runtime} failed to compile a workload: ${r.stderr}`);
  }
  exitCodes.push((await executor.execute(request)).exitCode);
}
samples.push(await measure("served", executor));
await executor.close();
await sleep(500);
samples.push(await measure("closed", executor));
console.log(JSON.stringify({ exitCodes, samples }));
