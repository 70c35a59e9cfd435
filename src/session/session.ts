/**
 * Stateful sessions: a file tree that outlives one execution. `session.execute()` runs any
 * request with the session's files as its working directory, and the files the program
 * writes or deletes stay for the next call. Each run is still a fresh sandbox (the same
 * containment as a one-shot execution): only file contents cross between runs, as data.
 * Nothing here imports Node: the browser executor has sessions too.
 */
import { InvalidRequestError, SessionClosedError, FileNotFoundError, WasmboxError } from "../errors.js";
import { filePathProblem, type RuntimeName, type ExecuteRequest, type ExecuteResult } from "../request.js";
import type { ExecuteOptions } from "../executor/live.js";
import { WORKSPACE_RUN, type CONTEXT_PORT, type ContextPort, type WorkspaceRunner } from "../executor/workspace.js";
import { FileTree, type FileEntry, type TreeChange, type TreeLimits } from "./tree.js";
import { ReplContext, type ContextFileSync } from "./context.js";

export type { FileEntry } from "./tree.js";

export interface SessionOptions {
  /** Bytes of all the session's files together; default the executor's `sessions.maxBytes` (64 MiB). */
  maxBytes?: number;
  /** Files the session may hold; default the executor's `sessions.maxFiles` (1000). */
  maxFiles?: number;
  /** Ended after this many ms without a call (`SESSION_EXPIRED`); 0: never. Default the executor's `sessions.idleTimeout` (10 min). */
  idleTimeout?: number;
}

export interface ResolvedSessionLimits extends TreeLimits {
  idleTimeout: number;
}

/** What the executor gives its sessions. */
export interface SessionOwner extends WorkspaceRunner {
  [CONTEXT_PORT](): ContextPort;
  /** Told once when a session ends (closed or expired), so the executor forgets it. */
  sessionEnded(session: Session): void;
  /** Makes the copy `session.fork()` returns (counted against the executor's limit). */
  sessionFork(session: Session): Session;
}

/** A session's files: paths are relative POSIX paths, checked as request file paths are. */
export interface SessionFiles {
  /** The file's bytes; FILE_NOT_FOUND if there is none. */
  read(path: string): Promise<Uint8Array>;
  /** The file as UTF-8 text (invalid sequences become U+FFFD). */
  readText(path: string): Promise<string>;
  /** Creates or replaces a file (text is written as UTF-8); parent directories are implied. SESSION_QUOTA past the quota. */
  write(path: string, content: string | Uint8Array): Promise<void>;
  /** The entries directly in `dir` (default: the working directory), sorted by name. */
  list(dir?: string): Promise<FileEntry[]>;
  /** Deletes a file, or a directory with everything under it; FILE_NOT_FOUND if there is none. */
  remove(path: string): Promise<void>;
}

export interface SessionInfo {
  id: string;
  createdAt: number;
  lastUsedAt: number;
  files: number;
  bytes: number;
  limits: ResolvedSessionLimits;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8");

function randomId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return prefix + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function checkedPath(path: unknown, field = "path"): string {
  if (typeof path !== "string") throw new InvalidRequestError(field, `must be a string; got ${typeof path}`);
  const problem = filePathProblem(path);
  if (problem) throw new InvalidRequestError(field, `"${path}" ${problem}`);
  return path;
}

export class Session {
  readonly id: string;
  readonly createdAt = Date.now();
  readonly files: SessionFiles;
  private used = Date.now();
  private ended: "closed" | "expired" | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Calls run one at a time, in order: a run's file changes are taken before the next starts. */
  private queue: Promise<unknown> = Promise.resolve();
  private running = 0;
  private readonly abort = new AbortController();
  private readonly closers = new Set<() => Promise<void> | void>();
  private readonly contextsById = new Map<string, ReplContext>();

