/** Main thread: make sure the memory snapshot exists (made once, at first use), in a child process. */
import { execFile } from "node:child_process";
import { access } from "node:fs/promises";
import { RuntimeUnavailableError } from "../../src/errors.js";
import { pyodideDir, snapshotFile } from "./assets.js";

const pending = new Map<string, Promise<string>>();
const script = new URL("./make-snapshot.js", import.meta.url);

export function ensureSnapshot(dir: string): Promise<string> {
  const file = snapshotFile(dir);
  let p = pending.get(file);
  if (!p) {
    p = create(file);
    pending.set(file, p);
    p.catch(() => pending.delete(file));
  }
  return p;
}

async function create(file: string): Promise<string> {
  try {
    await access(file);
    return file;
  } catch {
    /* not made yet */
  }
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      [script.pathname, pyodideDir(), file],
      { env: {}, timeout: 120_000, maxBuffer: 4 * 1024 * 1024 },
      (err, _stdout, stderr) => {
        if (err)
          reject(
            new RuntimeUnavailableError(
              "python",
              `making the Pyodide memory snapshot at ${file} failed (${failure(stderr) ?? err.message}); make sure the directory is writable or set runtimeOptions.python.snapshotDir`,
            ),
          );
        else resolve();
      },
    );
  });
  return file;
}

/** The line of a failed snapshot run that names the error (a JavaScript error may print a whole minified script first). */
function failure(stderr: string): string | undefined {
  const lines = stderr.split("\n").map((l) => l.trim()).filter((l) => l && l.length < 400);
  return [...lines].reverse().find((l) => /^[\w.]*(Error|Exception)\b/.test(l)) ?? lines.at(-1);
}
