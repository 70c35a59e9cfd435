#!/usr/bin/env node
/** The `wasmbox` command: `run` a program or `serve` the HTTP API. */
import { packageVersion } from "../server/version.js";
import { EXIT_SOFTWARE, EXIT_USAGE, MAIN_HELP, UsageError, COMMANDS } from "./usage.js";

async function main(argv: string[]): Promise<number | "running"> {
  const [command, ...rest] = argv;
  switch (command) {
    // Each command loads only what it uses: `run` never loads the HTTP stack or the job queue.
    case "run":
      return (await import("./run.js")).run(rest);
    case "serve":
      return (await import("./serve.js")).serve(rest);
    case "worker":
      return (await import("./worker.js")).worker(rest);
    case "assets":
      return (await import("./assets.js")).assets(rest);
    case "setup":
      return (await import("./setup.js")).setup(rest);
    case "prepare":
      return (await import("./prepare.js")).prepare(rest);
    case "-v":
    case "--version":
      process.stdout.write(`${packageVersion()}\n`);
      return 0;
    case "-h":
    case "--help":
    case "help":
      process.stdout.write(MAIN_HELP);
      return 0;
    case undefined:
      process.stderr.write(MAIN_HELP);
      return EXIT_USAGE;
    default:
      throw new UsageError(
        command.startsWith("-") ? `unknown option "${command}"` : `unknown command "${command}"; use one of ${COMMANDS.join(", ")}`,
        undefined,
      );
  }
}

/** One line: what was wrong, and where the help is. */
function describeUsageError(e: unknown): string | undefined {
  if (e instanceof UsageError) return `wasmbox${e.command ? ` ${e.command}` : ""}: ${e.message} (see wasmbox ${e.command ? `${e.command} ` : ""}--help)`;
  // node:util parseArgs reports unknown flags and missing values with these codes; its own text
  // is two sentences with unbalanced quotes, so the option is named here instead.
  const code = (e as NodeJS.ErrnoException)?.code;
  if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_")) {
    const command = (COMMANDS as readonly string[]).includes(process.argv[2]!) ? process.argv[2] : undefined;
    const text = (e as Error).message;
    const option = /'([^']+)'/.exec(text)?.[1];
    let message = text.split(". ")[0]!;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option) message = `unknown option "${option}"`;
    else if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option) {
      const flag = option.split(/[ ,]+/).find((p) => p.startsWith("--")) ?? option;
      if (/does not take an argument/.test(text)) message = `${flag} takes no value`;
      else if (/ambiguous/.test(text)) message = `${flag} needs a value (one that starts with "-" is written ${flag}=<value>)`;
      else message = `${flag} needs a value`;
    } else if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL" && option) message = `unexpected argument "${option}"`;
    return `wasmbox${command ? ` ${command}` : ""}: ${message} (see wasmbox ${command ? `${command} ` : ""}--help)`;
  }
  return undefined;
}

main(process.argv.slice(2)).then(
  (status) => {
    if (status !== "running") process.exitCode = status;
  },
  (e: unknown) => {
    const usage = describeUsageError(e);
    if (usage !== undefined) {
      process.stderr.write(`${usage}\n`);
      process.exitCode = EXIT_USAGE;
    } else {
      process.stderr.write(`wasmbox: ${(e as Error)?.message ?? String(e)}\n`);
      process.exitCode = EXIT_SOFTWARE;
    }
  },
);
