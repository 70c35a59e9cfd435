/** `wasmbox worker --redis URL`: runs queued jobs on a local executor until SIGTERM/SIGINT. */
import { setTimeout as delay } from "node:timers/promises";
import { parseArgs } from "node:util";
import type { Executor } from "../executor/executor.js";
import { RUNTIME_NAMES, type RuntimeName } from "../request.js";
import { UsageError, WORKER_HELP } from "./usage.js";

/** After a shutdown has done its part, how long anything left may hold the process, ms. */
const FORCED_EXIT_MS = 3000;

function usage(message: string): never {
  throw new UsageError(message, "worker");
}

function integer(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) usage(`--${flag} must be an integer >= ${min}; got "${value}"`);
  return n;
}

/** How long a worker waits for its prewarmed runtimes before taking jobs anyway, ms. */
const PREWARM_WAIT_MS = 120_000;

/**
 * Waits until the prewarmed runtimes have a ready host: a worker that took jobs while booting
 * would hold them (and their locks) while another worker could already run them.
 */
async function prewarmed(executor: Executor, runtimes: RuntimeName[]): Promise<void> {
  if (runtimes.length === 0) return;
  // A runtime unavailable here is skipped by the executor's prewarm (with a warning).
  const loaded = (await Promise.allSettled(runtimes.map((r) => executor.runtime(r)))).filter((r) => r.status === "fulfilled").length;
  const deadline = Date.now() + PREWARM_WAIT_MS;
  while (executor.stats().idleHosts < loaded && Date.now() < deadline) await delay(100);
}

export async function worker(argv: string[]): Promise<number | "running"> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      redis: { type: "string" },
      queue: { type: "string" },
      concurrency: { type: "string" },
      prewarm: { type: "string" },
      "lock-duration": { type: "string" },
      "stalled-interval": { type: "string" },
      "callback-hosts": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(WORKER_HELP);
    return 0;
  }
  if (positionals.length > 0) usage(`unexpected argument "${positionals[0]}"`);
  const redis = values.redis ?? process.env.WASMBOX_REDIS_URL;
  if (!redis) usage("--redis is required: the redis:// URL of the fleet's Redis (or set WASMBOX_REDIS_URL)");
  let prewarm: RuntimeName[] | boolean | undefined;
  if (values.prewarm === "all") prewarm = true;
  else if (values.prewarm !== undefined) {
    prewarm = values.prewarm.split(",").map((r) => r.trim()) as RuntimeName[];
    const bad = prewarm.find((r) => !(RUNTIME_NAMES as readonly string[]).includes(r));
    if (bad !== undefined) usage(`--prewarm: unknown runtime "${bad}"; use ${RUNTIME_NAMES.join(", ")} or "all"`);
  }
  const concurrency = integer("concurrency", values.concurrency, 1);
  const lockDurationMs = integer("lock-duration", values["lock-duration"] ?? process.env.WASMBOX_FLEET_LOCK_DURATION_MS, 1);
  const stalledIntervalMs = integer("stalled-interval", values["stalled-interval"] ?? process.env.WASMBOX_FLEET_STALLED_INTERVAL_MS, 1);

  const [{ createExecutor }, { startFleetWorker }, { checkRedisUrl, parseCallbackHosts }, { pino }] = await Promise.all([
    import("../executor/executor.js"),
    import("../fleet/worker.js"),
    import("../fleet/jobs.js"),
    import("pino"),
  ]);
  try {
    checkRedisUrl(redis);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
  const logger = pino({ name: "wasmbox-worker" });
  const executor = createExecutor({ concurrency, prewarm });
  await prewarmed(executor, prewarm === true ? [...RUNTIME_NAMES] : Array.isArray(prewarm) ? prewarm : []);
  let fleet;
  try {
    fleet = await startFleetWorker({
      redis,
      queue: values.queue,
      executor,
      // As many jobs at once as the executor runs: more would only wait in its queue, where
      // a killed worker would lose them to a stall instead of leaving them in Redis.
      concurrency: executor.options.concurrency,
      lockDurationMs,
      stalledIntervalMs,
      callbackHosts: parseCallbackHosts(values["callback-hosts"] ?? process.env.WASMBOX_CALLBACK_HOSTS),
      logger,
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    await executor.close({ graceful: false });
    return 1;
  }

  let signals = 0;
  const stop = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      // Running jobs are left to another worker: their locks lapse and they are taken back.
      process.stderr.write(`wasmbox: ${signal} again; stopping now, running jobs go back to the queue\n`);
      void fleet.close(false).finally(() => void executor.close({ graceful: false }).finally(() => process.exit(1)));
      setTimeout(() => process.exit(1), FORCED_EXIT_MS).unref();
      return;
    }
    process.stderr.write(`wasmbox: ${signal}; finishing running jobs, taking no new ones; send it again to stop now\n`);
    void fleet
      .close(true)
      .then(() => executor.close({ graceful: true }))
      .then(
        () => {
          logger.info("closed");
          process.exitCode = 0;
          setTimeout(() => process.exit(), FORCED_EXIT_MS).unref();
        },
        (e) => {
          process.stderr.write(`wasmbox: shutdown failed: ${(e as Error).message}\n`);
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  return "running";
}
