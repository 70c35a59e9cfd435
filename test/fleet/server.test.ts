/**
 * The server's side of fleet mode, in process: without `jobs` it is the server of before (no job
 * routes, no job schemas); with them, a bad submission is a coded 400 before anything is queued,
 * a Redis that cannot be reached stops listen(), and one that goes away answers 503.
 */
import type { ChildProcess } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { createServer } from "../../dist/src/server/index.js";
import { freePort, startRedis, stop } from "./helpers.js";

let redis: ChildProcess | undefined;
afterAll(() => stop(redis));

const json = (body: unknown, key = "k1") => ({
  method: "POST",
  headers: { "content-type": "application/json", "x-api-key": key },
  body: JSON.stringify(body),
});

describe("serve without --redis", () => {
  it("has no job routes and documents none", async () => {
    const s = createServer({ port: 0, apiKeys: ["k1"], logger: false });
    try {
      const { url } = await s.listen();
      for (const [path, init] of [
        ["/v1/jobs", json({ kind: "execute", request: { runtime: "ruby", code: "puts 1" } })],
        ["/v1/jobs/stats", { headers: { "x-api-key": "k1" } }],
      ] as const) {
        const res = await fetch(`${url}${path}`, init);
        expect(res.status).toBe(404);
        expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({
          code: "NOT_FOUND",
          message: expect.stringMatching(/no route/),
        });
      }
      const doc = (await (await fetch(`${url}/v1/openapi.json`)).json()) as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
      expect(Object.keys(doc.paths).filter((p) => p.startsWith("/v1/jobs"))).toEqual([]);
      expect(doc.components.schemas.Job).toBeUndefined();
    } finally {
      await s.close({ graceful: false });
    }
  });
});

describe("serve with --redis", () => {
  it("refuses to listen when Redis cannot be reached, naming it without its password", async () => {
    const port = await freePort();
    const s = createServer({ port: 0, apiKeys: ["k1"], logger: false, jobs: { redis: `redis://:secret@127.0.0.1:${port}` } });
    await expect(s.listen()).rejects.toThrow(new RegExp(`cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}`));
    await s.close({ graceful: false });
    expect(() => createServer({ port: 0, logger: false, jobs: { redis: "http://127.0.0.1:6379" } })).toThrow(/--redis must be a redis:\/\/ or rediss:\/\/ URL/);
  });

  it("answers a bad submission with a coded 400, and 503 QUEUE_UNAVAILABLE once Redis is gone", async () => {
    const r = await startRedis();
    redis = r.child;
    const s = createServer({ port: 0, apiKeys: ["k1"], logger: false, jobs: { redis: r.url } });
    try {
      const { url } = await s.listen();
      const bad = await fetch(`${url}/v1/jobs`, json({ kind: "execute", request: { runtime: "ruby" } }));
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: "INVALID_REQUEST",
        message: expect.stringMatching(/`request\.code` or `files` is required/),
      });
      const noCallbacks = await fetch(`${url}/v1/jobs`, json({ kind: "execute", request: { runtime: "ruby", code: "1" }, callbackUrl: "http://127.0.0.1:1/" }));
      expect(noCallbacks.status).toBe(400);
      expect(((await noCallbacks.json()) as { error: { message: string } }).error.message).toMatch(/no callback hosts configured/);
      expect((await fetch(`${url}/v1/jobs/not-a-job`, { headers: { "x-api-key": "k1" } })).status).toBe(404);
      expect((await fetch(`${url}/v1/jobs`, json({ kind: "execute", request: { runtime: "ruby", code: "1" } }, "wrong"))).status).toBe(401);

      await stop(redis);
      const down = await fetch(`${url}/v1/jobs`, json({ kind: "execute", request: { runtime: "ruby", code: "1" } }));
      expect(down.status).toBe(503);
      expect(down.headers.get("retry-after")).toBe("1");
      expect(((await down.json()) as { error: { code: string } }).error.code).toBe("QUEUE_UNAVAILABLE");
    } finally {
      await s.close({ graceful: false });
    }
  });
});
