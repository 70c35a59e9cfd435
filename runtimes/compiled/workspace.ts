/**
 * A fresh build directory per compilation: `src/` holds only the user's files (and what the
 * adapter writes, like go.mod), `out/` the module, `tmp/` the compiler's temporary files.
 * Removed afterwards. Diagnostics are rewritten so they never show these host paths.
 */
import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { JAIL_WORKSPACE } from "./jail.js";

export interface Workspace {
  root: string;
  src: string;
  out: string;
  tmp: string;
}

export async function withWorkspace<T>(fn: (ws: Workspace) => Promise<T>): Promise<T> {
  // realpath: on some systems the temp dir is a symlink, and compilers print resolved paths.
  const root = await mkdtemp(path.join(await realpath(os.tmpdir()), "wasmbox-build-"));
  const ws: Workspace = { root, src: path.join(root, "src"), out: path.join(root, "out"), tmp: path.join(root, "tmp") };
  try {
    await Promise.all([mkdir(ws.src), mkdir(ws.out), mkdir(ws.tmp)]);
    return await fn(ws);
  } finally {
    await rm(root, { recursive: true, force: true }).catch(() => {});
  }
}

/** Writes `files` under `dir`. Paths were validated as relative POSIX paths upstream; checked again. */
export async function writeFiles(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const target = path.resolve(dir, rel);
    if (!target.startsWith(dir + path.sep)) throw new Error(`wasmbox: file path escapes the build directory: ${rel}`);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

/** Compiler output with the build directory's paths made relative to the user's files. */
export function relativize(text: string, ws: Workspace): string {
  const host = text
    .split(ws.src + path.sep)
    .join("")
    .split(ws.src)
    .join(".")
    .split(ws.root)
    .join("<build>");
  // In the jail the compiler saw the workspace at JAIL_WORKSPACE: only paths that start there.
  const jail = JAIL_WORKSPACE.replace(/[/.]/g, "\\$&");
  return host
    .replace(new RegExp(`(?<![\\w./-])${jail}/src/`, "g"), "")
    .replace(new RegExp(`(?<![\\w./-])${jail}/src(?![\\w.-])`, "g"), ".")
    .replace(new RegExp(`(?<![\\w./-])${jail}(?![\\w.-])`, "g"), "<build>");
}
