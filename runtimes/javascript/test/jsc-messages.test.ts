/**
 * Differential test of the `bun` runtime's error messages: QuickJS words its own errors
 * differently from JavaScriptCore, and programs print caught errors. Each program runs under the
 * real `bun` (the npm package) in the test and under wasmbox; stdout must agree byte for byte.
 * For the uncaught ones, the error's line of the report must agree too (Bun's caret and frame
 * columns are another matter, not covered here).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor } from "wasmbox";

const BUN = join(process.cwd(), "node_modules/.bin/bun");
const bunAvailable = spawnSync(BUN, ["--version"]).status === 0;
const executor = createExecutor({ concurrency: 2 });
afterAll(() => executor.close());

/** `catch (e) { print(e) }` around one statement. */
const caught = (body: string) => `try {\n  ${body}\n} catch (e) {\n  console.log(e instanceof Error, e.constructor.name, e.name + ": " + e.message);\n}`;
/** Each function of `list` called, its error printed. */
const each = (list: string) => `for (const fn of [${list}]) {\n  try { fn(); console.log("no error"); } catch (e) { console.log(e.constructor.name, e.message); }\n}`;

interface Case {
  name: string;
  code: string;
  /** Uncaught: compare the report's error line and the exit code too. */
  uncaught?: boolean;
}

