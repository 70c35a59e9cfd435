/**
 * Resident memory of a process and every process below it (Python's sandbox hosts are child
 * processes, some inside bubblewrap), read from /proc. Elsewhere only this process is counted.
 */
import { readdirSync, readFileSync } from "node:fs";

function readRssKb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // the process ended while we looked
  }
}

/** RSS in MiB of `pid` and its descendants. */
export function treeRssMiB(pid = process.pid) {
  let pids;
  try {
    pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  } catch {
    return process.memoryUsage().rss / 1048576;
  }
  const children = new Map();
  for (const p of pids) {
    try {
      // the command name in field 2 may hold spaces and parentheses: parse after the last ')'
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(p));
    } catch {
      // gone
    }
  }
  let kb = 0;
  const todo = [pid];
  while (todo.length) {
    const p = todo.pop();
    kb += readRssKb(p);
    todo.push(...(children.get(p) ?? []));
  }
  return kb / 1024;
}

/** Samples treeRssMiB every `everyMs` until stop() is called; stop() resolves to the peak. */
export function peakSampler(everyMs = 100) {
  let peak = treeRssMiB();
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRssMiB());
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.round(Math.max(peak, treeRssMiB()));
    },
  };
}
