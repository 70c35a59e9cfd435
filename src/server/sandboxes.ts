/**
 * Stateful sandboxes over HTTP (`/v1/sandboxes`): each one a library session (src/session/),
 * owned by the API key that created it. Another key gets 404 for it and does not see it in
 * lists. Sandboxes live in this process; their ids name it (`sbx_<node>_<random>`) so a proxy
 * in front of several servers routes each id to its node. With a sandbox directory, a shutdown
 * writes each open sandbox's files there and the next start brings them back (same ids, owners).
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import type { Context as HonoContext, Hono, MiddlewareHandler } from "hono";
import type { Env } from "./types.js";
import type { Logger } from "pino";
import { z } from "zod";
import { InvalidRequestError, WasmboxError } from "../errors.js";
import { filePathProblem, RUNTIME_NAMES, type ExecuteRequest, type ExecuteResult } from "../request.js";
import { decodeSession, type Session } from "../session/session.js";
import { isJsonContentType, readBody, readJsonBody } from "./body.js";
import { HttpError } from "./http-error.js";
import { streamExecution, type StreamRunner } from "./live.js";
import type { SandboxServerOptions, ServerExecutor } from "./types.js";

// ---- REPL contexts, as the library's sessions offer them ------------------------------------

/** What a context's run returns: an execution result, plus the error and value a notebook shows. */
export interface ContextRunResult extends ExecuteResult {
  error?: { type: string; message: string; traceback: string };
  value?: string;
  /** The context ended with this run (timed out, crashed); later runs need a new context. */
  ended?: true;
}

/** A live interpreter of a session (`session.createContext(runtime)`). */
export interface SandboxContext {
  readonly id: string;
  readonly runtime: string;
  run(code: string, opts?: { onStdout?: (s: string) => void; onStderr?: (s: string) => void; signal?: AbortSignal; timeout?: number }): Promise<ContextRunResult>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

type ContextSession = { createContext?: (runtime: string) => SandboxContext | Promise<SandboxContext> };

// ---- the store ---------------------------------------------------------------------------------

interface Sandbox {
  id: string;
  owner: string;
  session: Session;
  createdAt: number;
  contexts: Map<string, SandboxContext>;
}

export const DEFAULT_SANDBOXES_PER_KEY = 20;
/** Ids of sandboxes that expired are remembered (to answer 410, not 404) up to this many. */
const EXPIRED_REMEMBERED = 10_000;
const NODE_ID = /^[A-Za-z0-9-]{1,63}$/;
const SANDBOX_ID = /^sbx_([A-Za-z0-9-]{1,63})_([0-9a-f]{24})$/;
const SAVED_SUFFIX = ".sandbox";

/** A host name as a node id: what is not a letter, digit or "-" becomes "-". */
function nodeFromHostname(): string {
  const h = hostname().replace(/[^A-Za-z0-9-]/g, "-").slice(0, 63);
  return h === "" ? "node" : h;
}

export function resolveNodeId(given: string | undefined): string {
  const id = given ?? (process.env.WASMBOX_NODE_ID?.trim() || undefined) ?? nodeFromHostname();
  if (!NODE_ID.test(id))
    throw new TypeError(`wasmbox: the node id must be 1-63 letters, digits or "-" (it is part of every sandbox id); got ${JSON.stringify(id)}`);
  return id;
}

function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}

const iso = (ms: number) => new Date(ms).toISOString();

export class SandboxStore {
  readonly nodeId: string;
  readonly perKey: number;
  readonly dir: string | undefined;
  private readonly live = new Map<string, Sandbox>();
  /** id → owner of sandboxes that ended on their own (idle), so later calls hear why. */
  private readonly expired = new Map<string, string>();

  constructor(
    private readonly executor: ServerExecutor,
    opts: SandboxServerOptions,
    private readonly logger: Logger | undefined,
  ) {
    this.nodeId = resolveNodeId(opts.nodeId);
    if (opts.perKey !== undefined && (!Number.isInteger(opts.perKey) || opts.perKey < 1))
      throw new TypeError(`wasmbox: createServer(): \`sandboxes.perKey\` must be an integer >= 1; got ${opts.perKey}`);
    this.perKey = opts.perKey ?? DEFAULT_SANDBOXES_PER_KEY;
    this.dir = opts.dir === undefined ? undefined : path.resolve(opts.dir);
  }

