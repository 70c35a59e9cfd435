/**
 * Fleet jobs: what `POST /v1/jobs` accepts, what a queue worker runs, and the rules both sides
 * share (callback allowlist, retry policy, owners). Nothing here loads BullMQ: see queue.ts.
 */
import { createHash } from "node:crypto";
import { InvalidRequestError, WasmboxError } from "../errors.js";
import { EXIT_SANDBOX_FAILURE } from "../sandbox/protocol.js";
import {
  validateBatch,
  validateRequest,
  type BatchRequest,
  type BatchResult,
  type ExecuteRequest,
  type ExecuteResult,
  type RequestCaps,
} from "../request.js";

/** The queue both `serve --redis` and `worker --redis` use unless told otherwise. */
export const DEFAULT_QUEUE_NAME = "wasmbox";
/** How long finished jobs (and their results) stay readable, seconds (BullMQ removeOnComplete/removeOnFail age). */
export const DEFAULT_RESULT_TTL_SECONDS = 3600;
/** Runs per job when each ends in a sandbox failure: the first and two retries. */
export const DEFAULT_JOB_ATTEMPTS = 3;
/** First retry delay, doubled each time (BullMQ exponential backoff), ms. */
export const RETRY_BACKOFF_MS = 1000;
/** How long a worker waits for a callback receiver, ms. */
export const CALLBACK_TIMEOUT_MS = 10_000;

/**
 * A job's payload. Kinds are added here, in parseJobSubmission() and in runJob() below, nothing
 * else: "execute" is one request (POST /v1/execute), "batch" one program on many test cases
 * (POST /v1/batch, executor.executeBatch).
 */
export type JobPayload = { kind: "execute"; request: ExecuteRequest } | { kind: "batch"; request: BatchRequest };
export const JOB_KINDS = ["execute", "batch"] as const;

/** A finished job's result: an execute job's ExecuteResult, a batch job's BatchResult. */
export type JobResult = ExecuteResult | BatchResult;

/** What is stored in the queue: the payload, who may read it back, where to report. */
export interface JobData {
  payload: JobPayload;
  /** sha256 of the submitting API key (hex), "" when the server has no keys. Never the key. */
  owner: string;
  callbackUrl?: string;
}

export type JobStatus = "queued" | "running" | "completed" | "failed";

/** What `GET /v1/jobs/{id}` and callbacks report. */
export interface JobView {
  id: string;
  kind: JobPayload["kind"];
  status: JobStatus;
  /** The execution's result (a BatchResult for a batch), when completed (a failing program is still completed). */
  result?: JobResult;
  /** Why the job failed: the host error's stable code and message. */
  error?: { code: string; message: string };
  /** Runs started so far (retries included). */
  attempts: number;
  createdAt: string;
  finishedAt?: string;
}

/** A Redis URL without its password, for messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.href;
  } catch {
    return "(an invalid URL)";
  }
}

export function checkRedisUrl(url: string): void {
  let protocol: string | undefined;
  try {
    protocol = new URL(url).protocol;
  } catch {
    // reported below
  }
  if (protocol !== "redis:" && protocol !== "rediss:")
    throw new TypeError(`wasmbox: --redis must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379; got ${protocol ? redactRedisUrl(url) : JSON.stringify(url.slice(0, 80))}`);
}

/** The owner recorded for a key: a digest, so Redis never holds API keys. */
export function ownerOf(apiKey: string | undefined): string {
  return apiKey === undefined ? "" : createHash("sha256").update(apiKey, "utf8").digest("hex");
}

/** BullMQ's job states as the API reports them. */
export function jobStatus(state: string): JobStatus {
  if (state === "active") return "running";
  if (state === "completed") return "completed";
  if (state === "failed") return "failed";
  // waiting, prioritized, delayed (a retry waiting for its backoff), waiting-children.
  return "queued";
}

// ---- submission ------------------------------------------------------------------------------

