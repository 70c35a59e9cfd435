/**
 * Running one job in a booted Pyodide interpreter: the request's files in the working
 * directory, byte-exact stdio, then the runner (runner.ts). Shared by the Node host and the
 * browser worker, so it imports nothing of Node.
 */
import { OutputLimitExceeded, type Io, type Job } from "../../src/runtime.js";
import type { PyodideAPI } from "./interpreter.js";
import { RUNNER_MODULE } from "./runner.js";
import { emscriptenFiles, type EmscriptenFs } from "../../src/sandbox/run-report.js";

export const WORKDIR = "/home/user";

function writeFiles(py: PyodideAPI, job: Job): void {
  const FS = py.FS;
  FS.mkdirTree(WORKDIR);
  FS.chdir(WORKDIR);
  for (const [rel, content] of Object.entries(job.files)) {
    const slash = rel.lastIndexOf("/");
    if (slash > 0) FS.mkdirTree(`${WORKDIR}/${rel.slice(0, slash)}`);
    FS.writeFile(`${WORKDIR}/${rel}`, content);
  }
}

/** What `sys.executable` says: the path `python3` has on a usual Linux system (nothing of the host's). */
export const EXECUTABLE = "/usr/bin/python3";

interface Runner {
  prepare(entry: string, argv: unknown, env: unknown, executable: string, seed: unknown): number | PyTuple;
  run_code(code: unknown, globals: unknown): unknown;
  failed(printed: string): number;
  finished(): number;
}
interface PyTuple {
  get(i: number): unknown;
  destroy(): void;
}

/** As many random bytes as CPython's random.seed() takes from urandom (the Mersenne Twister's 624 words). */
const SEED_BYTES = 624 * 4;

/**
 * Runs the job's entrypoint as `python3 main.py` would; returns the exit code. `entropy`: fresh
 * random bytes for this execution (else taken from `crypto`, which Node loads on first use).
 */
export function runProgram(py: PyodideAPI, job: Job, io: Io, entropy?: Uint8Array): number {
  writeFiles(py, job);
  const heap = (py as unknown as { _module: { HEAPU8: Uint8Array } })._module;
  io.inspect?.({ memoryBytes: () => heap.HEAPU8.buffer.byteLength, files: () => emscriptenFiles(py.FS as unknown as EmscriptenFs, WORKDIR) });
  // After a fatal error Pyodide dumps the Python stack to fd 1: as CPython does, it goes to stderr.
  let stdoutFd: 1 | 2 = 1;
  py.setStdout({ write: (b: Uint8Array) => (io.write(stdoutFd, b.slice()), b.length), isatty: false });
  py.setStderr({ write: (b: Uint8Array) => (io.write(2, b.slice()), b.length), isatty: false });
  // Blocks on an interactive execution's input until the caller sends a line or ends it.
  py.setStdin({ read: (buf: Uint8Array) => io.read(buf), isatty: false });
  const api = (py as unknown as { _api?: Record<string, unknown> })._api;
  const fatalError = api?.fatal_error;
  let fatal: unknown;
  if (api && typeof fatalError === "function")
    api.fatal_error = (e: unknown) => {
      if (fatal === undefined && !isHostLimit(e)) {
        fatal = e;
        io.write(2, fatalHeader(e));
        stdoutFd = 2;
      }
      return (fatalError as (e: unknown) => unknown).call(api, e);
    };
  try {
    const runner = py.pyimport(RUNNER_MODULE) as unknown as Runner;
    const seed = entropy && entropy.byteLength >= SEED_BYTES ? entropy.subarray(0, SEED_BYTES) : crypto.getRandomValues(new Uint8Array(SEED_BYTES));
    const prepared = runner.prepare(job.entrypoint, py.toPy([job.entrypoint, ...job.args]), py.toPy(job.env), EXECUTABLE, seed);
    if (typeof prepared === "number") return prepared;
    const [code, globals] = [prepared.get(0), prepared.get(1)];
    prepared.destroy();
    try {
      runner.run_code(code, globals);
    } catch (e) {
      if (fatal !== undefined || !isPythonError(e)) throw e;
      return Number(runner.failed((e as Error).message));
    }
    return Number(runner.finished());
  } catch (e) {
    // Output over the cap, out of memory and a host stack overflow are the executor's to report.
    if (isHostLimit(e)) throw e;
    // Anything else is the program's doing (guest code can reach Pyodide's JavaScript side and
    // break it): it fails as the program, in CPython's words for a fatal error, not as wasmbox.
    if (fatal === undefined) io.write(2, fatalHeader(e));
    return 1;
  }
}

function isPythonError(e: unknown): boolean {
  return e instanceof Error && e.constructor.name === "PythonError";
}

function isHostLimit(e: unknown): boolean {
  return (
    e instanceof OutputLimitExceeded ||
    (e instanceof RangeError && /memory|allocation|Array buffer|call stack/i.test(e.message))
  );
}

/** How CPython starts the report of a fatal error (Py_FatalError), naming the JavaScript error. */
function fatalHeader(e: unknown): string {
  let what: string;
  try {
    what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  } catch {
    what = "unknown error";
  }
  return `Fatal Python error: JavaScript error: ${what.split("\n")[0]}\nPython runtime state: initialized\n\n`;
}
