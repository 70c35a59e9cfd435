import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { lazyBuiltin } from "../../src/sandbox/builtin-import.js";

const require = createRequire(import.meta.url);

describe("lazyBuiltin (import() of a Node built-in in interpreter threads)", () => {
  const counted = () => {
    const loads: string[] = [];
    return { loads, load: (id: string) => (loads.push(id), require(id) as unknown) };
  };

  it("loads nothing until a property is read, also when awaited", async () => {
    const { loads, load } = counted();
    const ns = await lazyBuiltin("node:path", load);
    expect(loads).toEqual([]);
    expect((ns as { sep: string }).sep).toBe(require("node:path").sep);
    expect(loads).toEqual(["node:path"]);
    (ns as { join: unknown }).join;
    expect(loads).toEqual(["node:path"]);
  });

  it("looks like the namespace import() gives: default, named exports, keys", async () => {
    const { load } = counted();
    const real = (await import("node:path")) as Record<string, unknown>;
    const ns = (await lazyBuiltin("node:path", load)) as Record<string, unknown>;
    expect(ns.default).toBe(real.default);
    expect((ns.join as (...p: string[]) => string)("a", "b")).toBe((real.join as (...p: string[]) => string)("a", "b"));
    expect("join" in ns && "default" in ns && !("nope" in ns)).toBe(true);
    expect(Object.keys(ns).sort()).toEqual(Object.keys(real).sort());
    const { createRequire: named } = (await lazyBuiltin("node:module", load)) as { createRequire: unknown };
    expect(named).toBe(createRequire);
    expect(Object.prototype.toString.call(ns)).toBe("[object Module]");
  });

  it("reports a missing built-in when it is used", async () => {
    const ns = (await lazyBuiltin("node:no-such-module", (id) => require(id))) as Record<string, unknown>;
    expect(() => ns.default).toThrow(/no-such-module/);
  });
});