function bad(field: string, message: string): never {
  throw new InvalidRequestError(field, message);
}

/**
 * Checks a `POST /v1/jobs` body: `{ kind: "execute" | "batch", request, callbackUrl? }`. The
 * request is validated as /v1/execute (or /v1/batch) would, so a bad one is a 400 now rather
 * than a failed job later.
 */
export function parseJobSubmission(
  body: unknown,
  opts: { callbackHosts: readonly string[]; caps?: RequestCaps },
): { payload: JobPayload; callbackUrl?: string } {
  if (body === null || typeof body !== "object" || Array.isArray(body))
    bad("", 'must be a JSON object such as {"kind":"execute","request":{"runtime":"python","code":"print(1)"}}');
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => !["kind", "request", "callbackUrl"].includes(k));
  if (unknown.length > 0) bad(unknown.join(", "), "is not a known field; known fields are kind, request, callbackUrl");
  if (b.kind === undefined) bad("kind", `is required; one of ${JOB_KINDS.join(", ")}`);
  if (!(JOB_KINDS as readonly unknown[]).includes(b.kind)) bad("kind", `must be one of ${JOB_KINDS.join(", ")}; got ${JSON.stringify(b.kind)}`);
  const kind = b.kind as JobPayload["kind"];
  if (b.request === undefined)
    bad("request", kind === "batch" ? "is required: the program and its cases, as for POST /v1/batch" : "is required: the execution to run, as for POST /v1/execute");
  try {
    if (kind === "batch") validateBatch(b.request, opts.caps);
    else validateRequest(b.request, opts.caps);
  } catch (e) {
    // The request's own field names, under `request.`.
    if (e instanceof InvalidRequestError) bad(e.field ? `request.${e.field}` : "request", e.message.replace(/^wasmbox: invalid request: (`[^`]*` )?/, ""));
    throw e;
  }
  let callbackUrl: string | undefined;
  if (b.callbackUrl !== undefined) {
    if (typeof b.callbackUrl !== "string") bad("callbackUrl", "must be a string (an http or https URL)");
    callbackUrl = checkCallbackUrl(b.callbackUrl, opts.callbackHosts);
  }
  const payload = { kind, request: b.request } as JobPayload;
  return { payload, ...(callbackUrl ? { callbackUrl } : {}) };
}

// ---- callbacks -------------------------------------------------------------------------------

/** The operator's allowlist: `host` (any port) or `host:port`, comma-separated, as in WASMBOX_CALLBACK_HOSTS. */
export function parseCallbackHosts(list: string | undefined): string[] {
  return (list ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h.length > 0);
}

export class CallbackNotAllowedError extends WasmboxError {
  constructor(message: string) {
    super("INVALID_REQUEST", `invalid request: \`callbackUrl\` ${message}`);
  }
}

/**
 * Returns the URL to call when its host (and port) is on the allowlist; throws otherwise.
 * Only the operator's hosts are ever called: a callback is a request from inside the fleet's
 * network, so an arbitrary address would let any client probe it.
 */
