#!/usr/bin/env node
/** The `wasmbox` command: `run` a program or `serve` the HTTP API. */
import { packageVersion } from "../server/version.js";
import { assets } from "./assets.js";
import { prepare } from "./prepare.js";
import { run } from "./run.js";
import { serve } from "./serve.js";
import { EXIT_SOFTWARE, EXIT_USAGE, MAIN_HELP, UsageError } from "./usage.js";

async function main(argv: string[]): Promise<number | "running"> {
  const [command, ...rest] = argv;
  switch (command) {
    case "run":
      return run(rest);
    case "serve":
      return serve(rest);
    case "assets":
      return assets(rest);
    case "prepare":
      return prepare(rest);
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
        command.startsWith("-") ? `unknown option "${command}"` : `unknown command "${command}"; use "run", "serve", "assets" or "prepare"`,
        undefined,
      );
  }
}

function describeUsageError(e: unknown): string | undefined {
  if (e instanceof UsageError) return `wasmbox${e.command ? ` ${e.command}` : ""}: ${e.message}\nSee: wasmbox ${e.command ? `${e.command} ` : ""}--help`;
  // node:util parseArgs reports unknown flags and missing values with these codes.
  const code = (e as NodeJS.ErrnoException)?.code;
  if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_")) {
    const command = ["run", "serve", "assets", "prepare"].includes(process.argv[2]!) ? process.argv[2] : undefined;
    return `wasmbox${command ? ` ${command}` : ""}: ${(e as Error).message}\nSee: wasmbox ${command ? `${command} ` : ""}--help`;
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
