/**
 * The HTTP API under fuzzing: random JSON, malformed JSON, truncated bodies, wrong content types,
 * bodies shorter than their Content-Length. The server answers every one with a JSON error naming
 * what is wrong (or runs it), never a 500, never hangs, and keeps serving afterwards.
 */
import net from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExecutor, type Executor } from "wasmbox";
import { createServer, type WasmboxServer } from "wasmbox/server";
import { anyValue, deep, requestLike } from "./fuzz-arbitraries.js";

let executor: Executor;
let server: WasmboxServer;
let url = "";

beforeAll(async () => {
  executor = createExecutor({ concurrency: 2, memoryLimit: 128 * 1024 * 1024, prewarm: ["ruby"] });
  server = createServer({ port: 0, executor, apiKeys: [], logger: false, bodyLimit: 1024 * 1024 });
  url = (await server.listen()).url;
});
afterAll(async () => {
  await server?.close();
  await executor?.close();
});

async function post(body: string, contentType = "application/json"): Promise<{ status: number; json: Record<string, any> }> {
  const res = await fetch(`${url}/v1/execute`, {
    method: "POST",
    headers: { "content-type": contentType },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let json: Record<string, any>;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`status ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, json };
}

function expectHandled({ status, json }: { status: number; json: Record<string, any> }): void {
  expect(status, JSON.stringify(json).slice(0, 300)).not.toBe(500);
  if (status === 200) {
    expect(Object.keys(json.data).sort()).toEqual(["executionTime", "exitCode", "stderr", "stdout", "timedOut"]);
    return;
  }
  expect(status).toBeGreaterThanOrEqual(400);
  expect(status).toBeLessThan(500);
  expect(Object.keys(json)).toEqual(["error"]);
  expect(typeof json.error.code).toBe("string");
  expect(json.error.message).toMatch(/^wasmbox: /);
  expect(json.error.message).not.toMatch(/\n\s+at /);
}

async function expectServing(): Promise<void> {
  const r = await post(JSON.stringify({ runtime: "ruby", code: "puts 6 * 7" }));
  expect(r.status).toBe(200);
  expect(r.json.data.stdout).toBe("42\n");
}

/** Sends raw bytes on a fresh connection and returns what came back before the server closed or `ms` passed. */
function raw(payload: string, ms = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const sock = net.connect(Number(u.port), u.hostname);
    let got = "";
    sock.setEncoding("utf8");
    sock.on("data", (d: string) => (got += d));
    sock.on("error", reject);
    sock.on("close", () => resolve(got));
    sock.write(payload);
    setTimeout(() => sock.destroy(), ms).unref();
  });
}

describe("POST /v1/execute under fuzzing", () => {
  it("answers random JSON values with a 4xx naming the problem (or a result)", { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), requestLike.map((r) => JSON.parse(JSON.stringify(r) ?? "null"))), async (v) => {
        const r = await post(JSON.stringify(v) ?? "null");
        expectHandled(r);
        if (r.status === 400 && r.json.error.code === "INVALID_REQUEST") expect(r.json.error.message).toMatch(/invalid request: (`[^`]*` |the body|)/);
      }),
      { numRuns: 150 },
    );
    await expectServing();
  });

  it("answers malformed and truncated JSON with 400 INVALID_REQUEST", { timeout: 120_000 }, async () => {
    const valid = JSON.stringify({ runtime: "ruby", code: "puts 1", files: undefined, stdin: "x", env: { A: "b" }, args: ["1"] });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.integer({ min: 1, max: valid.length - 1 }).map((n) => valid.slice(0, n)),
          fc.string({ minLength: 1 }).filter((s) => {
            try {
              JSON.parse(s);
              return false;
            } catch {
              return s.trim() !== "";
            }
          }),
          fc.constantFrom("{", "}", "[", '{"runtime":', '{"runtime":"ruby",}', "{'runtime':'ruby'}", "\u0000", "\uFEFF{}", "NaN", '{"a":1}{"b":2}'),
        ),
        async (body) => {
          const r = await post(body);
          expect(r.status, body).toBe(400);
          expect(r.json.error.code).toBe("INVALID_REQUEST");
        },
      ),
      { numRuns: 150 },
    );
    await expectServing();
  });

  it("handles deep nesting, huge strings, odd Unicode, wrong content types and lying lengths", { timeout: 120_000 }, async () => {
    expectHandled(await post("[".repeat(200_000) + "]".repeat(200_000)));
    const nest = (n: number) => "[".repeat(n) + "]".repeat(n);
    expectHandled(await post(`{"runtime":"ruby","files":{"main.rb":${nest(100_000)}}}`));
    expectHandled(await post(`{"runtime":${nest(100_000)},"code":"puts 1"}`));
    expectHandled(await post(`{"runtime":"ruby","code":"puts 1","env":{"A":${nest(100_000)}},"args":${nest(100_000)}}`));
    expectHandled(await post(JSON.stringify({ runtime: "ruby", files: { "main.rb": deep(500) } })));
    expectHandled(await post(JSON.stringify({ runtime: "ruby", code: "x".repeat(2 * 1024 * 1024) })));
    expectHandled(await post(JSON.stringify({ runtime: "ruby", files: { "a\u0000b": "puts 1", "\uD800": "x" } })));
    expectHandled(await post(JSON.stringify({ runtime: "ruby", code: "puts 1" }), "text/plain"));
    expectHandled(await post(JSON.stringify({ runtime: "ruby", code: "puts 1" }), "application/x-www-form-urlencoded"));
    expectHandled(await post('{"runtime":"ruby","code":"puts 1","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}'));
    expectHandled(await post('{"runtime":"ruby","files":{"__proto__":"puts 1"}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const bytes of [[0xff, 0xfe, 0x7b, 0x7d], [0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]])
      expectHandled(await post(Buffer.from(bytes).toString("latin1")));

    // A body shorter than its Content-Length: the server may wait for the rest, but must not
    // hang forever on it, nor stop serving others meanwhile.
    const lying = raw(`POST /v1/execute HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"runtime":"ruby"`, 2000);
    await expectServing();
    await lying;
    // Garbage that is not HTTP at all.
    const garbage = await raw("\x00\x01\x02 GET / HTTP/9.9\r\n\r\n", 2000);
    expect(garbage).not.toMatch(/HTTP\/1\.1 5\d\d/);
    await expectServing();
  });
});
