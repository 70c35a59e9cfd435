/**
 * The drop-in HTTP server for `POST /v1/execute`: createServer() for embedding, `wasmbox serve`
 * for the command line. Stateless but for sandboxes, which live in one process and whose ids
 * name it (src/server/sandboxes.ts): run several behind any load balancer.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { setMaxListeners } from "node:events";
import { setTimeout as delay } from "node:timers/promises";
import { getRequestListener } from "@hono/node-server";
import type { Hono } from "hono";
import { pino } from "pino";
import { defaultCacheDir } from "../cache-dir.js";
import { createExecutor, type LoadEvent } from "../executor/executor.js";
import { createApp } from "./app.js";
import { createKeyCheck, isLoopbackHost, parseKeyList, readKeysFile } from "./auth.js";
import { DEFAULT_BODY_LIMIT } from "./body.js";
import { parseCallbackHosts } from "../fleet/jobs.js";
import { createJobStore } from "../fleet/store.js";
import { serveWebSocket } from "./live.js";
import { SandboxStore } from "./sandboxes.js";
import type { ServerExecutor, ServerOptions } from "./types.js";
import { packageVersion } from "./version.js";

export type { ServerExecutor, ServerOptions } from "./types.js";

/** How long a shutdown waits for in-flight requests before stopping them, ms. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 30_000;
/** After a forced stop, how long stopped requests get to write their 503 before connections close. */
const FORCED_ANSWER_MS = 1000;
/** Reading and discarding the rest of a refused body (see lingerOnClose): at most this long, this much. */
const LINGER_MS = 5000;
const LINGER_BYTES = 64 * 1024 * 1024;

const currentRequest = new WeakMap<Socket, IncomingMessage>();

/**
 * A response with `Connection: close` sent before its request's body was read (a 413, or any
 * early error) makes Node close the socket at once; the client, still sending, then gets a TCP
 * reset, and most clients report EPIPE/ECONNRESET instead of the response. So such a socket
 * only half-closes (the response and a FIN go out) and reads and discards what the client still
 * sends, until the body ends, the client closes, or LINGER_MS/LINGER_BYTES are reached.
 */
function lingerOnClose(socket: Socket): void {
  const destroySoon = socket.destroySoon.bind(socket);
  let lingering = false;
  socket.destroySoon = () => {
    const req = currentRequest.get(socket);
    if (lingering) return;
    if (!req || req.complete || socket.destroyed) return destroySoon();
    lingering = true;
    let bytes = 0;
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
    };
    const timer = setTimeout(done, LINGER_MS);
    socket.end();
    req.removeAllListeners("data");
    req.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > LINGER_BYTES) done();
    });
    req.once("end", done);
    req.once("error", done);
    socket.once("end", done);
    socket.once("close", () => clearTimeout(timer));
    req.resume();
  };
}

function envGrace(): number | undefined {
  const v = process.env.WASMBOX_SHUTDOWN_GRACE_MS;
  if (v === undefined || v.trim() === "") return undefined;
  if (!/^\d+$/.test(v.trim())) throw new TypeError(`wasmbox: WASMBOX_SHUTDOWN_GRACE_MS must be a whole number of milliseconds; got ${JSON.stringify(v)}`);
  return Number(v.trim());
}

export interface ListeningAddress {
  host: string;
  port: number;
  /** http://host:port, for clients. */
  url: string;
}

export interface WasmboxServer {
  /** The Hono app: `app.fetch` serves a Fetch `Request` without a listener. */
  readonly app: Hono;
  readonly executor: ServerExecutor;
  /** Whether X-API-Key is checked. */
  readonly authRequired: boolean;
  /** How long close() waits for in-flight requests before stopping them, ms. */
  readonly shutdownGraceMs: number;
  /** Starts listening. Rejects when the host is not loopback and no API keys are configured. */
  listen(): Promise<ListeningAddress>;
  /**
   * Stops accepting connections, lets in-flight requests finish for up to `shutdownGraceMs`,
   * then stops running executions (503 SHUTTING_DOWN), closes every connection and closes the
   * executor if the server made it. `graceful: false` stops at once, also when a graceful close
   * is already under way. Default graceful.
   */
  close(opts?: { graceful?: boolean }): Promise<void>;
}

