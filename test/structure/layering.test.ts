/**
 * The layering of ARCHITECTURE.md, checked on the source: no import cycles, and the arrows
 * that must not exist do not. Imports are read by madge from the TypeScript sources, type-only
 * and dynamic imports included (a cycle through a dynamic import is still a tangle).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import madge from "madge";
import { beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let graph: Record<string, string[]>;
let circular: string[][];

beforeAll(async () => {
  const result = await madge(["src", "runtimes"], {
    baseDir: root,
    fileExtensions: ["ts"],
    tsConfig: path.join(root, "tsconfig.json"),
    detectiveOptions: { ts: { skipTypeImports: false }, es6: { skipTypeImports: false } },
  });
  graph = result.obj();
  circular = result.circular();
}, 120_000);

/** Every file reachable from `from` (the file itself excluded). */
function reachable(from: string): Set<string> {
  const seen = new Set<string>();
  const todo = [...(graph[from] ?? [])];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    todo.push(...(graph[f] ?? []));
  }
  return seen;
}

const files = () => Object.keys(graph);
/** A runtime's tests and test programs live in runtimes/<lang>/test/; the rest of the folder is its adapter. */
const isTest = (f: string) => /^runtimes\/[^/]+\/test\//.test(f) || f.startsWith("test/");
const isAdapterCode = (f: string) => f.startsWith("runtimes/") && !isTest(f);
const imports = (file: string) => graph[file] ?? [];

describe("layering", () => {
  it("madge read the tree", () => {
    expect(files()).toContain("src/index.ts");
    expect(imports("src/index.ts").length).toBeGreaterThan(0);
  });

  it("has no import cycles", () => {
    expect(circular.map((c) => c.join(" > "))).toEqual([]);
  });

  it("the library entry reaches nothing of HTTP or the CLI", () => {
    const bad = [...reachable("src/index.ts")].filter((f) => f.startsWith("src/server/") || f.startsWith("src/cli/") || f.startsWith("src/fleet/"));
    expect(bad).toEqual([]);
  });

  it("language adapters never import the executor, the host processes, the server or the CLI", () => {
    const bad = files()
      .filter(isAdapterCode)
      .flatMap((f) => imports(f).filter((t) => /^src\/(executor|host-process|server|cli)\//.test(t)).map((t) => `${f} -> ${t}`));
    expect(bad).toEqual([]);
  });

  it("the host-process part (src/host-process/) holds the host processes, and what worker threads share (src/sandbox/) never reaches it", () => {
    expect(files().filter((f) => /^src\/(sandbox|executor)\/.*(process-|hosts-process|child-link)/.test(f))).toEqual([]);
    const bad = files()
      .filter((f) => f.startsWith("src/sandbox/"))
      .flatMap((f) => imports(f).filter((t) => t.startsWith("src/host-process/")).map((t) => `${f} -> ${t}`));
    expect(bad).toEqual([]);
    // The executor reaches the part through its entry files only.
    const entries = new Set(["src/host-process/hosts-process.ts", "src/host-process/process-host.ts", "src/host-process/jail.ts"]);
    const reached = files()
      .filter((f) => f.startsWith("src/executor/"))
      .flatMap((f) => imports(f).filter((t) => t.startsWith("src/host-process/") && !entries.has(t)).map((t) => `${f} -> ${t}`));
    expect(reached).toEqual([]);
  });

  it("the core imports a language adapter only through the registry (src/registry.ts)", () => {
    const registry = new Set(["src/registry.ts"]);
    const bad = files()
      .filter((f) => f.startsWith("src/") && !registry.has(f))
      .flatMap((f) => imports(f).filter((t) => t.startsWith("runtimes/")).map((t) => `${f} -> ${t}`));
    expect(bad).toEqual([]);
  });

  it("adapters and the core never import test code, and the build leaves runtimes/<lang>/test/ out", () => {
    const bad = files()
      .filter((f) => !isTest(f))
      .flatMap((f) => imports(f).filter(isTest).map((t) => `${f} -> ${t}`));
    expect(bad).toEqual([]);
    expect(files().some((f) => /^runtimes\/python\/test\//.test(f)), "madge saw runtimes/<lang>/test/").toBe(true);
    const tsconfig = JSON.parse(readFileSync(path.join(root, "tsconfig.json"), "utf8")) as { exclude?: string[] };
    expect(tsconfig.exclude).toContain("runtimes/*/test/**");
  });
});
