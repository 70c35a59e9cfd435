/**
 * Running one job in a booted Pyodide interpreter: the request's files in the working
 * directory, byte-exact stdio, then the runner (runner.ts). Shared by the Node host and the
 * browser worker, so it imports nothing of Node.
 */
import type { Io, Job } from "../../src/runtime.js";
import type { PyodideAPI } from "./interpreter.js";
import { RUNNER_MODULE } from "./runner.js";

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

/** Runs the job's entrypoint as `python3 main.py` would; returns the exit code. */
export function runProgram(py: PyodideAPI, job: Job, io: Io): number {
  writeFiles(py, job);
  py.setStdout({ write: (b: Uint8Array) => (io.write(1, b.slice()), b.length), isatty: false });
  py.setStderr({ write: (b: Uint8Array) => (io.write(2, b.slice()), b.length), isatty: false });
  let offset = 0;
  py.setStdin({
    read(buf: Uint8Array) {
      const n = Math.min(buf.length, io.stdin.length - offset);
      buf.set(io.stdin.subarray(offset, offset + n));
      offset += n;
      return n;
    },
    isatty: false,
  });
  const runner = py.pyimport(RUNNER_MODULE) as unknown as { run(entry: string, argv: unknown, env: unknown): number };
  return Number(runner.run(job.entrypoint, py.toPy([job.entrypoint, ...job.args]), py.toPy(job.env)));
}