  /** The server's caps on what a sandbox may ask for: the executor's session defaults. */
  get caps(): { maxBytes: number; maxFiles: number; idleTimeout: number } {
    const s = this.executor.options.sessions;
    return { maxBytes: s?.maxBytes ?? 64 * 1024 * 1024, maxFiles: s?.maxFiles ?? 1000, idleTimeout: s?.idleTimeout ?? 600_000 };
  }

  private supported(): NonNullable<ServerExecutor["createSession"]> {
    const create = this.executor.createSession?.bind(this.executor);
    if (!create) throw new HttpError(404, "NOT_FOUND", "no route /v1/sandboxes: this server's executor has no sessions (serve a wasmbox Executor)");
    return create;
  }

  private checkRoom(owner: string): void {
    let held = 0;
    for (const s of this.live.values()) if (s.owner === owner) held++;
    if (held >= this.perKey)
      throw new HttpError(429, "SESSION_LIMIT", `this API key already holds ${held} open sandboxes, the server's limit per key; delete one first`);
  }

  /** The executor's SESSION_LIMIT, said for an HTTP client. */
  private opened<T>(open: () => T): T {
    try {
      return open();
    } catch (e) {
      if (e instanceof WasmboxError && e.code === "SESSION_LIMIT")
        throw new HttpError(429, "SESSION_LIMIT", "the server holds its maximum number of open sandboxes; delete one, or retry later", { "Retry-After": "1" });
      throw e;
    }
  }

  private register(owner: string, session: Session, id = `sbx_${this.nodeId}_${randomHex(12)}`, createdAt = Date.now()): Sandbox {
    const sb: Sandbox = { id, owner, session, createdAt, contexts: new Map() };
    this.live.set(id, sb);
    // Still listed when the session ends by itself: it expired (or the executor closed).
    session.onClose(() => {
      if (this.live.get(id) !== sb) return;
      this.live.delete(id);
      this.expired.set(id, owner);
      if (this.expired.size > EXPIRED_REMEMBERED) this.expired.delete(this.expired.keys().next().value!);
    });
    return sb;
  }

  create(owner: string, limits: SandboxLimits, files: Record<string, string> | undefined): Sandbox {
    const create = this.supported();
    this.checkRoom(owner);
    const session = this.opened(() => create(limits));
    if (files) {
      try {
        const enc = new TextEncoder();
        session.tree.apply(Object.entries(files).map(([p, c]) => [p, enc.encode(c)]), undefined, "files");
      } catch (e) {
        void session.close();
        throw e;
      }
    }
    return this.register(owner, session);
  }

  restore(owner: string, bytes: Uint8Array): Sandbox {
    this.supported();
    this.checkRoom(owner);
    return this.register(owner, this.restoreSession(bytes));
  }

  /** A snapshot's session, its limits kept within the server's caps (the bytes may come from anywhere). */
  private restoreSession(bytes: Uint8Array): Session {
    const restore = this.executor.restoreSession?.bind(this.executor);
    if (!restore) throw new HttpError(404, "NOT_FOUND", "this server's executor cannot restore sessions");
    const { limits } = decodeSession(bytes);
    const caps = this.caps;
    const capped = (v: number | undefined, cap: number) => (v === undefined || cap === 0 ? v : v === 0 ? cap : Math.min(v, cap));
    return this.opened(() =>
      restore(bytes, { maxBytes: capped(limits.maxBytes, caps.maxBytes), maxFiles: capped(limits.maxFiles, caps.maxFiles), idleTimeout: capped(limits.idleTimeout, caps.idleTimeout) }),
    );
  }

  async fork(sb: Sandbox): Promise<Sandbox> {
    this.checkRoom(sb.owner);
    const copy = await sb.session.fork().catch((e) => {
      if (e instanceof WasmboxError && e.code === "SESSION_LIMIT") return this.opened(() => { throw e; });
      throw e;
    });
    return this.register(sb.owner, copy);
  }

