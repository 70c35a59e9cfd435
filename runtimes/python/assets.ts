/** Where the Pyodide assets and the memory snapshot live on the host. */
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { RUNNER_SOURCE } from "./runner.js";

const require = createRequire(import.meta.url);

/** node_modules/pyodide, with a trailing separator (Pyodide's `indexURL`). */
export function pyodideDir(): string {
  return path.dirname(require.resolve("pyodide/package.json")) + path.sep;
}

export function pyodideVersion(): string {
  return (require("pyodide/package.json") as { version: string }).version;
}

/**
 * The snapshot directory: `runtimeOptions.python.snapshotDir`, else `<cacheDir>/python` (the
 * executor gives the per-user cache directory by default), else a temporary directory of this
 * process, removed at exit (`cacheDir: false`, or a cache directory that is not writable).
 */
export function snapshotDir(options: Record<string, unknown>, cacheDir?: string): string {
  if (typeof options.snapshotDir === "string") return path.resolve(options.snapshotDir);
  if (cacheDir) return path.resolve(cacheDir, "python");
  return processTempDir();
}

let tempDir: string | undefined;
function processTempDir(): string {
  if (!tempDir) {
    const dir = (tempDir = mkdtempSync(path.join(os.tmpdir(), "wasmbox-snapshot-")));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  return tempDir;
}

export function snapshotFile(dir: string): string {
  return path.join(dir, `pyodide-${pyodideVersion()}-${snapshotFormat()}.snapshot`);
}

/**
 * Changes with what goes into the snapshot: bump for pre-imported modules; the runner is hashed
 * (on first use: interpreter threads import this file and never need it).
 */
let format: string | undefined;
function snapshotFormat(): string {
  return (format ??= `v3-${fnv1a(RUNNER_SOURCE)}`);
}

/**
 * A 32-bit FNV-1a hash: enough to tell runner versions apart, and it keeps node:crypto (about 20
 * internal modules) out of every interpreter thread, which imports this file.
 */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}
