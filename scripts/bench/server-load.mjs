/**
 * The HTTP server's memory under load: `wasmbox serve` in a child process on a free loopback
 * port, a bounded mixed load (hello worlds and hostile programs: infinite loops stopped by their
 * timeout, output past the limit, memory hogs), the RSS of the server's process tree sampled
 * throughout, and again after the load has stopped. Loopback only; bounded in requests and time.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { treeSeries } from "./memory.mjs";
import { PROGRAMS } from "./programs.mjs";
import { percentile } from "./stats.mjs";

/** Programs that misbehave, per runtime: each must end by a limit, not by itself. */
const HOSTILE = {
  python: { loop: "while True: pass\n", output: 'while True: print("x" * 1000)\n', memory: "a = []\nwhile True: a.append(bytearray(1 << 20))\n" },
  node: { loop: "for (;;) {}\n", output: 'for (;;) console.log("x".repeat(1000));\n', memory: "const a = []; for (;;) a.push(new Array(1 << 18).fill(1));\n" },
  bun: { loop: "for (;;) {}\n", output: 'for (;;) console.log("x".repeat(1000));\n', memory: "const a: number[][] = []; for (;;) a.push(new Array(1 << 18).fill(1));\n" },
  ruby: { loop: "loop {}\n", output: 'loop { puts "x" * 1000 }\n', memory: 'a = []\nloop { a << ("x" * (1 << 20)) }\n' },
  php: { loop: "<?php\nwhile (true) {}\n", output: '<?php\nwhile (true) echo str_repeat("x", 1000), "\\n";\n', memory: '<?php\n$a = [];\nwhile (true) $a[] = str_repeat("x", 1 << 20);\n' },
};
export const SERVER_LOAD_RUNTIMES = Object.keys(HOSTILE);

/** The request mix: mostly hello worlds, one in five hostile (loop, output, memory in turn). */
function requestFor(i, runtimes) {
  const runtime = runtimes[i % runtimes.length];
  const kind = i % 5 !== 4 ? "hello" : ["loop", "output", "memory"][Math.floor(i / 5) % 3];
  const code = kind === "hello" ? PROGRAMS[runtime].hello : HOSTILE[runtime][kind];
  return { kind, body: { runtime, code, timeout: kind === "loop" ? 2000 : 5000 } };
}

function startServer(runtimes, serverConcurrency) {
  const cli = fileURLToPath(new URL("../../dist/src/cli/main.js", import.meta.url));
  const args = ["serve", "--port", "0", "--host", "127.0.0.1", "--prewarm", runtimes.join(","), "--max-queue", "10000"];
  if (serverConcurrency) args.push("--concurrency", String(serverConcurrency));
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, WASMBOX_API_KEYS: "" }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (c) => (stderr = (stderr + c).slice(-2000)));
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal)));
  const url = new Promise((resolve, reject) => {
    let buf = "";
    child.stdout.setEncoding("utf8").on("data", (c) => {
      buf += c;
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        // One log line per request: only the first, "listening", is needed.
        if (line.includes('"msg":"listening"')) resolve(JSON.parse(line).url);
      }
    });
    void exited.then((code) => reject(new Error(`the server exited (${code}) before listening: ${stderr.trim()}`)));
  });
  return { child, url, exited };
}

async function post(url, body, signal) {
  const res = await fetch(`${url}/v1/execute`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
  const json = await res.json();
  return { status: res.status, exitCode: json.data?.exitCode, error: json.error?.code };
}

const median = (xs) => (xs.length ? Math.round(percentile(xs, 50)) : undefined);

/**
 * Runs the load and returns the figures: the server tree's RSS when idle and warm, its peak and
 * the median of each half of the load, and `settleMs` after the load ended.
 */
export async function measureServerLoad({ runtimes, requests, concurrency, maxMs, settleMs, serverConcurrency, progress }) {
  const { child, url: urlPromise, exited } = startServer(runtimes, serverConcurrency);
  try {
    const url = await urlPromise;
    for (const runtime of runtimes) {
      progress.tick(`warming ${runtime}`);
      const r = await post(url, { runtime, code: PROGRAMS[runtime].hello, timeout: 120_000 });
      if (r.status !== 200) throw new Error(`warm-up of ${runtime} answered ${r.status} ${r.error ?? ""}`);
    }
    const series = treeSeries(child.pid);
    await new Promise((r) => setTimeout(r, 1000));
    const idleMiB = series.now();

    const outcomes = {};
    const latencies = [];
    let next = 0;
    let done = 0;
    const started = performance.now();
    const loadStart = series.samples.at(-1)[0];
    const deadline = AbortSignal.timeout(maxMs);
    const client = async () => {
      while (next < requests && !deadline.aborted) {
        const { kind, body } = requestFor(next++, runtimes);
        const t = performance.now();
        let key;
        try {
          const r = await post(url, body, deadline);
          key = `${kind}: ${r.status === 200 ? `exit ${r.exitCode}` : `${r.status} ${r.error}`}`;
          if (kind === "hello" && r.status === 200) latencies.push(performance.now() - t);
        } catch (e) {
          key = deadline.aborted ? "stopped at the time bound" : `${kind}: client error ${e.cause?.code ?? e.name}`;
        }
        outcomes[key] = (outcomes[key] ?? 0) + 1;
        done++;
        progress.tick(`${done}/${requests} requests`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, client));
    const loadMs = Math.round(performance.now() - started);
    const loadEnd = loadStart + loadMs;
    progress.tick(`load done; ${Math.round(settleMs / 1000)} s of quiet`);
    await new Promise((r) => setTimeout(r, settleMs));
    const afterMiB = series.now();
    const samples = series.stop();

    const during = samples.filter(([t]) => t >= loadStart && t <= loadEnd);
    const mid = loadStart + loadMs / 2;
    return {
      runtimes,
      requests: done,
      clientConcurrency: concurrency,
      serverConcurrency: serverConcurrency ?? "cores",
      loadMs,
      perSecond: Math.round((done / loadMs) * 10_000) / 10,
      helloP50Ms: median(latencies),
      outcomes,
      idleMiB,
      peakMiB: Math.max(...during.map(([, m]) => m), idleMiB),
      firstHalfMedianMiB: median(during.filter(([t]) => t < mid).map(([, m]) => m)),
      secondHalfMedianMiB: median(during.filter(([t]) => t >= mid).map(([, m]) => m)),
      afterMiB,
      settleMs,
      samples: samples.length,
    };
  } finally {
    child.kill("SIGTERM");
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("timeout"), 40_000))]);
    if (code === "timeout") child.kill("SIGKILL");
  }
}
