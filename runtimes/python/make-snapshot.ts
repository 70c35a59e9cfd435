/**
 * Child-process entry that takes the Pyodide memory snapshot and writes it atomically
 * (a temporary file renamed into place), so concurrent creators never expose a partial file.
 * Usage: node make-snapshot.js <indexURL> <snapshot file>
 */
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { makeSnapshot } from "./interpreter.js";
import { EXECUTABLE } from "./program.js";

const [indexURL, file] = process.argv.slice(2);
if (!indexURL || !file) throw new Error("usage: make-snapshot <indexURL> <snapshot file>");
// Emscripten gives the interpreter this script's path as argv[0] (sys.executable, sys.orig_argv),
// and the snapshot would carry it into every sandbox: give it the path python3 usually has instead.
process.argv.splice(1, Infinity, EXECUTABLE);
globalThis.fetch = (() => Promise.reject(new Error("offline"))) as typeof fetch;
const bytes = await makeSnapshot(indexURL);
await mkdir(path.dirname(file), { recursive: true });
const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
try {
  await writeFile(tmp, bytes);
  await rename(tmp, file);
} finally {
  await rm(tmp, { force: true });
}
