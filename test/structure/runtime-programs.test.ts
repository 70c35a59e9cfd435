/**
 * Every runtime brings its programs for the shared suites (test/programs.ts, also checked by
 * `npx tsc -p tsconfig.test.json`) and runs the suites from its own folder.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { RUNTIME_NAMES } from "../../src/request.js";
import { PROGRAMS as BENCH } from "../../scripts/bench/programs.mjs";
import { PROGRAMS } from "../programs.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** Each runtime folder's test files, read once. */
const suiteFiles = readdirSync(path.join(root, "runtimes")).flatMap((dir) => {
  try {
    return readdirSync(path.join(root, "runtimes", dir, "test"))
      .filter((f) => f.endsWith(".test.ts"))
      .map((f) => ({ file: `runtimes/${dir}/test/${f}`, text: readFileSync(path.join(root, "runtimes", dir, "test", f), "utf8") }));
  } catch {
    return [];
  }
});

describe("each runtime's test programs", () => {
  it("the registry has a line for every runtime, and nothing else", () => {
    expect(Object.keys(PROGRAMS).sort()).toEqual([...RUNTIME_NAMES].sort());
  });

  it("the benchmark runs each runtime's own bench programs", () => {
    expect(Object.keys(BENCH).sort()).toEqual([...RUNTIME_NAMES].sort());
    for (const runtime of RUNTIME_NAMES) expect(BENCH[runtime as keyof typeof BENCH]).toBe(PROGRAMS[runtime].bench);
  });

  for (const runtime of RUNTIME_NAMES) {
    it(`${runtime} runs the shared suites from its own folder`, () => {
      const calls = suiteFiles.filter(({ text }) => text.includes(`conformanceSuite("${runtime}")`) && text.includes(`runtimes: ["${runtime}"]`));
      expect(calls.map((c) => c.file), `no runtimes/<lang>/test/*.test.ts calls conformanceSuite("${runtime}") and escapeMatrix`).toHaveLength(1);
    });
  }
});