export function checkCallbackUrl(raw: string, allowlist: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CallbackNotAllowedError(`is not a valid URL; send an absolute http or https URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new CallbackNotAllowedError(`must be http or https; got ${url.protocol}`);
  if (url.username || url.password) throw new CallbackNotAllowedError("must not hold credentials");
  if (allowlist.length === 0)
    throw new CallbackNotAllowedError("is not accepted: this server has no callback hosts configured (--callback-hosts / WASMBOX_CALLBACK_HOSTS); poll GET /v1/jobs/{id} instead");
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  const hostKey = host.startsWith("[") ? host : host.includes(":") ? `[${host}]` : host;
  if (!allowlist.includes(hostKey) && !allowlist.includes(`${hostKey}:${port}`))
    throw new CallbackNotAllowedError(`host ${hostKey}:${port} is not on the server's callback allowlist; ask the operator to add it, or poll GET /v1/jobs/{id}`);
  return url.href;
}

/**
 * POSTs the job's view to its callback URL, at most once, without following redirects (a
 * redirect could lead off the allowlist). Failures are reported, not thrown: the result stays
 * readable with GET /v1/jobs/{id}.
 */
export async function sendCallback(url: string, view: JobView, allowlist: readonly string[]): Promise<{ ok: boolean; status?: number; error?: string }> {
  try {
    // Checked again where it is sent: the worker's operator decides what it may call.
    checkCallbackUrl(url, allowlist);
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-wasmbox-job-id": view.id },
      body: JSON.stringify({ data: view }),
      redirect: "manual",
      signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
    });
    await res.body?.cancel();
    return { ok: res.status >= 200 && res.status < 300, status: res.status };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

// ---- running ---------------------------------------------------------------------------------

/** What the executor of a worker must offer. */
export interface JobExecutor {
  execute(request: ExecuteRequest): Promise<ExecuteResult>;
  executeBatch(request: BatchRequest): Promise<BatchResult>;
}

/** The one place a job kind is run. */
export async function runJob(executor: JobExecutor, payload: JobPayload | undefined): Promise<JobResult> {
  // A payload not written by a wasmbox server (another producer on the queue) is refused, not retried.
  if (payload === null || typeof payload !== "object") throw new InvalidRequestError("", "the job has no payload; submit jobs with POST /v1/jobs");
  switch (payload.kind) {
    case "execute":
      return executor.execute(payload.request);
    case "batch":
      return executor.executeBatch(payload.request);
    default:
      throw new InvalidRequestError("kind", `must be one of ${JOB_KINDS.join(", ")}; got ${JSON.stringify((payload as { kind: unknown }).kind)}`);
  }
}

// What the executor writes on stderr when the host, not the program, failed (pool-executor.ts,
// sandbox/run-exit.ts). A program that prints it and exits 70 on purpose is retried
// at most `attempts` times: bounded, and only its own job.
const SANDBOX_FAILURE_NOTE = /\[wasmbox\] the sandbox \w+ stopped unexpectedly \([^\n]*\)\n$|(^|\n)wasmbox: the \w+ sandbox failed: /;

/** A result that reports a failure of the sandbox (exit 70 with wasmbox's note), not of the program. */
export function isSandboxFailureResult(r: ExecuteResult): boolean {
  return r.exitCode === EXIT_SANDBOX_FAILURE && SANDBOX_FAILURE_NOTE.test(r.stderr);
}

/**
 * Whether a job's result is worth another run: an execution that shows a sandbox failure, or a
 * batch with such a case. A batch's other cases (the programs' own failures) never cause one.
 */
export function showsSandboxFailure(result: JobResult): boolean {
  return "results" in result ? result.results.some(isSandboxFailureResult) : isSandboxFailureResult(result);
}

/**
 * Whether a thrown error is worth another run: the host failed, the worker is closing or
 * full. A bad request or a runtime missing on this machine fails the same way every time.
 */
export function isRetryableError(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return !(code === "INVALID_REQUEST" || code === "RUNTIME_UNAVAILABLE");
}

/** A failed job's reason as stored by BullMQ: "CODE: message", parsed back by jobError(). */
export function failureReason(e: unknown): string {
  const code = typeof (e as { code?: unknown })?.code === "string" ? (e as { code: string }).code : "SANDBOX_FAILURE";
  const message = String((e as Error)?.message ?? e).replace(/^wasmbox: /, "");
  return `${code}: ${message}`;
}

export function jobError(reason: string | undefined): { code: string; message: string } {
  const m = /^([A-Z_]+): ([\s\S]*)$/.exec(reason ?? "");
  // A stall past BullMQ's limit (a worker died on the job each time) carries BullMQ's text.
  return m ? { code: m[1]!, message: m[2]! } : { code: "SANDBOX_FAILURE", message: reason || "the job failed" };
}