  /** The caller's sandbox: 404 for none and for another key's alike, so ids cannot be probed. */
  get(owner: string, id: string): Sandbox {
    const m = SANDBOX_ID.exec(id);
    if (m && m[1] !== this.nodeId)
      throw new HttpError(
        421,
        "WRONG_NODE",
        `sandbox ${id} is held by node "${m[1]}", and this is node "${this.nodeId}": route requests for ids starting "sbx_${m[1]}_" to that node`,
      );
    const sb = this.live.get(id);
    if (sb && sb.owner === owner && !sb.session.closed) return sb;
    if (this.expired.get(id) === owner)
      throw new HttpError(
        410,
        "SESSION_EXPIRED",
        `sandbox ${id} expired after being idle for its idleTimeout and was ended with its files; create a new one`,
      );
    throw new HttpError(404, "NOT_FOUND", `no sandbox ${JSON.stringify(id)} for this API key; it may have been deleted, or ended with a restart of the server`);
  }

  list(owner: string): Sandbox[] {
    this.supported();
    return [...this.live.values()].filter((s) => s.owner === owner && !s.session.closed);
  }

  async delete(sb: Sandbox): Promise<void> {
    this.live.delete(sb.id);
    await sb.session.close();
  }

  info(sb: Sandbox) {
    const i = sb.session.info();
    return {
      id: sb.id,
      node: this.nodeId,
      createdAt: iso(sb.createdAt),
      lastUsedAt: iso(i.lastUsedAt),
      expiresAt: i.limits.idleTimeout === 0 ? null : iso(i.lastUsedAt + i.limits.idleTimeout),
      files: i.files,
      bytes: i.bytes,
      limits: { maxBytes: i.limits.maxBytes, maxFiles: i.limits.maxFiles, idleTimeout: i.limits.idleTimeout },
      contexts: [...sb.contexts.values()].map(contextInfo),
    };
  }

  /**
   * The server is stopping: with a directory, each open sandbox's files are written there
   * (after its running call, if any, finished); then every sandbox is ended.
   */
  async shutdown(): Promise<void> {
    const all = [...this.live.values()];
    this.live.clear();
    if (this.dir && all.length > 0) mkdirSync(this.dir, { recursive: true });
    let saved = 0;
    await Promise.all(
      all.map(async (sb) => {
        if (this.dir) {
          try {
            const bytes = await sb.session.snapshot();
            const header = Buffer.from(JSON.stringify({ id: sb.id, owner: sb.owner, createdAt: sb.createdAt }) + "\n");
            const file = path.join(this.dir, sb.id + SAVED_SUFFIX);
            // Written whole, then renamed: a file found at start is never half written.
            writeFileSync(`${file}.tmp`, Buffer.concat([header, bytes]));
            renameSync(`${file}.tmp`, file);
            saved++;
          } catch (e) {
            this.logger?.warn({ sandbox: sb.id, err: e }, "sandbox not saved at shutdown");
          }
        }
        await sb.session.close().catch(() => {});
      }),
    );
    if (this.dir) this.logger?.info({ saved, dir: this.dir }, "sandboxes saved");
  }

  /** At start: the sandboxes a shutdown saved in the directory come back, then their files are removed. */
  restoreSaved(): void {
    if (!this.dir) return;
    mkdirSync(this.dir, { recursive: true });
    let restored = 0;
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith(SAVED_SUFFIX)) continue;
      const file = path.join(this.dir, name);
      try {
        const data = readFileSync(file);
        const nl = data.indexOf(10);
        const meta = JSON.parse(data.subarray(0, nl).toString("utf8")) as { id?: unknown; owner?: unknown; createdAt?: unknown };
        const m = typeof meta.id === "string" ? SANDBOX_ID.exec(meta.id) : null;
        if (!m || typeof meta.owner !== "string" || typeof meta.createdAt !== "number") throw new Error("not a saved sandbox");
        // Another node's sandbox is left for it: its ids route there.
        if (m[1] !== this.nodeId) {
          this.logger?.warn({ file, node: m[1] }, "saved sandbox of another node left in place");
          continue;
        }
        const bytes = new Uint8Array(data.buffer, data.byteOffset + nl + 1, data.byteLength - nl - 1);
        this.register(meta.owner, this.restoreSession(bytes), meta.id as string, meta.createdAt);
        rmSync(file);
        restored++;
      } catch (e) {
        this.logger?.warn({ file, err: e }, "saved sandbox not restored");
      }
    }
    if (restored > 0) this.logger?.info({ restored, dir: this.dir }, "sandboxes restored");
  }
}

