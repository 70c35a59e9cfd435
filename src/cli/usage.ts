/** Help texts, and the one error class that means "the command line is wrong" (exit 2). */
import { RUNTIME_NAMES } from "../request.js";

export const EXIT_USAGE = 2;
/** sysexits EX_UNAVAILABLE: the runtime's toolchain is missing. */
export const EXIT_UNAVAILABLE = 69;
/** sysexits EX_SOFTWARE: wasmbox itself failed. */
export const EXIT_SOFTWARE = 70;

export const COMMANDS = ["run", "serve", "worker", "setup", "prepare", "assets"] as const;
export type CommandName = (typeof COMMANDS)[number];

export class UsageError extends Error {
  constructor(
    message: string,
    readonly command: CommandName | undefined,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

/** The limit and cache flags of run, serve and prepare (src/cli/flags.ts). */
export const LIMIT_HELP = `      --memory-limit <size>   guest memory cap (default 512M; at least 16M)
      --output-limit <size>   cap per output stream (default 1M)
      --max-timeout <ms>      largest timeout a request may ask for (default 300000; below
                              30000 it is also the default timeout)
      --cache-dir <dir>       where the Python boot snapshot and compiled Go/Rust programs are
                              kept (default $WASMBOX_CACHE_DIR, $XDG_CACHE_HOME/wasmbox or
                              ~/.cache/wasmbox; memory when it is not writable)
      --no-cache              keep no compiled program or Python snapshot beyond this process
                              (Go's own build cache is still used)
`;

export const MAIN_HELP = `wasmbox: run untrusted code in seven languages inside WebAssembly

Usage:
  wasmbox run [options] <file>... [-- args...]   run a program, print its output, exit with its code
  wasmbox serve [options]                        serve POST /v1/execute over HTTP
  wasmbox worker --redis <url> [options]         run queued jobs (fleet mode)
  wasmbox setup [--check]                        install the Go and Rust toolchains and bubblewrap
                                                 (Debian; uses sudo when not root), or report them
  wasmbox prepare [runtime...]                   build the caches ahead of time (Python's boot
                                                 snapshot, runtimes' modules, Go's standard library
                                                 and its compiler in WebAssembly)
  wasmbox assets <dir>                           copy the browser build's files into <dir>

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
  -t, --timeout <ms>        wall-clock limit for compile + run (default 30000); when it
                            elapses, a "timed out" line on stderr and exit 124
      --env KEY=VALUE       an environment variable of the program (repeatable); the host's
                            environment is never visible
      --json                print the result object as JSON instead of the program's output
      --report <list>       with --json: extra result fields, comma-separated: usage (CPU
                            time, wall time, peak memory), compile (Go/Rust compile stage)
      --compile-timeout <ms>  Go/Rust: limit of the compile alone; the run then gets all of
                            --timeout (default: compile and run share --timeout)
      --return-files <glob> with --json: return files the program created or changed that
                            match the glob (repeatable)
${LIMIT_HELP}  -h, --help                show this help

On a terminal, what is loading or compiling is shown on stderr (never with --json output on
stdout, never when stderr is not a terminal). Compiled Go and Rust programs are cached in the
cache directory: running the same program again compiles nothing.

Everything after "--" is passed to the program as arguments.

Exit status: the program's exit code (124 timed out, 137 out of memory, 153 output over the
limit), 2 for a bad command line or request, 69 when the runtime cannot run on this machine,
70 when wasmbox itself failed.
`;

export const SERVE_HELP = `Usage: wasmbox serve [options]

Serves the hosted API's POST /v1/execute, /v1/sandboxes, GET /v1/runtimes, GET /healthz and
GET /v1/openapi.json.
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

Sandboxes (POST /v1/sandboxes: files that persist between executions, owned by the API key):
      --node-id <id>         names this process in sandbox ids (sbx_<id>_...), so a proxy
                             routes them here; letters, digits, "-" (default WASMBOX_NODE_ID,
                             else the host name)
      --sandbox-dir <dir>    on shutdown, save open sandboxes here; restore them on start
                             (same ids and keys). Default: sandboxes end with the server
      --max-sandboxes <n>    open sandboxes in all (default 100)
      --sandboxes-per-key <n> open sandboxes per API key (default 20)
      --sandbox-idle-timeout <ms>  a sandbox without a call this long ends (default 600000;
                             0: never); also the most a sandbox may ask for
      --sandbox-quota <size> bytes of a sandbox's files, e.g. 64M (default; also the cap)
      --sandbox-max-files <n> files a sandbox may hold (default 1000; also the cap)

Fleet mode (asynchronous jobs run by "wasmbox worker" processes):
      --redis <url>          the fleet's Redis (redis://host:port); adds POST /v1/jobs,
                             GET /v1/jobs/{id} and GET /v1/jobs/stats
      --queue <name>         BullMQ queue name (default "wasmbox")
      --result-ttl <s>       how long finished jobs and results stay readable (default 3600)
      --job-attempts <n>     runs per job when the sandbox fails (default 3)
      --callback-hosts <l>   hosts a job's callbackUrl may name: host or host:port,
                             comma-separated (also WASMBOX_CALLBACK_HOSTS); default none
${LIMIT_HELP}  -h, --help                 show this help
`;

export const WORKER_HELP = `Usage: wasmbox worker --redis <url> [options]

Takes jobs submitted to "wasmbox serve --redis" from the BullMQ queue on Redis and runs them on
a local executor, as many at once as --concurrency. Run any number of workers on any number of
machines against one Redis. Logs one JSON line per job on stdout. SIGTERM (or SIGINT) finishes
running jobs and takes no new ones; a second one stops at once (running jobs go back to the
queue when their lock lapses).

Options:
      --redis <url>              the fleet's Redis (also WASMBOX_REDIS_URL)
      --queue <name>             BullMQ queue name (default "wasmbox")
      --concurrency <n>          jobs at once (default: the number of cores)
      --prewarm <list>           runtimes to load at start, comma-separated, or "all"
      --lock-duration <ms>       a job's lock, renewed while it runs (default 30000;
                                 also WASMBOX_FLEET_LOCK_DURATION_MS)
      --stalled-interval <ms>    how often jobs of dead workers are looked for (default 30000;
                                 also WASMBOX_FLEET_STALLED_INTERVAL_MS)
      --callback-hosts <list>    hosts callbacks may be sent to: host or host:port,
                                 comma-separated (also WASMBOX_CALLBACK_HOSTS); default none
  -h, --help                     show this help
`;
