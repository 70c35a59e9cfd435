/**
 * Compiled programs, cached by a key the adapter derives from the sources, the toolchain version
 * and the flags. Two levels in memory: the wasm bytes (and compile errors, which are just as
 * deterministic) by key, and the `WebAssembly.Module` by key + memory cap (the cap is written
 * into the module). Optionally the bytes also go to a directory that outlives the process.
 * Concurrent requests for the same key share one compilation.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { limitModuleMemory } from "../../src/wasm/memory-limit.js";
import { importMemory, type MemoryShape } from "./memory-reuse.js";

export type BuildResult = { ok: true; wasm: Uint8Array<ArrayBuffer> } | { ok: false; diagnostics: string };

/** A build that did not finish (stopped by its requester's deadline): not cached. */
export class BuildStopped extends Error {}

class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
  delete(key: string, value?: V): void {
    if (value === undefined || this.map.get(key) === value) this.map.delete(key);
  }
  clear(): void {
    this.map.clear();
  }
}

export interface CacheStats {
  /** Builds started (the compiler ran). */
  builds: number;
  /** Builds read back from the cache directory. */
  diskHits: number;
}

/** A compiled module; `memory` when it imports its memory (memory-reuse.ts) and the host supplies one. */
export interface CompiledModule {
  module: WebAssembly.Module;
  memory?: MemoryShape;
}
export type Prepared = CompiledModule | { diagnostics: string };

function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason ?? new BuildStopped("aborted"));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new BuildStopped("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

export class BuildCache {
  readonly stats: CacheStats = { builds: 0, diskHits: 0 };
  private readonly builds: Lru<Promise<BuildResult>>;
  private readonly modules: Lru<Promise<CompiledModule>>;

  constructor(maxEntries = 64) {
    this.builds = new Lru(maxEntries);
    this.modules = new Lru(maxEntries);
  }

  /**
   * The module for `key` under the memory cap `memoryBytes`, building it with `build` at most
   * once across concurrent callers. `signal` ends this caller's wait (and the build, if it
   * started it); another caller still waiting starts the build again.
   */
  async get(
    key: string,
    memoryBytes: number,
    signal: AbortSignal,
    build: (signal: AbortSignal) => Promise<BuildResult>,
    cacheDir?: string,
  ): Promise<Prepared> {
    for (;;) {
      const { result: pending, mine } = this.result(key, signal, build, cacheDir);
      try {
        const result = await raceAbort(pending, signal);
        if (!result.ok) return { diagnostics: result.diagnostics };
        const moduleKey = `${key}:${memoryBytes}`;
        let module = this.modules.get(moduleKey);
        if (!module) {
          const limited = limitModuleMemory(result.wasm, memoryBytes);
          const reusable = importMemory(limited);
          module = WebAssembly.compile(reusable?.wasm ?? limited).then((m) => ({ module: m, memory: reusable?.memory }));
          this.modules.set(moduleKey, module);
          module.catch(() => this.modules.delete(moduleKey, module));
        }
        return await module;
      } catch (e) {
        // The build was stopped by another caller's deadline while ours still runs: build again.
        if (e instanceof BuildStopped && !mine && !signal.aborted) continue;
        throw e;
      }
    }
  }

  private result(
    key: string,
    signal: AbortSignal,
    build: (s: AbortSignal) => Promise<BuildResult>,
    cacheDir?: string,
  ): { result: Promise<BuildResult>; mine: boolean } {
    let p = this.builds.get(key);
    if (p) return { result: p, mine: false };
    p = (async (): Promise<BuildResult> => {
      const fromDisk = cacheDir ? await readCached(cacheDir, key) : undefined;
      if (fromDisk) {
        this.stats.diskHits++;
        return { ok: true, wasm: fromDisk };
      }
      this.stats.builds++;
      const result = await build(signal);
      if (result.ok && cacheDir) await writeCached(cacheDir, key, result.wasm).catch(() => {});
      return result;
    })();
    this.builds.set(key, p);
    const entry = p;
    p.catch(() => this.builds.delete(key, entry));
    return { result: p, mine: true };
  }

  clear(): void {
    this.builds.clear();
    this.modules.clear();
  }
}

function cachePath(cacheDir: string, key: string): string {
  return path.join(cacheDir, "compiled", `${key}.wasm`);
}

async function readCached(cacheDir: string, key: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  try {
    const bytes = new Uint8Array(await readFile(cachePath(cacheDir, key)));
    return WebAssembly.validate(bytes) ? bytes : undefined;
  } catch {
    return undefined;
  }
}

async function writeCached(cacheDir: string, key: string, wasm: Uint8Array): Promise<void> {
  const file = cachePath(cacheDir, key);
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, wasm);
  await rename(tmp, file);
}
