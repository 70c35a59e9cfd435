/** Help texts, and the one error class that means "the command line is wrong" (exit 2). */
import { RUNTIME_NAMES } from "../request.js";

export const EXIT_USAGE = 2;
/** sysexits EX_UNAVAILABLE: the runtime's toolchain is missing. */
export const EXIT_UNAVAILABLE = 69;
/** sysexits EX_SOFTWARE: wasmbox itself failed. */
export const EXIT_SOFTWARE = 70;

export class UsageError extends Error {
  constructor(
    message: string,
    readonly command: "run" | "serve" | "assets" | "prepare" | undefined,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

export const MAIN_HELP = `wasmbox: run untrusted code in seven languages inside WebAssembly

Usage:
  wasmbox run [options] <file>... [-- args...]   run a program, print its output, exit with its code
  wasmbox serve [options]                        serve POST /v1/execute over HTTP
  wasmbox assets <dir>                           copy the browser build's files into <dir>
  wasmbox prepare go                             build Go's compiler in WebAssembly (no host Go needed after)

Options:
  -h, --help       show help (also: wasmbox run --help, wasmbox serve --help)
  -v, --version    print the version
`;

export const RUN_HELP = `Usage: wasmbox run [options] <file>... [-- args...]

Runs the first file (or --entrypoint) with the others beside it; paths are kept relative to
the files' common directory. The runtime comes from the entrypoint's extension:
  .py python, .js/.mjs/.cjs node, .ts/.mts bun, .go go, .rs rust, .rb ruby, .php php

Options:
  -r, --runtime <name>      ${RUNTIME_NAMES.join(", ")}
  -e, --entrypoint <file>   the file to run (default: the first file)
      --stdin <file>        the program's standard input (default: piped stdin when it is
                            not a terminal, otherwise empty)
  -t, --timeout <ms>        wall-clock limit for compile + run (default 30000)
      --env KEY=VALUE       an environment variable of the program (repeatable); the host's
                            environment is never visible
      --json                print the result object as JSON instead of the program's output
  -h, --help                show this help

Everything after "--" is passed to the program as arguments.

Exit status: the program's exit code (124 timed out, 137 out of memory, 153 output over the
limit), 2 for a bad command line or request, 69 when the runtime cannot run on this machine,
70 when wasmbox itself failed.
`;

export const SERVE_HELP = `Usage: wasmbox serve [options]

Serves the hosted API's POST /v1/execute, GET /v1/runtimes, GET /healthz and GET /v1/openapi.json.
Logs one JSON line per request on stdout. SIGTERM (or SIGINT) stops accepting and lets
in-flight requests finish for up to the shutdown grace period, then stops what is still running,
closes every connection and exits; a second SIGTERM/SIGINT stops everything at once.

Options:
  -p, --port <n>             TCP port (default 8080; 0 picks a free one)
      --host <addr>          interface (default 127.0.0.1)
      --api-keys-file <f>    accepted X-API-Key values, one per line; also read from
                             WASMBOX_API_KEYS (comma-separated)
      --insecure-no-auth     allow a non-loopback --host without API keys
      --concurrency <n>      executions at once (default: the number of cores)
      --max-queue <n>        executions waiting; more get 429 (default 1000)
      --prewarm <list>       runtimes to load at start, comma-separated, or "all"
      --body-limit <bytes>   largest request body (default 10485760)
      --shutdown-grace <ms>  how long a shutdown waits for in-flight requests (default 30000;
                             also WASMBOX_SHUTDOWN_GRACE_MS)
  -h, --help                 show this help
`;
