/**
 * The drop-in HTTP server for `POST /v1/execute`: createServer() for embedding, `wasmbox serve`
 * for the command line. Stateless: run several behind any load balancer.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import type { Hono } from "hono";
import { pino } from "pino";
import { createExecutor } from "../executor/executor.js";
import { createApp } from "./app.js";
import { createKeyCheck, isLoopbackHost, parseKeyList, readKeysFile } from "./auth.js";
import { DEFAULT_BODY_LIMIT } from "./body.js";
import type { ServerExecutor, ServerOptions } from "./types.js";
import { packageVersion } from "./version.js";

export type { ServerExecutor, ServerOptions } from "./types.js";

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
  /** Starts listening. Rejects when the host is not loopback and no API keys are configured. */
  listen(): Promise<ListeningAddress>;
  /**
   * Stops accepting connections, lets running executions finish (unless `graceful: false`),
   * then closes the executor if the server made it. Default graceful.
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
  const ownsExecutor = options.executor === undefined;
  const executor: ServerExecutor = options.executor ?? createExecutor(options.executorOptions);

  let closing = false;
  const app = createApp({ executor, checkKey, bodyLimit, logger, version: packageVersion(), closing: () => closing });
  let server: Server | undefined;
  let closed: Promise<void> | undefined;
  // Requests whose response is not yet produced; a graceful close waits for them.
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const fetch = async (req: Request, env: unknown): Promise<Response> => {
    inFlight++;
    try {
      return await app.fetch(req, env);
    } finally {
      if (--inFlight === 0) drained?.();
    }
  };

  return {
    app: app as unknown as Hono,
    executor,
    authRequired: checkKey !== undefined,

    listen() {
      if (!checkKey && !options.insecureNoAuth && !isLoopbackHost(host))
        return Promise.reject(
          new Error(
            `wasmbox: refusing to listen on ${host} without API keys: anyone who can reach it could run code. ` +
              "Set WASMBOX_API_KEYS, pass --api-keys-file, listen on 127.0.0.1, or pass --insecure-no-auth if something in front of this server authenticates",
          ),
        );
      if (server) return Promise.reject(new Error("wasmbox: the server is already listening"));
      if (closing) return Promise.reject(new Error("wasmbox: the server is closed; create a new one"));
      const s = createAdaptorServer({ fetch, hostname: host }) as Server;
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
          logger?.info({ url: addr.url, auth: checkKey !== undefined }, "listening");
          resolve(addr);
        });
      });
    },

    close(opts = {}) {
      closed ??= (async () => {
        closing = true;
        const graceful = opts.graceful ?? true;
        const s = server;
        const httpClosed = s
          ? new Promise<void>((resolve) => s.close(() => resolve()))
          : Promise.resolve();
        if (!graceful) s?.closeAllConnections();
        // Running executions finish (graceful) and their responses are written before the
        // listener's last connections end; queued ones are refused with EXECUTOR_CLOSED.
        if (ownsExecutor) await executor.close({ graceful });
        if (graceful && inFlight > 0) await new Promise<void>((r) => (drained = r));
        // Every response is produced; a keep-alive client that never sends again, or one slow
        // to read its response, must not hold the shutdown forever.
        const straggler = setTimeout(() => s?.closeAllConnections(), 5000);
        straggler.unref();
        await httpClosed;
        clearTimeout(straggler);
        logger?.info("closed");
        logger?.flush?.();
      })();
      return closed;
    },
  };
}
