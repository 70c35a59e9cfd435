// What the memory children (host-memory-child.mjs, hostile-child.mjs) print: the memory of this
// process and the processes below it (the executor's hosts process, Python's host processes)
// after a forced GC (they run with --expose-gc), its threads and its executor's hosts.
import { readdirSync } from "node:fs";
import { treePids, treeRssMiB } from "../../scripts/bench/memory.mjs";

const MiB = 1024 * 1024;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function measure(label, executor) {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await sleep(50);
  }
  const m = process.memoryUsage();
  return {
    label,
    rss: Math.round(treeRssMiB()),
    ownRss: Math.round(m.rss / MiB),
    processes: treePids(process.pid)?.length ?? 1,
    heap: Math.round(m.heapUsed / MiB),
    external: Math.round(m.external / MiB),
    arrayBuffers: Math.round(m.arrayBuffers / MiB),
    threads: readdirSync("/proc/self/task").length,
    handles: process.getActiveResourcesInfo().length,
    hosts: executor?.stats().hosts ?? 0,
  };
}
