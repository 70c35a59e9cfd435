#!/usr/bin/env node
// node scripts/bench/python-output.mjs [MiB] [runs]: prints one JSON line.
// Throughput of a large output on Python's path (guest thread → supervisor → executor): a
// program writing MiB mebibytes in 64 KiB writes, timed from the executor (the median of runs,
// after one warm run), and the CPU over those runs of the executor's process and of its host
// processes (supervisor and interpreter threads; on a loaded machine the CPU figures are the steadier).
import { readFileSync } from "node:fs";
import { createExecutor } from "../../dist/src/index.js";
import { treePids } from "./memory.mjs";
const mib = Number(process.argv[2] ?? 8);
const runs = Number(process.argv[3] ?? 5);
const bytes = mib * 2 ** 20;
const executor = createExecutor({ prewarm: ["python"], concurrency: 1, outputLimit: bytes + 1024 });
const code = `import sys\nb = "x" * 65535 + "\\n"\nfor _ in range(${mib * 16}): sys.stdout.write(b)\n`;
const once = async () => {
  const t = performance.now();
  const r = await executor.execute({ runtime: "python", code, timeout: 60_000 });
  if (r.exitCode !== 0 || r.stdout.length !== bytes) throw new Error(`exit ${r.exitCode}, ${r.stdout.length} bytes: ${r.stderr}`);
  return { ms: performance.now() - t, exec: r.executionTime };
};
/** CPU ms of this process's descendants (from /proc; Linux). */
const childrenCpu = () => {
  let ticks = 0;
  for (const pid of (treePids(process.pid) ?? []).filter((p) => p !== process.pid)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // gone
    }
  }
  return ticks * 10;
};
await once();
const host0 = childrenCpu();
const cpu0 = process.cpuUsage();
const times = [];
for (let i = 0; i < runs; i++) times.push(await once());
const cpu = process.cpuUsage(cpu0);
const hostCpu = childrenCpu() - host0;
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const ms = med(times.map((t) => t.ms));
console.log(JSON.stringify({ mib, runs, medianMs: +ms.toFixed(1), mibPerS: +(mib / (ms / 1000)).toFixed(1), executionTimeMs: +med(times.map((t) => t.exec)).toFixed(1), executorCpuMsPerRun: +((cpu.user + cpu.system) / 1000 / runs).toFixed(1), hostCpuMsPerRun: +(hostCpu / runs).toFixed(1) }));
await executor.close();