const contextInfo = (c: SandboxContext) => ({ id: c.id, runtime: c.runtime });

// ---- request bodies ----------------------------------------------------------------------------

export interface SandboxLimits {
  maxBytes?: number;
  maxFiles?: number;
  idleTimeout?: number;
}

const limit = (what: string) => z.number().int().positive().optional().describe(what);

export const CreateSandboxSchema = z
  .strictObject({
    maxBytes: limit("Bytes of all the sandbox's files together; at most the server's cap (its default)"),
    maxFiles: limit("Files the sandbox may hold; at most the server's cap (its default)"),
    idleTimeout: limit("The sandbox ends after this many ms without a call; at most the server's (its default)"),
    files: z.record(z.string(), z.string()).optional().describe("Files to start with (relative POSIX path → UTF-8 content)"),
  })
  .describe("CreateSandbox");

export const CreateContextSchema = z.strictObject({ runtime: z.enum(RUNTIME_NAMES).describe("The interpreter: python, node, bun, ruby, php") }).describe("CreateContext");
export const RunContextSchema = z
  .strictObject({
    code: z.string().describe("Code to run in the live interpreter"),
    timeout: z.number().int().positive().optional().describe("This cell's timeout, ms (default the server's default timeout); a cell past it ends its context"),
  })
  .describe("RunContext");

/** A body checked by a schema; the 400 names the field and what was wrong. */
function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new InvalidRequestError("", "the body must be a JSON object");
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    const known = Object.keys((schema as unknown as z.ZodObject).shape);
    throw new InvalidRequestError(issue.keys.join(", "), `is not a known field; known fields are ${known.join(", ")}`);
  }
  if (issue.code === "invalid_type") throw new InvalidRequestError(field, `must be ${issue.expected === "record" ? "an object" : `a ${issue.expected}`}`);
  if (issue.code === "too_small") throw new InvalidRequestError(field, "must be a whole number >= 1");
  if (issue.code === "invalid_value") throw new InvalidRequestError(field, `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`);
  throw new InvalidRequestError(field, issue.message);
}

function checkCreate(body: unknown, caps: SandboxStore["caps"]): { limits: SandboxLimits; files?: Record<string, string> } {
  const b = parse(CreateSandboxSchema, body);
  for (const k of ["maxBytes", "maxFiles", "idleTimeout"] as const) {
    const v = b[k];
    if (v !== undefined && caps[k] !== 0 && v > caps[k]) throw new InvalidRequestError(k, `is ${v}; this server allows at most ${caps[k]}`);
  }
  // From the raw body: zod's record output would drop a "__proto__" key.
  const files = b.files ? Object.fromEntries(Object.entries((body as { files: Record<string, string> }).files)) : undefined;
  for (const [p, content] of Object.entries(files ?? {})) {
    const problem = filePathProblem(p);
    if (problem) throw new InvalidRequestError(`files[${JSON.stringify(p)}]`, `path ${problem}`);
    if (typeof content !== "string") throw new InvalidRequestError(`files[${JSON.stringify(p)}]`, "must be a string");
  }
  return { limits: { maxBytes: b.maxBytes, maxFiles: b.maxFiles, idleTimeout: b.idleTimeout }, files };
}

const mediaType = (v: string | undefined) => (v ?? "").split(";")[0]!.trim().toLowerCase();

type Context = HonoContext<Env>;

// ---- routes ------------------------------------------------------------------------------------

