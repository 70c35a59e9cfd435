/**
 * Runs a memory child (host-memory-child.mjs, hostile-child.mjs) with glibc told to give large
 * freed blocks back (MALLOC_MMAP_THRESHOLD_, read once at process start, hence a child process).
 * In a default glibc process the freed memory of ended worker-thread hosts stays in glibc's
 * per-thread malloc arenas (README, "Memory of the host process"), which hides a real leak behind
 * hundreds of MiB of slack that varies from run to run; in the child what remains is what wasmbox keeps.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/** One line of memory-sample.mjs: MiB after a forced GC, this process's threads, the executor's hosts. */
export interface Sample {
  label: string;
  /** This process and every process below it. */
  rss: number;
  /** This process alone. */
  ownRss: number;
  /** This process and its descendants. */
  processes: number;
  heap: number;
  external: number;
  arrayBuffers: number;
  threads: number;
  handles: number;
  hosts: number;
}

/** Only glibc reads MALLOC_MMAP_THRESHOLD_ (and only glibc's arenas need it). */
export const glibc =
  process.platform === "linux" && !!(process.report?.getReport() as { header?: { glibcVersionRuntime?: string } })?.header?.glibcVersionRuntime;

/**
 * Runs `script` (beside this file) with `args` and `input` on its stdin; returns the JSON of its
 * last line. `tunedMalloc: false`: glibc's defaults, as in an application that sets nothing.
 */
export async function runMemoryChild<T>(script: string, args: string[], input = "", tunedMalloc = true): Promise<T & { samples: Sample[] }> {
  const env = { ...process.env };
  delete env.MALLOC_MMAP_THRESHOLD_;
  delete env.MALLOC_ARENA_MAX;
  const run = promisify(execFile)(process.execPath, ["--expose-gc", fileURLToPath(new URL(script, import.meta.url)), ...args], {
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    env: tunedMalloc ? { ...env, MALLOC_MMAP_THRESHOLD_: "131072" } : env,
    maxBuffer: 16 * 1024 * 1024,
  });
  run.child.stdin!.end(input);
  const { stdout } = await run;
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as T & { samples: Sample[] };
}
