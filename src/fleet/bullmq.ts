/**
 * The BullMQ side of fleet mode, shared by the server's job store and the queue worker. Only
 * loaded (with bullmq and ioredis) by code paths used with --redis: the library entry and a
 * server without a queue never import it.
 */
import type { Job } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";
import { checkRedisUrl, jobError, jobStatus, redactRedisUrl, type JobData, type JobResult, type JobView } from "./jobs.js";

export { Queue, UnrecoverableError, Worker, type Job } from "bullmq";

/** How long connecting to Redis may take before a start-up fails, ms. */
const CONNECT_TIMEOUT_MS = 5000;

/**
 * A connection for BullMQ. `blocking` (a Worker) must wait for Redis as long as it takes
 * (BullMQ requires maxRetriesPerRequest: null); the server's queue gives up on a command after
 * one retry so a request fails with 503 instead of hanging while Redis is away.
 */
export function redisConnection(url: string, blocking: boolean): Redis {
  checkRedisUrl(url);
  const options: RedisOptions = { connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: blocking ? null : 1, lazyConnect: false };
  const redis = new Redis(url, options);
  // ioredis reports connection errors as events and reconnects; without a listener each one
  // would be an unhandled 'error' event. Requests made meanwhile fail (server) or wait (worker).
  redis.on("error", () => {});
  return redis;
}

/** Resolves once Redis answers, or rejects saying which Redis could not be reached. */
export async function waitForRedis(redis: Redis, url: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("no answer")), CONNECT_TIMEOUT_MS);
      }),
    ]);
  } catch (e) {
    throw new Error(`wasmbox: cannot reach Redis at ${redactRedisUrl(url)} (${(e as Error).message}); start it or fix --redis`);
  } finally {
    clearTimeout(timer);
  }
}

/** A job as the API shows it. `state` is BullMQ's (job.getState()). */
export function jobView(job: Job<JobData, JobResult>, state: string): JobView {
  const status = jobStatus(state);
  const view: JobView = {
    id: job.id!,
    kind: job.data.payload.kind,
    status,
    attempts: job.attemptsStarted ?? job.attemptsMade,
    createdAt: new Date(job.timestamp).toISOString(),
  };
  if (status === "completed") view.result = job.returnvalue;
  if (status === "failed") view.error = jobError(job.failedReason);
  if ((status === "completed" || status === "failed") && job.finishedOn) view.finishedAt = new Date(job.finishedOn).toISOString();
  return view;
}
