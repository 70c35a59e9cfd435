/**
 * Differential test of error messages: QuickJS words its own errors differently from V8, and
 * programs print caught errors. Each program runs under the real `node` in the test and under
 * wasmbox; stdout must agree byte for byte (stderr and the exit code too, for the uncaught ones).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor } from "wasmbox";

const executor = createExecutor({ concurrency: 2 });
afterAll(() => executor.close());

const nodeOk = spawnSync(process.execPath, ["--version"], { encoding: "utf8" }).stdout?.startsWith("v20.");

/** `catch (e) { print(e) }` around one statement. */
const caught = (body: string) => `try {\n  ${body}\n} catch (e) {\n  console.log(e instanceof Error, e instanceof RangeError, e.constructor.name, e.name + ": " + e.message);\n}`;

interface Case {
  name: string;
  code: string;
  entry?: string;
  /** Compare stderr and the exit code too (an uncaught error). */
  full?: boolean;
}

const CASES: Case[] = [
  { name: "read property of null", code: caught(`const o = null; o.x;`) },
  { name: "read property of undefined", code: caught(`let o; o.name;`) },
  { name: "read nested property", code: caught(`const o = {}; o.a.b;`) },
  { name: "read computed literal key", code: caught(`let u; u[0];`) },
  { name: "set property of undefined", code: caught(`let o; o.x = 1;`) },
  { name: "set property of null", code: caught(`const o = null; o.x = 1;`) },
  { name: "not defined", code: caught(`undefinedFn();`) },
  { name: "not defined in expression", code: caught(`console.log(foo + 1);`) },
  { name: "member is not a function", code: caught(`const obj = {}; obj.foo();`) },
  { name: "void 0 is not a function", code: caught(`(void 0)();`) },
  { name: "method on a number", code: caught(`const x = 5; x.map((a) => a);`) },
  { name: "call result member", code: `const a = { b() { return {}; } };\n${caught(`a.b().c();`)}` },
  { name: "callee shapes", code: `const a = { b() { return {}; } }; const i = 2;\nfor (const f of [() => (a.x || a.y)(), () => a[\`k\`](), () => a[i](), () => a[i + 1](), () => a["x-y"](), () => [1, 2].x(), () => ({}).x(), () => a[-1](), () => a?.zz(), () => "abc".foo(), () => (1).toFixed2()]) {\n  try { f(); } catch (e) { console.log(e.message); }\n}` },
  { name: "callback of a built-in", code: `for (const f of [() => [1].map(5), () => [1].forEach("x"), () => [1].map(), () => [1].find({}), () => [3, 1].sort(1), () => new Promise(5)]) {\n  try { f(); } catch (e) { console.log(e.message); }\n}` },
  { name: "toFixed on a string", code: caught(`const n = "5"; n.toFixed(2);`) },
  { name: "not a constructor", code: caught(`new Math.max();`) },
  { name: "assignment to constant", code: caught(`const c = 1; c = 2;`) },
  { name: "reduce of empty array", code: caught(`[].reduce((a, b) => a);`) },
  { name: "invalid array length", code: caught(`new Array(-1);`) },
  { name: "repeat count", code: `for (const n of [-1, Infinity]) {\n  try { "x".repeat(n); } catch (e) { console.log(e.name, e.message); }\n}\nconsole.log("ab".repeat(2));` },
  { name: "BigInt conversions", code: `for (const v of [1.5, "1.5", undefined, NaN]) {\n  try { BigInt(v); } catch (e) { console.log(e.name, e.message); }\n}\nconsole.log(BigInt(10), BigInt.name, BigInt.asIntN(8, 255n), Object(1n) instanceof BigInt, BigInt.prototype.constructor === BigInt);\ntry { new BigInt(1); } catch (e) { console.log(e.message); }` },
  { name: "mix BigInt", code: caught(`1n + 1;`) },
  { name: "Object.keys of null", code: caught(`Object.keys(null);`) },
  { name: "class without new", code: caught(`class A {} A();`) },
  { name: "temporal dead zone", code: caught(`x; let x = 1;`) },
  { name: "for-of over undefined and a number", code: `${caught(`for (const a of undefined) {}`)}\n${caught(`const n = 5; for (const a of n) {}`)}\n${caught(`const o = {}; for (const a of o) {}`)}` },
  { name: "spread and destructuring of non-iterables", code: `${caught(`const u = undefined; [...u];`)}\n${caught(`const [a] = undefined;`)}\n${caught(`const n = 5; const [a] = n;`)}` },
  { name: "destructure undefined", code: `${caught(`const { a } = undefined;`)}\n${caught(`const { a } = null;`)}\n${caught(`function f({ a }) {} f();`)}` },
  { name: "invalid time value", code: caught(`new Date(NaN).toISOString();`) },
  { name: "circular JSON", code: `const a = {}; a.self = a;\n${caught(`JSON.stringify(a);`)}\nconst b = { b: { c: [] } }; b.b.c.push(b);\n${caught(`JSON.stringify(b);`)}\nclass Foo { constructor() { this.me = this; } }\n${caught(`JSON.stringify(new Foo());`)}\nconst d = { a: { b: { c: { d: {} } } } }; d.a.b.c.d.e = d.a;\n${caught(`JSON.stringify(d);`)}` },
  { name: "stack overflow is a RangeError", code: caught(`function r() { return r() + 1; } r();`) },
  { name: "number formatting ranges", code: `for (const f of [() => (1.5).toFixed(200), () => (1.5).toPrecision(0), () => (5).toString(1), () => (1).toExponential(-1)]) {\n  try { f(); } catch (e) { console.log(e.name, e.message); }\n}` },
  { name: "symbol and bigint division", code: `${caught(`"" + Symbol("a");`)}\n${caught(`1n / 0n;`)}` },
  { name: "URI malformed", code: caught(`decodeURIComponent("%");`) },
  {
    name: "JSON.parse messages",
    code: `const inputs = ["{bad", "", "{", "[", '{"a":1', "[1,2", '{"a" 1}', '{"a":1,}', "[1,]", '"abc', '"a\\u0001b"', '"\\\\x"', '"\\\\u12g4"', "-", "1.", "1e", "01", "tru", "trux", "undefined", "NaN", "{a:1}", "[1] x", "hello world this is long text", '{"name": "Alice", "age": 30, bad}', "[1,2,3,4,5,6,7,8,9,10,11,12,x]", '{"a":1,"b" 2}', '{"a":}', "é"];\nfor (const s of inputs) {\n  try { JSON.parse(s); console.log("ok", s); } catch (e) { console.log(JSON.stringify(s), e.name, e.message); }\n}\nconsole.log(JSON.parse('{"ok":[1,2]}', (k, v) => (typeof v === "number" ? v * 2 : v)));`,
  },
  { name: "JSON.parse of undefined", code: caught(`JSON.parse(undefined);`) },
  { name: "destructured catch binding", code: `try { null.x; } catch ({ message }) { console.log(message); }\ntry { null.x; } catch ({ message, name }) { console.log(name, message); }` },
  { name: "catch in strings, comments, regexes and templates is left alone", code: `let s = "a"; /* catch (e) { */ const t = \`catch (x) { \${s} }\`; const re = /catch (e) {/; console.log(t, re.source, "catch (e) {");\ntry { null.q; } catch (e) { console.log(e.message); }` },
  { name: "stack of a caught error", code: `try { null.x; } catch (e) { console.log(e.stack.split("\\n")[0]); console.log(String(e)); }` },
  { name: "rejection handlers", code: `Promise.resolve().then(() => null.x).catch((e) => console.log("catch", e.message));\nPromise.resolve().then(() => undefined.y).then(null, (e) => console.log("then", e.message));\nPromise.allSettled([Promise.resolve().then(() => null.a), 1]).then((r) => console.log(r[0].status, r[0].reason.message, r[1]));` },
  { name: "await in try/catch", code: `async function main() {\n  try { await Promise.resolve().then(() => undefined.foo); } catch (err) { console.log(err.message); }\n}\nmain();` },
  { name: "uncaughtException listener", code: `process.on("uncaughtException", (e) => console.log("ue", e.message));\nundefinedFunction();` },
  { name: "ES module catch", entry: "main.mjs", code: `const o = undefined;\ntry { o.x; } catch (e) { console.log(e.message); }\nconst f = async () => { try { await null.y; } catch (e) { console.log(e.message); } };\nawait f();` },
  { name: "required module catch", code: `require("./lib.js");\ntry { require("./lib.js").fail(); } catch (e) { console.log("main", e.message); }` },
  { name: "uncaught null read", full: true, code: `const o = null;\nconsole.log("before");\nconsole.log(o.name);` },
  { name: "uncaught constant assignment", full: true, code: `const c = 1;\nc = 2;` },
  { name: "uncaught member call", full: true, code: `const user = {};\nuser.getName();` },
  { name: "uncaught reduce", full: true, code: `const arr = [];\nconst r = arr.reduce((a, b) => a + b);` },
  { name: "uncaught in async function", full: true, code: `async function main() {\n  const x = undefined;\n  return x.y;\n}\nmain();` },
  { name: "uncaught class call", full: true, code: `class Animal {}\nconst a = Animal();` },
  { name: "uncaught not defined", full: true, code: `let total = 0;\nconsole.log(totl);` },
  { name: "uncaught invalid array length", full: true, code: `new Array(-1);` },
  { name: "columns after a rewritten catch", full: true, code: `try { x.y; } catch (e) { console.log(e.message); } try { null.x; } catch (e) { console.log(e.message); } null.z;` },
  {
    name: "console.table",
    code: `console.table([{ a: 1, b: "x" }, { a: 2, c: true }]);\nconsole.table([[1, 2], [3, 4, 5]]);\nconsole.table([1, "two", { a: 1 }]);\nconsole.table({ x: { a: 1 }, y: { a: 2, b: 3 } });\nconsole.table([{ a: 1, b: 2 }], ["b"]);\nconsole.table("str"); console.table(5); console.table([]);\nconsole.table(new Map([["k", 1]]));\nconsole.table(new Set(["a", 2]));\nconsole.table([{ name: "Ålice", v: [1, 2, 3, 4] }, { name: "日本", v: { x: 1, y: { z: 1 } } }]);\nconsole.table([{ a: undefined, b: null, c: { p: 1, q: 2, r: 3 } }]);`,
  },
  { name: "Date toString", code: `const d = new Date(0);\nconsole.log(d.toString()); console.log(String(d)); console.log(\`\${d}\`); console.log(d + ""); console.log(d.toTimeString()); console.log(d.toDateString()); console.log(new Date(NaN).toString()); console.log([d], { d });` },
];