function positiveInt(name: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) throw new TypeError(`wasmbox: createServer(): \`${name}\` must be an integer >= ${min}; got ${value}`);
  return value;
}

export function createServer(options: ServerOptions = {}): WasmboxServer {
  const port = positiveInt("port", options.port, 8080, 0);
  if (port > 65535) throw new TypeError(`wasmbox: createServer(): \`port\` must be at most 65535; got ${port}`);
  const host = options.host ?? "127.0.0.1";
  const bodyLimit = positiveInt("bodyLimit", options.bodyLimit, DEFAULT_BODY_LIMIT);
  const keys = [...(options.apiKeys ?? parseKeyList(process.env.WASMBOX_API_KEYS))];
  if (options.apiKeysFile) keys.push(...readKeysFile(options.apiKeysFile));
  const checkKey = keys.length > 0 ? createKeyCheck(keys) : undefined;
  const logger = options.logger === false ? undefined : (options.logger ?? pino({ name: "wasmbox" }));
  // BullMQ and ioredis are loaded by the store on first use, only when jobs are configured.
  // Made before the executor: a bad queue option must not leave prewarmed hosts behind.
  const jobs = options.jobs
    ? createJobStore(options.jobs, options.jobs.callbackHosts ?? parseCallbackHosts(process.env.WASMBOX_CALLBACK_HOSTS))
    : undefined;
  const ownsExecutor = options.executor === undefined;
  // Slow one-time work (a runtime loading, Python's first snapshot, a compile) as log lines:
  // "loading" when it starts, "loaded" (with ms, or the error) when it ends.
  const logLoad = (e: LoadEvent) => {
    if (!logger) return;
    const fields = { runtime: e.runtime, phase: e.phase, ...(e.ms !== undefined && { ms: e.ms }) };
    if (!e.done) logger.info(fields, "loading");
    else if (e.error !== undefined) logger.warn({ ...fields, error: e.error }, "load failed");
    else logger.info(fields, "loaded");
  };
  const given = options.executorOptions?.onLoad;
  // An executor made here is given the listener at once: prewarming starts in its constructor.
  const executor: ServerExecutor =
    options.executor ??
    createExecutor({
      cacheDir: defaultCacheDir(),
      ...options.executorOptions,
      onLoad: given ? (e) => (given(e), logLoad(e)) : logLoad,
    });
  const stopLoadLog = options.executor ? executor.onLoad?.(logLoad) : undefined;

  // Sandboxes a previous shutdown saved come back before the first request.
  const sandboxes = new SandboxStore(executor, options.sandboxes ?? {}, logger);
  sandboxes.restoreSaved();

  const shutdownGraceMs = positiveInt("shutdownGraceMs", options.shutdownGraceMs ?? envGrace(), DEFAULT_SHUTDOWN_GRACE_MS, 0);

  let closing = false;
  // Aborted when a shutdown stops waiting: every running execution is stopped with it.
  const stopAll = new AbortController();
  // Each request in flight listens to it: as many listeners as requests is expected, not a leak.
  setMaxListeners(0, stopAll.signal);
  const app = createApp({
    executor,
    checkKey,
    bodyLimit,
    logger,
    version: packageVersion(),
    closing: () => closing,
    shutdown: stopAll.signal,
    jobs,
    sandboxes,
  });
  let server: Server | undefined;
  // "closed" is logged only by a server that was listening (not after listen() refused).
  let listened = false;
  const sockets = new Set<Socket>();
  let closed: Promise<void> | undefined;
  let forced: Promise<void> | undefined;
  // Requests whose response is not yet produced; a graceful close waits for them.
  let inFlight = 0;
  const drainWaiters: (() => void)[] = [];
  const whenDrained = (): Promise<void> =>
    inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => drainWaiters.push(r));
  const fetch = async (req: Request, env: unknown): Promise<Response> => {
    inFlight++;
    try {
      return await app.fetch(req, env);
    } finally {
      if (--inFlight === 0) for (const w of drainWaiters.splice(0)) w();
    }
  };

  /**
   * Stops waiting: running executions are stopped (their requests answer 503 SHUTTING_DOWN
   * when the client is still there), then every connection is closed, whatever state it is in
   * (a half-sent upload, a slow reader, an idle keep-alive).
   */
  const force = (): Promise<void> =>
    (forced ??= (async () => {
      closing = true;
      stopAll.abort(new Error("shutdown"));
      await Promise.race([whenDrained(), delay(FORCED_ANSWER_MS)]);
      server?.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      if (ownsExecutor) await executor.close({ graceful: false }).catch(() => {});
      await jobs?.close();
    })());

  return {
    app: app as unknown as Hono,
    executor,
    authRequired: checkKey !== undefined,
    shutdownGraceMs,

    async listen() {
      if (!checkKey && !options.insecureNoAuth && !isLoopbackHost(host))
        return Promise.reject(
          new Error(
            `wasmbox: refusing to listen on ${host} without API keys: anyone who can reach it could run code. ` +
              "Set WASMBOX_API_KEYS, pass --api-keys-file, listen on 127.0.0.1, or pass --insecure-no-auth if something in front of this server authenticates",
          ),
        );
      if (server) return Promise.reject(new Error("wasmbox: the server is already listening"));
      if (closing) return Promise.reject(new Error("wasmbox: the server is closed; create a new one"));
      // Redis is reached before listening: a server that would answer every job with 503 should not start.
      if (jobs) await jobs.ready();
      const s = createHttpServer(getRequestListener(fetch, { hostname: host }));
      s.on("connection", (socket: Socket) => {
        sockets.add(socket);
        socket.once("close", () => sockets.delete(socket));
        lingerOnClose(socket);
      });
      s.on("request", (req: IncomingMessage) => currentRequest.set(req.socket, req));
      serveWebSocket(s, { executor, checkKey, closing: () => closing, maxPayload: bodyLimit, logger, shutdown: stopAll.signal });
      server = s;
      return new Promise<ListeningAddress>((resolve, reject) => {
        const onError = (e: NodeJS.ErrnoException) => {
          server = undefined;
          reject(
            new Error(
              e.code === "EADDRINUSE"
                ? `wasmbox: port ${port} on ${host} is already in use; pick another with --port`
                : `wasmbox: cannot listen on ${host}:${port}: ${e.message}`,
              { cause: e },
            ),
          );
        };
        s.once("error", onError);
        s.listen(port, host, () => {
          s.off("error", onError);
          const a = s.address() as AddressInfo;
          const shown = a.family === "IPv6" ? `[${a.address}]` : a.address;
          const addr = { host: a.address, port: a.port, url: `http://${shown}:${a.port}` };
          listened = true;
          logger?.info({ url: addr.url, auth: checkKey !== undefined }, "listening");
          resolve(addr);
        });
      });
    },

    close(opts = {}) {
      // A forced close also cuts short a graceful one already under way (a second SIGTERM).
      if (!(opts.graceful ?? true)) void force();
      closed ??= (async () => {
        closing = true;
        const s = server;
        // Stops accepting; idle keep-alive connections are closed now, busy ones after their response.
        const httpClosed = s ? new Promise<void>((resolve) => s.close(() => resolve())) : Promise.resolve();
        const grace = setTimeout(() => void force(), shutdownGraceMs);
        grace.unref();
        // Sandboxes are saved (with a sandbox directory) after their running call, then ended;
        // before the executor closes, which would end them unsaved.
        await sandboxes.shutdown();
        // Running executions finish and their responses are written; queued ones are refused.
        if (ownsExecutor) await Promise.race([executor.close({ graceful: true }), new Promise((r) => stopAll.signal.addEventListener("abort", r))]);
        await whenDrained();
        // Every response is produced; a keep-alive client that never sends again, or one slow
        // to read its response, must not hold the shutdown past the grace period.
        s?.closeIdleConnections();
        await httpClosed;
        clearTimeout(grace);
        await forced;
        await jobs?.close();
        stopLoadLog?.();
        if (listened) logger?.info("closed");
        logger?.flush?.();
      })();
      return closed;
    },
  };
}
