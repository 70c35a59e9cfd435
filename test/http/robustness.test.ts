/**
 * What clients that misbehave or go away see and leave behind: a 413 that reaches a client still
 * sending its body (declared or chunked), and a client that hangs up, which cancels its execution
 * and is logged as what it is, below error level.
 */
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExecutor, createServer, type Executor, type WasmboxServer } from "wasmbox";
import { captureLogs, until, type Captured } from "./helpers.js";

const LIMIT = 1024;
let executor: Executor;
let server: WasmboxServer;
let url: URL;
let logs: Captured;

beforeAll(async () => {
  executor = createExecutor({ concurrency: 1, prewarm: ["node"] });
  logs = captureLogs();
  server = createServer({ port: 0, executor, apiKeys: [], logger: logs.logger, bodyLimit: LIMIT });
  url = new URL((await server.listen()).url);
});
afterAll(async () => {
  await server?.close({ graceful: false });
  await executor?.close();
});

/**
 * Sends a POST whose body is `total` bytes, written in 16 KiB pieces a few ms apart (a client
 * on a slow link), with a declared Content-Length or chunked; returns the response, or the
 * client-side error if the connection broke before one could be read.
 */
function slowUpload(total: number, chunked: boolean): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { "content-type": "application/json" };
    if (!chunked) headers["content-length"] = total;
    const req = http.request({ host: url.hostname, port: Number(url.port), path: "/v1/execute", method: "POST", headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", (e) => resolve({ error: String(e) }));
    });
    req.on("error", (e) => resolve({ error: `${(e as NodeJS.ErrnoException).code ?? e}` }));
    let sent = 0;
    const piece = Buffer.alloc(16 * 1024, "x");
    piece.write('{"runtime":"node","code":"');
    const tick = () => {
      if (req.destroyed) return;
      if (sent >= total) return void req.end();
      const n = Math.min(piece.length, total - sent);
      sent += n;
      req.write(piece.subarray(0, n), () => setTimeout(tick, 5));
    };
    tick();
  });
}

describe("413 reaches a client that is still sending", () => {
  it.each([
    ["declared Content-Length", false],
    ["chunked", true],
  ] as const)("%s: the client reads the 413 JSON error, not EPIPE/ECONNRESET", { timeout: 30_000 }, async (_what, chunked) => {
    for (let i = 0; i < 3; i++) {
      const r = await slowUpload(2 * 1024 * 1024, chunked);
      expect(r).toMatchObject({ status: 413 });
      const body = JSON.parse((r as { body: string }).body) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("PAYLOAD_TOO_LARGE");
      expect(body.error.message).toMatch(/1024-byte limit/);
    }
  });

  it("a raw client writing its declared body after the 413 still reads it, and the server ends the connection", { timeout: 30_000 }, async () => {
    const got = await new Promise<string>((resolve, reject) => {
      const sock = net.connect(Number(url.port), url.hostname);
      let data = "";
      sock.setEncoding("utf8");
      sock.on("data", (d: string) => (data += d));
      sock.on("error", (e) => reject(new Error(`${(e as NodeJS.ErrnoException).code} after reading ${JSON.stringify(data)}`)));
      sock.on("end", () => resolve(data));
      sock.write(`POST /v1/execute HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n`);
      let sent = 0;
      const tick = () => {
        if (sent >= 1_000_000 || sock.destroyed) return;
        sent += 50_000;
        sock.write(Buffer.alloc(50_000, "x"), () => setTimeout(tick, 5));
      };
      setTimeout(tick, 50);
    });
    expect(got).toMatch(/^HTTP\/1\.1 413 /);
    expect(got).toMatch(/"code":"PAYLOAD_TOO_LARGE"/);
  });
});

describe("a client that hangs up", () => {
  it("cancels its execution (nothing is left running) and is logged as a client close at info level", { timeout: 30_000 }, async () => {
    const warm = await fetch(`${url.origin}/v1/execute`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ runtime: "node", code: "console.log(1)" }),
    });
    expect(warm.status).toBe(200);
    const before = logs.lines.length;
    for (let i = 0; i < 2; i++) {
      const ctl = new AbortController();
      const pending = fetch(`${url.origin}/v1/execute`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ runtime: "node", code: "for (;;) {}", timeout: 120_000 }),
        signal: ctl.signal,
      }).catch((e: Error) => e);
      await until(() => executor.stats().running === 1, 20_000);
      ctl.abort();
      await pending;
      // Stopped, not left to spin until its two-minute timeout.
      await until(() => executor.stats().running === 0, 10_000);
    }
    await until(() => logs.lines.filter((l) => l.errorCode === "CLIENT_CLOSED").length === 2, 5000);
    const lines = logs.lines.slice(before);
    const closed = lines.filter((l) => l.errorCode === "CLIENT_CLOSED");
    for (const l of closed) {
      expect(l).toMatchObject({ level: 30, status: 499, runtime: "node", cancelled: true, path: "/v1/execute" });
      expect(l.msg).toMatch(/client closed the connection; its execution was cancelled/);
    }
    expect(lines.filter((l) => (l.level as number) >= 40)).toEqual([]);
    // The server goes on serving.
    const after = await fetch(`${url.origin}/v1/execute`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ runtime: "node", code: "console.log(2)" }),
    });
    expect(((await after.json()) as { data: { stdout: string } }).data.stdout).toBe("2\n");
  });

  it("mid-upload is logged as a client close at info level, not a 500", { timeout: 30_000 }, async () => {
    const before = logs.lines.length;
    const sock = net.connect(Number(url.port), url.hostname);
    await new Promise<void>((r) => sock.once("connect", () => r()));
    sock.write(`POST /v1/execute HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"runtime":"node",`);
    await new Promise((r) => setTimeout(r, 200));
    sock.destroy();
    await until(() => logs.lines.length > before, 5000);
    const line = logs.lines[before]!;
    expect(line).toMatchObject({ level: 30, status: 499, errorCode: "CLIENT_CLOSED", cancelled: false });
    expect(line.msg).toMatch(/client closed the connection before the request was complete/);
    expect(line.err).toBeUndefined();
  });
});
