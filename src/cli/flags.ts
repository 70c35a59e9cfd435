/** Flags `run`, `serve` and `prepare` share: limits and the cache directory, as executor options. */
import path from "node:path";
import { defaultCacheDir } from "../cache-dir.js";
import type { ExecutorOptions } from "../executor/options.js";
import { DEFAULT_CAPS } from "../request.js";
import { UsageError, type CommandName } from "./usage.js";

type Command = CommandName;

export const LIMIT_FLAGS = {
  "memory-limit": { type: "string" },
  "output-limit": { type: "string" },
  "max-timeout": { type: "string" },
  "cache-dir": { type: "string" },
  "no-cache": { type: "boolean" },
} as const;

const UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

/** "512M", "1g", "65536" → bytes (binary units). */
export function parseSize(command: Command, flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  const bytes = m && unit !== undefined ? Math.floor(Number(m[1]) * unit) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes <= 0)
    throw new UsageError(`--${flag} must be a size in bytes, optionally with K, M or G (e.g. 256M); got "${value}"`, command);
  return bytes;
}

export function parseMs(command: Command, flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n <= 0) throw new UsageError(`--${flag} must be a positive number of milliseconds; got "${value}"`, command);
  return n;
}

export interface LimitValues {
  "memory-limit"?: string;
  "output-limit"?: string;
  "max-timeout"?: string;
  "cache-dir"?: string;
  "no-cache"?: boolean;
}

/**
 * The executor options the flags give. The command line keeps compiled programs on disk by
 * default (a second `wasmbox run x.go` compiles nothing), where the library keeps them in memory.
 */
type LimitOptions = Pick<ExecutorOptions, "memoryLimit" | "outputLimit" | "maxTimeout" | "defaultTimeout" | "cacheDir">;

export function limitOptions(command: Command, v: LimitValues): LimitOptions {
  const o: LimitOptions = {};
  if (v["memory-limit"] !== undefined) {
    o.memoryLimit = parseSize(command, "memory-limit", v["memory-limit"]);
    if (o.memoryLimit < 16 * 1024 * 1024) throw new UsageError(`--memory-limit must be at least 16M; got "${v["memory-limit"]}"`, command);
  }
  if (v["output-limit"] !== undefined) o.outputLimit = parseSize(command, "output-limit", v["output-limit"]);
  if (v["max-timeout"] !== undefined) {
    o.maxTimeout = parseMs(command, "max-timeout", v["max-timeout"]);
    // A maximum below the default timeout lowers the default with it.
    if (o.maxTimeout < DEFAULT_CAPS.defaultTimeoutMs) o.defaultTimeout = o.maxTimeout;
  }
  if (v["no-cache"] && v["cache-dir"] !== undefined) throw new UsageError("--no-cache and --cache-dir exclude each other; give one", command);
  o.cacheDir = v["no-cache"] ? false : path.resolve(v["cache-dir"] ?? defaultCacheDir());
  return o;
}
