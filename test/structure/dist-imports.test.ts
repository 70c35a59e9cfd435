/**
 * Tests run against the TypeScript source (vitest compiles it); only the files below reach into
 * the built `dist/`, each for the reason beside it. Tests of the executor import the package by
 * its name ("wasmbox", i.e. dist/), since its hosts start from built worker and process entry
 * files. A new reach into dist/ must be added here with its reason, or import from src/.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));

const BOOTS = "boots an adapter's engine, whose assets and entry files are found relative to the built module";
const JAIL = "runs the compiler jail, whose bubblewrap mounts are the built package's";

const ALLOWED: Record<string, string> = {
  "test/cli/helpers.ts": "spawns the built CLI (dist/src/cli/main.js)",
  "test/browser/assets.test.ts": "spawns the built CLI to copy the browser assets",
  "test/browser/harness.ts": "builds and serves the browser bundle (dist/browser/)",
  "test/structure/guest-serializable.test.ts": "checks the function sources tsc emits: the guest runs them as text",
  "test/fleet/retries.test.ts": "the fleet worker runs its jobs on the built executor",
  "test/fleet/server.test.ts": "the server's executor starts built hosts",
  "test/core/shared-modules.test.ts": "counts compilations in the adapters the built executor loads",
  "test/security/entropy.test.ts": BOOTS,
  "test/security/compile-jail.test.ts": JAIL,
  "test/graders/compile-stage.test.ts": JAIL,
  "runtimes/go/test/go.test.ts": JAIL,
  "runtimes/go/test/go-wasm-differential.test.ts": "runs Go's compiler in WebAssembly from the built worker entry",
  "runtimes/go/test/bench-compiled.mjs": "a benchmark script, run by node from the built package",
  "runtimes/rust/test/rust.test.ts": JAIL,
  "runtimes/javascript/test/rejections.test.ts": BOOTS,
  "runtimes/php/test/link-replay.test.ts": BOOTS,
  "runtimes/php/test/memory-reuse.test.ts": BOOTS,
  "runtimes/python/test/finalize.test.ts": BOOTS,
  "runtimes/python/test/lazy-exports.test.ts": BOOTS,
  "runtimes/python/test/link-replay.test.ts": BOOTS,
  "runtimes/python/test/trampoline.test.ts": BOOTS,
  "runtimes/ruby/test/memory-reuse.test.ts": BOOTS,
  "runtimes/ruby/test/shared-snapshot.test.ts": BOOTS,
};

/** A module specifier or a path built from the repository root that names dist/. */
const DIST = /(?:\bfrom\s*|\bimport\(\s*|new URL\(\s*|path\.join\(\s*\w+\s*,\s*)["'`](?:\.\.?\/)*dist\//;

function testFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|mjs)$/.test(e.name))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join("/"));
}

describe("imports of the built package", () => {
  const files = [...testFiles("test"), ...readdirSync(path.join(root, "runtimes")).flatMap((r) => {
    try {
      return testFiles(`runtimes/${r}/test`);
    } catch {
      return [];
    }
  })];

  it("finds the test files", () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it("only the allow-listed files reach into dist/, each with its reason", () => {
    const reaching = files.filter((f) => DIST.test(readFileSync(path.join(root, f), "utf8"))).sort();
    expect(reaching).toEqual(Object.keys(ALLOWED).sort());
    for (const reason of Object.values(ALLOWED)) expect(reason.length).toBeGreaterThan(10);
  });
});
