// @ts-nocheck
/**
 * GUEST code (loaded on first use): V8's wording for the errors QuickJS makes itself. Programs
 * print caught errors (`catch (e) { console.log(e.message) }`) and their output is compared
 * with Node's, so an error QuickJS made is translated once, where the program first sees it
 * (a catch clause, a rejection handler, the uncaught report: see ../catch-rewrite.ts and the
 * prelude's `v8error`). Only errors whose class and message match a QuickJS pattern change; a
 * message that needs what only V8's parser knew (the callee's source text, the iterated
 * expression) is rebuilt from the program's source at the error's position, and left as it was
 * when that position does not show it. The `bun` runtime gets JavaScriptCore's wording instead
 * (jscMessage), found the same way.
 */
export const v8ErrorsModule = function (module, exports, require, internal) {
  const IDENT = /[\w$#\u0080-\uffff]/;
  // The `bun` runtime words errors as JavaScriptCore does (see jscMessage), not as V8.
  const BUN = internal.flavor === "bun";
  const KEYWORDS = new Set(["return", "typeof", "new", "await", "void", "yield", "case", "throw", "in", "of", "delete", "instanceof", "else", "do"]);

  // ---- where an error was made ------------------------------------------------------------------
  /** QuickJS's frames as { name, path, line, col (of the file as written), native }. */
  function rawFrames(raw) {
    const out = [];
    for (const line of String(raw || "").split("\n")) {
      const m = /^\s*at (.*?) \((.*)\)$/.exec(line) || /^\s*at (.*)$/.exec(line);
      if (!m) continue;
      const name = m[2] === undefined ? "" : m[1];
      const loc = m[2] === undefined ? m[1] : m[2];
      if (loc === "native") {
        out.push({ name, native: true });
        continue;
      }
      const lm = /^(.*):(\d+):(\d+)$/.exec(loc);
      if (!lm || lm[1].startsWith("node:internal")) continue;
      out.push({ name, path: lm[1], line: Number(lm[2]), col: internal.fileColumn(lm[1], Number(lm[2]), Number(lm[3])), native: false });
    }
    return out;
  }
  /** Node's lazily formatted `stack`; `fix`: V8 places the top frame differently (`drop` it, or its `col`). */
  function nodeStack(e, raw, fix) {
    internal.nodeStack(e, raw, (frames) => {
      if (fix && fix.drop) frames.shift();
      else if (fix && fix.col && frames.length) frames[0] = frames[0].replace(/:(\d+):\d+(\)?)$/, `:$1:${fix.col}$2`);
    });
  }
  const translated = new WeakSet();
  /** The `stack` QuickJS gave an error it made itself (frames only), or undefined. */
  function quickjsStack(e) {
    if (translated.has(e) || !(e instanceof Error)) return undefined;
    const d = Object.getOwnPropertyDescriptor(e, "stack");
    return d && typeof d.value === "string" && (d.value === "" || /^\s+at /.test(d.value)) ? d.value : undefined;
  }
  /** The error a catch clause, a rejection handler or the uncaught report is about to see. */
  exports.v8error = function (e) {
    try {
      const raw = quickjsStack(e);
      if (raw === undefined) return e;
      translated.add(e);
      return translate(e, raw);
    } catch {
      return e;
    }
  };
  const setMessage = (e, m) => Object.defineProperty(e, "message", { value: m, writable: true, configurable: true, enumerable: false });
  /** An error from a wrapped built-in (see the prelude), whose V8 message names an argument. */
  exports.rethrow = function (e, name, args) {
    try {
      const raw = quickjsStack(e);
      if (raw === undefined) return e;
      let m;
      if (BUN) m = jscBuiltinMessage(e, name, args);
      else if (name === "parse" && e instanceof SyntaxError) m = jsonParseMessage(String(args[0]));
      else if (name === "stringify" && e.message === "circular reference") m = circularMessage(args[0], args[1]);
      else if (name === "repeat" && e.message === "invalid repeat count") m = `Invalid count value: ${typeof args[0] === "symbol" ? String(args[0]) : internal.noSideEffectsToString(Number(args[0]))}`;
      else if (name === "BigInt") {
        const v = args[0];
        if (e instanceof RangeError) m = `The number ${String(v)} cannot be converted to a BigInt because it is not an integer`;
        else if (e instanceof SyntaxError || e instanceof TypeError) m = `Cannot convert ${typeof v === "symbol" ? v.toString() : String(v)} to a BigInt`;
      } else return exports.v8error(e);
      if (m !== undefined) setMessage(e, m);
      translated.add(e);
      nodeStack(e, raw);
    } catch {}
    return e;
  };

  // ---- the program's source around an error ------------------------------------------------
  function sourceAt(frame) {
    if (!frame || !frame.path || !frame.path.startsWith("/")) return undefined;
    const text = internal.sourceLine(frame.path, frame.line);
    return text === undefined ? undefined : { text, i: frame.col - 1 };
  }
  function skipString(s, i, dir) {
    const q = s[i];
    for (i += dir; i >= 0 && i < s.length; i += dir) {
      if (s[i] === q && (dir > 0 ? s[i - 1] !== "\\" : s[i - 1] !== "\\")) return i;
      if (dir > 0 && s[i] === "\\") i++;
    }
    return -1;
  }
  /** Index of the bracket matching s[i], searching in `dir`. */
  function matching(s, i, dir) {
    const open = s[i];
    const close = { "(": ")", "[": "]", "{": "}", ")": "(", "]": "[", "}": "{" }[open];
    let depth = 0;
    for (; i >= 0 && i < s.length; i += dir) {
      const c = s[i];
      if (c === '"' || c === "'" || c === "`") {
        i = skipString(s, i, dir);
        if (i < 0) return -1;
      } else if (c === open) depth++;
      else if (c === close && --depth === 0) return i;
    }
    return -1;
  }
  /** The source text of the callee whose call's `(` is at s[p]. */
  function calleeBefore(s, p) {
    let j = p - 1;
    const back = () => {
      while (j >= 0 && /\s/.test(s[j])) j--;
    };
    back();
    const end = j + 1;
    for (;;) {
      back();
      const c = s[j];
      let group = false;
      if (c !== undefined && IDENT.test(c)) {
        let k = j;
        while (k >= 0 && IDENT.test(s[k])) k--;
        if (KEYWORDS.has(s.slice(k + 1, j + 1))) break;
        j = k;
      } else if (c === ")" || c === "]" || c === "}") {
        const o = matching(s, j, -1);
        if (o < 0) return undefined;
        j = o - 1;
        group = c !== "}";
      } else if (c === '"' || c === "'" || c === "`") {
        const o = skipString(s, j, -1);
        if (o < 0) return undefined;
        j = o - 1;
      } else break;
      let k = j;
      while (k >= 0 && /\s/.test(s[k])) k--;
      if (s[k] === "." && s[k - 1] !== ".") j = s[k - 1] === "?" ? k - 2 : k - 1;
      else if (group && k >= 0 && (IDENT.test(s[k]) || s[k] === ")" || s[k] === "]") && !KEYWORDS.has(wordBefore(s, k))) j = k;
      else break;
    }
    const text = s.slice(j + 1, end).trim();
    return text || undefined;
  }
  function wordBefore(s, k) {
    let i = k;
    while (i >= 0 && IDENT.test(s[i])) i--;
    return s.slice(i + 1, k + 1);
  }
  /** The source text of the expression (a primary and its member/call chain) starting at s[i]. */
  function expressionAt(s, i) {
    while (i < s.length && /\s/.test(s[i])) i++;
    const start = i;
    const c = s[i];
    if (c === undefined) return undefined;
    if (IDENT.test(c)) while (i < s.length && IDENT.test(s[i])) i++;
    else if (c === "(" || c === "[" || c === "{") {
      const e = matching(s, i, 1);
      if (e < 0) return undefined;
      i = e + 1;
    } else if (c === '"' || c === "'" || c === "`") {
      const e = skipString(s, i, 1);
      if (e < 0) return undefined;
      i = e + 1;
    } else return undefined;
    for (;;) {
      let k = i;
      while (k < s.length && /\s/.test(s[k])) k++;
      if (s[k] === "?" && s[k + 1] === ".") k++;
      if (s[k] === "." && s[k + 1] !== ".") {
        k++;
        while (k < s.length && /\s/.test(s[k])) k++;
        if (!IDENT.test(s[k] || "")) break;
        while (k < s.length && IDENT.test(s[k])) k++;
        i = k;
      } else if (s[k] === "[" || s[k] === "(") {
        const e = matching(s, k, 1);
        if (e < 0) break;
        i = e + 1;
      } else break;
    }
    return s.slice(start, i);
  }

  /** V8's CallPrinter, for the expressions it is usually given: `a.b[0](...).c`. */
  function render(src) {
    const s = src.trim();
    let i = 0;
    const ws = () => {
      while (i < s.length && /\s/.test(s[i])) i++;
    };
    const group = () => {
      const e = matching(s, i, 1);
      if (e < 0) return null;
      const inner = s.slice(i + 1, e);
      i = e + 1;
      return inner;
    };
    const stringValue = (lit) => (/^(["'`])(.*)\1$/s.test(lit) && !(lit[0] === "`" && lit.includes("${")) ? lit.slice(1, -1) : null);
    function primary() {
      ws();
      const c = s[i];
      if (c === undefined) return null;
      if (IDENT.test(c)) {
        const st = i;
        while (i < s.length && IDENT.test(s[i])) i++;
        if (/^\d/.test(s.slice(st, i)) && s[i] === "." && /\d/.test(s[i + 1] || "")) {
          i++;
          while (i < s.length && IDENT.test(s[i])) i++;
        }
        return s.slice(st, i);
      }
      if (c === "-" && /\d/.test(s[i + 1] || "")) {
        const m = /^-[\d.]+(e[+-]?\d+)?/i.exec(s.slice(i));
        i += m[0].length;
        return m[0];
      }
      if (c === '"' || c === "'" || c === "`") {
        const e = skipString(s, i, 1);
        if (e < 0) return null;
        const v = stringValue(s.slice(i, e + 1));
        i = e + 1;
        return v === null ? "(intermediate value)" : `"${v}"`;
      }
      if (c === "(") {
        const inner = group();
        if (inner === null) return null;
        const r = render(inner);
        if (r !== null) return r;
        const t = inner.trim();
        if (/=>|^(async\s+)?function\b|^class\b/.test(t)) return "(intermediate value)";
        return `(${t.replace(/\s+/g, " ")})`;
      }
      if (c === "[") {
        const inner = group();
        if (inner === null) return null;
        const parts = splitTop(inner).map((x) => render(x));
        return parts.includes(null) ? null : `[${parts.join(",")}]`;
      }
      if (c === "{") {
        const inner = group();
        if (inner === null) return null;
        return inner.trim() === "" ? "{}" : "{(intermediate value)}";
      }
      return null;
    }
    let out = primary();
    if (out === null) return null;
    for (;;) {
      ws();
      if (i >= s.length) return out;
      let opt = "";
      if (s[i] === "?" && s[i + 1] === ".") {
        opt = "?";
        i += 2;
        ws();
        if (s[i] !== "(" && s[i] !== "[") {
          const st = i;
          while (i < s.length && IDENT.test(s[i])) i++;
          if (st === i) return null;
          out += `?.${s.slice(st, i)}`;
          continue;
        }
      }
      if (s[i] === "." && !opt) {
        i++;
        ws();
        const st = i;
        while (i < s.length && IDENT.test(s[i])) i++;
        if (st === i) return null;
        out += `.${s.slice(st, i)}`;
      } else if (s[i] === "[") {
        const inner = group();
        if (inner === null) return null;
        const t = inner.trim();
        const v = stringValue(t);
        if (v !== null) out += `${opt ? "?" : ""}.${v}`;
        else {
          const r = render(t);
          out += `${opt ? "?." : ""}[${r !== null ? r : `(${t.replace(/\s+/g, " ")})`}]`;
        }
      } else if (s[i] === "(") {
        if (group() === null) return null;
        out += "(...)";
      } else return null;
    }
  }
  function splitTop(s) {
    const parts = [];
    let depth = 0;
    let st = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c === '"' || c === "'" || c === "`") i = Math.max(i, skipString(s, i, 1));
      else if (c === "(" || c === "[" || c === "{") depth++;
      else if (c === ")" || c === "]" || c === "}") depth--;
      else if (c === "," && depth === 0) {
        parts.push(s.slice(st, i));
        st = i + 1;
      }
    }
    if (s.slice(st).trim() !== "" || parts.length) parts.push(s.slice(st));
    return parts;
  }

  // ---- values, as V8 names them in messages ----------------------------------------------------
  /** The value of a literal argument, or `undefined` when the source does not tell. */
  function literalValue(t) {
    t = t.trim();
    if (t === "undefined") return { v: undefined };
    if (t === "null") return { v: null };
    if (t === "true" || t === "false") return { v: t === "true" };
    if (/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return { v: Number(t) };
    if (/^(["'])(?:(?!\1)[^\\])*\1$/.test(t)) return { v: t.slice(1, -1) };
    if (/^\{\s*\}$/.test(t)) return { v: {} };
    if (/^\[\s*\]$/.test(t)) return { v: [] };
    return undefined;
  }
  const ARRAY_CALLBACKS = new Set(["map", "forEach", "filter", "find", "findIndex", "findLast", "findLastIndex", "some", "every", "reduce", "reduceRight", "from", "Promise"]);
  /** A built-in called with a callback that is not a function: V8 names the value. */
  function callbackMessage(native, user) {
    if (native === "sort" || native === "toSorted") return "The comparison function must be either a function or undefined";
    if (!ARRAY_CALLBACKS.has(native)) return undefined;
    const at = sourceAt(user);
    if (!at || at.text[at.i] !== "(") return undefined;
    const close = matching(at.text, at.i, 1);
    if (close < 0) return undefined;
    const args = splitTop(at.text.slice(at.i + 1, close));
    const arg = native === "from" ? args[1] : args[0];
    const lit = arg === undefined ? { v: undefined } : literalValue(arg);
    if (!lit) return undefined;
    return `${native === "Promise" ? "Promise resolver " : ""}${internal.noSideEffectsToString(lit.v)} is not a function`;
  }

  // ---- the translation -----------------------------------------------------------------------
  const SIMPLE = {
    TypeError: {
      "empty array": "Reduce of empty array with no initial value",
      "cannot convert symbol to string": "Cannot convert a Symbol value to a string",
      "cannot convert symbol to number": "Cannot convert a Symbol value to a number",
      "invalid 'instanceof' right operand": "Right-hand side of 'instanceof' is not an object",
      "not a BigInt": "Cannot convert a BigInt value to a number",
    },
    RangeError: {
      "invalid array length": "Invalid array length",
      "invalid string length": "Invalid string length",
      "BigInt division by zero": "Division by zero",
      "Date value is NaN": "Invalid time value",
      "radix must be between 2 and 36": "toString() radix argument must be between 2 and 36",
      "invalid array buffer length": "Invalid array buffer length",
      "invalid code point": "Invalid code point",
    },
  };
  const DIGITS = {
    toFixed: "toFixed() digits argument must be between 0 and 100",
    toPrecision: "toPrecision() argument must be between 1 and 100",
    toExponential: "toExponential() argument must be between 0 and 100",
  };

  /** V8's message for a QuickJS error, or undefined to keep QuickJS's. */
  function v8Message(name, msg, frames, fix) {
    const top = frames[0];
    const native = top && top.native ? top.name : undefined;
    const user = frames.find((f) => !f.native);
    const simple = SIMPLE[name] && SIMPLE[name][msg];
    if (simple) return simple;
    let m;
    if (name === "ReferenceError") {
      if ((m = /^'(.+)' is not defined$/.exec(msg))) return `${m[1]} is not defined`;
      if ((m = /^(.+) is not initialized$/.exec(msg))) return `Cannot access '${m[1]}' before initialization`;
      return undefined;
    }
    if (name === "RangeError") {
      if (msg === "invalid number of digits" && DIGITS[native]) return DIGITS[native];
      if (msg === "invalid repeat count") return "Invalid count value";
      return undefined;
    }
    if (name === "URIError") return "URI malformed";
    if (name !== "TypeError") return undefined;
    if ((m = /^cannot read property '(.*)' of (null|undefined)$/.exec(msg))) {
      if (m[1] === "Symbol.iterator") return notIterable(top, m[2], fix);
      return `Cannot read properties of ${m[2]} (reading '${m[1]}')`;
    }
    if ((m = /^cannot set property '(.*)' of (null|undefined)$/.exec(msg))) return `Cannot set properties of ${m[2]} (setting '${m[1]}')`;
    if ((m = /^cannot (read|set) property of (null|undefined)$/.exec(msg))) {
      const at = sourceAt(top);
      if (!at || at.text[at.i] !== "[") return undefined;
      const close = matching(at.text, at.i, 1);
      const lit = close > 0 && literalValue(at.text.slice(at.i + 1, close));
      if (!lit || (typeof lit.v !== "number" && typeof lit.v !== "string")) return undefined;
      return m[1] === "read" ? `Cannot read properties of ${m[2]} (reading '${lit.v}')` : `Cannot set properties of ${m[2]} (setting '${lit.v}')`;
    }
    if (msg === "not a function") {
      if (native) return callbackMessage(native, user);
      const at = sourceAt(top);
      if (!at || at.text[at.i] !== "(") return undefined;
      const callee = calleeBefore(at.text, at.i);
      const r = callee && render(callee);
      return r ? `${r} is not a function` : undefined;
    }
    if ((m = /^(.+) is not a constructor$/.exec(msg))) {
      const at = native ? undefined : sourceAt(top);
      if (!at || at.text[at.i] !== "(") return undefined;
      const callee = calleeBefore(at.text, at.i);
      const r = callee && render(callee);
      return r ? `${r} is not a constructor` : undefined;
    }
    if (msg === "class constructors must be invoked with 'new'") {
      if (top && /^[A-Za-z_$][\w$]*$/.test(top.name) && top.name !== "__wasmbox_cjs") {
        // QuickJS reports it from inside the class; V8 from the call.
        fix.drop = true;
        return `Class constructor ${top.name} cannot be invoked without 'new'`;
      }
      const at = sourceAt(top);
      const callee = at && at.text[at.i] === "(" && calleeBefore(at.text, at.i);
      const cls = callee && /([\w$]+)\s*$/.exec(callee);
      return cls ? `Class constructor ${cls[1]} cannot be invoked without 'new'` : undefined;
    }
    if ((m = /^'(.+)' is read-only$/.exec(msg))) {
      const at = sourceAt(top);
      if (!at) return "Assignment to constant variable.";
      let k = at.i - 1;
      while (k >= 0 && /\s/.test(at.text[k])) k--;
      if (at.text[k] === "." || at.text[k] === "[") return `Cannot assign to read only property '${m[1]}' of object '#<Object>'`;
      // V8 points at the assignment operator.
      const op = /^[\w$]+\s*/.exec(at.text.slice(at.i));
      if (op && /^[-+*/%&|^<>=?]*=/.test(at.text.slice(at.i + op[0].length))) fix.col = at.i + op[0].length + 1;
      return "Assignment to constant variable.";
    }
    if (msg === "value is not iterable") return native ? undefined : notIterable(top, undefined, fix);
    if (msg === "cannot convert to object") return native ? "Cannot convert undefined or null to object" : destructureMessage(top);
    if (msg === "cannot convert bigint to number") return native ? "Cannot convert a BigInt value to a number" : "Cannot mix BigInt and other types, use explicit conversions";
    return undefined;
  }

  const DESTRUCTURE = /\b(?:const|let|var)\s*([[{])([^=]*?)[\]}]\s*=\s*([^;]+?)\s*;?\s*(?:$|;|\/\/)/;
  // QuickJS places a failed destructuring at an earlier statement (often the line before).
  function destructuringNear(frame) {
    for (let k = 0; k < 4; k++) {
      const text = internal.sourceLine(frame.path, frame.line + k);
      if (text === undefined) return undefined;
      const d = DESTRUCTURE.exec(text);
      if (d) return d;
    }
    return undefined;
  }
  /** `for (x of EXPR)`, `[...EXPR]`, `const [a] = EXPR`: V8 names EXPR. */
  function notIterable(frame, nullish, fix = {}) {
    const at = sourceAt(frame);
    if (!at) return undefined;
    const here = expressionAt(at.text, at.i);
    const before = at.text.slice(0, at.i);
    if (here && (/\bof\s*$/.test(before) || /\.\.\.\s*$/.test(before))) return `${render(here) || here} is not iterable`;
    const forOf = at.text.match(/\bfor\s*\((?:const|let|var)?[^;()]*?\bof\s+/g);
    if (forOf && forOf.length === 1) {
      const k = at.text.indexOf(forOf[0]) + forOf[0].length;
      const e = expressionAt(at.text, k);
      if (e) {
        fix.col = k + 1;
        return `${render(e) || e} is not iterable`;
      }
    }
    const d = destructuringNear(frame);
    if (d && d[1] === "[") return `${render(d[3]) || d[3]} is not iterable`;
    return nullish ? `${nullish} is not iterable` : undefined;
  }
  /** `const { a } = EXPR` with EXPR undefined or null; a parameter `({ a })` called without it. */
  function destructureMessage(frame) {
    const at = sourceAt(frame);
    if (!at) return undefined;
    const d = destructuringNear(frame);
    if (d && d[1] === "{") {
      const nested = /\{\s*([\w$]+)/.exec(d[2]);
      if (nested) return `Cannot read properties of undefined (reading '${nested[1]}')`;
      const prop = /^\s*([\w$]+)/.exec(d[2]);
      if (!prop) return undefined;
      const what = d[3].trim() === "null" ? "null" : "undefined";
      return `Cannot destructure property '${prop[1]}' of '${d[3].trim()}' as it is ${what}.`;
    }
    const p = /\(\s*\{\s*([\w$]+)/.exec(at.text.slice(at.i));
    if (p) return `Cannot destructure property '${p[1]}' of 'undefined' as it is undefined.`;
    return undefined;
  }

  /** Rewrites a QuickJS-made error in place: V8's class, message and a Node-shaped `stack`. */
  function translate(e, raw) {
    const frames = rawFrames(raw);
    let name;
    try {
      name = e.name;
    } catch {
      return e;
    }
    const msg = e.message;
    let next;
    const fix = {};
    if (name === "InternalError" && msg === "stack overflow") {
      Object.setPrototypeOf(e, RangeError.prototype);
      next = BUN ? "Maximum call stack size exceeded." : "Maximum call stack size exceeded";
    } else {
      try {
        next = BUN ? jscMessage(name, msg, frames) : v8Message(name, msg, frames, fix);
      } catch {
        next = undefined;
      }
    }
    if (next !== undefined) setMessage(e, next);
    nodeStack(e, raw, fix);
    return e;
  }

  // ---- JavaScriptCore's wording, for the `bun` runtime ------------------------------------------
  // Each entry was checked against Bun 1.4.5; a QuickJS error not listed keeps its message.
  const JSC_SIMPLE = {
    TypeError: {
      "cannot convert symbol to string": "Cannot convert a symbol to a string",
      "cannot convert symbol to number": "Cannot convert a symbol to a number",
      "invalid 'instanceof' right operand": "Right hand side of instanceof is not an object",
      "bigint argument with unary +": "Conversion from 'BigInt' to 'number' is not allowed.",
      "bigint operands are forbidden for >>>": "BigInt does not support >>> operator",
    },
    RangeError: {
      "BigInt division by zero": "0 is an invalid divisor value.",
      "radix must be between 2 and 36": "toString() radix argument must be between 2 and 36",
      "invalid code point": "Arguments contain a value that is out of range of code points",
      "invalid repeat count": "String.prototype.repeat argument must be greater than or equal to 0 and not be Infinity",
    },
  };
  const JSC_DIGITS = {
    toFixed: "toFixed() argument must be between 0 and 100",
    toPrecision: "toPrecision() argument must be between 1 and 100",
    toExponential: "toExponential() argument must be between 0 and 100",
  };
  const JSC_OPERATORS = {
    "+": "addition", "-": "subtraction", "*": "multiplication", "/": "division", "%": "remainder", "**": "exponentiation",
    "&": "bitwise 'and' operation", "|": "bitwise 'or' operation", "^": "bitwise 'xor' operation", "<<": "left shift operation", ">>": "signed right shift operation",
  };
  // JSC quotes the expression it was evaluating as Bun's transpiler printed it; only shapes
  // that printing leaves as written are rebuilt (`a.b[0].c`, `o[k]`).
  const JSC_CHAIN = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[(?:\d+|[A-Za-z_$][\w$]*)\])*$/;

  /** JavaScriptCore's message for a QuickJS error, or undefined to keep QuickJS's. */
  function jscMessage(name, msg, frames) {
    const top = frames[0];
    const native = top && top.native ? top.name : undefined;
    const simple = JSC_SIMPLE[name] && JSC_SIMPLE[name][msg];
    if (simple) return simple;
    let m;
    if (name === "ReferenceError") {
      if ((m = /^'(.+)' is not defined$/.exec(msg))) return `${m[1]} is not defined`;
      if ((m = /^(.+) is not initialized$/.exec(msg))) return `Cannot access '${m[1]}' before initialization.`;
      return undefined;
    }
    if (name === "RangeError") {
      if (msg === "invalid array length") return native === "Array" ? "Array length must be a positive integer of safe magnitude." : "Invalid array length";
      if (msg === "invalid number of digits") return JSC_DIGITS[native];
      if (msg === "Date value is NaN" && native === "toISOString") return "Invalid Date";
      return undefined;
    }
    if (name === "URIError") return "URI error";
    if (name !== "TypeError") return undefined;
    if (msg === "empty array" && (native === "reduce" || native === "reduceRight")) return `${native} of empty array with no initial value`;
    if (msg === "class constructors must be invoked with 'new'") {
      // QuickJS reports it from inside the class, so the top frame is named after it.
      return top && /^[A-Za-z_$][\w$]*$/.test(top.name) && top.name !== "__wasmbox_cjs" ? `Cannot call a class constructor ${top.name} without |new|` : undefined;
    }
    if (msg === "cannot convert bigint to number") {
      if (native) return "Conversion from 'BigInt' to 'number' is not allowed.";
      // QuickJS points at the operator.
      const at = sourceAt(top);
      const op = at && /^(\*\*|<<|>>>?|[-+*/%&|^])(=?)/.exec(at.text.slice(at.i));
      return op && JSC_OPERATORS[op[1]] ? `Invalid mix of BigInt and other type in ${JSC_OPERATORS[op[1]]}.` : undefined;
    }
    if ((m = /^cannot (read|set) property(?: '(.*)')? of (null|undefined)$/.exec(msg))) {
      if (m[2] === "Symbol.iterator") return undefined;
      const expr = evaluatedExpression(top, m[1] === "set", m[2]);
      return expr ? `${m[3]} is not an object (evaluating '${expr}')` : undefined;
    }
    if (msg === "cannot convert to object" && !native) {
      // A destructuring of null or undefined: `const { a } = v`, or a parameter `({ a })` left out.
      const d = top && top.path ? destructuringNear(top) : undefined;
      let pattern = d && d[1] === "{" ? d[2] : undefined;
      if (pattern === undefined) {
        const at = sourceAt(top);
        const p = at && /\(\s*\{([^}]*)\}/.exec(at.text.slice(at.i));
        pattern = p ? p[1] : undefined;
      }
      const prop = pattern !== undefined && !/[{[:]/.test(pattern) && /^\s*([\w$]+)/.exec(pattern);
      return prop ? `Cannot destructure property '${prop[1]}' from null or undefined value` : undefined;
    }
    return undefined;
  }
  /** `o.a.b`, `o[k]` or `o.a = v` as JSC quotes it, from the source at the failed access. */
  function evaluatedExpression(frame, set, prop) {
    const at = sourceAt(frame);
    if (!at) return undefined;
    const s = at.text;
    let i = at.i;
    if (set && prop !== undefined && s[i] !== ".") {
      // QuickJS points an assignment whose value is a variable at that variable.
      const lhs = /([A-Za-z_$][\w$.[\]]*)\s*=\s*$/.exec(s.slice(0, i));
      if (!lhs || !lhs[1].endsWith(`.${prop}`)) return undefined;
      const rhs = /^([\w$.]+)\s*(?:;|\}|$)/.exec(s.slice(i));
      return rhs && JSC_CHAIN.test(lhs[1]) && JSC_CHAIN.test(rhs[1]) ? `${jscBase(lhs[1].slice(0, -prop.length - 1), frame)}.${prop} = ${rhs[1]}` : undefined;
    }
    const base = calleeBefore(s, i);
    if (!base || !JSC_CHAIN.test(base)) return undefined;
    let end;
    let expr;
    if (s[i] === "." && prop !== undefined) {
      if (!s.startsWith(prop, i + 1) || IDENT.test(s[i + 1 + prop.length] || "")) return undefined;
      end = i + 1 + prop.length;
      expr = `${jscBase(base, frame)}.${prop}`;
    } else if (s[i] === "[" && prop === undefined) {
      end = matching(s, i, 1) + 1;
      if (end <= 0 || !JSC_CHAIN.test(base + s.slice(i, end))) return undefined;
      expr = `${jscBase(base, frame)}${s.slice(i, end)}`;
    } else return undefined;
    if (!set) return expr;
    const rhs = /^\s*=\s*(\d+(?:\.\d+)?)\s*(?:;|\}|$)/.exec(s.slice(end));
    return rhs ? `${expr} = ${rhs[1]}` : undefined;
  }
  /**
   * Bun's transpiler prints `undefined` as `void 0` and substitutes constants into their uses,
   * and JSC quotes what was printed. Followed here for a binding to null or undefined, as Bun
   * 1.4 does it: a `const` whose block has only declarations before it is replaced everywhere; a
   * binding used once is moved into the statement that follows it, when it is used there (a
   * `let` only below the top level).
   */
  function jscBase(base, frame) {
    if (base === "undefined") return "(void 0)";
    if (!/^[A-Za-z_$][\w$]*$/.test(base) || !frame.path) return base;
    const lines = internal.sourceLines(frame.path);
    if (!lines) return base;
    const src = lines.join("\n");
    const name = base.replace(/\$/g, "\\$");
    let at = frame.col - 1;
    for (let n = 0; n < frame.line - 1; n++) at += lines[n].length + 1;
    // The nearest declaration before the use whose block holds the use.
    const declRe = new RegExp(`\\b(const|let)\\s+${name}\\s*=\\s*(null|undefined)\\s*;`, "g");
    let decl, open, close;
    for (let d; (d = declRe.exec(src)) && d.index < at; ) {
      const o = blockStart(src, d.index);
      const c = o < 0 ? src.length : matching(src, o, 1);
      if (c > at) [decl, open, close] = [d, o, c];
    }
    if (!decl) return base;
    const block = src.slice(open + 1, close);
    const decls = block.match(new RegExp(`\\b(?:const|let|var|function|class)\\s+${name}(?![\\w$])`, "g"));
    if (decls.length !== 1) return base;
    const value = decl[2] === "null" ? "null" : "(void 0)";
    const before = src.slice(open + 1, decl.index);
    if (decl[1] === "const" && /^(\s*(?:const|let)\s+[\w$]+\s*=[^;]*;)*\s*$/.test(before)) return value;
    if (decl[1] === "let" && open < 0) return base;
    const uses = block.match(new RegExp(`(?<![\\w$.])${name}(?![\\w$])`, "g"));
    const between = src.slice(decl.index + decl[0].length, at);
    // Not into a function: only into the statement that follows.
    return uses.length === 2 && !/;|=>|\bfunction\b/.test(between) ? value : base;
  }
  /** Index of the `{` opening the block around s[i], or -1 at the top level. */
  function blockStart(s, i) {
    for (let depth = 0, k = i - 1; k >= 0; k--) {
      const c = s[k];
      if (c === '"' || c === "'" || c === "`") k = skipString(s, k, -1);
      else if (c === "}") depth++;
      else if (c === "{" && depth-- === 0) return k;
      if (k < 0) return -1;
    }
    return -1;
  }
  /** A wrapped built-in's error (see the prelude), in JSC's words; undefined keeps QuickJS's. */
  function jscBuiltinMessage(e, name, args) {
    if (name === "parse" && e instanceof SyntaxError) {
      const m = jscJsonParseMessage(String(args[0]), e.message);
      return m === undefined ? undefined : `JSON Parse error: ${m}`;
    }
    if (name === "stringify" && e.message === "circular reference") return "JSON.stringify cannot serialize cyclic structures.";
    if (name === "repeat" && e.message === "invalid repeat count") return JSC_SIMPLE.RangeError[e.message];
    if (name === "BigInt") {
      if (e instanceof RangeError) return "Not an integer";
      if (e instanceof SyntaxError) return "Failed to parse String to BigInt";
      if (e instanceof TypeError) return "Invalid argument type in ToBigInt operation";
    }
    return undefined;
  }
  /** JSC's JSON.parse message for `text`, given the message QuickJS's parser gave. */
  function jscJsonParseMessage(text, quickjs) {
    const t = text.trim();
    let m;
    if ((m = /^unexpected token: '(.*)'$/.exec(quickjs))) {
      if (/^[A-Za-z_$][\w$]*$/.test(m[1])) return `Unexpected identifier "${m[1]}"`;
      if (m[1] === "'") return "Single quotes (') are not allowed in JSON";
      if (m[1] === "}") return "Unexpected token '}'";
      if (m[1] === "]" && /,\s*\]/.test(t)) return "Unexpected comma at the end of array expression";
      return undefined;
    }
    switch (quickjs) {
      case "unexpected data at the end":
      case "Unexpected number":
      case "Exponent part is missing a number":
        return "Unable to parse JSON string";
      case "Unterminated fractional number":
        return "Invalid digits after decimal point";
      case "Bad control character in string literal":
        return "Unterminated string";
      case "expecting '}'":
        return "Expected '}'";
      case "expecting ']'":
        return "Expected ']'";
      case "expecting ':'":
        return "Expected ':' before value in object property definition";
      case "expecting property name":
        // The first property of an object, or one after a comma.
        return /^\{\s*([^\s"}]|$)/.test(t) ? "Expected '}'" : "Property name must be a string literal";
      case "Unexpected end of JSON input":
        if (t === "" || /^[[{]$/.test(t)) return "Unexpected EOF";
        return /^"[^"\\]*$/.test(t) ? "Unterminated string" : undefined;
      case "Bad escaped character": {
        const esc = /\\([^"\\/bfnrtu])/.exec(t);
        return esc ? `Invalid escape character ${esc[1]}` : undefined;
      }
      case "unexpected character":
        return /^[^\s\w"[{\-]$/.test(t) ? `Unrecognized token '${t}'` : undefined;
    }
    return undefined;
  }

  // ---- JSON.parse: V8's messages, from a validator run on the failed input ---------------------
  function jsonParseMessage(text) {
    const n = text.length;
    let i = 0;
    const fail = (m) => {
      throw { json: m };
    };
    const at = (m) => fail(`${m} in JSON at position ${i}`);
    const ws = () => {
      while (i < n) {
        const c = text[i];
        if (c === " " || c === "\t" || c === "\n" || c === "\r") i++;
        else break;
      }
    };
    const digit = (c) => c !== undefined && c >= "0" && c <= "9";
    const unexpected = () => {
      if (i >= n) fail("Unexpected end of JSON input");
      const c = text[i];
      if (c === '"') at("Unexpected string");
      if (c === "-" || digit(c)) at("Unexpected number");
      if (text === "undefined" || text === "NaN" || text === "Infinity" || text === "[object Object]") fail(`"${text}" is not valid JSON`);
      if (n < 21) fail(`Unexpected token '${c}', "${text}" is not valid JSON`);
      if (i < 10) fail(`Unexpected token '${c}', "${text.slice(0, i + 10)}"... is not valid JSON`);
      if (i < n - 10) fail(`Unexpected token '${c}', ..."${text.slice(i - 10, i + 10)}"... is not valid JSON`);
      fail(`Unexpected token '${c}', ..."${text.slice(i - 10)}" is not valid JSON`);
    };
    const string = () => {
      // text[i] is just after the opening quote.
      for (;;) {
        if (i >= n) at("Unterminated string");
        const c = text[i];
        if (c === '"') {
          i++;
          return;
        }
        if (c === "\\") {
          i++;
          if (i >= n) unexpected();
          const e = text[i];
          if (e === "u") {
            for (let k = 0; k < 4; k++) {
              i++;
              if (!/[0-9a-fA-F]/.test(text[i] || "")) at("Bad Unicode escape");
            }
          } else if (!'"\\/bfnrt'.includes(e)) at("Bad escaped character");
          i++;
          continue;
        }
        if (c < " ") at("Bad control character in string literal");
        i++;
      }
    };
    const number = () => {
      if (text[i] === "-") {
        i++;
        if (!digit(text[i])) at("No number after minus sign");
      }
      if (text[i] === "0") {
        i++;
        if (digit(text[i])) at("Unexpected number");
      } else while (digit(text[i])) i++;
      if (text[i] === ".") {
        i++;
        if (!digit(text[i])) at("Unterminated fractional number");
        while (digit(text[i])) i++;
      }
      if (text[i] === "e" || text[i] === "E") {
        i++;
        if (text[i] === "+" || text[i] === "-") i++;
        if (!digit(text[i])) at("Exponent part is missing a number");
        while (digit(text[i])) i++;
      }
    };
    const literal = (word) => {
      for (let k = 1; k < word.length; k++) {
        i++;
        if (text[i] !== word[k]) unexpected();
      }
      i++;
    };
    const value = () => {
      ws();
      const c = text[i];
      if (c === '"') {
        i++;
        string();
      } else if (c === "-" || digit(c)) number();
      else if (c === "t") literal("true");
      else if (c === "f") literal("false");
      else if (c === "n") literal("null");
      else if (c === "{") object();
      else if (c === "[") array();
      else unexpected();
    };
    const object = () => {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      if (text[i] !== '"') at("Expected property name or '}'");
      let first = true;
      for (;;) {
        i++;
        string();
        ws();
        if (text[i] !== ":") {
          if (first) at("Expected ':' after property name");
          unexpected();
        }
        i++;
        value();
        ws();
        if (text[i] === ",") {
          i++;
          ws();
          if (text[i] !== '"') at("Expected double-quoted property name");
          first = false;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        at("Expected ',' or '}' after property value");
      }
    };
    const array = () => {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        at("Expected ',' or ']' after array element");
      }
    };
    try {
      value();
      ws();
      if (i < n) fail(`Unexpected non-whitespace character after JSON at position ${i}`);
    } catch (e) {
      if (e && typeof e.json === "string") return e.json;
      throw e;
    }
    return undefined;
  }
  exports.jsonParseMessage = jsonParseMessage;

  // ---- JSON.stringify: V8's description of the circle ------------------------------------------
  function constructorName(o) {
    try {
      const p = Object.getPrototypeOf(o);
      const c = p && p.constructor;
      if (typeof c === "function" && typeof c.name === "string" && c.name) return c.name;
    } catch {}
    return "Object";
  }
  function circularMessage(root, replacer) {
    const stack = [];
    const keyText = (k) => (typeof k === "number" ? `index ${k}` : k === "" ? "<anonymous>" : `property '${k}'`);
    const walk = (holder, key, value) => {
      if (value !== null && typeof value === "object" && typeof value.toJSON === "function") value = value.toJSON(String(key));
      if (typeof replacer === "function") value = replacer.call(holder, String(key), value);
      if (value === null || typeof value !== "object") return undefined;
      const at = stack.findIndex((s) => s[1] === value);
      if (at >= 0) {
        const lines = ["Converting circular structure to JSON", `    --> starting at object with constructor '${constructorName(stack[at][1])}'`];
        let k = at + 1;
        const prefixEnd = Math.min(stack.length, k + 2);
        for (; k < prefixEnd; k++) lines.push(`    |     ${keyText(stack[k][0])} -> object with constructor '${constructorName(stack[k][1])}'`);
        if (stack.length > k + 1) lines.push("    |     ...");
        for (k = Math.max(k, stack.length - 1); k < stack.length; k++) lines.push(`    |     ${keyText(stack[k][0])} -> object with constructor '${constructorName(stack[k][1])}'`);
        lines.push(`    --- ${keyText(key)} closes the circle`);
        return lines.join("\n");
      }
      stack.push([key, value]);
      let found;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length && !found; i++) found = walk(value, i, value[i]);
      } else {
        const keys = Array.isArray(replacer) ? replacer.map(String) : Object.keys(value);
        for (const k of keys) if (!found) found = walk(value, k, value[k]);
      }
      stack.pop();
      return found;
    };
    try {
      return walk({ "": root }, "", root);
    } catch {
      return undefined;
    }
  }
};
