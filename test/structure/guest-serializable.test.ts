/**
 * The JavaScript guest (runtimes/javascript/guest/) is written as plain functions that reach
 * QuickJS as their source text (Function.prototype.toString), so each must refer to nothing
 * outside itself: a name another part or the host module declares would be a ReferenceError in
 * the guest, and only on the path that reads it. Checked here by the TypeScript checker on each
 * function's text alone, with nothing declared but the ECMAScript library.
 */
import vm from "node:vm";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { bootstrapSource, preludeParts } from "../../dist/runtimes/javascript/guest/bootstrap.js";
import { BUILTIN_NAMES, builtinSource } from "../../dist/runtimes/javascript/guest/sources.js";

/** The globals ./prelude/globals.ts installs, which code run after the prelude may read. */
const PRELUDE_GLOBALS = new Set(
  ("console process global setTimeout setInterval setImmediate clearTimeout clearInterval clearImmediate queueMicrotask TextEncoder " +
    "TextDecoder Buffer URL URLSearchParams EventTarget Event AbortController AbortSignal structuredClone atob btoa crypto fetch performance").split(" "),
);

/** Each text's names that nothing declares (but those in `allowed`), as "name (file)". */
function undeclaredNames(texts: Record<string, string>, allowed = new Set<string>()): string[] {
  const options: ts.CompilerOptions = {
    allowJs: true,
    checkJs: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2023.d.ts"],
    types: [],
    moduleDetection: ts.ModuleDetectionKind.Force,
  };
  const files = new Map(Object.entries(texts).map(([name, text]) => [`/guest/${name.replace(/\W/g, "_")}.js`, text]));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, ...rest) => {
    const text = files.get(file);
    return text === undefined ? getSourceFile(file, language, ...rest) : ts.createSourceFile(file, text, language, true, ts.ScriptKind.JS);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => files.has(file) || fileExists(file);
  const program = ts.createProgram([...files.keys()], options, host);
  const out: string[] = [];
  for (const file of files.keys()) {
    for (const d of program.getSemanticDiagnostics(program.getSourceFile(file))) {
      const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      const m = /^Cannot find name '([^']+)'/.exec(text);
      if (m && !allowed.has(m[1])) out.push(`${m[1]} (${file})`);
    }
  }
  return out;
}

describe("the JavaScript guest's serialized functions", () => {
  it("each prelude part refers to nothing outside itself", () => {
    expect(preludeParts.length).toBeGreaterThan(1);
    const texts = Object.fromEntries(preludeParts.map((p: () => void, i: number) => [`part${i}`, `(${p.toString()});`]));
    expect(undeclaredNames(texts)).toEqual([]);
  }, 60_000);

  it("the composed prelude refers to nothing outside itself", () => {
    expect(undeclaredNames({ bootstrap: `${bootstrapSource()};` })).toEqual([]);
  }, 60_000);

  it("each built-in module refers to nothing but the globals the prelude installs", () => {
    const texts: Record<string, string> = {};
    for (const name of BUILTIN_NAMES) {
      const src = builtinSource("node", name);
      if (src !== undefined) texts[name] = `${src};`;
    }
    expect(Object.keys(texts).length).toBeGreaterThan(10);
    expect(undeclaredNames(texts, PRELUDE_GLOBALS)).toEqual([]);
  }, 60_000);

  it("the composed prelude evaluates, in a realm of its own, to a function of (host, config)", () => {
    const f = vm.runInNewContext(bootstrapSource());
    expect(typeof f).toBe("function");
    expect(f.length).toBe(2);
  });
});
