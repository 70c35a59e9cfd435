/** `wasmbox serve`: the HTTP server until SIGTERM/SIGINT, then a graceful shutdown. */
import { parseArgs } from "node:util";
import { RUNTIME_NAMES, type RuntimeName } from "../request.js";
import { parseCallbackHosts } from "../fleet/jobs.js";
import { createServer } from "../server/index.js";
import { LIMIT_FLAGS, limitOptions, parseSize } from "./flags.js";
import { SERVE_HELP, UsageError } from "./usage.js";

/** After a shutdown has done its part, how long anything left may hold the process, ms. */
const FORCED_EXIT_MS = 3000;

function usage(message: string): never {
  throw new UsageError(message, "serve");
}

function integer(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) usage(`--${flag} must be an integer >= ${min}; got "${value}"`);
  return n;
}

export async function serve(argv: string[]): Promise<number | "running"> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: "string", short: "p" },
      host: { type: "string" },
      "api-keys-file": { type: "string" },
      "insecure-no-auth": { type: "boolean" },
      concurrency: { type: "string" },
      "max-queue": { type: "string" },
      prewarm: { type: "string" },
      "body-limit": { type: "string" },
      "shutdown-grace": { type: "string" },
      redis: { type: "string" },
      queue: { type: "string" },
      "result-ttl": { type: "string" },
      "job-attempts": { type: "string" },
      "callback-hosts": { type: "string" },
      "node-id": { type: "string" },
      "sandbox-dir": { type: "string" },
      "max-sandboxes": { type: "string" },
      "sandboxes-per-key": { type: "string" },
      "sandbox-idle-timeout": { type: "string" },
      "sandbox-quota": { type: "string" },
      "sandbox-max-files": { type: "string" },
      ...LIMIT_FLAGS,
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(SERVE_HELP);
    return 0;
  }
  if (positionals.length > 0) usage(`unexpected argument "${positionals[0]}"`);
  const port = integer("port", values.port, 0);
  if (port !== undefined && port > 65535) usage(`--port must be at most 65535; got ${port}`);

  let prewarm: RuntimeName[] | boolean | undefined;
  if (values.prewarm === "all") prewarm = true;
  else if (values.prewarm !== undefined) {
    prewarm = values.prewarm.split(",").map((r) => r.trim()) as RuntimeName[];
    const bad = prewarm.find((r) => !(RUNTIME_NAMES as readonly string[]).includes(r));
    if (bad !== undefined) usage(`--prewarm: unknown runtime "${bad}"; use ${RUNTIME_NAMES.join(", ")} or "all"`);
  }

  const fleetOnly = ["queue", "result-ttl", "job-attempts", "callback-hosts"].find((f) => values[f as keyof typeof values] !== undefined);
  if (fleetOnly && values.redis === undefined) usage(`--${fleetOnly} needs --redis: it configures the job queue`);
  const jobs =
    values.redis === undefined
      ? undefined
      : {
          redis: values.redis,
          queue: values.queue,
          resultTtlSeconds: integer("result-ttl", values["result-ttl"], 1),
          attempts: integer("job-attempts", values["job-attempts"], 1),
          callbackHosts: values["callback-hosts"] === undefined ? undefined : parseCallbackHosts(values["callback-hosts"]),
        };

  const limits = limitOptions("serve", values);
  const sessions = {
    max: integer("max-sandboxes", values["max-sandboxes"], 1),
    // 0: sandboxes never expire.
    idleTimeout: integer("sandbox-idle-timeout", values["sandbox-idle-timeout"], 0),
    maxBytes: values["sandbox-quota"] === undefined ? undefined : parseSize("serve", "sandbox-quota", values["sandbox-quota"]),
    maxFiles: integer("sandbox-max-files", values["sandbox-max-files"], 1),
  };
  const perKey = integer("sandboxes-per-key", values["sandboxes-per-key"], 1);
  let server;
  try {
    server = createServer({
      port: port ?? 8080,
      host: values.host,
      apiKeysFile: values["api-keys-file"],
      insecureNoAuth: values["insecure-no-auth"],
      bodyLimit: integer("body-limit", values["body-limit"], 1),
      shutdownGraceMs: integer("shutdown-grace", values["shutdown-grace"], 0),
      jobs,
      sandboxes: {
        nodeId: values["node-id"],
        dir: values["sandbox-dir"],
        perKey,
      },
      executorOptions: {
        ...limits,
        sessions,
        concurrency: integer("concurrency", values.concurrency, 1),
        maxQueue: integer("max-queue", values["max-queue"], 0),
        prewarm,
      },
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
  try {
    await server.listen();
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    await server.close({ graceful: false });
    return 1;
  }

  let signals = 0;
  const stop = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 2) {
      process.stderr.write(`wasmbox: ${signal} a third time; exiting now\n`);
      process.exit(1);
    }
    if (signals > 1) {
      // A second signal: the operator does not want to wait for running executions.
      process.stderr.write(`wasmbox: ${signal} again; stopping running executions and closing every connection\n`);
      void server.close({ graceful: false }).finally(() => process.exit(1));
      // Whatever is left (a host that does not stop) must not keep the process alive.
      setTimeout(() => process.exit(1), FORCED_EXIT_MS).unref();
      return;
    }
    process.stderr.write(`wasmbox: ${signal}; finishing in-flight requests (up to ${server.shutdownGraceMs} ms); send it again to stop them now\n`);
    void server.close({ graceful: true }).then(
      () => {
        process.exitCode = 0;
        // Everything the server owns is closed; a leftover handle must not hold the exit.
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