export interface SandboxRouteDeps {
  store: SandboxStore;
  bodyLimit: number;
  notClosing: MiddlewareHandler<Env>;
  auth: MiddlewareHandler<Env>;
  owner: (c: Context) => string;
  stoppable: <T>(
    c: Context,
    body: unknown,
    work: (signal: AbortSignal) => Promise<T>,
    streamed?: (signal: AbortSignal, forget: () => void) => Promise<Response>,
  ) => Promise<T | Response>;
}

export function sandboxRoutes(app: Hono<Env>, d: SandboxRouteDeps): void {
  const { store } = d;
  const mw = [d.notClosing, d.auth] as const;
  const sandbox = (c: Context) => store.get(d.owner(c), c.req.param("id")!);

  /** The file path after `/files/`, each segment percent-decoded (a path is checked as request paths are). */
  const filePath = (c: Context): string => {
    const pathname = new URL(c.req.url).pathname;
    const rest = pathname.slice(pathname.indexOf("/files/") + "/files/".length);
    let p: string;
    try {
      p = rest.split("/").map(decodeURIComponent).join("/");
    } catch {
      throw new InvalidRequestError("path", "is not valid percent-encoding");
    }
    const problem = filePathProblem(p);
    if (problem) throw new InvalidRequestError("path", `"${p}" ${problem}`);
    return p;
  };

  app.post("/v1/sandboxes", ...mw, async (c) => {
    const type = c.req.header("content-type");
    let sb: Sandbox;
    if (mediaType(type) === "application/octet-stream") {
      const bytes = await readBody(c.req.raw, d.bodyLimit);
      sb = store.restore(d.owner(c), new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } else {
      // No body at all: a sandbox with the server's defaults.
      let body: unknown = {};
      if (type !== undefined || (c.req.header("content-length") ?? "0") !== "0") {
        if (!isJsonContentType(type ?? null))
          throw new HttpError(
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            `send the sandbox's limits as JSON (Content-Type: application/json), or a snapshot as application/octet-stream (got ${JSON.stringify(type ?? "none")})`,
          );
        body = await readJsonBody(c.req.raw, d.bodyLimit);
      }
      const { limits, files } = checkCreate(body, store.caps);
      sb = store.create(d.owner(c), limits, files);
    }
    return c.json({ data: store.info(sb) }, 201, { Location: `/v1/sandboxes/${sb.id}` });
  });

  app.get("/v1/sandboxes", ...mw, (c) => c.json({ data: store.list(d.owner(c)).map((s) => store.info(s)) }));

  app.get("/v1/sandboxes/:id", ...mw, (c) => c.json({ data: store.info(sandbox(c)) }));

  app.delete("/v1/sandboxes/:id", ...mw, async (c) => {
    await store.delete(sandbox(c));
    return c.body(null, 204);
  });

  app.post("/v1/sandboxes/:id/execute", ...mw, async (c) => {
    const sb = sandbox(c);
    const body = await readJsonBody(c.req.raw, d.bodyLimit);
    const runner: StreamRunner = { execute: (r, o) => sb.session.execute(r, o) };
    const result = await d.stoppable(
      c,
      body,
      (signal) => sb.session.execute(body as ExecuteRequest, { signal }),
      (signal, forget) => streamExecution(c, runner, body as ExecuteRequest, signal, (r) => c.set("result", r), forget),
    );
    if (result instanceof Response) return result;
    c.set("result", result);
    return c.json({ data: result });
  });

  app.get("/v1/sandboxes/:id/files", ...mw, async (c) => {
    const sb = sandbox(c);
    return c.json({ data: await sb.session.files.list(c.req.query("dir") ?? "") });
  });

  app.get("/v1/sandboxes/:id/files/*", ...mw, async (c) => {
    const sb = sandbox(c);
    const p = filePath(c);
    const encoding = c.req.query("encoding");
    if (encoding !== undefined && encoding !== "utf8" && encoding !== "base64")
      throw new InvalidRequestError("encoding", `must be "utf8" or "base64" (or absent, for the raw bytes); got ${JSON.stringify(encoding)}`);
    const bytes = await sb.session.files.read(p);
    if (encoding === undefined)
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { "Content-Type": "application/octet-stream" });
    const content = encoding === "utf8" ? new TextDecoder().decode(bytes) : Buffer.from(bytes).toString("base64");
    return c.json({ data: { path: p, encoding, size: bytes.byteLength, content } });
  });

  app.put("/v1/sandboxes/:id/files/*", ...mw, async (c) => {
    const sb = sandbox(c);
    const p = filePath(c);
    const bytes = await readBody(c.req.raw, d.bodyLimit);
    await sb.session.files.write(p, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return c.json({ data: { path: p, size: bytes.byteLength } });
  });

  app.delete("/v1/sandboxes/:id/files/*", ...mw, async (c) => {
    const sb = sandbox(c);
    await sb.session.files.remove(filePath(c));
    return c.body(null, 204);
  });

  app.post("/v1/sandboxes/:id/snapshot", ...mw, async (c) => {
    const sb = sandbox(c);
    const bytes = await sb.session.snapshot();
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": "application/octet-stream",
      "Content-Disposition": `attachment; filename="${sb.id}.snapshot"`,
    });
  });

  app.post("/v1/sandboxes/:id/fork", ...mw, async (c) => {
    const copy = await store.fork(sandbox(c));
    return c.json({ data: store.info(copy) }, 201, { Location: `/v1/sandboxes/${copy.id}` });
  });

  // ---- REPL contexts: the session's live interpreters ----
  const context = (c: Context) => {
    const sb = sandbox(c);
    const id = c.req.param("cid")!;
    const ctx = sb.contexts.get(id);
    if (!ctx) throw new HttpError(404, "NOT_FOUND", `no context ${JSON.stringify(id)} in sandbox ${sb.id}; list them with GET /v1/sandboxes/${sb.id}/contexts`);
    return { sb, ctx };
  };

  app.post("/v1/sandboxes/:id/contexts", ...mw, async (c) => {
    const sb = sandbox(c);
    const { runtime } = parse(CreateContextSchema, await readJsonBody(c.req.raw, d.bodyLimit));
    const create = (sb.session as unknown as ContextSession).createContext;
    if (typeof create !== "function") throw new HttpError(501, "NOT_IMPLEMENTED", "this server's sessions have no REPL contexts; run code with POST /v1/sandboxes/{id}/execute");
    const ctx = await create.call(sb.session, runtime);
    sb.contexts.set(ctx.id, ctx);
    return c.json({ data: contextInfo(ctx) }, 201, { Location: `/v1/sandboxes/${sb.id}/contexts/${ctx.id}` });
  });

  app.get("/v1/sandboxes/:id/contexts", ...mw, (c) => c.json({ data: [...sandbox(c).contexts.values()].map(contextInfo) }));

  app.post("/v1/sandboxes/:id/contexts/:cid/run", ...mw, async (c) => {
    const { sb, ctx } = context(c);
    const { code, timeout } = parse(RunContextSchema, await readJsonBody(c.req.raw, d.bodyLimit));
    // A context that ended with this run (a timeout) is closed and gone from the list: it is not half alive.
    const settle = (r: ContextRunResult) => {
      if (r.ended) {
        sb.contexts.delete(ctx.id);
        void ctx.close();
      }
      return r;
    };
    const runner: StreamRunner = { execute: async (_r, o) => settle(await ctx.run(code, { ...o, timeout })) };
    const result = await d.stoppable(
      c,
      { runtime: ctx.runtime },
      async (signal) => settle(await ctx.run(code, { signal, timeout })),
      (signal, forget) => streamExecution(c, runner, { runtime: ctx.runtime as ExecuteRequest["runtime"], code }, signal, (r) => c.set("result", r), forget),
    );
    if (result instanceof Response) return result;
    c.set("result", result);
    return c.json({ data: result });
  });

  app.post("/v1/sandboxes/:id/contexts/:cid/restart", ...mw, async (c) => {
    const { ctx } = context(c);
    await ctx.restart();
    return c.json({ data: contextInfo(ctx) });
  });

  app.delete("/v1/sandboxes/:id/contexts/:cid", ...mw, async (c) => {
    const { sb, ctx } = context(c);
    sb.contexts.delete(ctx.id);
    await ctx.close();
    return c.body(null, 204);
  });
}