const LIB = `exports.fail = function () {\n  try { return null.k; } catch (e) { console.log("lib", e.message); throw e; }\n};\n`;

function runNode(entry: string, code: string) {
  const dir = mkdtempSync(join(tmpdir(), "wasmbox-v8-"));
  try {
    writeFileSync(join(dir, entry), code);
    writeFileSync(join(dir, "lib.js"), LIB);
    const r = spawnSync(process.execPath, [entry], { cwd: dir, env: { PATH: process.env.PATH ?? "" }, encoding: "utf8", timeout: 30_000 });
    const unroot = (s: string) => s.replaceAll(dir, "");
    return { stdout: unroot(r.stdout), stderr: unroot(r.stderr), exitCode: r.status ?? -1 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const versionLine = (s: string) => s.replace(/^Node\.js v\S+$/m, "Node.js <version>");

describe.skipIf(!nodeOk)("V8's error messages on QuickJS (skipped without node v20 on PATH)", () => {
  it("has at least 40 programs", () => expect(CASES.length).toBeGreaterThanOrEqual(40));
  for (const c of CASES) {
    it(c.name, { timeout: 60_000 }, async () => {
      const entry = c.entry ?? "main.js";
      const expected = runNode(entry, c.code);
      const got = await executor.execute({ runtime: "node", files: { [entry]: c.code, "lib.js": LIB }, entrypoint: entry });
      if (c.full) {
        expect({ stdout: got.stdout, stderr: versionLine(got.stderr), exitCode: got.exitCode }).toEqual({
          stdout: expected.stdout,
          stderr: versionLine(expected.stderr),
          exitCode: expected.exitCode,
        });
      } else {
        expect(got.stdout).toBe(expected.stdout);
        expect(got.exitCode).toBe(expected.exitCode);
      }
    });
  }
});
