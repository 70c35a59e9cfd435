/**
 * The README's quick start is what CI runs (.ci/run: the install command, then the test
 * command), and every runtime has its example program in examples/.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runtimeExtensions } from "../../src/registry.js";
import { RUNTIME_NAMES } from "../../src/request.js";

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), "utf8");

describe("README quick start", () => {
  const readme = read("README.md");
  const start = readme.slice(readme.indexOf("## Quick start"), readme.indexOf("\n## ", readme.indexOf("## Quick start") + 1));
  const blocks = [...start.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());

  it("gives one install-and-run command and one test command, which .ci/run runs exactly", () => {
    expect(blocks).toHaveLength(2);
    const ci = read(".ci/run")
      .split("\n")
      .filter((l) => l.trim() !== "" && !l.startsWith("#") && !/^(set|cd) /.test(l));
    expect(ci).toEqual(blocks);
    expect(blocks[0]).toMatch(/^npm ci && .*npx wasmbox run examples\/\S+$/);
    expect(blocks[1]).toBe("npm test");
  });

  it("examples/ holds a program for every runtime, each recognised by its extension", () => {
    const files = readdirSync(new URL("../../examples/", import.meta.url));
    for (const runtime of RUNTIME_NAMES) expect(files.filter((f) => runtimeExtensions[runtime].some((e) => f.endsWith(e))), runtime).toHaveLength(1);
    const first = /examples\/(\S+)$/.exec(blocks[0]!)![1]!;
    expect(files).toContain(first);
  });

  it("the built command is executable, as `npx wasmbox` in this project runs it directly (tsc writes 0644)", () => {
    const bins = Object.values(JSON.parse(read("package.json")).bin as Record<string, string>);
    expect(bins.length).toBeGreaterThan(0);
    for (const bin of bins) expect(statSync(new URL(`../../${bin}`, import.meta.url)).mode & 0o111, bin).toBe(0o111);
  });
});
