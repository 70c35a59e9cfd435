/**
 * Comparing two interpreters, one linked by Emscripten and one whose linking was replayed
 * (link-replay.test.ts, lazy-exports.test.ts): the snapshot's memory holds table indices, so every
 * slot must hold the same function, and programs calling through those pointers must run.
 */
import type { LinkPlan } from "../link-plan.js";

/** Up to five slots that differ, described. */
export function tableMismatches(a: WebAssembly.Table, b: WebAssembly.Table, plan: LinkPlan): string[] {
  const mismatches: string[] = [];
  for (let i = 0; i < a.length && mismatches.length < 5; i++) {
    const f = a.get(i) as ((...args: unknown[]) => unknown) | null;
    const g = b.get(i) as ((...args: unknown[]) => unknown) | null;
    const k = i >= plan.base ? plan.slots[i - plan.base]! : 0;
    // A wasm function's name is its index in its module: the same function of pyodide.asm.wasm.
    // A wrapped JavaScript function belongs to a wrapper module (one per function when linked,
    // one for all when replayed): the same arity is what can be compared.
    const same = f === null || g === null ? f === g : k < -1 ? f.length === g.length : f.name === g.name && f.length === g.length;
    if (!same) mismatches.push(`slot ${i}: ${f?.name}/${f?.length} vs ${g?.name}/${g?.length}`);
  }
  return mismatches;
}

/** Python code that calls through function pointers the snapshot holds (sort keys, sqlite3, re). */
export const POINTERS_PROGRAM = {
  source: `
import json, re, functools, sqlite3
data = sorted([{"k": i % 7, "v": str(i)} for i in range(50)], key=functools.cmp_to_key(lambda x, y: x["k"] - y["k"]))
db = sqlite3.connect(":memory:")
db.execute("create table t (x)")
db.executemany("insert into t values (?)", [(i,) for i in range(10)])
json.dumps([data[0], re.sub(r"(\\d)", r"<\\1>", "a1b22"), db.execute("select sum(x) from t").fetchone()[0]])
`,
  expected: '[{"k": 0, "v": "0"}, "a<1>b<2><2>", 45]',
};
