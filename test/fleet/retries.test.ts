/**
 * The retry policy through BullMQ on a real redis-server: a fleet worker in this process with a
 * stand-in executor that fails the way a sandbox host or a program does, submitted through the
 * server's job store. Only sandbox failures are run again; the last attempt's outcome is the job's.
 */
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RuntimeUnavailableError, SandboxFailureError } from "../../dist/src/errors.js";
import { createJobStore, type JobStore } from "../../dist/src/fleet/store.js";
import { startFleetWorker, type FleetWorker } from "../../dist/src/fleet/worker.js";
import type { BatchRequest, BatchResult, ExecuteRequest, ExecuteResult } from "../../dist/src/index.js";
import { receiver, startRedis, stop, until, type Receiver } from "./helpers.js";

const ok = (stdout: string, exitCode = 0): ExecuteResult => ({ stdout, stderr: "", exitCode, executionTime: 1, timedOut: false });
const HOST_CRASH: ExecuteResult = {
  stdout: "partial\n",
  stderr: "[wasmbox] the sandbox host stopped unexpectedly (worker exited with code 1)\n",
  exitCode: 70,
  executionTime: 1,
  timedOut: false,
};

// What the stand-in executor does for each program, per call: the n-th run gets the n-th entry
// (the last one repeats).
const script: Record<string, (ExecuteResult | Error)[]> = {
  "crash-once": [new SandboxFailureError("the host died"), ok("second run\n")],
  "no-runtime": [new RuntimeUnavailableError("go", "install Go"), ok("never\n")],
  "exit-70": [ok("mine\n", 70)],
  "always-crashes": [HOST_CRASH],
  "crash-result-once": [HOST_CRASH, ok("recovered\n")],
};
// The same for batches: the n-th run of a batch gets its n-th result.
const batchScript: Record<string, BatchResult[]> = {
  "batch-crash-once": [{ results: [ok("1\n"), HOST_CRASH, ok("3\n")] }, { results: [ok("1\n"), ok("2\n"), ok("3\n")] }],
  "batch-own-failures": [{ results: [ok("1\n"), ok("mine\n", 70), { ...ok("", 124), timedOut: true }, { ...ok("4\n", 1), passed: false }], passed: 0 }],
};
const calls: Record<string, number> = {};
const executor = {
  async executeBatch(request: BatchRequest): Promise<BatchResult> {
    const code = request.code!;
    const n = (calls[code] = (calls[code] ?? 0) + 1);
    const steps = batchScript[code]!;
    return steps[Math.min(n, steps.length) - 1]!;
  },
  async execute(request: ExecuteRequest): Promise<ExecuteResult> {
    const code = request.code!;
    const n = (calls[code] = (calls[code] ?? 0) + 1);
    const steps = script[code]!;
    const step = steps[Math.min(n, steps.length) - 1]!;
    if (step instanceof Error) throw step;
    return step;
  },
};

let redis: ChildProcess | undefined;
let redisUrl: string;
let store: JobStore;
let worker: FleetWorker;
let hook: Receiver;

beforeAll(async () => {
  const r = await startRedis();
  redis = r.child;
  redisUrl = r.url;
  hook = await receiver();
  const hosts = [`127.0.0.1:${hook.port}`];
  store = createJobStore({ redis: r.url, queue: "retries", attempts: 3 }, hosts);
  await store.ready();
  worker = await startFleetWorker({ redis: r.url, queue: "retries", executor, concurrency: 2, callbackHosts: hosts });
}, 60_000);

afterAll(async () => {
  await worker?.close(false);
  await store?.close();
  hook?.server.close();
  await stop(redis);
});

async function run(code: string, callbackUrl?: string, kind: "execute" | "batch" = "execute") {
  const request = kind === "batch" ? { runtime: "ruby" as const, code, cases: [{}] } : { runtime: "ruby" as const, code };
  const id = await store.submit("owner", { kind, request } as never, callbackUrl);
  return until(`job ${code}`, async () => {
    const v = await store.get("owner", id);
    return v && (v.status === "completed" || v.status === "failed") ? v : undefined;
  }, 30_000);
}

describe("fleet retries", () => {
  it("runs a job again when the sandbox host failed, and stops at its first real result", async () => {
    const v = await run("crash-once");
    expect(v).toMatchObject({ status: "completed", attempts: 2, result: ok("second run\n") });
    expect(calls["crash-once"]).toBe(2);
    const w = await run("crash-result-once");
    expect(w).toMatchObject({ status: "completed", attempts: 2, result: ok("recovered\n") });
  });

  it("never runs a program's own failure again, exit 70 included", async () => {
    const v = await run("exit-70");
    expect(v).toMatchObject({ status: "completed", attempts: 1, result: ok("mine\n", 70) });
    expect(calls["exit-70"]).toBe(1);
  });

  it("runs a batch again only when one of its cases shows a sandbox failure", async () => {
    const v = await run("batch-crash-once", undefined, "batch");
    expect(v).toMatchObject({ kind: "batch", status: "completed", attempts: 2, result: batchScript["batch-crash-once"]![1] });
    expect(calls["batch-crash-once"]).toBe(2);
    const w = await run("batch-own-failures", undefined, "batch");
    expect(w).toMatchObject({ kind: "batch", status: "completed", attempts: 1, result: batchScript["batch-own-failures"]![0] });
    expect(calls["batch-own-failures"]).toBe(1);
  });

  it("fails at once, with the error's code, when a retry cannot help", async () => {
    const v = await run("no-runtime", `http://127.0.0.1:${hook.port}/failed`);
    expect(v).toMatchObject({ status: "failed", attempts: 1, error: { code: "RUNTIME_UNAVAILABLE", message: 'runtime "go" is unavailable: install Go' } });
    expect(calls["no-runtime"]).toBe(1);
    // A finally failed job gets its callback too.
    const call = await until("the failure callback", () => hook.got.find((g) => g.body.data.id === v.id));
    expect(call.body.data).toMatchObject({ status: "failed", error: { code: "RUNTIME_UNAVAILABLE" } });
  });

  it("after the last attempt, a host failure's result is the job's result", async () => {
    const v = await run("always-crashes");
    expect(v).toMatchObject({ status: "completed", attempts: 3, result: HOST_CRASH });
    expect(calls["always-crashes"]).toBe(3);
  });

  it("forgets a finished job after the result TTL", async () => {
    const v = await run("exit-70");
    const short = createJobStore({ redis: redisUrl, queue: "retries", resultTtlSeconds: 1 }, []);
    try {
      expect(await short.get("owner", v.id)).toMatchObject({ id: v.id, status: "completed" });
      expect(await short.get("someone else", v.id)).toBeUndefined();
      await new Promise((r) => setTimeout(r, 1200 - (Date.now() - Date.parse(v.finishedAt!))));
      expect(await short.get("owner", v.id)).toBeUndefined();
      expect(await store.get("owner", v.id)).toMatchObject({ id: v.id });
    } finally {
      await short.close();
    }
  });
});
