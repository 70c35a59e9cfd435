/**
 * A mixed run across every available runtime at concurrency 8, with 20% hostile programs
 * (timeouts, output floods, non-zero exits). Every program prints a nonce of its own; every
 * result must carry its own nonce and no other. Sized for CI (200 executions); the full run is
 * `WASMBOX_SOAK=2000 npx vitest run test/reliability/soak.test.ts`.
 */
import { randomBytes } from "node:crypto";
import { afterAll, expect, it } from "vitest";
import { createExecutor, type ExecuteResult, type RuntimeName } from "wasmbox";
import { RUNTIMES, unavailability } from "../security/runtimes.js";
import { SOAK_PROGRAMS, type SoakKind } from "./soak-programs.js";

const TOTAL = Number(process.env.WASMBOX_SOAK ?? 200);
const CONCURRENCY = 8;
const MiB = 1024 * 1024;

const executor = createExecutor({ concurrency: CONCURRENCY, maxQueue: 10_000, memoryLimit: 256 * MiB, outputLimit: 256 * 1024 });
afterAll(() => executor.close());
const unavailable = await unavailability(executor);
const runtimes = RUNTIMES.filter((r) => !unavailable[r]);

/** A seeded generator, so that a failing mix can be replayed (WASMBOX_SOAK_SEED). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const HOSTILE: SoakKind[] = ["loop", "flood", "exit"];
const TIMEOUT: Record<SoakKind, number> = { normal: 60_000, loop: 1500, flood: 60_000, exit: 60_000 };

let slowStarts = 0;

function check(kind: SoakKind, nonce: string, r: ExecuteResult): string | undefined {
  // On a saturated machine a looping program can time out before it printed anything: that is
  // lost time, not a lost result (it carries nobody else's nonce either).
  if (kind === "loop" && r.timedOut && r.exitCode === 124 && r.stdout === "" && r.stderr === "") return void slowStarts++;
  const seen = new Set([...(r.stdout + r.stderr).matchAll(/N-[0-9a-f]{16}/g)].map((m) => m[0]));
  if (seen.size !== 1 || !seen.has(nonce)) return `mixed or lost: expected only ${nonce}, saw ${[...seen].join(",") || "none"}`;
  if (r.exitCode === 70) return "sandbox failure";
  const line = `${nonce}\n`;
  switch (kind) {
    case "normal":
      return r.stdout === line && r.stderr === line && r.exitCode === 0 ? undefined : "wrong normal result";
    case "loop":
      return r.timedOut && r.exitCode === 124 && r.stdout === line ? undefined : "expected a timeout with the nonce kept";
    case "flood":
      return r.exitCode === 153 && r.stdout.startsWith(line) && r.stdout.length === 256 * 1024 ? undefined : "expected the output cap";
    case "exit":
      return r.exitCode === 3 && r.stdout === line ? undefined : "expected exit 3";
  }
}

it.skipIf(runtimes.length === 0)(`soak: ${TOTAL} executions over ${runtimes.join(", ")}, 20% hostile, concurrency ${CONCURRENCY}`, { timeout: 1_800_000 }, async () => {
  // Compile and cache every program first (Go, Rust), and load each runtime once.
  for (const rt of runtimes)
    for (const code of Object.values(SOAK_PROGRAMS[rt])) {
      const r = await executor.execute({ runtime: rt, code, env: { PRIME: "1" }, timeout: 120_000 });
      expect(r.exitCode, `${rt} failed to prime: ${r.stderr}`).toBe(0);
    }
  const random = rng(Number(process.env.WASMBOX_SOAK_SEED ?? 20_240_601));
  const plan = Array.from({ length: TOTAL }, () => {
    const runtime = runtimes[Math.floor(random() * runtimes.length)]!;
    const kind: SoakKind = random() < 0.2 ? HOSTILE[Math.floor(random() * HOSTILE.length)]! : "normal";
    return { runtime, kind };
  });

  const samples: { done: number; rss: number; hosts: number; handles: number }[] = [];
  const sample = (done: number) =>
    samples.push({
      done,
      rss: Math.round(process.memoryUsage().rss / MiB),
      hosts: executor.stats().hosts,
      handles: process.getActiveResourcesInfo().length,
    });
  sample(0);
  const problems: string[] = [];
  let done = 0;
  let crashes = 0;
  const started = Date.now();
  await Promise.all(
    plan.map(async ({ runtime, kind }: { runtime: RuntimeName; kind: SoakKind }, i) => {
      const nonce = `N-${randomBytes(8).toString("hex")}`;
      try {
        const r = await executor.execute({ runtime, code: SOAK_PROGRAMS[runtime][kind], stdin: `${nonce}\n`, timeout: TIMEOUT[kind] });
        const problem = check(kind, nonce, r);
        if (problem) problems.push(`#${i} ${runtime}/${kind}: ${problem}: ${JSON.stringify({ ...r, stdout: r.stdout.slice(0, 200) })}`);
      } catch (e) {
        crashes++;
        problems.push(`#${i} ${runtime}/${kind}: threw ${(e as Error).message}`);
      }
      if (++done % Math.max(1, Math.floor(TOTAL / 10)) === 0) sample(done);
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  // RSS swings by hundreds of MiB as hosts are replaced; growth is the end above the first half's peak.
  const firstHalfPeak = Math.max(...samples.filter((s) => s.done > 0 && s.done <= TOTAL / 2).map((s) => s.rss));
  const last = samples.at(-1)!;
  const byKind = Object.fromEntries(["normal", ...HOSTILE].map((k) => [k, plan.filter((p) => p.kind === k).length]));
  console.log(
    `[soak] ${TOTAL} executions in ${seconds.toFixed(1)} s (${(TOTAL / seconds).toFixed(1)}/s), ${JSON.stringify(byKind)}, ` +
      `problems ${problems.length}, crashes ${crashes}, loops that timed out before printing ${slowStarts}\n[soak] samples (done: rss MiB / hosts / handles): ` +
      samples.map((s) => `${s.done}: ${s.rss}/${s.hosts}/${s.handles}`).join(", "),
  );
  expect(problems.slice(0, 10)).toEqual([]);
  expect(crashes).toBe(0);
  // No growth: hosts stay within the pools, handles back to where they were, RSS flat once every
  // runtime's hosts have been replaced a few times (allocator slack plateaus; see hostile.test.ts).
  expect(last.hosts).toBeLessThanOrEqual(runtimes.length * 2 + CONCURRENCY);
  expect(last.handles).toBeLessThanOrEqual(samples[0]!.handles + CONCURRENCY);
  if (TOTAL >= 1000) {
    expect(last.rss - firstHalfPeak, `rss peaked at ${firstHalfPeak} MiB in the first half, ${last.rss} MiB at the end`).toBeLessThan(400);
  } else {
    // Known (issue 8): memory of terminated hosts is not all given back, so RSS climbs for the
    // first few hundred executions before it levels off; a short run only bounds it.
    expect(last.rss, `rss ${last.rss} MiB at the end`).toBeLessThan(4096);
  }
});
