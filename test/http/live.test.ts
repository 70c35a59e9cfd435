/**
 * Live executions over HTTP, with real clients on a loopback server: server-sent events on
 * POST /v1/execute, and the interactive WebSocket GET /v1/execute/ws.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createExecutor, type ExecuteResult, type Executor } from "wasmbox";
import { createServer, type WasmboxServer } from "wasmbox/server";
import { postJson, until } from "./helpers.js";

const KEY = "live-test-key";
let executor: Executor;
let server: WasmboxServer;
let url: string;

beforeAll(async () => {
  executor = createExecutor({ concurrency: 2 });
  server = createServer({ port: 0, executor, logger: false, apiKeys: [KEY] });
  url = (await server.listen()).url;
  // Loaded before the timing-sensitive tests start.
  await Promise.all([executor.warm("ruby"), executor.warm("python")]);
}, 300_000);
afterAll(async () => {
  await server.close();
  await executor.close();
});

interface SseEvent {
  event: string;
  data: string;
  at: number;
}

/** Reads a text/event-stream response into events as they arrive. */
async function readEvents(res: Response, onEvent?: (e: SseEvent) => void): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  const decoder = new TextDecoder();
  let buf = "";
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(chunk, { stream: true });
    let i;
    while ((i = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const e: SseEvent = { event: "message", data: "", at: Date.now() };
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) e.event = line.slice(7);
        else if (line.startsWith("data: ")) data.push(line.slice(6));
      }
      e.data = data.join("\n");
      events.push(e);
      onEvent?.(e);
    }
  }
  return events;
}

const auth = { "x-api-key": KEY };

describe("POST /v1/execute with Accept: text/event-stream", () => {
  it("streams stdout and stderr as written, then one result event with the same JSON as `data`", async () => {
    const started = Date.now();
    const res = await postJson(
      url,
      { runtime: "ruby", code: 'puts "first"\n$stdout.flush\n$stderr.puts "warn"\n$stderr.flush\nloop {}', timeout: 10_000 },
      { ...auth, accept: "text/event-stream" },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = await readEvents(res);
    const result = events.at(-1)!;
    expect(result.event).toBe("result");
    const r = JSON.parse(result.data) as ExecuteResult;
    expect(r).toMatchObject({ stdout: "first\n", stderr: "warn\n", exitCode: 124, timedOut: true });
    const out = events.filter((e) => e.event === "stdout");
    expect(out.map((e) => JSON.parse(e.data)).join("")).toBe("first\n");
    expect(events.filter((e) => e.event === "stderr").map((e) => JSON.parse(e.data)).join("")).toBe("warn\n");
    // The line arrived while the program ran, well before its timeout ended it.
    expect(result.at - out[0]!.at).toBeGreaterThan(2000);
    expect(out[0]!.at - started).toBeLessThan(result.at - started);
  });

  it("answers an invalid request with its usual status and JSON error", async () => {
    const res = await postJson(url, { runtime: "ruby" }, { ...auth, accept: "text/event-stream" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "INVALID_REQUEST" } });
  });

  it("a client that disconnects mid-stream stops its program", async () => {
    const stop = new AbortController();
    const res = await fetch(`${url}/v1/execute`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", ...auth },
      body: JSON.stringify({ runtime: "ruby", code: 'puts "x"\n$stdout.flush\nloop {}', timeout: 120_000 }),
      signal: stop.signal,
    });
    await readEvents(res, (e) => {
      if (e.event === "stdout") stop.abort();
    }).catch(() => {});
    await until(() => executor.stats().running === 0, 10_000);
  });
});

/** A WebSocket client that collects messages. */
function connect(headers: Record<string, string> = auth) {
  const ws = new WebSocket(`${url.replace("http", "ws")}/v1/execute/ws`, { headers });
  const messages: { type: string; data?: unknown; error?: { code: string } }[] = [];
  let stdout = "";
  ws.on("message", (raw) => {
    const m = JSON.parse(String(raw)) as (typeof messages)[number];
    messages.push(m);
    if (m.type === "stdout") stdout += m.data as string;
  });
  const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
  const open = new Promise<void>((resolve, reject) => {
    ws.on("open", () => resolve());
    ws.on("error", reject);
  });
  return {
    ws,
    messages,
    closed,
    open,
    stdout: () => stdout,
    send: (m: object) => ws.send(JSON.stringify(m)),
    until: (text: string) => until(() => stdout.includes(text), 60_000),
  };
}

const ECHO_PY = 'while True:\n    try:\n        s = input("name? ")\n    except EOFError:\n        break\n    print("hi " + s)\n';

describe("GET /v1/execute/ws", () => {
  it("runs an interactive program: output as written, stdin fed after each prompt, then the result", async () => {
    const c = connect();
    await c.open;
    c.send({ type: "start", request: { runtime: "python", code: ECHO_PY, timeout: 60_000 } });
    await c.until("name? ");
    c.send({ type: "stdin", data: "Ann\n" });
    await c.until("hi Ann\nname? ");
    expect(c.messages.some((m) => m.type === "result")).toBe(false);
    c.send({ type: "stdin-end" });
    expect(await c.closed).toBe(1000);
    const result = c.messages.at(-1)!;
    expect(result.type).toBe("result");
    expect(result.data).toMatchObject({ stdout: "name? hi Ann\nname? ", exitCode: 0, timedOut: false });
  });

  it("kill ends the program: the result keeps its output, exit 130", async () => {
    const c = connect();
    await c.open;
    c.send({ type: "start", request: { runtime: "python", code: ECHO_PY, timeout: 60_000 } });
    await c.until("name? ");
    c.send({ type: "kill" });
    await c.closed;
    expect(c.messages.at(-1)).toMatchObject({ type: "result", data: { stdout: "name? ", exitCode: 130, timedOut: false } });
  });

  it("refuses a connection without a valid API key (401)", async () => {
    const ws = new WebSocket(`${url.replace("http", "ws")}/v1/execute/ws`);
    const status = await new Promise<number>((resolve) => {
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.on("error", () => {});
    });
    expect(status).toBe(401);
  });

  it("an invalid request is an error message, then the connection closes", async () => {
    const c = connect();
    await c.open;
    c.send({ type: "start", request: { runtime: "cobol", code: "x" } });
    expect(await c.closed).toBe(1008);
    expect(c.messages.at(-1)).toMatchObject({ type: "error", error: { code: "INVALID_REQUEST" } });
  });

  it("a dropped connection ends the program and frees its host", async () => {
    const c = connect();
    await c.open;
    c.send({ type: "start", request: { runtime: "ruby", code: '$stdout.sync = true\nputs "waiting"\ngets\nloop {}', timeout: 120_000 } });
    await c.until("waiting\n");
    expect(executor.stats().running).toBe(1);
    c.ws.terminate();
    await until(() => executor.stats().running === 0, 10_000);
  });
});
