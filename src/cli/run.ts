/** `wasmbox run`: one program from local files, its output on ours, its exit code as ours. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { WasmboxError } from "../errors.js";
import { createExecutor } from "../executor/executor.js";
import { runtimeExtensions } from "../registry.js";
import type { ExecutorOptions } from "../executor/options.js";
import { DEFAULT_CAPS, REPORT_NAMES, RUNTIME_NAMES, type ExecuteRequest, type ExecuteResult, type ReportName, type RuntimeName } from "../request.js";
import { LIMIT_FLAGS, limitOptions } from "./flags.js";
import { progress } from "./progress.js";
import { runLive } from "./live-run.js";
import { EXIT_SOFTWARE, EXIT_UNAVAILABLE, EXIT_USAGE, RUN_HELP, UsageError } from "./usage.js";

const RUNTIME_BY_EXTENSION = new Map(
  (Object.entries(runtimeExtensions) as [RuntimeName, readonly string[]][]).flatMap(([name, exts]) => exts.map((e) => [e, name] as const)),
);

function usage(message: string): never {
  throw new UsageError(message, "run");
}

export function runtimeFromExtension(file: string): RuntimeName | undefined {
  return RUNTIME_BY_EXTENSION.get(path.extname(file).toLowerCase());
}

/** Deepest directory holding every file, so `src/main.go src/util.go` become `main.go util.go`. */
function commonDirectory(absolute: string[]): string {
  let dir = path.dirname(absolute[0]!);
  for (const f of absolute.slice(1)) {
    while (!(path.dirname(f) + path.sep).startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep)) {
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return dir;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export interface RunPlan {
  request: ExecuteRequest;
  json: boolean;
  /** Limits and the cache directory, from the flags. */
  executorOptions: ExecutorOptions;
  /** Our stdin is a terminal and no --stdin file was given: the program reads what the user types. */
  interactive: boolean;
}

/** Turns the command line into a request; reads the files and stdin. Throws UsageError. */
export async function planRun(argv: string[]): Promise<RunPlan | "help"> {
  const dashdash = argv.indexOf("--");
  const own = dashdash === -1 ? argv : argv.slice(0, dashdash);
  const programArgs = dashdash === -1 ? [] : argv.slice(dashdash + 1);
  const { values, positionals } = parseArgs({
    args: own,
    allowPositionals: true,
    strict: true,
    options: {
      runtime: { type: "string", short: "r" },
      entrypoint: { type: "string", short: "e" },
      stdin: { type: "string" },
      timeout: { type: "string", short: "t" },
      env: { type: "string", multiple: true },
      json: { type: "boolean" },
      report: { type: "string", multiple: true },
      "compile-timeout": { type: "string" },
      "return-files": { type: "string", multiple: true },
      ...LIMIT_FLAGS,
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  const executorOptions: ExecutorOptions = limitOptions("run", values);
  if (positionals.length === 0) usage("no file to run; give one, e.g. `wasmbox run main.py`");

  const absolute = positionals.map((f) => path.resolve(f));
  const root = commonDirectory(absolute);
  const files: Record<string, string> = {};
  for (let i = 0; i < absolute.length; i++) {
    const name = path.relative(root, absolute[i]!).split(path.sep).join("/");
    try {
      files[name] = await readFile(absolute[i]!, "utf8");
    } catch (e) {
      usage(`cannot read ${positionals[i]}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
    }
  }
  const names = Object.keys(files);

  let entrypoint = names[0]!;
  if (values.entrypoint !== undefined) {
    const asPath = path.relative(root, path.resolve(values.entrypoint)).split(path.sep).join("/");
    if (asPath in files) entrypoint = asPath;
    else if (values.entrypoint in files) entrypoint = values.entrypoint;
    else usage(`--entrypoint ${values.entrypoint} is not one of the files given (${names.join(", ")})`);
  }

  let runtime: RuntimeName;
  if (values.runtime !== undefined) {
    if (!(RUNTIME_NAMES as readonly string[]).includes(values.runtime))
      usage(`--runtime must be one of ${RUNTIME_NAMES.join(", ")}; got "${values.runtime}"`);
    runtime = values.runtime as RuntimeName;
  } else {
    const fromExt = runtimeFromExtension(entrypoint);
    if (!fromExt) usage(`cannot tell the runtime of "${entrypoint}" from its extension; pass --runtime (${RUNTIME_NAMES.join(", ")})`);
    runtime = fromExt;
  }

  let timeout: number | undefined;
  if (values.timeout !== undefined) {
    timeout = Number(values.timeout);
    if (!/^\d+$/.test(values.timeout) || !Number.isSafeInteger(timeout) || timeout <= 0)
      usage(`--timeout must be a positive number of milliseconds; got "${values.timeout}"`);
  }

  const env: Record<string, string> = {};
  for (const pair of values.env ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) usage(`--env takes KEY=VALUE; got "${pair}"`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }

  let stdin = "";
  if (values.stdin !== undefined) {
    try {
      stdin = await readFile(values.stdin, "utf8");
    } catch (e) {
      usage(`cannot read --stdin ${values.stdin}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  } else if (!process.stdin.isTTY) {
    stdin = await readStdin();
  }

  const request: ExecuteRequest = { runtime, files, entrypoint, stdin, env, args: programArgs };
  if (timeout !== undefined) request.timeout = timeout;
  if (values["compile-timeout"] !== undefined) {
    const ms = Number(values["compile-timeout"]);
    if (!/^\d+$/.test(values["compile-timeout"]) || !Number.isSafeInteger(ms) || ms <= 0)
      usage(`--compile-timeout must be a positive number of milliseconds; got "${values["compile-timeout"]}"`);
    request.compileTimeout = ms;
  }
  if (values.report !== undefined) {
    const names = values.report.flatMap((r) => r.split(",")).map((r) => r.trim()).filter((r) => r !== "");
    for (const n of names)
      if (!(REPORT_NAMES as readonly string[]).includes(n)) usage(`--report takes ${REPORT_NAMES.join(", ")} (comma-separated); got "${n}"`);
    request.report = names as ReportName[];
  }
  if (values["return-files"] !== undefined) request.returnFiles = values["return-files"];
  if (executorOptions.maxTimeout !== undefined && timeout !== undefined && timeout > executorOptions.maxTimeout)
    usage(`--timeout ${timeout} is above --max-timeout ${executorOptions.maxTimeout}`);
  return { request, json: values.json ?? false, executorOptions, interactive: values.stdin === undefined && process.stdin.isTTY === true };
}

/** Resolves once what was written to the stream so far has been handed to the OS. */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => (stream.writableNeedDrain ? stream.once("drain", () => resolve()) : stream.write("", () => resolve())));
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => (text === "" ? resolve() : stream.write(text, () => resolve())));
}

/** Runs the command; resolves to the exit status. */
export async function run(argv: string[]): Promise<number> {
  const plan = await planRun(argv);
  if (plan === "help") {
    process.stdout.write(RUN_HELP);
    return 0;
  }
  const { request } = plan;
  const shown = progress();
  const executor = createExecutor({
    concurrency: 1,
    // One execution and done: a spare host loading in the background would only compete for CPU.
    warmHosts: 0,
    // A process that ends after its work gives all memory back anyway: a hosts process would
    // only add its start to the wait.
    hostProcess: false,
    maxTimeout: Math.max(DEFAULT_CAPS.maxTimeoutMs, request.timeout ?? 0),
    ...plan.executorOptions,
    onWarning: (m) => process.stderr.write(`wasmbox: warning: ${m}\n`),
    onLoad: shown.onLoad,
  });
  const stopProgress = () => shown.stop();
  let result: ExecuteResult;
  try {
    // Output is written as the program writes it (with --json, the result is printed at the end).
    result = await runLive(executor, request, { stream: !plan.json, interactive: plan.interactive && !plan.json, beforeOutput: stopProgress });
  } catch (e) {
    stopProgress();
    await executor.close();
    if (e instanceof WasmboxError) {
      process.stderr.write(`${e.message}\n`);
      if (e.code === "INVALID_REQUEST") return EXIT_USAGE;
      if (e.code === "RUNTIME_UNAVAILABLE") return EXIT_UNAVAILABLE;
      return EXIT_SOFTWARE;
    }
    throw e;
  }
  stopProgress();
  await executor.close();
  if (plan.json) {
    await write(process.stdout, `${JSON.stringify(result)}\n`);
  } else {
    // Written already, as it came; wait until it has left our streams.
    await Promise.all([drained(process.stdout), drained(process.stderr)]);
    // Exit 124 alone does not say why the output stopped (the output cap's note is in stderr already).
    if (result.timedOut) {
      const ms = request.timeout ?? executor.options.caps.defaultTimeoutMs;
      await write(process.stderr, `${result.stderr === "" || result.stderr.endsWith("\n") ? "" : "\n"}wasmbox: timed out after ${ms} ms (compile + run); the program was stopped. Allow more with --timeout <ms>\n`);
    }
  }
  return result.exitCode;
}
