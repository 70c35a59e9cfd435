/** The HTTP routes, as a Hono app; index.ts gives it a Node listener and a lifecycle. */
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { methodNotAllowed } from "hono/method-not-allowed";
import type { Logger } from "pino";
import { RUNTIME_NAMES, type BatchRequest, type BatchResult, type ExecuteRequest, type ExecuteResult } from "../request.js";
import { ownerOf, parseJobSubmission } from "../fleet/jobs.js";
import type { JobStore } from "../fleet/store.js";
import { readJsonBody } from "./body.js";
import { streamExecution, wantsEventStream } from "./live.js";
import { HttpError, toHttpError } from "./http-error.js";
import { openApiDocument } from "./openapi.js";
import { listRuntimes } from "./runtime-info.js";
import { sandboxRoutes, type SandboxStore } from "./sandboxes.js";
import type { ServerExecutor } from "./types.js";

export interface AppDeps {
  executor: ServerExecutor;
  /** undefined when no keys are configured (auth off). */
  checkKey: ((key: string | undefined) => boolean) | undefined;
  bodyLimit: number;
  logger: Logger | undefined;
  version: string;
  closing: () => boolean;
  /** Aborted when a shutdown stops waiting for running executions. */
  shutdown?: AbortSignal;
  /** The job queue (fleet mode); undefined: no /v1/jobs routes, as without --redis. */
  jobs?: JobStore;
  /** Stateful sandboxes (/v1/sandboxes); undefined: no such routes. */
  sandboxes?: SandboxStore;
}

/** nginx's "client closed request": the client went away before its response; never sent. */
const CLIENT_CLOSED = 499;

export type { Env } from "./types.js";
import type { Env } from "./types.js";

