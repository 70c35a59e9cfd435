/**
 * A fleet worker: takes jobs from the BullMQ queue and runs them on a local executor, as many
 * at once as the executor runs. Loaded only by `wasmbox worker`.
 */
import os from "node:os";
import type { Logger } from "pino";
import { jobView, redisConnection, UnrecoverableError, waitForRedis, Worker, type Job } from "./bullmq.js";
import {
  DEFAULT_QUEUE_NAME,
  failureReason,
  isRetryableError,
  runJob,
  sendCallback,
  showsSandboxFailure,
  type JobData,
  type JobExecutor,
  type JobResult,
} from "./jobs.js";

/** BullMQ's defaults (30 s each): how long a job's lock lasts, and how often stalled jobs are looked for. */
export const DEFAULT_LOCK_DURATION_MS = 30_000;
export const DEFAULT_STALLED_INTERVAL_MS = 30_000;

export interface FleetWorkerOptions {
  redis: string;
  queue?: string;
  executor: JobExecutor;
  /** Jobs at once: the executor's concurrency. */
  concurrency: number;
  /**
   * A job whose worker stops renewing its lock (killed, frozen) is taken back after at most
   * lockDurationMs + stalledIntervalMs and run again by another worker.
   */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Hosts a callback may be sent to (checked again here, whatever the server accepted). */
  callbackHosts: readonly string[];
  logger?: Logger;
}

export interface FleetWorker {
  readonly name: string;
  /** Stops taking jobs; graceful waits for running ones, otherwise they are left to another worker. */
  close(graceful?: boolean): Promise<void>;
}

export async function startFleetWorker(o: FleetWorkerOptions): Promise<FleetWorker> {
  const log = o.logger;
  const name = `${os.hostname()}:${process.pid}`;
  const redis = redisConnection(o.redis, true);
  try {
    await waitForRedis(redis, o.redis);
  } catch (e) {
    redis.disconnect();
    throw e;
  }

  const processor = async (job: Job<JobData, JobResult>): Promise<JobResult> => {
    const attempt = job.attemptsMade + 1;
    const attempts = job.opts.attempts ?? 1;
    const payload = job.data?.payload;
    log?.info({ id: job.id, kind: payload?.kind, runtime: payload?.request?.runtime, attempt, worker: name }, "job started");
    let result: JobResult;
    try {
      result = await runJob(o.executor, payload);
    } catch (e) {
      // Only a failure of the sandbox or this worker is worth another run.
      if (!isRetryableError(e)) throw new UnrecoverableError(failureReason(e));
      throw new Error(failureReason(e));
    }
    // The host crashed under the program (under one case of a batch): run it again while
    // attempts remain; the last attempt's result is the job's, as /v1/execute would have answered.
    if (showsSandboxFailure(result) && attempt < attempts)
      throw new Error(`SANDBOX_FAILURE: the sandbox failed while running the job (exit 70); it is retried`);
    return result;
  };

  const worker = new Worker<JobData, JobResult>(o.queue ?? DEFAULT_QUEUE_NAME, processor, {
    connection: redis,
    concurrency: o.concurrency,
    lockDuration: o.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS,
    stalledInterval: o.stalledIntervalMs ?? DEFAULT_STALLED_INTERVAL_MS,
    // One stall is a worker that died; a job that stalls twice is failed rather than taking
    // down worker after worker.
    maxStalledCount: 1,
    name,
    autorun: false,
  });
  worker.on("error", (e) => log?.warn({ err: e, worker: name }, "queue error"));

  const callback = async (job: Job<JobData, JobResult>) => {
    if (!job.data.callbackUrl) return;
    const state = await job.getState();
    if (state !== "completed" && state !== "failed") return;
    const sent = await sendCallback(job.data.callbackUrl, jobView(job, state), o.callbackHosts);
    if (sent.ok) log?.info({ id: job.id, status: sent.status }, "callback sent");
    else log?.warn({ id: job.id, status: sent.status, error: sent.error }, "callback failed");
  };
  worker.on("completed", (job, result) => {
    job.returnvalue = result;
    const summary = "results" in result ? { cases: result.results.length, passed: result.passed } : { exitCode: result.exitCode, executionTime: result.executionTime };
    log?.info({ id: job.id, ...summary, worker: name }, "job completed");
    void callback(job);
  });
  worker.on("failed", (job, err) => {
    if (!job) return;
    log?.warn({ id: job.id, reason: err.message, worker: name }, "job failed");
    // Only a job that is finally failed gets its callback; a retry is not the end.
    void callback(job);
  });

  void worker.run().catch((e) => log?.error({ err: e }, "worker stopped"));
  await worker.waitUntilReady();
  log?.info({ queue: o.queue ?? DEFAULT_QUEUE_NAME, concurrency: o.concurrency, worker: name }, "worker ready");

  return {
    name,
    async close(graceful = true) {
      await worker.close(!graceful);
      redis.disconnect();
    },
  };
}
