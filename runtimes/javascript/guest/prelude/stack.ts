// @ts-nocheck
/**
 * GUEST code, a part of the prelude (../bootstrap.ts): errors' `stack` in Node's shape (QuickJS's frames
 * rewritten, columns of the file as written), the Error constructors that make it, Error.captureStackTrace.
 */
export function stackPart(internal, G, host, config) {
  "use strict";
  const flavor = config.flavor;
  const hide = internal.hide;
  // Taken before ./v8-words.ts wraps JSON.parse.
  const nativeParse = JSON.parse;
  // QuickJS reports stack exhaustion as InternalError; Node programs test `instanceof RangeError`.
  if (typeof G.InternalError === "function") Object.setPrototypeOf(G.InternalError.prototype, RangeError.prototype);
  const LOADER_FRAMES = [
    "    at Module._compile (node:internal/modules/cjs/loader:1521:14)",
    "    at Module._extensions..js (node:internal/modules/cjs/loader:1623:10)",
    "    at Module.load (node:internal/modules/cjs/loader:1266:32)",
    "    at Module._load (node:internal/modules/cjs/loader:1091:12)",
    "    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:164:12)",
    "    at node:internal/main/run_main_module:28:49",
  ];
  const CJS_WRAP = "(function __wasmbox_cjs(exports, require, module, __filename, __dirname) { ";
  // Built-ins that call back into the program, as V8 names their frames (QuickJS: "at map (native)").
  const V8_BUILTIN_FRAMES = { __proto__: null, parse: "JSON.parse", stringify: "JSON.stringify", Promise: "new Promise" };
  for (const n of ["map", "forEach", "filter", "reduce", "reduceRight", "find", "findIndex", "findLast", "findLastIndex", "some", "every", "sort", "flatMap", "toSorted"]) V8_BUILTIN_FRAMES[n] = `Array.${n}`;
  V8_BUILTIN_FRAMES.from = "Function.from";
  // QuickJS frames: "    at name (file:line:col)"; ours (node:internal/...) are dropped.
  function nodeFrames(raw) {
    const out = [];
    let entryTop = false;
    for (const line of String(raw || "").split("\n")) {
      const m = /^\s*at (.*?) \((.*)\)$/.exec(line) || /^\s*at (.*)$/.exec(line);
      if (!m) continue;
      let name = m[2] === undefined ? "" : m[1];
      let loc = m[2] === undefined ? m[1] : m[2];
      if (loc === "native" && flavor === "node" && V8_BUILTIN_FRAMES[name] && !entryTop) {
        out.push(`    at ${V8_BUILTIN_FRAMES[name]} (<anonymous>)`);
        continue;
      }
      if (loc.startsWith("node:internal") || loc === "native" || loc.startsWith("<")) continue;
      if (name.startsWith("__wasmbox") && name !== "__wasmbox_cjs") continue;
      const lm = /^(.*):(\d+):(\d+)$/.exec(loc);
      if (lm) loc = `${lm[1]}:${lm[2]}:${calleeColumn(lm[1], Number(lm[2]), fileColumn(lm[1], Number(lm[2]), Number(lm[3])))}`;
      if (name === "__wasmbox_cjs") {
        name = "Object.<anonymous>";
        entryTop = lm && lm[1] === internal.entryPath;
      } else entryTop = false;
      // Node names ES module files by URL.
      if (flavor === "node" && lm && name !== "<eval>" && isEsmFile(lm[1])) loc = `file://${loc}`;
      if (name === "<anonymous>" || name === "") out.push(`    at ${loc}`);
      else if (name === "<eval>") out.push(`    at ${flavor === "bun" ? loc : "file://" + loc}`);
      else out.push(`    at ${name} (${loc})`);
    }
    if (entryTop && flavor === "node") out.push(...LOADER_FRAMES);
    // V8 keeps Error.stackTraceLimit (10) frames, Node's own included (a stack overflow shows 10).
    if (flavor === "node" && out.length > 10) out.length = 10;
    return out;
  }
  internal.nodeFrames = nodeFrames;
  // Columns of the file as written: without the CommonJS wrapper and the catch-clause rewrite.
  const shiftsByPath = new Map();
  function fileColumn(path, line, col) {
    let shifts = shiftsByPath.get(path);
    if (shifts === undefined) {
      const json = host.shifts(path);
      shifts = json ? nativeParse(json) : null;
      shiftsByPath.set(path, shifts);
    }
    if (shifts) {
      const raw = col;
      for (const s of shifts) if (s[0] === line && raw >= s[1]) col -= s[2];
    }
    if (line === 1 && internal.cjsFiles && internal.cjsFiles.has(path) && col > CJS_WRAP.length) col -= CJS_WRAP.length;
    return col;
  }
  internal.fileColumn = fileColumn;
  internal.sourceLine = (path, line) => {
    const lines = fileLines(path);
    return lines ? lines[line - 1] : undefined;
  };
  /** A file's lines, read once (null when it is not a file of the program). */
  internal.sourceLines = (path) => fileLines(path);
  const esmFiles = new Map();
  function isEsmFile(path) {
    let m = esmFiles.get(path);
    if (m === undefined) {
      m = !(internal.cjsFiles && internal.cjsFiles.has(path)) && !!host.isModule(path);
      esmFiles.set(path, m);
    }
    return m;
  }
  // QuickJS points at the "(" of a call; V8 at the start of the callee (`new`, or the member name).
  const sourceLines = new Map();
  function fileLines(path) {
    let lines = sourceLines.get(path);
    if (lines === undefined) {
      const src = host.readSource(path);
      lines = src === undefined ? null : src.split("\n");
      sourceLines.set(path, lines);
    }
    return lines;
  }
  function calleeColumn(path, line, col) {
    const lines = fileLines(path);
    const text = lines && lines[line - 1];
    // A failed property read: QuickJS points at the `.`, V8 at the name after it.
    if (text && text[col - 1] === "." && text[col - 2] !== ")" && text[col] !== "." && /[\w$#]/.test(text[col] || "")) return col + 1;
    if (text && text[col - 1] === "?" && text[col] === "." && /[\w$#]/.test(text[col + 1] || "")) return col + 2;
    if (!text || text[col - 1] !== "(") return col;
    let i = col - 2;
    while (i >= 0 && /\s/.test(text[i])) i--;
    const end = i;
    while (i >= 0 && /[\w$]/.test(text[i])) i--;
    if (i === end) return col;
    let start = i + 1;
    let j = i;
    while (j >= 0 && /\s/.test(text[j])) j--;
    if (flavor === "node" && j >= 2 && text.slice(j - 2, j + 1) === "new" && (j < 3 || !/[\w$]/.test(text[j - 3]))) start = j - 2;
    return start + 1;
  }
  const stackRaw = new WeakMap();
  function errorHeader(e) {
    let name, message;
    try {
      name = e.name;
      message = e.message;
    } catch {}
    name = name === undefined ? "Error" : String(name);
    message = message === undefined ? "" : String(message);
    if (flavor === "bun" && config.bunErrors) return `${name}: ${message}`;
    return message ? (name ? `${name}: ${message}` : message) : name;
  }
  function errorStack(e) {
    let s;
    try {
      s = e.stack;
    } catch {}
    if (typeof s !== "string" || s === "") return `[${errorHeader(e)}]`;
    if (!/^\s+at /.test(s) && s.length) return s;
    const frames = nodeFrames(s);
    return [errorHeader(e), ...frames].join("\n");
  }
  internal.errorStack = errorStack;
  /**
   * Gives `e` Node's lazily formatted `stack`, made from QuickJS's frames `raw` when first read;
   * `adjust(frames)` may change the frames where V8 shows them differently.
   */
  function nodeStack(e, raw, adjust) {
    let cached;
    Object.defineProperty(e, "stack", {
      configurable: true,
      enumerable: false,
      get() {
        if (cached === undefined) {
          const frames = nodeFrames(raw);
          adjust?.(frames);
          cached = [errorHeader(this), ...frames].join("\n");
        }
        return cached;
      },
      set(v) {
        Object.defineProperty(this, "stack", { value: v, writable: true, configurable: true, enumerable: false });
      },
    });
  }
  internal.nodeStack = nodeStack;
  // Errors made by the program's constructors get Node's lazily formatted `stack`.
  const wrappedErrors = new Set();
  function patchError(Native) {
    const proto = Native.prototype;
    const Wrapped = function (...args) {
      const e = Reflect.construct(Native, args, new.target || Wrapped);
      const raw = e.stack;
      // V8 starts the stack below the constructors of the program's Error subclasses
      // (`class MyErr extends Error`): their frames are not shown.
      const constructors = new Set();
      for (let c = new.target; typeof c === "function" && !wrappedErrors.has(c); c = Object.getPrototypeOf(c)) constructors.add(c.name);
      nodeStack(e, raw, (frames) => {
        while (frames.length > 0 && constructors.has((/^    at (?:new )?([\w$]+) \(/.exec(frames[0]) || [])[1])) frames.shift();
      });
      return e;
    };
    wrappedErrors.add(Wrapped);
    Object.defineProperty(Wrapped, "name", { value: Native.name });
    Object.defineProperty(Wrapped, "length", { value: 1 });
    Wrapped.prototype = proto;
    Object.setPrototypeOf(Wrapped, Native === Error ? Function.prototype : G.Error);
    hide(proto, "constructor", Wrapped);
    return Wrapped;
  }
  const NativeError = Error;
  for (const n of ["Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError"]) hide(G, n, patchError(G[n]));
  G.Error.captureStackTrace = function (obj) {
    const raw = new NativeError().stack;
    Object.defineProperty(obj, "stack", {
      configurable: true,
      enumerable: false,
      get() {
        return [errorHeader(this), ...nodeFrames(raw).slice(1)].join("\n");
      },
      set(v) {
        Object.defineProperty(this, "stack", { value: v, writable: true, configurable: true, enumerable: false });
      },
    });
  };
  G.Error.stackTraceLimit = 10;
  internal.errorHeader = errorHeader;
  internal.isEsmFile = isEsmFile;
  internal.cjsWrap = CJS_WRAP;
  internal.loaderFrames = LOADER_FRAMES;
}
