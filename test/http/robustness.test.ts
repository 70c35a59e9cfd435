/**
 * What clients that misbehave or go away see and leave behind: a 413 that reaches a client still
 * sending its body (declared or chunked), and a client that hangs up, which cancels its execution
 * and is logged as what it is, below error level.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExecutor, type Executor } from "wasmbox";
import { createServer, type WasmboxServer } from "wasmbox/server";
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
 * Like Python's http.client: writes the whole request (headers and body) before reading
 * anything, then reads the response. A server that closes the connection with body bytes still
 * arriving resets it, and this client gets EPIPE/ECONNRESET instead of the response.
 */
function writeAllThenRead(head: string, body: Buffer[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(url.port), url.hostname);
    let data = "";
    sock.setEncoding("utf8");
    sock.on("data", (d: string) => (data += d));
    sock.on("error", (e) => reject(new Error(`${(e as NodeJS.ErrnoException).code ?? e} (read so far: ${JSON.stringify(data.slice(0, 40))})`)));
    sock.on("end", () => resolve(data));
    // Nothing is read until everything is written, as a blocking client does.
    sock.pause();
    sock.write(head);
    body.forEach((piece, i) => sock.write(piece, i === body.length - 1 ? () => sock.resume() : undefined));
  });
}

const MiB = 1024 * 1024;

describe("413 reaches a client that is still sending", () => {
  it("with a declared Content-Length: the client reads the 413 JSON error", { timeout: 30_000 }, async () => {
    for (let i = 0; i < 3; i++) {
      const got = await writeAllThenRead(
        `POST /v1/execute HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${8 * MiB}\r\n\r\n`,
        Array.from({ length: 8 }, () => Buffer.alloc(MiB, "x")),
      );
      expect(got).toMatch(/^HTTP\/1\.1 413 /);
      expect(got).toMatch(/"code":"PAYLOAD_TOO_LARGE"/);
      expect(got).toMatch(/1024-byte limit/);
    }
  });

  it("with a chunked body: the client reads the 413 JSON error", { timeout: 30_000 }, async () => {
    for (let i = 0; i < 3; i++) {
      const chunk = Buffer.concat([Buffer.from(`${(64 * 1024).toString(16)}\r\n`), Buffer.alloc(64 * 1024, "x"), Buffer.from("\r\n")]);
      const got = await writeAllThenRead(
        "POST /v1/execute HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
        [...Array.from({ length: 128 }, () => chunk), Buffer.from("0\r\n\r\n")],
      );
      expect(got).toMatch(/^HTTP\/1\.1 413 /);
      expect(got).toMatch(/"code":"PAYLOAD_TOO_LARGE"/);
    }
  });

  it("a client that stops sending mid-body after the 413 still reads it and the end of the connection", { timeout: 30_000 }, async () => {
    const started = Date.now();
    const outcome = await writeAllThenRead(
      `POST /v1/execute HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${1024 * MiB}\r\n\r\n`,
      [Buffer.alloc(MiB, "x")],
    ).catch((e: Error) => e.message);
    // The client never sends the rest: the server stops waiting for it.
    expect(typeof outcome === "string" && /^HTTP\/1\.1 413 |ECONNRESET/.test(outcome)).toBe(true);
    expect(Date.now() - started).toBeLessThan(20_000);
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

  it("while queued leaves the queue at once instead of waiting for a slot", { timeout: 30_000 }, async () => {
    const send = (code: string, signal: AbortSignal) =>
      fetch(`${url.origin}/v1/execute`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ runtime: "node", code, timeout: 120_000 }),
        signal,
      }).catch((e: Error) => e);
    const running = new AbortController();
    const queued = new AbortController();
    const first = send("for (;;) {}", running.signal);
    await until(() => executor.stats().running === 1, 20_000);
    const second = send("console.log('never')", queued.signal);
    await until(() => executor.stats().queued === 1, 10_000);
    queued.abort();
    await second;
    // The executor runs one at a time: the second left the queue while the first still runs.
    await until(() => executor.stats().queued === 0, 5000);
    expect(executor.stats().running).toBe(1);
    running.abort();
    await first;
    await until(() => executor.stats().running === 0, 10_000);
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