export function createApp(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();

  app.onError((err, c) => {
    const e = toHttpError(err);
    // The details of an unexpected failure go to the log, never to the client.
    if (e.status === 500) c.set("error", err);
    c.set("errorCode", e.code);
    return c.json({ error: { code: e.code, message: e.message } }, e.status as 500, e.headers);
  });
  app.notFound((c) => {
    c.set("errorCode", "NOT_FOUND");
    return c.json({ error: { code: "NOT_FOUND", message: `wasmbox: no route ${c.req.method} ${c.req.path}; see GET /v1/openapi.json` } }, 404);
  });

  // One line per request: never the code, stdin, files or env, only what it ran and how it went.
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    if (deps.closing()) c.header("Connection", "close");
    if (!deps.logger) return;
    const r = c.get("result");
    const status = c.res.status;
    // The client hung up: its execution, if one was running, was stopped with it. That is the
    // client's doing, not a server failure, so it is logged as such and below error level.
    if (status === CLIENT_CLOSED || (c.req.raw.signal.aborted && !deps.shutdown?.aborted)) {
      deps.logger.info(
        {
          method: c.req.method,
          path: c.req.path,
          status: CLIENT_CLOSED,
          runtime: c.get("runtime"),
          cancelled: c.get("runtime") !== undefined,
          durationMs: Math.round(performance.now() - started),
          errorCode: "CLIENT_CLOSED",
        },
        c.get("runtime") !== undefined
          ? "client closed the connection; its execution was cancelled"
          : "client closed the connection before the request was complete",
      );
      return;
    }
    const line = {
      method: c.req.method,
      path: c.req.path,
      status,
      runtime: c.get("runtime"),
      executionTime: r?.executionTime,
      exitCode: r?.exitCode,
      timedOut: r?.timedOut,
      durationMs: Math.round(performance.now() - started),
      errorCode: c.get("errorCode"),
      err: c.get("error"),
    };
    if (status === 500) deps.logger.error(line, "request");
    else if (status >= 500) deps.logger.warn(line, "request");
    else deps.logger.info(line, "request");
  });

  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) => {
        c.set("errorCode", "METHOD_NOT_ALLOWED");
        return c.json(
          { error: { code: "METHOD_NOT_ALLOWED", message: `wasmbox: ${c.req.method} is not allowed on ${c.req.path}; use ${methods.join(" or ")}` } },
          405,
          { Allow: methods.join(", ") },
        );
      },
    }),
  );

  const notClosing: MiddlewareHandler<Env> = async (_c, next) => {
    if (deps.closing())
      throw new HttpError(503, "SHUTTING_DOWN", "the server is shutting down; retry on another instance", { Connection: "close" });
    await next();
  };

  const auth: MiddlewareHandler<Env> = async (c, next) => {
    if (deps.checkKey && !deps.checkKey(c.req.header("x-api-key")))
      throw new HttpError(
        401,
        "UNAUTHORIZED",
        c.req.header("x-api-key") === undefined ? "the X-API-Key header is missing; send one of the server's API keys" : "the X-API-Key is not valid",
        { "WWW-Authenticate": 'ApiKey header="X-API-Key"' },
      );
    await next();
  };

  /** Runs the request's work with a signal that a hung-up client or a shutdown that stops waiting aborts. */
  const stoppable = async <T>(
    c: Context<Env>,
    body: unknown,
    work: (signal: AbortSignal) => Promise<T>,
    streamed?: (signal: AbortSignal, forget: () => void) => Promise<Response>,
  ): Promise<T | Response> => {
    const runtime = (body as { runtime?: unknown } | null)?.runtime;
    if (typeof runtime === "string" && (RUNTIME_NAMES as readonly string[]).includes(runtime)) c.set("runtime", runtime);
    // A client that hangs up stops its execution instead of leaving it to run to its timeout;
    // so does a shutdown that stops waiting.
    // One controller per request, its listeners removed after: AbortSignal.any() on the
    // server-lifetime shutdown signal keeps an entry per request on Node 20.
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    for (const s of [c.req.raw.signal, deps.shutdown]) {
      if (s?.aborted) stop.abort();
      s?.addEventListener("abort", onAbort, { once: true });
    }
    const signal = stop.signal;
    const stopped = () =>
      new HttpError(503, "SHUTTING_DOWN", "the server shut down before the execution finished; retry on another instance", {
        Connection: "close",
      });
    // POST /v1/execute with Accept: text/event-stream: output as it is written, then the result.
    if (streamed && wantsEventStream(c.req.header("accept"))) {
      const forget = () => {
        c.req.raw.signal.removeEventListener("abort", onAbort);
        deps.shutdown?.removeEventListener("abort", onAbort);
      };
      try {
        return await streamed(signal, forget);
      } catch (e) {
        forget();
        throw deps.shutdown?.aborted ? stopped() : e;
      }
    }
    let result: T;
    try {
      result = await work(signal);
    } catch (e) {
      // Stopping the sandboxes is part of a shutdown, not a failure of this request.
      throw deps.shutdown?.aborted ? stopped() : e;
    } finally {
      c.req.raw.signal.removeEventListener("abort", onAbort);
      deps.shutdown?.removeEventListener("abort", onAbort);
    }
    if (deps.shutdown?.aborted && !c.req.raw.signal.aborted) throw stopped();
    return result;
  };

  app.post("/v1/execute", notClosing, auth, async (c) => {
    const body = await readJsonBody(c.req.raw, deps.bodyLimit);
    const result = await stoppable(
      c,
      body,
      (signal) => deps.executor.execute(body as ExecuteRequest, { signal }),
      (signal, forget) => streamExecution(c, deps.executor, body as ExecuteRequest, signal, (r) => c.set("result", r), forget),
    );
    if (result instanceof Response) return result;
    c.set("result", result);
    return c.json({ data: result });
  });

  // One program, many test cases: validation errors are 400s as for /v1/execute, naming `cases[i].…`.
  app.post("/v1/batch", notClosing, auth, async (c) => {
    const body = await readJsonBody(c.req.raw, deps.bodyLimit);
    const executeBatch = deps.executor.executeBatch?.bind(deps.executor);
    if (!executeBatch) throw new HttpError(404, "NOT_FOUND", "no route POST /v1/batch: this server's executor does not run batches (serve a wasmbox Executor)");
    const result = (await stoppable(c, body, (signal) => executeBatch(body as BatchRequest, { signal }))) as BatchResult;
    return c.json({ data: result });
  });
  if (deps.sandboxes)
    sandboxRoutes(app, {
      store: deps.sandboxes,
      bodyLimit: deps.bodyLimit,
      notClosing,
      auth,
      // Sandboxes belong to the key that created them; without keys, all to one owner.
      owner: (c) => (deps.checkKey ? ownerOf(c.req.header("x-api-key")) : ""),
      stoppable,
    });
  if (deps.jobs) {
    const jobs = deps.jobs;
    // Jobs belong to the key that submitted them; without keys, to everyone.
    const owner = (c: { req: { header(name: string): string | undefined } }) => (deps.checkKey ? ownerOf(c.req.header("x-api-key")) : "");
    const queue = async <T>(op: () => Promise<T>): Promise<T> => {
      try {
        return await op();
      } catch (e) {
        if (e instanceof HttpError) throw e;
        deps.logger?.warn({ err: e }, "job queue error");
        throw new HttpError(503, "QUEUE_UNAVAILABLE", "the job queue (Redis) cannot be reached; retry later", { "Retry-After": "1" });
      }
    };

    app.post("/v1/jobs", notClosing, auth, async (c) => {
      const body = await readJsonBody(c.req.raw, deps.bodyLimit);
      const { payload, callbackUrl } = parseJobSubmission(body, { callbackHosts: jobs.callbackHosts });
      const id = await queue(() => jobs.submit(owner(c), payload, callbackUrl));
      return c.json({ data: { id, status: "queued" } }, 202, { Location: `/v1/jobs/${id}` });
    });

    // Before /v1/jobs/:id, which would otherwise take "stats" for an id.
    app.get("/v1/jobs/stats", notClosing, auth, async (c) => c.json({ data: await queue(() => jobs.stats()) }));

    app.get("/v1/jobs/:id", notClosing, auth, async (c) => {
      const id = c.req.param("id");
      const view = await queue(() => jobs.get(owner(c), id));
      // Someone else's job and no job answer alike, so ids cannot be probed.
      if (!view) throw new HttpError(404, "NOT_FOUND", `no job ${JSON.stringify(id)} for this API key; it may have expired after the server's result TTL`);
      return c.json({ data: view });
    });
  }

  app.get("/v1/runtimes", notClosing, auth, async (c) => c.json({ data: await listRuntimes(deps.executor) }));

  app.get("/healthz", (c) => {
    const stats = deps.executor.stats();
    return deps.closing()
      ? c.json({ status: "closing", running: stats.running, queued: stats.queued }, 503)
      : c.json({ status: "ok", running: stats.running, queued: stats.queued });
  });

  const openapi = JSON.stringify(openApiDocument(deps.version, { jobs: deps.jobs !== undefined, sandboxes: deps.sandboxes !== undefined }));
  app.get("/v1/openapi.json", (c) => c.body(openapi, 200, { "Content-Type": "application/json" }));

  return app;
}
