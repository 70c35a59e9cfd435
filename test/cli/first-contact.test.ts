/**
 * What a new user meets first: the limit and cache flags of `wasmbox run`, the compiled-program
 * cache across CLI runs, `wasmbox setup --check` and `wasmbox prepare`.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor } from "wasmbox";
import { project, wasmbox } from "./helpers.js";

const dir = project({
  "loud.rb": 'print "x" * 100\n',
  "big.py": "b = bytearray(64 * 1024 * 1024)\nprint(len(b))\n",
  "hi.rb": "puts :hi\n",
  "a/main.go": 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("program A") }\n',
  "b/main.go": 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("program B") }\n',
});
const caches = mkdtempSync(path.join(os.tmpdir(), "wasmbox-cli-cache-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(caches, { recursive: true, force: true });
});

const probe = createExecutor({ warmHosts: 0 });
const goUnavailable = await probe.runtime("go").then(
  () => undefined,
  (e: Error) => e.message,
);
await probe.close();

describe("wasmbox run: limits", () => {
  it("--output-limit caps each stream (exit 153 with the note)", async () => {
    const r = await wasmbox(["run", "--output-limit", "10", "loud.rb"], { cwd: dir });
    expect(r.code).toBe(153);
    expect(r.stdout).toBe("x".repeat(10));
    expect(r.stderr).toMatch(/\[wasmbox\] stdout exceeded the 10-byte limit/);
  });

  it("--memory-limit caps guest memory: 64 MiB fit under the default, not under 32M", async () => {
    const roomy = await wasmbox(["run", "big.py"], { cwd: dir });
    expect(roomy).toMatchObject({ code: 0, stdout: "67108864\n" });
    const tight = await wasmbox(["run", "--memory-limit", "32M", "big.py"], { cwd: dir });
    expect(tight.code).not.toBe(0);
    expect(tight.stderr).toMatch(/MemoryError|out of memory/);
  });

  it("--max-timeout raises the largest --timeout accepted", async () => {
    const r = await wasmbox(["run", "--max-timeout", "400000", "--timeout", "350000", "hi.rb"], { cwd: dir });
    expect(r).toEqual({ code: 0, stdout: "hi\n", stderr: "" });
  });

  it("--max-timeout below the default timeout is also the timeout of a run that gives none", async () => {
    const spin = path.join(dir, "spin.rb");
    writeFileSync(spin, 'puts "started"; $stdout.flush; loop {}\n');
    const r = await wasmbox(["run", "--max-timeout", "1500", "spin.rb"], { cwd: dir });
    expect(r.code).toBe(124);
    expect(r.stdout).toBe("started\n");
    expect(r.stderr).toMatch(/^wasmbox: timed out after 1500 ms/);
  });
});

describe("wasmbox run: cache directory", () => {
  it.skipIf(!!goUnavailable)(`a second run of a Go program takes its module from the cache directory, not the compiler${goUnavailable ? ` (skipped: ${goUnavailable})` : ""}`, async () => {
    const cacheA = path.join(caches, "a");
    const cacheB = path.join(caches, "b");
    expect((await wasmbox(["run", "--timeout", "200000", "--cache-dir", cacheA, "a/main.go"], { cwd: dir })).stdout).toBe("program A\n");
    expect((await wasmbox(["run", "--timeout", "200000", "--cache-dir", cacheB, "b/main.go"], { cwd: dir })).stdout).toBe("program B\n");
    const [fileA] = readdirSync(path.join(cacheA, "compiled"));
    const [fileB] = readdirSync(path.join(cacheB, "compiled"));
    expect(fileA).toMatch(/\.wasm$/);
    // Put B's module where A's is kept: if A's second run reads the cache, it prints B's text,
    // which only a cache hit can do (a compile of A would print "program A").
    copyFileSync(path.join(cacheB, "compiled", fileB!), path.join(cacheA, "compiled", fileA!));
    const again = await wasmbox(["run", "--timeout", "200000", "--cache-dir", cacheA, "a/main.go"], { cwd: dir });
    expect(again).toEqual({ code: 0, stdout: "program B\n", stderr: "" });
    // --no-cache compiles (and keeps no module): the real program again.
    expect((await wasmbox(["run", "--timeout", "200000", "--no-cache", "a/main.go"], { cwd: dir })).stdout).toBe("program A\n");
  }, 600_000);

  it("$WASMBOX_CACHE_DIR is the default cache directory (Python's snapshot is made there)", async () => {
    const cache = path.join(caches, "env");
    const r = await wasmbox(["run", "big.py"], { cwd: dir, env: { WASMBOX_CACHE_DIR: cache } });
    expect(r.code).toBe(0);
    expect(readdirSync(path.join(cache, "python")).some((f) => f.endsWith(".snapshot"))).toBe(true);
  }, 180_000);

  it("a cache directory that cannot be made: one warning on stderr, and the program runs", async () => {
    const file = path.join(caches, "plain-file");
    writeFileSync(file, "");
    const r = await wasmbox(["run", "--cache-dir", path.join(file, "sub"), "hi.rb"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("hi\n");
    expect(r.stderr.match(/warning: the cache directory .* is not writable/g)).toHaveLength(1);
  });
});

describe("wasmbox setup --check", () => {
  it("lists each runtime and bubblewrap, and exits 0 exactly when nothing is missing", async () => {
    const r = await wasmbox(["setup", "--check"]);
    const lines = r.stdout.trim().split("\n");
    const names = lines.filter((l) => !l.startsWith("cache directory:")).map((l) => l.split(/\s+/)[0]);
    expect(names.sort()).toEqual(["bubblewrap", "bun", "go", "node", "php", "python", "ruby", "rust"]);
    const missing = lines.filter((l) => /\sMISSING\s/.test(l));
    expect(r.code).toBe(missing.length === 0 ? 0 : 1);
    if (missing.length > 0) expect(r.stderr).toMatch(/missing: .*npx wasmbox setup/);
  });

  it("exits 1 naming what is missing and how to install it", async () => {
    const r = await wasmbox(["setup", "--check"], { env: { WASMBOX_GO: "/nonexistent/go" } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^go\s+MISSING\s+.*\/nonexistent\/go/m);
    expect(r.stderr).toMatch(/wasmbox setup: missing: .*go.*run `npx wasmbox setup`/);
  });
});

describe("wasmbox prepare", () => {
  it("loads the runtimes asked for and says so; an unknown one is a usage error", async () => {
    const r = await wasmbox(["prepare", "ruby", "node", "--cache-dir", path.join(caches, "prep")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ruby: ready \(\d+\.\d s\)\nnode: ready \(\d+\.\d s\)\n$/);
  });

  it("fails (exit 1) for a runtime asked for that cannot run", async () => {
    const r = await wasmbox(["prepare", "go"], { env: { WASMBOX_GO: "/nonexistent/go" } });
    expect(r.code).toBe(1);
    // (After a line for Go's compiler in WebAssembly, when its assets are built: they need no host Go.)
    expect(r.stdout).toMatch(/^go: FAILED: .*\/nonexistent\/go/m);
  });
});
