import os from "node:os";
import path from "node:path";
import { defaultCacheDir, usableCacheDir } from "../cache-dir.js";
import type { RuntimeName } from "../request.js";
import { resolvePoolOptions, type PoolOptions, type ResolvedPoolOptions } from "./pool-options.js";

export interface ExecutorOptions extends PoolOptions {
  /** Executions running at once. Default: the number of cores. */
  concurrency?: number;
  /** Executions waiting for a slot; one more is refused with QUEUE_FULL. Default 1000. */
  maxQueue?: number;
  /**
   * Paths of compilers: `{ go: "/usr/lib/go-1.23/bin/go", rustc: "..." }`. Default: discovered.
   * `unjailedCompile: "accept-risk"` compiles Rust even where bubblewrap is missing, although
   * rustc can then read any file this user can (see SECURITY.md); the default refuses.
   */
  toolchains?: { go?: string; rustc?: string; unjailedCompile?: "refuse" | "accept-risk" };
  /**
   * Directory for caches that outlive the process: Python's boot snapshot (default: the per-user
   * cache directory, `$WASMBOX_CACHE_DIR`, `$XDG_CACHE_HOME/wasmbox` or `~/.cache/wasmbox`) and,
   * only when given, compiled Go/Rust modules (default: memory). `false`: nothing on disk beyond
   * the process (Python's snapshot then goes to a temporary directory). A directory that is not
   * writable is reported once through onWarning and replaced by memory.
   */
  cacheDir?: string | false;
  /**
   * "strict" refuses to run a runtime whose guest can reach JavaScript (python) when the
   * strongest containment (bubblewrap) is missing; "best-effort" warns once and runs with the
   * remaining layers. Default "best-effort".
   */
  isolation?: "strict" | "best-effort";
  /** Where one-time warnings go. Default: process.emitWarning. */
  onWarning?: (message: string) => void;
  /**
   * Where the worker-thread hosts of ruby, php, node and bun live: `true` (the default) in one
   * child process of the executor's, replaced by a fresh one once its resident memory passes
   * `recycleBytes` (default 1.5 GiB) and ended by close(), so that memory their threads leave
   * behind is given back; `false`: in this process (one hop less per execution, and this
   * process's memory then grows with theirs). Go and Rust hosts always live in this process.
   */
  hostProcess?: boolean | { recycleBytes?: number };
}

export interface ResolvedOptions extends ResolvedPoolOptions {
  toolchains: { go?: string; rustc?: string; unjailedCompile: "refuse" | "accept-risk" };
  /** Compiled-module cache directory, when one was given and is writable. */
  cacheDir?: string;
  isolation: "strict" | "best-effort";
  hostProcess: false | { recycleBytes: number };
}

const DEFAULT_RECYCLE_BYTES = 1.5 * 1024 ** 3;

function resolveHostProcess(o: ExecutorOptions["hostProcess"]): ResolvedOptions["hostProcess"] {
  if (o === undefined || o === true) return { recycleBytes: DEFAULT_RECYCLE_BYTES };
  if (o === false) return false;
  const bytes = typeof o === "object" && o !== null ? (o as { recycleBytes?: unknown }).recycleBytes : undefined;
  if (typeof o !== "object" || o === null || (bytes !== undefined && (typeof bytes !== "number" || !Number.isFinite(bytes) || bytes <= 0)))
    throw new TypeError(`wasmbox: createExecutor(): \`hostProcess\` must be true, false or { recycleBytes: <positive number of bytes> }; got ${JSON.stringify(o)}`);
  return { recycleBytes: (bytes as number | undefined) ?? DEFAULT_RECYCLE_BYTES };
}

export function resolveOptions(o: ExecutorOptions = {}, allRuntimes: readonly RuntimeName[]): ResolvedOptions {
  if (o.isolation !== undefined && o.isolation !== "strict" && o.isolation !== "best-effort")
    throw new TypeError('wasmbox: createExecutor(): `isolation` must be "strict" or "best-effort"');
  const isolation = o.isolation ?? "best-effort";
  const unjailedCompile = o.toolchains?.unjailedCompile ?? process.env.WASMBOX_UNJAILED_COMPILE ?? "refuse";
  if (unjailedCompile !== "refuse" && unjailedCompile !== "accept-risk")
    throw new TypeError(
      `wasmbox: createExecutor(): \`toolchains.unjailedCompile\` (or WASMBOX_UNJAILED_COMPILE) must be "refuse" or "accept-risk", got ${JSON.stringify(unjailedCompile)}`,
    );
  if (o.cacheDir !== undefined && o.cacheDir !== false && (typeof o.cacheDir !== "string" || o.cacheDir === ""))
    throw new TypeError(`wasmbox: createExecutor(): \`cacheDir\` must be a directory path or false; got ${JSON.stringify(o.cacheDir)}`);
  const onWarning = o.onWarning ?? ((m: string) => process.emitWarning(m, { code: "WASMBOX" }));
  // Where caches that outlive the process go; undefined: memory (or a temporary directory).
  const persistent = o.cacheDir === false ? undefined : usableCacheDir(path.resolve(o.cacheDir ?? defaultCacheDir()), onWarning);
  return {
    ...resolvePoolOptions(o, {
      concurrency: Math.max(1, os.availableParallelism?.() ?? os.cpus().length),
      maxQueue: 1000,
      prewarmAll: [...allRuntimes],
      onWarning: (m) => process.emitWarning(m, { code: "WASMBOX" }),
      runtimeOptionBase: { isolation, ...(persistent !== undefined && { cacheDir: persistent }) },
    }),
    toolchains: {
      go: o.toolchains?.go ?? process.env.WASMBOX_GO,
      rustc: o.toolchains?.rustc ?? process.env.WASMBOX_RUSTC,
      unjailedCompile,
    },
    cacheDir: typeof o.cacheDir === "string" ? persistent : undefined,
    isolation,
    hostProcess: resolveHostProcess(o.hostProcess),
  };
}
