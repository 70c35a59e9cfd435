/**
 * Live executions over HTTP: `POST /v1/execute` with `Accept: text/event-stream` (server-sent
 * events), and the interactive WebSocket `GET /v1/execute/ws`. Message formats are in the
 * OpenAPI document (`x-wasmbox-live`) and the README.
 */
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { Logger } from "pino";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import type { ExecuteRequest, ExecuteResult } from "../request.js";
import { toHttpError } from "./http-error.js";
import type { ServerExecutor } from "./types.js";

export function wantsEventStream(accept: string | undefined): boolean {
  return (accept ?? "").split(",").some((part) => part.split(";")[0]!.trim().toLowerCase() === "text/event-stream");
}

/**
 * Runs the request and streams `stdout`/`stderr` events (data: the text chunk as a JSON string)
 * and a final `result` event (data: the result, as `data` of a plain response). Errors found
 * before the program produced anything (invalid request, full queue) are thrown, so they get
 * their usual status and JSON body; a later failure is an `error` event.
 */
/** What streamExecution runs: an executor, a sandbox's session, or a context (src/server/sandboxes.ts). */
export interface StreamRunner {
  execute(request: ExecuteRequest, opts: { signal: AbortSignal; onStdout: (s: string) => void; onStderr: (s: string) => void }): Promise<ExecuteResult>;
}

export async function streamExecution(
  c: Context,
  executor: StreamRunner,
  request: ExecuteRequest,
  signal: AbortSignal,
  onResult: (r: ExecuteResult) => void,
  onSettled: () => void,
): Promise<Response> {
  type Event = { event: "stdout" | "stderr"; data: string };
  const held: Event[] = [];
  let push: ((e: Event) => void) | undefined;
  let started!: () => void;
  const firstOutput = new Promise<void>((r) => (started = r));
  const emit = (event: Event["event"]) => (text: string) => {
    const e = { event, data: JSON.stringify(text) };
    if (push) push(e);
    else {
      held.push(e);
      started();
    }
  };
  const running = executor.execute(request, { signal, onStdout: emit("stdout"), onStderr: emit("stderr") });
  running.then(onSettled, onSettled);
  // The response starts with the first output or the end, whichever comes first.
  await Promise.race([firstOutput, running]);
  return streamSSE(c, async (stream) => {
    let writing = Promise.resolve();
    const write = (e: { event: string; data: string }) => (writing = writing.then(() => stream.writeSSE(e)).catch(() => {}));
    for (const e of held.splice(0)) write(e);
    push = write;
    try {
      const result = await running;
      onResult(result);
      write({ event: "result", data: JSON.stringify(result) });
    } catch (e) {
      const err = toHttpError(e);
      write({ event: "error", data: JSON.stringify({ error: { code: err.code, message: err.message } }) });
    }
    await writing;
  });
}

// ---- WebSocket ----------------------------------------------------------------------------------

/** Client → server messages. */
type ClientMessage =
  | { type: "start"; request: ExecuteRequest }
  | { type: "stdin"; data: string }
  | { type: "stdin-end" }
  | { type: "kill" };

export interface WebSocketDeps {
  executor: ServerExecutor;
  checkKey: ((key: string | undefined) => boolean) | undefined;
  closing: () => boolean;
  /** Largest message, bytes (the body limit). */
  maxPayload: number;
  logger: Logger | undefined;
  shutdown: AbortSignal;
}

export const WS_PATH = "/v1/execute/ws";

function refuse(socket: Duplex, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: { code, message: `wasmbox: ${message}` } });
  const head = [
    `HTTP/1.1 ${status} ${status === 401 ? "Unauthorized" : status === 503 ? "Service Unavailable" : status === 404 ? "Not Found" : "Bad Request"}`,
    "Content-Type: application/json",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Connection: close",
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${head.join("\r\n")}\r\n\r\n${body}`);
}

/**
 * Serves the interactive WebSocket on `server`: one execution per connection. The client sends
 * `start` (the request), then any `stdin` chunks, `stdin-end` and/or `kill`; the server sends
 * `stdout`/`stderr` chunks as the program writes them and one `result` (or `error`), then closes.
 * A connection that drops ends its program.
 */
export function serveWebSocket(server: Server, deps: WebSocketDeps): void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.maxPayload });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? "").split("?")[0];
    if (path !== WS_PATH) return refuse(socket, 404, "NOT_FOUND", `no WebSocket at ${path}; use ${WS_PATH}`);
    if (deps.closing()) return refuse(socket, 503, "SHUTTING_DOWN", "the server is shutting down; retry on another instance");
    const key = req.headers["x-api-key"];
    if (deps.checkKey && !deps.checkKey(typeof key === "string" ? key : undefined))
      return refuse(socket, 401, "UNAUTHORIZED", key === undefined ? "the X-API-Key header is missing; send one of the server's API keys" : "the X-API-Key is not valid", {
        "WWW-Authenticate": 'ApiKey header="X-API-Key"',
      });
    wss.handleUpgrade(req, socket, head, (ws) => session(ws, deps));
  });
  deps.shutdown.addEventListener("abort", () => {
    for (const ws of wss.clients) ws.terminate();
  });
}

function session(ws: WebSocket, deps: WebSocketDeps): void {
  const send = (m: object) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };
  const fail = (code: string, message: string) => {
    send({ type: "error", error: { code, message: message.startsWith("wasmbox:") ? message : `wasmbox: ${message}` } });
    ws.close(1008, code);
  };
  let handle: ReturnType<ServerExecutor["spawn"]> | undefined;
  const started = performance.now();
  ws.on("message", (raw: RawData, isBinary: boolean) => {
    let m: ClientMessage;
    try {
      m = JSON.parse(isBinary ? "" : raw.toString()) as ClientMessage;
    } catch {
      return fail("INVALID_REQUEST", "each message must be a JSON object with a `type` (start, stdin, stdin-end, kill)");
    }
    if (!handle) {
      if (m?.type !== "start" || typeof m.request !== "object" || m.request === null)
        return fail("INVALID_REQUEST", 'the first message must be {"type":"start","request":{...}} with the execution request');
      handle = deps.executor.spawn(m.request);
      void run(handle, m.request);
      return;
    }
    if (m?.type === "stdin" && typeof m.data === "string") handle.stdin.write(m.data);
    else if (m?.type === "stdin-end") handle.stdin.end();
    else if (m?.type === "kill") handle.kill();
    else fail("INVALID_REQUEST", '`type` must be "stdin" (with a string `data`), "stdin-end" or "kill" after "start"');
  });
  // A client that goes away ends its program; its host is free again.
  ws.on("close", () => handle?.kill());
  ws.on("error", () => handle?.kill());

  const run = async (h: NonNullable<typeof handle>, request: ExecuteRequest) => {
    const pump = async (stream: ReadableStream<string>, type: "stdout" | "stderr") => {
      for await (const data of stream as unknown as AsyncIterable<string>) send({ type, data });
    };
    try {
      const [result] = await Promise.all([h.result, pump(h.stdout, "stdout"), pump(h.stderr, "stderr")]);
      send({ type: "result", data: result });
      ws.close(1000);
      deps.logger?.info(
        { path: WS_PATH, runtime: request.runtime, exitCode: result.exitCode, timedOut: result.timedOut, executionTime: result.executionTime, durationMs: Math.round(performance.now() - started) },
        "websocket execution",
      );
    } catch (e) {
      const err = toHttpError(e);
      fail(err.code, err.message);
      deps.logger?.info({ path: WS_PATH, runtime: request.runtime, errorCode: err.code }, "websocket execution refused");
    }
  };
}
