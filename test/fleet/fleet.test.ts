/**
 * Fleet mode end to end: a real redis-server on a free loopback port, two `wasmbox worker`
 * processes and one `wasmbox serve --redis`, all of the built CLI. Workers use a 3 s lock and
 * a 1 s stalled-job check (--lock-duration, --stalled-interval) so a killed worker's job is
 * taken back within seconds instead of BullMQ's default 30 s.
 */
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listening, spawnCli } from "../cli/helpers.js";
import { logLines, receiver, startRedis, stop, until, type Receiver } from "./helpers.js";

const KEY_A = "fleet-key-a";
const KEY_B = "fleet-key-b";

const started: ChildProcess[] = [];
let redis: ChildProcess;
let base: string;
let allowed: Receiver;
let other: Receiver;
const workers: { child: ChildProcess; lines: Record<string, unknown>[] }[] = [];

function startWorker(redisUrl: string, callbackHosts: string) {
  const child = spawnCli([
    "worker",
    "--redis",
    redisUrl,
    "--concurrency",
    "1",
    "--prewarm",
    "ruby",
    "--lock-duration",
    "3000",
    "--stalled-interval",
    "1000",
    "--callback-hosts",
    callbackHosts,
  ]);
  started.push(child);
  const w = { child, lines: logLines(child) };
  workers.push(w);
  return w;
}

const submit = (body: unknown, key = KEY_A) =>
  fetch(`${base}/v1/jobs`, { method: "POST", headers: { "content-type": "application/json", "x-api-key": key }, body: JSON.stringify(body) });

async function submitted(code: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await submit({ kind: "execute", request: { runtime: "ruby", code }, ...extra });
  expect(res.status).toBe(202);
  const { data } = (await res.json()) as { data: { id: string; status: string } };
  expect(data.status).toBe("queued");
  expect(res.headers.get("location")).toBe(`/v1/jobs/${data.id}`);
  return data.id;
}

interface JobBody {
  data: { id: string; status: string; attempts: number; result?: { stdout: string; exitCode: number }; error?: { code: string } };
}

const getJob = (id: string, key = KEY_A) => fetch(`${base}/v1/jobs/${id}`, { headers: { "x-api-key": key } });

const finished = (id: string) =>
  until(`job ${id} to finish`, async () => {
    const body = (await (await getJob(id)).json()) as JobBody;
    return body.data.status === "completed" || body.data.status === "failed" ? body.data : undefined;
  });

const ranBy = (id: string, msg: string) => workers.filter((w) => w.lines.some((l) => l.msg === msg && l.id === id));

beforeAll(async () => {
  const r = await startRedis();
  redis = r.child;
  started.push(redis);
  const redisUrl = r.url;

  allowed = await receiver();
  other = await receiver();
  const callbackHosts = `127.0.0.1:${allowed.port}`;

  const serve = spawnCli(["serve", "--port", "0", "--redis", redisUrl, "--callback-hosts", callbackHosts, "--result-ttl", "600"], {
    WASMBOX_API_KEYS: `${KEY_A},${KEY_B}`,
  });
  started.push(serve);
  base = await listening(serve).url;

  startWorker(redisUrl, callbackHosts);
  startWorker(redisUrl, callbackHosts);
  await until("both workers to be ready", () => workers.every((w) => w.lines.some((l) => l.msg === "worker ready")) || undefined, 240_000);
}, 300_000);

afterAll(async () => {
  for (const r of [allowed, other]) r?.server.close();
  // Every process this file started, by its pid.
  for (const child of started.reverse()) await stop(child);
});

