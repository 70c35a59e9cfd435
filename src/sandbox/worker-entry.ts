/** Entry of a worker-thread sandbox host: load the runtime once, then run jobs one at a time. */
import { readFileSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { toWire } from "../errors.js";
import { loadRuntime } from "../registry.js";
import type { FromHost, HostInit, ToHost } from "./protocol.js";
import { runJob } from "./run-job.js";

// Engines log (warnings, debug prints); none of it may reach the embedding process's stdout.
for (const method of ["log", "info", "warn", "error", "debug", "trace", "dir"] as const) console[method] = () => {};
process.stdout.write = (() => true) as typeof process.stdout.write;
process.stderr.write = (() => true) as typeof process.stderr.write;

const init = workerData as HostInit;
const port = parentPort!;
const post = (m: FromHost) => port.postMessage(m);

/**
 * CPU time of this thread, ms (for `usage`): Linux's per-thread schedstat (nanoseconds), else
 * Node's threadCpuUsage (Node 23.9+), else unknown. process.cpuUsage() would count every thread.
 */
function threadCpuMs(): number | undefined {
  try {
    const ns = Number(readFileSync("/proc/thread-self/schedstat", "latin1").split(" ")[0]);
    if (Number.isFinite(ns)) return ns / 1e6;
  } catch {
    // Not Linux.
  }
  const usage = (process as { threadCpuUsage?: () => { user: number; system: number } }).threadCpuUsage;
  if (usage) {
    const u = usage.call(process);
    return (u.user + u.system) / 1000;
  }
  return undefined;
}

try {
  const runtime = await loadRuntime(init.runtime);
  const loaded = await runtime.load({ memoryBytes: init.memoryBytes, options: init.options, shared: init.shared });
  // Before "ready": no job, so no guest code, has run in this thread yet.
  const data = init.contribute ? runtime.workerHost?.contribute?.(loaded) : undefined;
  if (data) post({ type: "shared", data });
  let queue = Promise.resolve();
  port.on("message", (msg: ToHost) => {
    if (msg?.type !== "run") return;
    queue = queue.then(() => runJob(runtime, loaded, msg, post, threadCpuMs));
  });
  post({ type: "ready" });
} catch (e) {
  post({ type: "load-error", error: toWire(e) });
}
