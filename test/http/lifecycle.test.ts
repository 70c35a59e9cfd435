/**
 * The queue limit (429) and graceful shutdown, on a server that owns its executor: one
 * execution at a time and no queue, so a second concurrent request is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type WasmboxServer } from "wasmbox/server";
import { freshGet, postJson, until } from "./helpers.js";

let server: WasmboxServer;
let url: string;

beforeAll(async () => {
  server = createServer({ port: 0, apiKeys: [], logger: false, executorOptions: { concurrency: 1, maxQueue: 0, prewarm: ["ruby"] } });
  url = (await server.listen()).url;
  // Warm up: the first execution waits for the runtime to load.
  const res = await postJson(url, { runtime: "ruby", code: "puts :warm" });
  expect(res.status).toBe(200);
  await res.body?.cancel();
});
afterAll(() => server?.close({ graceful: false }));

describe("queue limit", () => {
  it("429 with Retry-After when the queue is full, then the slot frees up", async () => {
    const first = postJson(url, { runtime: "ruby", code: "sleep 1.5; puts :first" });
    await until(() => server.executor.stats().running === 1);
    const second = await postJson(url, { runtime: "ruby", code: "puts :second" });
    expect(second.status).toBe(429);
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await second.json()).toEqual({ error: { code: "QUEUE_FULL", message: expect.stringMatching(/queue is full/) } });

    const done = await first;
    expect(done.status).toBe(200);
    expect(((await done.json()) as { data: { stdout: string } }).data.stdout).toBe("first\n");
    const after = await postJson(url, { runtime: "ruby", code: "puts :third" });
    expect(after.status).toBe(200);
    await after.body?.cancel();
  });
});

describe("graceful shutdown", () => {
  it("stops accepting, finishes the running execution, then closes the executor", async () => {
    const running = postJson(url, { runtime: "ruby", code: "sleep 1.5; puts :finished" });
    await until(() => server.executor.stats().running === 1);
    const closed = server.close();
    let closedYet = false;
    void closed.then(() => (closedYet = true));

    // A new connection is refused at once, while the execution is still running.
    await expect(freshGet(url, "/healthz")).rejects.toMatchObject({ code: "ECONNREFUSED" });
    expect(closedYet).toBe(false);

    const res = await running;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ data: { stdout: "finished\n", exitCode: 0, timedOut: false } });
    await closed;
    expect(server.executor.stats()).toMatchObject({ running: 0, hosts: 0 });
    await expect(server.executor.execute({ runtime: "ruby", code: "puts 1" })).rejects.toMatchObject({ code: "EXECUTOR_CLOSED" });
  });
});
