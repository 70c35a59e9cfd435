#!/usr/bin/env node
/**
 * Sessions (the "sessions" phase of scripts/bench.mjs, or on its own:
 * node scripts/bench/sessions.mjs [--quick] [--no-write] [--runtime python,node,...]).
 *
 * - per runtime: a warm one-shot hello world against the same program run in a session holding
 *   few files, and one holding many (every run carries the session's files in and back out);
 * - fork, snapshot and restore of sessions of a few sizes (files only);
 * - REPL contexts where the build has them: a cell that uses the state of the cell before,
 *   against a one-shot execution of the same work, and a restart.
 * Numbers are reported, never asserted. Results: bench/results/sessions.json and .md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { median, round } from "./stats.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const HELLO = {
  python: 'print("hello")',
  node: 'console.log("hello")',
  bun: 'console.log("hello")',
  ruby: 'puts "hello"',
  php: '<?php echo "hello\\n";',
  go: 'package main\nimport "fmt"\nfunc main() { fmt.Println("hello") }\n',
  rust: 'fn main() { println!("hello"); }\n',
};
/** A cell that needs the state of the cell before it, per runtime with contexts. */
const CELLS = {
  python: ["n = 0", "n += 1\nn"],
  node: ["var n = 0", "n += 1; n"],
  bun: ["var n = 0", "n += 1; n"],
  ruby: ["n = 0", "n += 1\nn"],
  php: ["<?php $n = 0;", "<?php $n += 1; echo $n;"],
};

async function timeIt(reps, fn) {
  const times = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  return round(median(times));
}

async function filled(executor, files, bytes) {
  const s = executor.createSession({ maxBytes: 256 << 20, maxFiles: 10_000, idleTimeout: 0 });
  const content = new Uint8Array(bytes).fill(120);
  for (let i = 0; i < files; i++) await s.files.write(`d${i % 10}/f${i}.txt`, content);
  return s;
}

export async function measureSessions({ createExecutor, runtimes, quick, log = () => {} }) {
  const reps = quick ? 10 : 40;
  const executor = createExecutor({ concurrency: 1, warmHosts: 1, sessions: { max: 1000 } });
  const out = { reps, runtimes: {}, sizes: [] };
  try {
    for (const runtime of runtimes) {
      log(`${runtime}: one-shot vs session`);
      const request = { runtime, code: HELLO[runtime], timeout: 120_000 };
      const first = await executor.execute(request);
      if (first.stdout !== "hello\n") throw new Error(`${runtime} printed ${JSON.stringify(first).slice(0, 200)}`);
      const row = { oneShotMs: await timeIt(reps, () => executor.execute(request)) };
      for (const [label, files, bytes] of [["sessionFewFilesMs", 10, 1024], ["sessionManyFilesMs", 500, 4096]]) {
        const s = await filled(executor, files, bytes);
        await s.execute(request);
        row[label] = await timeIt(reps, () => s.execute(request));
        await s.close();
      }
      const cells = CELLS[runtime];
      const s = executor.createSession();
      if (cells && typeof s.createContext === "function") {
        log(`${runtime}: a context's cell`);
        const ctx = await s.createContext(runtime);
        await ctx.run(cells[0]);
        row.contextCellMs = await timeIt(reps, () => ctx.run(cells[1]));
        row.contextRestartMs = await timeIt(Math.min(reps, 5), async () => {
          await ctx.restart();
          await ctx.run(cells[0]);
        });
        await ctx.close();
      }
      await s.close();
      out.runtimes[runtime] = row;
    }
    for (const [files, bytes] of [[10, 1024], [1000, 1024], [64, 1 << 20]]) {
      log(`fork/snapshot/restore: ${files} files of ${bytes} bytes`);
      const s = await filled(executor, files, bytes);
      const forks = [];
      const forkMs = await timeIt(reps, async () => forks.push(await s.fork()));
      await Promise.all(forks.map((f) => f.close()));
      let snap;
      const snapshotMs = await timeIt(reps, async () => (snap = await s.snapshot()));
      const restored = [];
      const restoreMs = await timeIt(reps, async () => restored.push(executor.restoreSession(snap)));
      await Promise.all(restored.map((f) => f.close()));
      await s.close();
      out.sizes.push({ files, bytesEach: bytes, totalBytes: files * bytes, forkMs, snapshotMs, snapshotBytes: snap.byteLength, restoreMs });
    }
  } finally {
    await executor.close();
  }
  return out;
}

export function sessionsMarkdown(r, meta = {}) {
  const lines = ["# Sessions", "", `Median of ${r.reps} runs each; concurrency 1, one warm host per runtime.${meta.loadavg ? ` Load average at start: ${meta.loadavg.join(", ")}.` : ""}`, ""];
  lines.push("| runtime | one-shot hello, ms | in a session of 10 files, ms | in a session of 500 × 4 KiB, ms | context cell, ms | context restart + first cell, ms |", "|---|---|---|---|---|---|");
  for (const [rt, v] of Object.entries(r.runtimes))
    lines.push(`| ${rt} | ${v.oneShotMs} | ${v.sessionFewFilesMs} | ${v.sessionManyFilesMs} | ${v.contextCellMs ?? "—"} | ${v.contextRestartMs ?? "—"} |`);
  lines.push("", "Fork, snapshot and restore (files only: contents are shared by a fork until either side changes them):", "");
  lines.push("| files | total | fork, ms | snapshot, ms | snapshot size | restore, ms |", "|---|---|---|---|---|---|");
  for (const s of r.sizes) lines.push(`| ${s.files} × ${s.bytesEach} B | ${(s.totalBytes / 1048576).toFixed(2)} MiB | ${s.forkMs} | ${s.snapshotMs} | ${(s.snapshotBytes / 1048576).toFixed(2)} MiB | ${s.restoreMs} |`);
  return `${lines.join("\n")}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { quick: { type: "boolean" }, "no-write": { type: "boolean" }, runtime: { type: "string" } } });
  const { createExecutor, RUNTIME_NAMES } = await import(pathToFileURL(path.join(root, "dist/src/index.js")).href);
  const runtimes = values.runtime ? values.runtime.split(",") : RUNTIME_NAMES.filter((r) => r !== "go" && r !== "rust");
  const loadavg = os.loadavg().map((l) => Math.round(l * 10) / 10);
  const r = await measureSessions({ createExecutor, runtimes, quick: values.quick, log: (m) => process.stderr.write(`${m}\n`) });
  const md = sessionsMarkdown(r, { loadavg });
  process.stdout.write(md);
  if (!values["no-write"]) {
    const dir = path.join(root, "bench/results");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "sessions.json"), `${JSON.stringify({ generatedAt: new Date().toISOString(), loadavg, ...r }, null, 2)}\n`);
    writeFileSync(path.join(dir, "sessions.md"), md);
  }
}
