/**
 * POST /v1/execute against a real server on a loopback port: results, every error status,
 * body limits, concurrency and the request log. Ruby is the runtime that works everywhere;
 * go with a toolchain path that does not exist stands for a runtime that cannot run here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExecutor, type Executor } from "wasmbox";
import { createServer, type WasmboxServer } from "wasmbox/server";
import { captureLogs, postJson, until, type Captured } from "./helpers.js";

let executor: Executor;
let server: WasmboxServer;
let url: string;
let logs: Captured;
let small: WasmboxServer;
let smallUrl: string;

beforeAll(async () => {
  executor = createExecutor({ concurrency: 2, prewarm: ["ruby"], toolchains: { go: "/nonexistent/go" } });
  logs = captureLogs();
  server = createServer({ port: 0, executor, apiKeys: [], logger: logs.logger });
  url = (await server.listen()).url;
  small = createServer({ port: 0, executor, apiKeys: [], logger: false, bodyLimit: 1024 });
  smallUrl = (await small.listen()).url;
  // Requests' timeouts are their programs' own: a wait for a host still loading ends at the
  // deadline, so the tests start from a loaded runtime (both hosts the concurrency allows).
  await Promise.all([executor.warm("ruby"), executor.warm("ruby")]);
}, 300_000);

afterAll(async () => {
  await server?.close();
  await small?.close();
  await executor?.close();
});

async function error(res: Response): Promise<{ code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error.message).not.toMatch(/\n\s+at /);
  return body.error;
}

describe("POST /v1/execute", () => {
  it("runs a program and wraps its result in data, with exactly the five fields", async () => {
    const res = await postJson(url, { runtime: "ruby", code: "puts [1, 2, 3, 4, 5].sum" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await res.json()) as { data: Record<string, unknown> };
    expect(Object.keys(body)).toEqual(["data"]);
    expect(Object.keys(body.data).sort()).toEqual(["executionTime", "exitCode", "stderr", "stdout", "timedOut"]);
    expect(body.data).toMatchObject({ stdout: "15\n", stderr: "", exitCode: 0, timedOut: false });
    expect(Number.isInteger(body.data.executionTime)).toBe(true);
  });

  it("passes files, entrypoint, stdin, env and args through", async () => {
    const res = await postJson(url, {
      runtime: "ruby",
      files: { "app.rb": 'require_relative "lib/greet"\nputs greet(STDIN.read)\nputs ENV["WHO"], ARGV.join(",")', "lib/greet.rb": 'def greet(s) = "hi #{s.strip}"' },
      entrypoint: "app.rb",
      stdin: "there\n",
      env: { WHO: "env-value" },
      args: ["a", "b c"],
    });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { stdout: string; exitCode: number } };
    expect(data).toMatchObject({ stdout: "hi there\nenv-value\na,b c\n", exitCode: 0 });
  });

  it("a failing program is still a 200 with its exit code and stderr", async () => {
    const res = await postJson(url, { runtime: "ruby", code: 'warn "oops"\nexit 7' });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { stderr: string; exitCode: number } };
    expect(data.exitCode).toBe(7);
    expect(data.stderr).toBe("oops\n");
  });

  it("a program that times out is a 200 with timedOut and its partial output", async () => {
    const res = await postJson(url, { runtime: "ruby", code: 'puts "before"; $stdout.flush; loop {}', timeout: 4000 });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { stdout: string; exitCode: number; timedOut: boolean } };
    expect(data).toMatchObject({ stdout: "before\n", exitCode: 124, timedOut: true });
  });

  it("runs concurrent requests, each with its own result", async () => {
    const words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"];
    const responses = await Promise.all(words.map((w) => postJson(url, { runtime: "ruby", code: "print STDIN.read.upcase", stdin: w })));
    const outs = await Promise.all(responses.map(async (r) => ({ status: r.status, data: ((await r.json()) as { data: { stdout: string } }).data })));
    expect(outs.map((o) => o.status)).toEqual(words.map(() => 200));
    expect(outs.map((o) => o.data.stdout)).toEqual(words.map((w) => w.toUpperCase()));
  });

  it("stops the execution when the client hangs up", async () => {
    const ac = new AbortController();
    const res = fetch(`${url}/v1/execute`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ runtime: "ruby", code: "sleep 30" }),
      signal: ac.signal,
    }).catch((e: Error) => e);
    await until(() => executor.stats().running === 1);
    ac.abort();
    expect(await res).toBeInstanceOf(Error);
    // Without the hang-up reaching the executor, the program would hold its slot for 30 s.
    await until(() => executor.stats().running === 0, 5_000);
  });
});

describe("error statuses", () => {
  it("400 for a body that is not JSON", async () => {
    const res = await postJson(url, '{"runtime": "ruby",');
    expect(res.status).toBe(400);
    expect(await error(res)).toMatchObject({ code: "INVALID_REQUEST", message: expect.stringMatching(/not valid JSON/) });
  });

  it("400 for an empty body", async () => {
    const res = await postJson(url, "");
    expect(res.status).toBe(400);
    expect((await error(res)).code).toBe("INVALID_REQUEST");
  });

  it.each([
    [{ code: "puts 1" }, "runtime"],
    [{ runtime: "cobol", code: "x" }, "runtime"],
    [{ runtime: "ruby", code: "x", timeout: "soon" }, "timeout"],
    [{ runtime: "ruby", code: "x", color: "blue" }, "color"],
    [{ runtime: "ruby", files: { "/etc/passwd": "x" } }, "files"],
    [{ runtime: "ruby", code: "x", env: { A: 1 } }, "env"],
    [[1, 2], ""],
  ])("400 naming the field for %j", async (body, field) => {
    const res = await postJson(url, body);
    expect(res.status).toBe(400);
    const e = await error(res);
    expect(e.code).toBe("INVALID_REQUEST");
    if (field) expect(e.message).toContain(field);
  });

  it("415 for a non-JSON content type, and for none", async () => {
    const form = await fetch(`${url}/v1/execute`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "runtime=ruby&code=puts+1",
    });
    expect(form.status).toBe(415);
    expect((await error(form)).code).toBe("UNSUPPORTED_MEDIA_TYPE");
    const none = await fetch(`${url}/v1/execute`, { method: "POST", body: new TextEncoder().encode('{"runtime":"ruby","code":"p 1"}') });
    expect(none.status).toBe(415);
    await none.body?.cancel();
  });

  it("accepts application/json with a charset", async () => {
    const res = await postJson(url, { runtime: "ruby", code: "p 1" }, { "content-type": "application/json; charset=utf-8" });
    expect(res.status).toBe(200);
    await res.body?.cancel();
  });

  it("413 for a body over the limit, declared or streamed", async () => {
    const big = JSON.stringify({ runtime: "ruby", code: `# ${"x".repeat(2000)}` });
    const declared = await postJson(smallUrl, big);
    expect(declared.status).toBe(413);
    expect((await error(declared)).code).toBe("PAYLOAD_TOO_LARGE");

    // No Content-Length: the limit must hold while the body streams in.
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 256) c.enqueue(bytes.slice(i, i + 256));
        c.close();
      },
    });
    const streamed = await fetch(`${smallUrl}/v1/execute`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);

    const fits = await postJson(smallUrl, { runtime: "ruby", code: "puts 1" });
    expect(fits.status).toBe(200);
    await fits.body?.cancel();
  });

  it("the default body limit is 10 MB", async () => {
    const over = await postJson(url, JSON.stringify({ runtime: "ruby", code: "#".repeat(10 * 1024 * 1024) }));
    expect(over.status).toBe(413);
    await over.body?.cancel();
    // Under 10 MB the body is read, and the request caps (4 MiB of code) answer instead.
    const under = await postJson(url, JSON.stringify({ runtime: "ruby", code: "#".repeat(9 * 1024 * 1024) }));
    expect(under.status).toBe(400);
    expect((await error(under)).message).toContain("`code`");
  });

  it("404 for an unknown route, 405 with Allow for a wrong method", async () => {
    const missing = await fetch(`${url}/v2/execute`, { method: "POST" });
    expect(missing.status).toBe(404);
    expect((await error(missing)).code).toBe("NOT_FOUND");

    const get = await fetch(`${url}/v1/execute`);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect((await error(get)).code).toBe("METHOD_NOT_ALLOWED");

    const del = await fetch(`${url}/healthz`, { method: "DELETE" });
    expect(del.status).toBe(405);
    expect(del.headers.get("allow")).toContain("GET");
    await del.body?.cancel();
  });

  it("503 when the runtime cannot run here", async () => {
    const res = await postJson(url, { runtime: "go", code: "package main\nfunc main() {}" });
    expect(res.status).toBe(503);
    const e = await error(res);
    expect(e.code).toBe("RUNTIME_UNAVAILABLE");
    expect(e.message).toContain('"go"');
  });

  it("500 with a generic message (no stack, no detail) when something unexpected fails", async () => {
    const captured = captureLogs();
    const broken = createServer({
      port: 0,
      apiKeys: [],
      logger: captured.logger,
      executor: {
        ...executor,
        options: executor.options,
        stats: () => executor.stats(),
        runtime: (n) => executor.runtime(n),
        close: async () => {},
        execute: async () => {
          throw new Error("secret detail at /srv/internal/path");
        },
      },
    });
    const { url: brokenUrl } = await broken.listen();
    try {
      const res = await postJson(brokenUrl, { runtime: "ruby", code: "puts 1" });
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).not.toContain("secret");
      expect(text).not.toContain("/srv/internal");
      expect(JSON.parse(text)).toEqual({ error: { code: "INTERNAL_ERROR", message: expect.any(String) } });
      // The operator still gets the details, in the request's one log line.
      const line = captured.lines.find((l) => l.status === 500);
      expect(JSON.stringify(line)).toContain("secret detail");
    } finally {
      await broken.close();
    }
  });
});

describe("other routes", () => {
  it("GET /healthz", async () => {
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", running: expect.any(Number), queued: 0 });
  });

  it("GET /v1/runtimes lists every runtime with its version and availability", async () => {
    const res = await fetch(`${url}/v1/runtimes`);
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { name: string; language: string; version: string; available: boolean; reason?: string }[] };
    expect(data.map((r) => r.name).sort()).toEqual(["bun", "go", "node", "php", "python", "ruby", "rust"]);
    const ruby = data.find((r) => r.name === "ruby")!;
    expect(ruby).toMatchObject({ language: "Ruby", available: true });
    expect(ruby.version).toMatch(/^3\.4/);
    // node and bun say what runs them and which API they emulate.
    for (const [name, api] of [["node", /^Node\.js 20\.\d+\.\d+$/], ["bun", /^Bun 1\.\d+\.\d+$/]] as const) {
      const rt = data.find((r) => r.name === name)! as { engine?: string; emulates?: string; version: string };
      expect(rt.engine).toMatch(/^QuickJS/);
      expect(rt.emulates).toMatch(api);
      expect(rt.emulates).toContain(rt.version);
    }
    for (const r of data) expect((r as { engine?: string }).engine, r.name).toEqual(expect.any(String));
    const go = data.find((r) => r.name === "go")!;
    expect(go.available).toBe(false);
    expect(go.reason).toMatch(/go/i);
  });

  it("GET /v1/openapi.json is an OpenAPI 3.1 document generated from the request schema", async () => {
    const res = await fetch(`${url}/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }>; required: string[]; additionalProperties?: boolean }> };
    };
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/v1/execute", "/v1/runtimes", "/healthz", "/v1/openapi.json"]));
    expect(doc.paths["/v1/execute"]).toHaveProperty("post");
    const req = doc.components.schemas.ExecuteRequest!;
    // Issue 22 added compileTimeout, report and returnFiles (optional: the result keeps its five required fields).
    expect(Object.keys(req.properties).sort()).toEqual(["args", "code", "compileTimeout", "entrypoint", "env", "files", "report", "returnFiles", "runtime", "stdin", "timeout"]);
    expect(req.required).toEqual(["runtime"]);
    expect(req.additionalProperties).toBe(false);
    expect(req.properties.runtime!.enum).toContain("ruby");
    expect(doc.components.schemas.ExecuteResult!.required.sort()).toEqual(["executionTime", "exitCode", "stderr", "stdout", "timedOut"]);
  });
});

describe("request log", () => {
  it("one line per request with runtime, status and executionTime, never the code or stdin", async () => {
    const before = logs.lines.length;
    const res = await postJson(url, {
      runtime: "ruby",
      code: "# CODE-MARKER-7731\nputs STDIN.read.size",
      stdin: "STDIN-MARKER-5519",
      env: { TOKEN: "ENV-MARKER-4410" },
    });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { executionTime: number } };
    await until(() => logs.lines.length > before);
    const mine = logs.lines.slice(before).filter((l) => l.path === "/v1/execute");
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ method: "POST", status: 200, runtime: "ruby", executionTime: data.executionTime, exitCode: 0 });
    const all = logs.raw.join("");
    expect(all).not.toContain("CODE-MARKER");
    expect(all).not.toContain("STDIN-MARKER");
    expect(all).not.toContain("ENV-MARKER");
  });

  it("logs error statuses with their code", async () => {
    const before = logs.lines.length;
    await (await postJson(url, "nope")).body?.cancel();
    await until(() => logs.lines.length > before);
    expect(logs.lines.slice(before)).toEqual([expect.objectContaining({ status: 400, errorCode: "INVALID_REQUEST" })]);
  });
});