const CASES: Case[] = [
  { name: "read property of null", code: caught(`let o = null; o.x;`) },
  { name: "read property of undefined", code: caught(`let o; o.name;`) },
  { name: "read nested property", code: `let p = { a: {} };\n${caught(`p.a.b.c;`)}` },
  { name: "read computed keys", code: `function h(o, k) { return o[k]; }\n${caught(`let u; u[0];`)}\n${caught(`h(undefined, "z");`)}\nlet p = { a: {} };\n${caught(`p.a.b[0];`)}` },
  { name: "read property of a parameter", code: `function f(o) { return o.name; }\n${caught(`f(null);`)}\n${caught(`f(undefined);`)}` },
  { name: "read property in TypeScript", code: `interface User { name: string }\nfunction f(o: User | null): string { return o!.name; }\n${caught(`f(null);`)}` },
  { name: "set property", code: `let p = { a: {} };\n${caught(`let o; o.x = 1;`)}\n${caught(`p.a.b.c = 5;`)}\n${caught(`p.a.b.c = p;`)}\n${caught(`p.a.b.c=p;`)}` },
  { name: "const null is inlined by Bun", code: `const o = null;\n${caught(`o.x;`)}\n${caught(`undefined.x;`)}` },
  {
    name: "bindings Bun substitutes into their one use",
    code: `const d0 = () => 1;\nconst k = null;\nfunction z() { return k.x; }\nfunction a() { let o = null; return o.x; }\nfunction b() { const o = undefined; return o.x; }\nfunction c() { let o = null; o = null; return o.x; }\nconst d = () => { let o = null; console.log(o); return o.x; };\nfunction e() { let o = null; if (true) { return o.x; } }\nfunction f() {\n  console.log(1);\n  const w = null;\n  console.log(w);\n  return w.x;\n}\nfunction g() {\n  console.log(2);\n  let w = null;\n  return w.x;\n}\nfunction h() {\n  let w = null;\n  console.log(3);\n  return w.x;\n}\nfunction i() {\n  const w = null;\n  console.log(w);\n  return w.x;\n}\nlet t = null;\nfunction y() { return t.x; }\nconst late = null;\nfunction l() { return late.x; }\n${each("z, a, b, c, d, e, f, g, h, i, y, l")}`,
  },
  { name: "not defined", code: `${caught(`undefinedFn();`)}\n${caught(`console.log(foo + 1);`)}` },
  { name: "temporal dead zone", code: caught(`console.log(x); let x = 1;`) },
  { name: "reduce of empty array", code: `${caught(`[].reduce((a, b) => a);`)}\n${caught(`[].reduceRight((a, b) => a);`)}` },
  { name: "invalid array length", code: each(`() => new Array(-1), () => new Array(1.5), () => { const a = []; a.length = -1; }`) },
  {
    name: "mixing BigInt and numbers",
    code: `const ops = { add: (a, b) => a + b, sub: (a, b) => a - b, mul: (a, b) => a * b, div: (a, b) => a / b, rem: (a, b) => a % b, pow: (a, b) => a ** b, and: (a, b) => a & b, or: (a, b) => a | b, xor: (a, b) => a ^ b, shl: (a, b) => a << b, shr: (a, b) => a >> b, ushr: (a, b) => a >>> b, addAssign: (a, b) => { a += b; return a; } };\nfor (const [k, f] of Object.entries(ops)) {\n  try { f(1n, 2); } catch (e) { console.log(k, e.constructor.name, e.message); }\n}\n${each(`() => { let a = 1n; return +a; }, () => Math.max(1n), () => 1n / 0n`)}`,
  },
  { name: "class without new", code: caught(`class A {}\n  A();`) },
  { name: "destructuring null and undefined", code: `function k({ a }) {}\n${caught(`const { a } = undefined;`)}\n${caught(`const { a } = null;`)}\n${caught(`k();`)}` },
  { name: "invalid Date", code: caught(`new Date(NaN).toISOString();`) },
  { name: "circular JSON", code: `const a = {}; a.self = a;\n${caught(`JSON.stringify(a);`)}` },
  { name: "stack overflow is a RangeError", code: caught(`function r() { return r() + 1; } r();`) },
  { name: "number formatting ranges", code: each(`() => (1.5).toFixed(200), () => (1.5).toPrecision(0), () => (5).toString(1), () => (1).toExponential(-1)`) },
  { name: "symbols and instanceof", code: each(`() => "" + Symbol("a"), () => Symbol() + 1, () => 1 instanceof 5`) },
  { name: "URI and code points", code: each(`() => decodeURIComponent("%"), () => decodeURI("%E0%A4%A"), () => String.fromCodePoint(-1)`) },
  { name: "repeat count", code: `${each(`() => "x".repeat(-1), () => "x".repeat(Infinity)`)}\nconsole.log("ab".repeat(2));` },
  { name: "BigInt conversions", code: `${each(`() => BigInt(1.5), () => BigInt(NaN), () => BigInt("1.5"), () => BigInt(undefined), () => BigInt(Symbol())`)}\nconsole.log(BigInt(10), BigInt.name, typeof BigInt(1));` },
  {
    name: "JSON.parse messages",
    code: `const inputs = ["{bad", "", " ", "{", "[", '{"a":1', "[1,2", '{"a" 1}', '{"a":1,}', "[1,]", '{"a":}', '"abc', '"a\\u0001b"', '"\\\\x"', "1.", "01", "1e", "tru", "undefined", "NaN", "x", "'a'", "{a:1}", "[1] x", "true false", '{"a":1}}', "hello world this is long text", '{"name": "Alice", "age": 30, bad}', "[1,2,3,4,5,6,7,8,9,10,11,12,x]", "é"];\nfor (const s of inputs) {\n  try { JSON.parse(s); console.log("ok", s); } catch (e) { console.log(JSON.stringify(s), e.name, e.message); }\n}\n${caught(`JSON.parse(undefined);`)}\nconsole.log(JSON.parse('{"ok":[1,2]}'));`,
  },
  { name: "rejection handlers", code: `Promise.resolve().then(() => { let o; return o.x; }).catch((e) => console.log("catch", e.message));\nPromise.resolve().then(() => missing).then(null, (e) => console.log("then", e.message));` },
  { name: "await in try/catch", code: `async function main() {\n  let x;\n  try { await Promise.resolve(); x.foo; } catch (err) { console.log(err.message); }\n}\nmain();` },
  { name: "stack's first line", code: `try { let o = null; o.x; } catch (e) { console.log(e.stack.split("\\n")[0]); console.log(String(e)); }` },
  { name: "uncaught null read", uncaught: true, code: `let o = null;\nconsole.log("before");\nconsole.log(o.name);` },
  { name: "uncaught not defined", uncaught: true, code: `let total = 0;\nconsole.log(totl);` },
  { name: "uncaught in async function", uncaught: true, code: `async function main() {\n  let x;\n  return x.y;\n}\nmain();` },
];

function runBun(code: string) {
  const dir = mkdtempSync(join(tmpdir(), "wasmbox-jsc-"));
  try {
    writeFileSync(join(dir, "main.ts"), code);
    const r = spawnSync(BUN, ["main.ts"], { cwd: dir, env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" }, encoding: "utf8", timeout: 30_000 });
    return { stdout: r.stdout, stderr: r.stderr, exitCode: r.status ?? -1 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The report's `Name: message` line. */
const errorLine = (stderr: string) => stderr.split("\n").find((l) => /^\w*Error: /.test(l));

describe.skipIf(!bunAvailable)("JavaScriptCore's error messages on QuickJS (skipped when node_modules/.bin/bun is missing)", () => {
  for (const c of CASES) {
    it(c.name, { timeout: 60_000 }, async () => {
      const expected = runBun(c.code);
      const got = await executor.execute({ runtime: "bun", code: c.code });
      expect(got.stdout).toBe(expected.stdout);
      expect(got.exitCode).toBe(expected.exitCode);
      if (c.uncaught) {
        expect(errorLine(expected.stderr)).toBeDefined();
        expect(errorLine(got.stderr)).toBe(errorLine(expected.stderr));
      }
    });
  }
});
