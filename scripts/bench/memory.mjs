/**
 * Resident memory and CPU time of a process and every process below it (Python's sandbox hosts
 * are child processes, some inside bubblewrap), read from /proc. Elsewhere only this process is
 * counted.
 */
import { execFileSync } from "node:child_process";
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
  return sumRssMiB(treePids(pid));
}

/** `pid` and its descendants (undefined where /proc cannot be read). */
export function treePids(pid) {
  let pids;
  try {
    pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
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
  const tree = [];
  const todo = [pid];
  while (todo.length) {
    const p = todo.pop();
    tree.push(p);
    todo.push(...(children.get(p) ?? []));
  }
  return tree;
}

function sumRssMiB(pids) {
  if (!pids) return process.memoryUsage().rss / 1048576;
  let kb = 0;
  for (const p of pids) kb += readRssKb(p);
  return kb / 1024;
}

/**
 * Samples the RSS of this process's tree every `everyMs` until stop() is called; stop() resolves
 * to the peak. The tree (host processes live long; interpreters are threads) is listed again
 * every `treeEveryMs`: listing it reads every process's /proc entry, which at every sample cost
 * a few % of a core, taken from the throughput being measured.
 */
export function peakSampler(everyMs = 100, treeEveryMs = 1000) {
  let pids = treePids(process.pid);
  let listed = Date.now();
  let peak = sumRssMiB(pids);
  const timer = setInterval(() => {
    if (Date.now() - listed >= treeEveryMs) {
      pids = treePids(process.pid);
      listed = Date.now();
    }
    peak = Math.max(peak, sumRssMiB(pids));
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.round(Math.max(peak, treeRssMiB()));
    },
  };
}

/**
 * RSS of another process's tree (`pid` and its descendants), sampled every `everyMs`, the tree
 * listed again every `treeEveryMs`. stop() ends it and returns the samples as [ms, MiB] pairs.
 */
export function treeSeries(pid, everyMs = 200, treeEveryMs = 1000) {
  const t0 = performance.now();
  let pids = treePids(pid);
  let listed = Date.now();
  const samples = [];
  const sample = () => {
    if (Date.now() - listed >= treeEveryMs) {
      pids = treePids(pid);
      listed = Date.now();
    }
    samples.push([Math.round(performance.now() - t0), Math.round(sumRssMiB(pids))]);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    samples,
    /** Samples the tree right now (also between ticks). */
    now() {
      pids = treePids(pid);
      listed = Date.now();
      return Math.round(sumRssMiB(pids));
    },
    stop() {
      clearInterval(timer);
      return samples;
    },
  };
}

let tick;
/** Clock ticks per second, the unit of /proc/<pid>/stat's CPU times. */
function clockTicks() {
  if (tick === undefined) {
    try {
      tick = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      tick = 100;
    }
  }
  return tick;
}

/**
 * CPU ms (user + system) used so far by `pid` and its descendants: each process's own time plus
 * that of the children it has reaped (cutime, cstime), so a host process that ended between two
 * readings is still counted, by its parent. With `reapedOnly`, only the time of reaped children
 * (a spawner's tools, without the spawner's own cost). Elsewhere: this process only.
 */
export function treeCpuMs(pid = process.pid, { reapedOnly = false } = {}) {
  const pids = treePids(pid);
  if (!pids) {
    const u = process.cpuUsage();
    return reapedOnly ? 0 : (u.user + u.system) / 1000;
  }
  let ticks = 0;
  for (const p of pids) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // fields 14-17 of stat(5): utime, stime, cutime, cstime
      ticks += reapedOnly ? Number(f[13]) + Number(f[14]) : Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      // ended while we looked: its parent counts it once reaped
    }
  }
  return (ticks * 1000) / clockTicks();
}
