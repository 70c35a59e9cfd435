/**
 * The per-user cache directory: `$WASMBOX_CACHE_DIR`, else `$XDG_CACHE_HOME/wasmbox`, else
 * `~/.cache/wasmbox`. Python's boot snapshot and Ruby's booted memory go there by default, and the CLI and the server
 * also keep compiled Go/Rust modules there, so a second run of the same program compiles nothing.
 */
import { accessSync, constants, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.WASMBOX_CACHE_DIR) return path.resolve(env.WASMBOX_CACHE_DIR);
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), ".cache");
  return path.join(base, "wasmbox");
}

/**
 * `dir` made if needed and checked writable; `undefined` (with one call of `warn` per directory and process) when it is
 * not, so that the caller keeps its caches in memory instead of failing.
 */
const warned = new Set<string>();

export function usableCacheDir(dir: string, warn: (message: string) => void): string | undefined {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return dir;
  } catch (e) {
    if (warned.has(dir)) return undefined;
    warned.add(dir);
    warn(
      `the cache directory ${dir} is not writable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); ` +
        "caches are kept in memory for this process only. Set cacheDir (or WASMBOX_CACHE_DIR, or --cache-dir) to a writable directory",
    );
    return undefined;
  }
}

/** Where scripts/build-go-wasm.mjs puts the assets by default; keep in sync with it. */
export function goWasmDir(explicit?: string): string {
  if (explicit) return explicit;
  if (process.env.WASMBOX_GO_WASM_DIR) return process.env.WASMBOX_GO_WASM_DIR;
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "wasmbox", "go-wasm");
}
