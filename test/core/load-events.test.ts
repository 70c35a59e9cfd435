/**
 * Load events (onLoad) and the per-user cache directory: what a caller can show while a runtime
 * loads, and where caches go when none is given or the one given cannot be written.
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor, type LoadEvent } from "wasmbox";
import { defaultCacheDir } from "../../src/cache-dir.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "wasmbox-load-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("load events", () => {
  it("tell a runtime's load and its first host, start then end, once per executor; onLoad() unsubscribes", async () => {
    const fromOption: LoadEvent[] = [];
    const fromMethod: LoadEvent[] = [];
    const executor = createExecutor({ concurrency: 1, onLoad: (e) => fromOption.push(e) });
    const stop = executor.onLoad((e) => fromMethod.push(e));
    try {
      const r = await executor.execute({ runtime: "ruby", code: "puts 1" });
      expect(r.stdout).toBe("1\n");
      const shape = fromOption.map((e) => `${e.runtime}:${e.phase}:${e.done}`);
      expect(shape).toEqual(["ruby:runtime:false", "ruby:runtime:true", "ruby:host:false", "ruby:host:true"]);
      for (const e of fromOption.filter((e) => e.done)) {
        expect(e.ms).toEqual(expect.any(Number));
        expect(e.error).toBeUndefined();
      }
      expect(fromMethod).toEqual(fromOption);

      stop();
      const before = fromOption.length;
      await executor.execute({ runtime: "ruby", code: "puts 2" });
      await executor.execute({ runtime: "node", code: "console.log(3)" });
      // Ruby is loaded: nothing more of it; node's load reaches the option's listener only.
      expect(fromOption.slice(before).map((e) => `${e.runtime}:${e.phase}:${e.done}`)).toEqual([
        "node:runtime:false",
        "node:runtime:true",
        "node:host:false",
        "node:host:true",
      ]);
      expect(fromMethod).toHaveLength(before);
    } finally {
      await executor.close();
    }
  });

  it("tell a runtime that cannot load with its error, and a listener that throws does not break the execution", async () => {
    const events: LoadEvent[] = [];
    const executor = createExecutor({ toolchains: { go: "/nonexistent/go" } });
    executor.onLoad(() => {
      throw new Error("listener bug");
    });
    executor.onLoad((e) => events.push(e));
    try {
      await expect(executor.execute({ runtime: "go", code: "package main\nfunc main() {}\n" })).rejects.toMatchObject({ code: "RUNTIME_UNAVAILABLE" });
      expect(events).toHaveLength(2);
      expect(events[1]).toMatchObject({ runtime: "go", phase: "runtime", done: true, error: expect.stringMatching(/\/nonexistent\/go/) });
      expect((await executor.execute({ runtime: "node", code: "console.log(1)" })).stdout).toBe("1\n");
    } finally {
      await executor.close();
    }
  });
});

describe("cache directory", () => {
  it("defaults to $WASMBOX_CACHE_DIR, else $XDG_CACHE_HOME/wasmbox, else ~/.cache/wasmbox", () => {
    expect(defaultCacheDir({ WASMBOX_CACHE_DIR: "/srv/cache", XDG_CACHE_HOME: "/x" })).toBe("/srv/cache");
    expect(defaultCacheDir({ XDG_CACHE_HOME: "/x" })).toBe("/x/wasmbox");
    // A relative XDG_CACHE_HOME is invalid by the spec and ignored.
    expect(defaultCacheDir({ XDG_CACHE_HOME: "rel" })).toBe(path.join(os.homedir(), ".cache", "wasmbox"));
    expect(defaultCacheDir({})).toBe(path.join(os.homedir(), ".cache", "wasmbox"));
  });

  it("is where Python's boot snapshot goes by default; compiled programs stay in memory unless cacheDir is given", async () => {
    const executor = createExecutor();
    try {
      expect(executor.options.runtimeOptions("python").cacheDir).toBe(defaultCacheDir());
      expect(executor.options.cacheDir).toBeUndefined();
    } finally {
      await executor.close();
    }
    const given = path.join(tmp, "given");
    const withDir = createExecutor({ cacheDir: given });
    try {
      expect(withDir.options.cacheDir).toBe(given);
      expect(withDir.options.runtimeOptions("python").cacheDir).toBe(given);
    } finally {
      await withDir.close();
    }
  });

  it.skipIf(process.getuid?.() === 0)("a directory that cannot be written: one warning, then memory (skipped as root: root writes anywhere)", async () => {
    const locked = path.join(tmp, "locked");
    rmSync(locked, { recursive: true, force: true });
    (await import("node:fs")).mkdirSync(locked);
    chmodSync(locked, 0o500);
    const warnings: string[] = [];
    for (let i = 0; i < 2; i++) {
      const executor = createExecutor({ cacheDir: path.join(locked, "sub"), onWarning: (m) => warnings.push(m) });
      expect(executor.options.cacheDir).toBeUndefined();
      await executor.close();
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/not writable.*kept in memory.*cacheDir/);
  });

  it("a path that cannot be a directory: one warning, then memory, and programs still run", async () => {
    const file = path.join(tmp, "a-file");
    (await import("node:fs")).writeFileSync(file, "");
    const warnings: string[] = [];
    const executors = [0, 1].map(() => createExecutor({ cacheDir: path.join(file, "cache"), onWarning: (m) => warnings.push(m) }));
    try {
      expect(executors[0]!.options.cacheDir).toBeUndefined();
      expect(executors[0]!.options.runtimeOptions("python").cacheDir).toBeUndefined();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/cache directory .*a-file\/cache is not writable \(ENOTDIR\); caches are kept in memory/);
      expect((await executors[0]!.execute({ runtime: "ruby", code: "puts :ok" })).stdout).toBe("ok\n");
    } finally {
      await Promise.all(executors.map((e) => e.close()));
    }
  });

  it("refuses a cacheDir that is neither a path nor false, naming the option", () => {
    expect(() => createExecutor({ cacheDir: 42 as unknown as string })).toThrow(/`cacheDir` must be a directory path or false/);
  });
});