  /** @internal Made by `executor.createSession()`, `restoreSession()` or `fork()`. */
  constructor(
    private readonly owner: SessionOwner,
    readonly tree: FileTree,
    readonly limits: ResolvedSessionLimits,
    id?: string,
  ) {
    this.id = id ?? randomId("ses_");
    const self = this;
    this.files = {
      async read(path) {
        return self.readFile(path).slice();
      },
      async readText(path) {
        return decoder.decode(self.readFile(path));
      },
      async write(path, content) {
        self.touch();
        const p = checkedPath(path);
        if (typeof content !== "string" && !(content instanceof Uint8Array))
          throw new InvalidRequestError("content", "must be a string or a Uint8Array");
        self.tree.apply([[p, typeof content === "string" ? encoder.encode(content) : content.slice()]], undefined);
      },
      async list(dir = "") {
        self.touch();
        if (typeof dir !== "string") throw new InvalidRequestError("dir", "must be a string");
        return self.tree.list(dir);
      },
      async remove(path) {
        self.touch();
        const p = checkedPath(path);
        const doomed = self.tree.under(p);
        if (doomed.length === 0) throw new FileNotFoundError(p, "file or directory");
        self.tree.apply(doomed.map((d): TreeChange => [d, null]));
      },
    };
    this.armIdle();
  }

  get closed(): boolean {
    return this.ended !== undefined;
  }

  info(): SessionInfo {
    return { id: this.id, createdAt: this.createdAt, lastUsedAt: this.used, files: this.tree.count, bytes: this.tree.bytes, limits: { ...this.limits } };
  }

  /**
   * Runs a request (any runtime) with the session's files as its working directory. The
   * request's `files` are written into the session first; `code` runs as the entry file
   * without being kept. With neither, `entrypoint` names a file of the session to run. When
   * the program finishes, the files it created, changed or deleted are taken into the session
   * (a run that timed out or was stopped leaves them as they were, and so does a run whose
   * files would pass the quota: its stderr then says so).
   */
  async execute(request: ExecuteRequest, opts: ExecuteOptions = {}): Promise<ExecuteResult> {
    this.touch();
    return this.serial(() => this.executeNow(request, opts));
  }

  private async executeNow(request: ExecuteRequest, opts: ExecuteOptions): Promise<ExecuteResult> {
    if (request === null || typeof request !== "object" || Array.isArray(request))
      throw new InvalidRequestError("", "must be an object such as { runtime: \"python\", code: \"print(1)\" }");
    const req: ExecuteRequest = { ...request };
    // Request files go into the session first (checked as a request's are, then against the quota).
    if (req.files !== undefined && req.files !== null && typeof req.files === "object") {
      const writes: TreeChange[] = [];
      for (const [path, content] of Object.entries(req.files)) {
        if (typeof content !== "string") throw new InvalidRequestError(`files[${JSON.stringify(path)}]`, "must be a string");
        writes.push([checkedPath(path, `files[${JSON.stringify(path)}]`), encoder.encode(content)]);
      }
      this.tree.apply(writes, undefined, "files");
    }
    // The entry file may be one of the session's: it is given to the request as its own.
    const entry = req.entrypoint;
    if (req.code === undefined && typeof entry === "string" && !(req.files && Object.hasOwn(req.files, entry))) {
      const content = this.tree.get(checkedPath(entry, "entrypoint"));
      if (!content) throw new InvalidRequestError("entrypoint", `"${entry}" is not a file of the session (nor of the request's files); write it first or send it in files`);
      req.files = { ...req.files, [entry]: decoder.decode(content) };
    }
    const before = new Map(this.tree.entries());
    const signal = opts.signal ? AbortSignal.any([opts.signal, this.abort.signal]) : this.abort.signal;
    const { result, outcome } = await this.owner[WORKSPACE_RUN](req, { files: Object.fromEntries(before), maxFiles: this.limits.maxFiles, maxBytes: this.limits.maxBytes }, { ...opts, signal });
    if (!outcome || this.closed) return result;
    // A `code` program shadows a session file of its name only for the run: unless the program
    // changed or deleted it, that file is not in `written` and still present, so it stays.
    const changes: TreeChange[] = [];
    for (const [path, bytes] of outcome.written) changes.push([path, bytes]);
    for (const path of before.keys()) if (!outcome.present.has(path) && !outcome.written.has(path)) changes.push([path, null]);
    const note = (text: string) => {
      result.stderr += `${result.stderr === "" || result.stderr.endsWith("\n") ? "" : "\n"}[wasmbox] ${text}\n`;
      opts.onStderr?.(`[wasmbox] ${text}\n`);
    };
    if (outcome.overQuota) {
      note(`the files this run left would pass the session's quota (${this.limits.maxBytes} bytes, ${this.limits.maxFiles} files); the session keeps its files as they were before the run`);
      return result;
    }
    try {
      this.tree.apply(changes, undefined, "files");
    } catch (e) {
      if (!(e instanceof WasmboxError)) throw e;
      note(`the files this run left were not kept: ${e.message.replace(/^wasmbox: /, "")}`);
    }
    return result;
  }

