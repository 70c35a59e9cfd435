import type { ExecuteResult } from "../request.js";
import type { Logger } from "pino";
import type { Executor } from "../executor/executor.js";
import type { ExecutorOptions } from "../executor/options.js";
import type { JobQueueOptions } from "../fleet/store.js";

export type { JobQueueOptions } from "../fleet/store.js";

/** The part of an Executor the server uses; any object of this shape can be served. */
export type ServerExecutor = Pick<Executor, "execute" | "spawn" | "runtime" | "stats" | "close"> &
  /** `POST /v1/batch` answers 501 without it. */
  Partial<Pick<Executor, "executeBatch" | "onLoad">> &
  /** The /v1/sandboxes routes answer 404 without them. */
  Partial<Pick<Executor, "createSession" | "restoreSession">> & {
    options: Pick<Executor["options"], "runtimeOptions" | "toolchains"> & Partial<Pick<Executor["options"], "sessions">>;
  };

export interface ServerOptions {
  /** TCP port; 0 picks a free one. Default 8080. */
  port?: number;
  /** Interface to listen on. Default "127.0.0.1". */
  host?: string;
  /** Accepted `X-API-Key` values. Default: the comma-separated `WASMBOX_API_KEYS` environment variable. */
  apiKeys?: string[];
  /** A file with one API key per line, added to `apiKeys`. */
  apiKeysFile?: string;
  /** Listen on a non-loopback host without API keys. Default false: listen() refuses. */
  insecureNoAuth?: boolean;
  /** Largest request body, bytes. Default 10 MiB. */
  bodyLimit?: number;
  /** Executor to serve; the server does not close an executor it was given. Default: one made from `executorOptions`. */
  executor?: ServerExecutor;
  /**
   * Options of the executor the server makes when `executor` is not given. Unlike the library's,
   * its default `cacheDir` is the per-user cache directory (see src/cache-dir.ts): compiled
   * Go/Rust programs outlive a restart. `cacheDir: false` keeps them in memory.
   */
  executorOptions?: ExecutorOptions;
  /**
   * On close(), how long in-flight requests (running executions, uploads still arriving) may
   * take before they are stopped and every connection is closed, ms. Default: the
   * `WASMBOX_SHUTDOWN_GRACE_MS` environment variable, else 30000.
   */
  shutdownGraceMs?: number;
  /**
   * Fleet mode: accept asynchronous jobs (POST /v1/jobs, GET /v1/jobs/{id}, GET /v1/jobs/stats)
   * on a BullMQ queue in this Redis, run by `wasmbox worker` processes. Default: no job routes.
   */
  jobs?: JobQueueOptions;
  /** Stateful sandboxes (`/v1/sandboxes`): see SandboxServerOptions. */
  sandboxes?: SandboxServerOptions;
  /** Where the one line per request goes. Default: a pino logger on stdout; `false` for none. */
  logger?: Logger | false;
}

export interface SandboxServerOptions {
  /**
   * Names this process in its sandbox ids (`sbx_<nodeId>_<random>`), so a proxy in front of
   * several servers routes each id to the process that holds it. Letters, digits and "-".
   * Default: the `WASMBOX_NODE_ID` environment variable, else the host name.
   */
  nodeId?: string;
  /** Open sandboxes one API key may hold (without keys: in all). Default 20. */
  perKey?: number;
  /**
   * On close(), each open sandbox's files are written here, and a server started with the same
   * directory (and node id) brings them back under the same ids and owners. Default: none, so
   * sandboxes end with the server.
   */
  dir?: string;
}

/** What the app keeps per request (Hono context variables): for the access log. */
export type Env = { Variables: { runtime?: string; result?: ExecuteResult; errorCode?: string; error?: unknown } };
