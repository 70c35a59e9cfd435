/**
 * The server's side of fleet mode: it puts jobs on the BullMQ queue and reads them back for
 * their owner. BullMQ is imported on first use, so a server without --redis never loads it.
 */
import { randomUUID } from "node:crypto";
import {
  checkRedisUrl,
  DEFAULT_JOB_ATTEMPTS,
  DEFAULT_QUEUE_NAME,
  DEFAULT_RESULT_TTL_SECONDS,
  RETRY_BACKOFF_MS,
  type JobData,
  type JobPayload,
  type JobView,
} from "./jobs.js";

export interface JobQueueOptions {
  /** redis:// URL of the Redis every server and worker of the fleet shares. */
  redis: string;
  /** BullMQ queue name. Default "wasmbox". */
  queue?: string;
  /** How long a finished job and its result stay readable, seconds. Default 3600. */
  resultTtlSeconds?: number;
  /** Runs per job when each ends in a sandbox failure. Default 3. */
  attempts?: number;
  /** Hosts (`host` or `host:port`) a job's callbackUrl may name. Default: WASMBOX_CALLBACK_HOSTS, else none. */
  callbackHosts?: string[];
}

export interface QueueStats {
  /** Jobs not yet started (waiting, prioritized, and retries waiting for their backoff): scale on this. */
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
  /** Workers connected to the queue; null when Redis does not allow listing clients. */
  workers: number | null;
}

export interface JobStore {
  readonly callbackHosts: readonly string[];
  /** Connects; rejects when Redis cannot be reached. */
  ready(): Promise<void>;
  submit(owner: string, payload: JobPayload, callbackUrl?: string): Promise<string>;
  /** The job when it exists and belongs to `owner`; undefined otherwise (the same answer for both). */
  get(owner: string, id: string): Promise<JobView | undefined>;
  stats(): Promise<QueueStats>;
  close(): Promise<void>;
}

function positive(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < 1) throw new TypeError(`wasmbox: jobs.${name} must be an integer >= 1; got ${v}`);
  return v;
}

// Job ids the server makes: random, so ids say nothing of other clients' jobs.
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function createJobStore(options: JobQueueOptions, callbackHosts: readonly string[]): JobStore {
  checkRedisUrl(options.redis);
  const name = options.queue ?? DEFAULT_QUEUE_NAME;
  const ttl = positive("resultTtlSeconds", options.resultTtlSeconds, DEFAULT_RESULT_TTL_SECONDS);
  const attempts = positive("attempts", options.attempts, DEFAULT_JOB_ATTEMPTS);
  type Opened = { queue: import("bullmq").Queue<JobData>; m: typeof import("./bullmq.js"); redis: import("ioredis").Redis };
  let opened: Promise<Opened> | undefined;
  const open = (): Promise<Opened> =>
    (opened ??= (async () => {
      const m = await import("./bullmq.js");
      const redis = m.redisConnection(options.redis, false);
      try {
        await m.waitForRedis(redis, options.redis);
      } catch (e) {
        redis.disconnect();
        opened = undefined;
        throw e;
      }
      const queue = new m.Queue<JobData>(name, { connection: redis });
      // Connection errors surface where they matter, as 503s of the requests that meet them.
      queue.on("error", () => {});
      return { m, redis, queue };
    })());

  return {
    callbackHosts,
    async ready() {
      await open();
    },
    async submit(owner, payload, callbackUrl) {
      const { queue } = await open();
      const id = randomUUID();
      await queue.add(payload.kind, { payload, owner, ...(callbackUrl ? { callbackUrl } : {}) }, {
        jobId: id,
        attempts,
        backoff: { type: "exponential", delay: RETRY_BACKOFF_MS },
        removeOnComplete: { age: ttl },
        removeOnFail: { age: ttl },
      });
      return id;
    },
    async get(owner, id) {
      if (!JOB_ID.test(id)) return undefined;
      const { queue, m } = await open();
      // The state first: a job read before its state could be "completed" without its result yet.
      const state = await queue.getJobState(id);
      const job = await queue.getJob(id);
      if (!job || job.data?.owner !== owner) return undefined;
      // BullMQ removes expired jobs only as later ones finish; past the TTL a job is gone here too.
      if (job.finishedOn !== undefined && Date.now() - job.finishedOn > ttl * 1000) return undefined;
      return m.jobView(job as never, state);
    },
    async stats() {
      const { queue } = await open();
      const c = await queue.getJobCounts("waiting", "prioritized", "active", "delayed", "completed", "failed");
      let workers: number | null = null;
      try {
        workers = await queue.getWorkersCount();
      } catch {
        // CLIENT LIST may be disabled (managed Redis); the counts still hold.
      }
      return {
        waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
        active: c.active ?? 0,
        delayed: c.delayed ?? 0,
        completed: c.completed ?? 0,
        failed: c.failed ?? 0,
        workers,
      };
    },
    async close() {
      if (!opened) return;
      const o = await opened.catch(() => undefined);
      opened = undefined;
      if (!o) return;
      await o.queue.close().catch(() => {});
      o.redis.disconnect();
    },
  };
}