  /**
   * A REPL context of this session (python, node, bun, ruby, php): an interpreter kept alive
   * between `context.run()` calls, working in a copy of the session's files that is kept in
   * step both ways (the session's changes reach the next cell; what a cell writes or deletes
   * reaches the session). Closed with the session. CONTEXT_UNSUPPORTED for go and rust.
   */
  createContext(runtime: RuntimeName, options: { timeout?: number } = {}): ReplContext {
    this.touch();
    let forget = () => {};
    const { sync, stop } = this.contextSync();
    const context = new ReplContext(this.owner, runtime, {
      ...options,
      files: sync,
      activity: (work) => this.activity(work),
      onClose: () => {
        stop();
        forget();
        this.contextsById.delete(context.id);
      },
    });
    this.contextsById.set(context.id, context);
    forget = this.onClose(() => context.close());
    return context;
  }

  /** The session's open contexts. */
  listContexts(): ReplContext[] {
    return [...this.contextsById.values()];
  }

  context(id: string): ReplContext | undefined {
    return this.contextsById.get(id);
  }

  /** A context's view of the tree: the paths changed since it last synced, by anyone but itself. */
  private contextSync(): { sync: ContextFileSync; stop: () => void } {
    const dirty = new Set<string>();
    const sync: ContextFileSync = {
      pending: (fresh) => {
        const writes = new Map<string, Uint8Array>();
        const deletes: string[] = [];
        if (fresh) for (const [path, content] of this.tree.entries()) writes.set(path, content);
        else
          for (const path of dirty) {
            const content = this.tree.get(path);
            if (content) writes.set(path, content);
            else deletes.push(path);
          }
        dirty.clear();
        return { writes, deletes };
      },
      apply: ({ writes, deletes }) => {
        this.tree.apply([...writes, ...deletes.map((d): TreeChange => [d, null])], sync, "files");
      },
    };
    const stop = this.tree.onChange((changes, source) => {
      if (source !== sync) for (const [path] of changes) dirty.add(path);
    });
    return { sync, stop };
  }

  /** Work that keeps the session from expiring while it runs (a context's cell). */
  private async activity<T>(work: () => Promise<T>): Promise<T> {
    this.touch();
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      if (!this.ended) {
        this.used = Date.now();
        this.armIdle();
      }
    }
  }

  /** The session's files as bytes (format: see encodeSession), to bring back with `executor.restoreSession()`. */
  async snapshot(): Promise<Uint8Array> {
    this.touch();
    return this.serial(async () => encodeSession(this));
  }

  /** An independent copy of the session: its files now, shared until either side changes them. */
  async fork(): Promise<Session> {
    this.touch();
    return this.serial(async () => this.owner.sessionFork(this));
  }

  /** Registers what closing the session must also end (its REPL contexts). */
  onClose(closer: () => Promise<void> | void): () => void {
    this.closers.add(closer);
    return () => void this.closers.delete(closer);
  }

  /** Ends the session: a running call is stopped, its files are freed, later calls get SESSION_CLOSED. */
  async close(): Promise<void> {
    await this.end("closed");
  }

  private async end(why: "closed" | "expired"): Promise<void> {
    if (this.ended) return;
    this.ended = why;
    clearTimeout(this.idleTimer);
    this.abort.abort(new SessionClosedError(this.id, why === "expired", this.limits.idleTimeout));
    await Promise.allSettled([...this.closers].map((c) => c()));
    this.closers.clear();
    await this.queue.catch(() => {});
    this.tree.apply([...this.tree.entries()].map(([p]): TreeChange => [p, null]));
    this.owner.sessionEnded(this);
  }

