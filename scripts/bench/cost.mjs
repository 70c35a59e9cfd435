/**
 * The cost phase: what an execution costs in CPU and memory against the native process it
 * replaces. Every measurement runs in a fresh Node process (cost-probe.mjs), with the default
 * environment: glibc's malloc tunables (MALLOC_*) are removed, since they change what RSS shows.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const probe = fileURLToPath(new URL("./cost-probe.mjs", import.meta.url));
const root = fileURLToPath(new URL("../../", import.meta.url));

/** The default environment: this one without glibc's malloc tunables. */
function defaultEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("MALLOC_") && !k.startsWith("GLIBC_TUNABLES")));
}

function runProbe(mode, options, timeoutMs) {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [probe, mode, JSON.stringify(options)],
      { cwd: root, env: defaultEnv(), timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 1 << 22 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`cost probe ${mode} failed: ${(err.killed ? `no answer after ${timeoutMs / 1000} s` : "") || (stderr || err.message).trim().split("\n").slice(-3).join(" ")}`));
        resolve(JSON.parse(stdout.trim().split("\n").pop()));
      },
    );
  });
}

/**
 * The native hello world to spawn: python against the system's /usr/bin/python3 when there is
 * one (python3 on PATH may be a pyenv build or shim, not what a server would run).
 */
export function nativeHello(runtime, native) {
  const spec = native?.run?.hello;
  if (!spec) return undefined;
  if (runtime === "python" && existsSync("/usr/bin/python3")) return { tool: "/usr/bin/python3", spec: { ...spec, cmd: "/usr/bin/python3" } };
  return { tool: native.tool, spec };
}

/** Per runtime: RSS with one and with 1 + extraHosts warm hosts; executions/s and CPU per execution at concurrency 2 against the native spawn. */
export async function measureRuntimeCost({ runtime, native, windowMs, rounds, extraHosts, progress }) {
  const nat = nativeHello(runtime, native);
  progress.tick(`warm hosts, then ${rounds} rounds of wasmbox and ${nat?.tool ?? "no native tool"} at concurrency 2`);
  const r = await runProbe("runtime", { runtime, native: nat?.spec, windowMs, rounds, extraHosts }, 600_000);
  if (nat) r.throughput.nativeTool = nat.tool;
  const w = r.throughput.wasmbox?.perSecond;
  const n = r.throughput.native?.perSecond;
  r.throughput.wasmboxOverNative = w && n ? Math.round((w / n) * 100) / 100 : undefined;
  return r;
}

/** One warm host of each runtime in one process, added one at a time. */
export const measureAllWarm = ({ runtimes }) => runProbe("all-warm", { runtimes }, 900_000);

/** Peak RSS under mixed hello worlds, and RSS `settleMs` after close(). */
export const measureLoad = ({ runtimes, executions, concurrency, settleMs }) =>
  runProbe("load", { runtimes, executions, concurrency, settleMs }, 900_000 + settleMs);

/** A longer mixed run: RSS median of its first half against its second. */
export const measureSoak = ({ runtimes, executions, concurrency }) => runProbe("soak", { runtimes, executions, concurrency }, 3_600_000);