describe("fleet mode (BullMQ on redis-server)", () => {
  it("spreads jobs over both workers and answers the submitter only", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await submitted(`sleep 0.4; puts ${i} * 7`));
    const views = await Promise.all(ids.map(finished));
    views.forEach((v, i) => {
      expect(v).toMatchObject({ id: ids[i], status: "completed", result: { stdout: `${i * 7}\n`, exitCode: 0 } });
    });
    // Each job completed on exactly one worker, and both workers took some.
    for (const id of ids) expect(ranBy(id, "job completed")).toHaveLength(1);
    for (const w of workers) expect(ids.some((id) => w.lines.some((l) => l.msg === "job completed" && l.id === id))).toBe(true);

    // Another key sees no such job; no key is a 401.
    const foreign = await getJob(ids[0]!, KEY_B);
    expect(foreign.status).toBe(404);
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
    expect((await fetch(`${base}/v1/jobs/${ids[0]}`)).status).toBe(401);
    expect((await getJob("00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });

  it("does not retry a program's own failure, even exit 70", async () => {
    const id = await submitted('$stderr.puts "mine"; exit 70');
    const view = await finished(id);
    expect(view).toMatchObject({ status: "completed", attempts: 1, result: { exitCode: 70 } });
    expect(ranBy(id, "job started")).toHaveLength(1);
    expect(workers.flatMap((w) => w.lines.filter((l) => l.msg === "job started" && l.id === id))).toHaveLength(1);
  });

  it("sends callbacks only to allowlisted hosts", async () => {
    const id = await submitted("puts :called", { callbackUrl: `http://127.0.0.1:${allowed.port}/done?x=1` });
    const call = await until("the callback", () => allowed.got.find((g) => g.body.data.id === id));
    expect(call.headers["x-wasmbox-job-id"]).toBe(id);
    expect(call.body.data).toMatchObject({ id, status: "completed", result: { stdout: "called\n", exitCode: 0 } });

    for (const url of [`http://127.0.0.1:${other.port}/done`, `http://localhost:${allowed.port}/done`, "http://169.254.169.254/"]) {
      const res = await submit({ kind: "execute", request: { runtime: "ruby", code: "puts 1" }, callbackUrl: url });
      expect(res.status, url).toBe(400);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe("INVALID_REQUEST");
      expect(error.message).toMatch(/`callbackUrl` host .* is not on the server's callback allowlist/);
    }
    expect(other.got).toEqual([]);
  });

  it("runs a batch job: per-case results and passed, by GET and by callback", async () => {
    const request = {
      runtime: "python",
      code: "a, b = map(int, input().split())\nprint(a + b)",
      cases: [
        { stdin: "1 2", expectedStdout: "3" },
        { stdin: "20 22", expectedStdout: "42\n" },
        { stdin: "2 2", expectedStdout: "5" },
      ],
    };
    const res = await submit({ kind: "batch", request, callbackUrl: `http://127.0.0.1:${allowed.port}/batch` });
    expect(res.status).toBe(202);
    const { id } = ((await res.json()) as { data: { id: string } }).data;
    // The first python run of a worker loads the runtime.
    const view = await until(`batch job ${id} to finish`, async () => {
      const body = (await (await getJob(id)).json()) as { data: Record<string, unknown> & { status: string } };
      return body.data.status === "completed" || body.data.status === "failed" ? body.data : undefined;
    }, 180_000);
    const expected = {
      id,
      kind: "batch",
      status: "completed",
      attempts: 1,
      result: {
        results: [
          { stdout: "3\n", exitCode: 0, timedOut: false, passed: true },
          { stdout: "42\n", exitCode: 0, timedOut: false, passed: true },
          { stdout: "4\n", exitCode: 0, timedOut: false, passed: false },
        ],
        passed: 2,
      },
    };
    expect(view).toMatchObject(expected);
    expect(ranBy(id, "job completed")).toHaveLength(1);
    const call = await until("the batch callback", () => allowed.got.find((g) => g.body.data.id === id));
    expect(call.body.data).toMatchObject(expected);

    // A bad case is a 400 now, naming it under `request.`; nothing is queued.
    const bad = await submit({ kind: "batch", request: { ...request, cases: [{}, { stdin: 1 }] } });
    expect(bad.status).toBe(400);
    const { error } = (await bad.json()) as { error: { code: string; message: string } };
    expect(error).toMatchObject({ code: "INVALID_REQUEST", message: expect.stringContaining("`request.cases[1].stdin` must be a string") });
  }, 240_000);

  it("reports queue counts for autoscaling and documents the job routes", async () => {
    const res = await fetch(`${base}/v1/jobs/stats`, { headers: { "x-api-key": KEY_A } });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: Record<string, number | null> };
    expect(data).toMatchObject({ waiting: 0, active: 0, workers: 2 });
    expect(data.completed).toBeGreaterThanOrEqual(8);
    expect((await fetch(`${base}/v1/jobs/stats`)).status).toBe(401);
    const doc = (await (await fetch(`${base}/v1/openapi.json`)).json()) as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/v1/jobs", "/v1/jobs/{id}", "/v1/jobs/stats"]));
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(["JobSubmission", "Job", "QueueStats"]));
    // A job is a request or a batch; its result an ExecuteResult or a BatchResult.
    const { JobSubmission, Job } = doc.components.schemas as Record<string, { oneOf?: { properties: Record<string, unknown> }[]; properties: Record<string, { oneOf?: unknown[] }> }>;
    expect(JobSubmission!.oneOf!.map((s) => [s.properties.kind, s.properties.request])).toEqual([
      [expect.objectContaining({ const: "execute" }), { $ref: "#/components/schemas/ExecuteRequest" }],
      [expect.objectContaining({ const: "batch" }), { $ref: "#/components/schemas/BatchRequest" }],
    ]);
    expect(Job!.properties.result!.oneOf).toEqual([{ $ref: "#/components/schemas/ExecuteResult" }, { $ref: "#/components/schemas/BatchResult" }]);
  });

  it("loses no job when a worker is killed mid-job", async () => {
    const id = await submitted("sleep 2; puts :survived");
    const [victim] = await until("the job to start", () => {
      const w = ranBy(id, "job started");
      return w.length > 0 ? w : undefined;
    });
    process.kill(victim!.child.pid!, "SIGKILL");
    const view = await finished(id);
    expect(view).toMatchObject({ status: "completed", result: { stdout: "survived\n", exitCode: 0 } });
    // Taken back from the dead worker (BullMQ's stalled-job check) and run by the other one.
    expect(view.attempts).toBeGreaterThanOrEqual(2);
    const survivor = workers.find((w) => w !== victim)!;
    expect(survivor.lines.some((l) => l.msg === "job completed" && l.id === id)).toBe(true);
  });
});