  private readFile(path: unknown): Uint8Array {
    this.touch();
    const p = checkedPath(path);
    const content = this.tree.get(p);
    if (!content) throw new FileNotFoundError(p);
    return content;
  }

  /** Throws if the session has ended; else marks it used (the idle clock starts again). */
  touch(): void {
    if (this.ended) throw new SessionClosedError(this.id, this.ended === "expired", this.limits.idleTimeout);
    this.used = Date.now();
    this.armIdle();
  }

  /** Runs `work` after every earlier call; the idle clock does not run meanwhile. */
  serial<T>(work: () => Promise<T>): Promise<T> {
    this.running++;
    const run = this.queue.then(() => {
      if (this.ended) throw new SessionClosedError(this.id, this.ended === "expired", this.limits.idleTimeout);
      return work();
    });
    this.queue = run.catch(() => {});
    return run.finally(() => {
      this.running--;
      if (!this.ended) {
        this.used = Date.now();
        this.armIdle();
      }
    });
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    if (this.limits.idleTimeout === 0) return;
    this.idleTimer = setTimeout(() => {
      if (this.running > 0) return this.armIdle();
      void this.end("expired");
    }, this.limits.idleTimeout);
    (this.idleTimer as { unref?: () => void }).unref?.();
  }
}

// ---- snapshots ------------------------------------------------------------------------------

const MAGIC = "WBXSESSION1\n";

/**
 * A session as bytes: MAGIC, a JSON header line (limits, then each file's path and size), then
 * the files' contents one after another. Files only: a live interpreter is not in it.
 */
export function encodeSession(session: Session): Uint8Array {
  const files = [...session.tree.entries()];
  const header = encoder.encode(
    JSON.stringify({ limits: session.limits, files: files.map(([path, c]) => ({ path, size: c.byteLength })) }) + "\n",
  );
  const magic = encoder.encode(MAGIC);
  const out = new Uint8Array(magic.byteLength + header.byteLength + session.tree.bytes);
  out.set(magic, 0);
  out.set(header, magic.byteLength);
  let at = magic.byteLength + header.byteLength;
  for (const [, c] of files) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** The files and limits of a snapshot, checked: the bytes may come from anywhere. */
export function decodeSession(bytes: unknown): { limits: Partial<ResolvedSessionLimits>; files: TreeChange[] } {
  const bad = (why: string) => new InvalidRequestError("snapshot", `is not a wasmbox session snapshot (${why}); pass the bytes session.snapshot() returned`);
  if (!(bytes instanceof Uint8Array)) throw bad("not a Uint8Array");
  const magic = encoder.encode(MAGIC);
  if (bytes.byteLength < magic.byteLength || decoder.decode(bytes.subarray(0, magic.byteLength)) !== MAGIC) throw bad("wrong header");
  const nl = bytes.indexOf(10, magic.byteLength);
  if (nl < 0) throw bad("no header line");
  let header: { limits?: unknown; files?: unknown };
  try {
    header = JSON.parse(decoder.decode(bytes.subarray(magic.byteLength, nl)));
  } catch {
    throw bad("header is not JSON");
  }
  if (!Array.isArray(header.files)) throw bad("no file list");
  let at = nl + 1;
  const files: TreeChange[] = [];
  for (const f of header.files as { path?: unknown; size?: unknown }[]) {
    if (typeof f?.path !== "string" || typeof f.size !== "number" || !Number.isInteger(f.size) || f.size < 0) throw bad("bad file entry");
    if (at + f.size > bytes.byteLength) throw bad("truncated");
    files.push([checkedPath(f.path, "snapshot"), bytes.slice(at, at + f.size)]);
    at += f.size;
  }
  if (at !== bytes.byteLength) throw bad("trailing bytes");
  const l = (header.limits ?? {}) as Record<string, unknown>;
  const limits: Partial<ResolvedSessionLimits> = {};
  for (const k of ["maxBytes", "maxFiles", "idleTimeout"] as const) if (typeof l[k] === "number" && Number.isInteger(l[k]) && (l[k] as number) >= 0) limits[k] = l[k] as number;
  return { limits, files };
}
