// @ts-nocheck
/**
 * GUEST code (runs inside QuickJS; serialized with Function.prototype.toString, so it may not
 * refer to anything outside itself). Bun's console formatter, ported from oven-sh/bun
 * src/bun.js/ConsoleObject.zig (`Formatter.printAs`). Bun does not measure what it printed:
 * it streams, keeping an estimated line length that only some writes add to, and breaks a line
 * when that estimate passes 80 at a comma. The estimate is what decides `[ 1, {` versus a break,
 * so every `est +=` below mirrors an `addForNewLine`/`printComma`/`space` of the original, and
 * writes that Bun does not count (indentation, `": "`, class names) deliberately add nothing.
 * `util.inspect` stays Node's (as in Bun); only console output and `Bun.inspect` use this.
 */
export const inspectBunModule = function (module, exports, require, internal) {
  const customSymbol = Symbol.for("nodejs.util.inspect.custom");
  const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
  const MAX_ARRAY_ITEMS = 100;
  const MAX_TYPED_ITEMS = 512;
  const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag).get;
  const toStr = (v) => Object.prototype.toString.call(v);

  function isClass(fn) {
    try {
      return /^class\b/.test(Function.prototype.toString.call(fn));
    } catch {
      return false;
    }
  }

  // Bun's Tag.get: which printer a value takes. Boxed numbers, booleans, strings and regexps count
  // as primitives there (they never force an array onto several lines).
  const PRIMITIVE = new Set(["Undefined", "Null", "Number", "Boolean", "String", "BigInt", "Symbol", "NumberObject", "BooleanObject", "StringObject"]);
  function tagOf(v) {
    switch (typeof v) {
      case "undefined":
        return "Undefined";
      case "number":
        return "Number";
      case "boolean":
        return "Boolean";
      case "string":
        return "String";
      case "bigint":
        return "BigInt";
      case "symbol":
        return "Symbol";
    }
    if (v === null) return "Null";
    let custom;
    try {
      custom = v[customSymbol];
    } catch {}
    if (typeof custom === "function") return "Custom";
    if (typeof v === "function") return isClass(v) ? "Class" : "Function";
    if (Array.isArray(v) || toStr(v) === "[object Arguments]") return "Array";
    if (v instanceof Error) return "Error";
    if (v instanceof String || v instanceof RegExp) return "StringObject";
    if (v instanceof Number) return "NumberObject";
    if (v instanceof Boolean) return "BooleanObject";
    if (v instanceof Map || v instanceof WeakMap) return "Map";
    if (v instanceof Set || v instanceof WeakSet) return "Set";
    if (v instanceof Date) return "Date";
    if (v instanceof Promise) return "Promise";
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return "TypedArray";
    return "Object";
  }

  function createFormatter(options) {
    return { out: "", est: 0, indent: 0, depth: 0, maxDepth: options.depth === undefined ? 2 : options.depth, quote: !!options.quote, seen: new Set(), rest: [] };
  }
  const indentOf = (f) => "  ".repeat(f.indent);
  function resetLine(f) {
    f.est = f.indent * 2;
  }
  function goodTimeForANewLine(f) {
    if (f.est > 80) {
      resetLine(f);
      return true;
    }
    return false;
  }
  function printComma(f) {
    f.out += ",";
    f.est += 1;
  }
  function space(f) {
    f.out += " ";
    f.est += 1;
  }

  function format(f, v) {
    const tag = tagOf(v);
    if (tag === "Function" || tag === "Array" || tag === "Object" || tag === "Map" || tag === "Set" || tag === "Error" || tag === "Class") {
      if (f.seen.has(v)) {
        f.out += "[Circular]";
        return;
      }
      f.seen.add(v);
      try {
        printAs(f, tag, v);
      } finally {
        f.seen.delete(v);
      }
      return;
    }
    printAs(f, tag, v);
  }

  function printString(f, s, raw) {
    f.est += s.length;
    if (f.quote && !raw) f.out += s === "" ? '""' : JSON.stringify(s);
    else f.out += s;
  }

  function printAs(f, tag, v) {
    switch (tag) {
      case "String":
        return printString(f, v, false);
      case "StringObject":
        return v instanceof RegExp ? printString(f, RegExp.prototype.toString.call(v), true) : printString(f, String.prototype.valueOf.call(v), false);
      case "Number": {
        const s = Object.is(v, -0) ? "-0" : String(v);
        f.est += s.length;
        f.out += s;
        return;
      }
      case "BigInt":
        f.est += String(v).length;
        f.out += `${v}n`;
        return;
      case "Symbol": {
        const d = v.description || "";
        f.est += 6 + d.length + 2;
        f.out += `Symbol(${d})`;
        return;
      }
      case "Undefined":
        f.est += 9;
        f.out += "undefined";
        return;
      case "Null":
        f.est += 4;
        f.out += "null";
        return;
      case "Boolean":
        f.est += v ? 4 : 5;
        f.out += String(v);
        return;
      case "NumberObject":
      case "BooleanObject": {
        const type = tag === "NumberObject" ? "Number" : "Boolean";
        const prim = String(type === "Number" ? Number.prototype.valueOf.call(v) : Boolean.prototype.valueOf.call(v));
        const name = (v.constructor && v.constructor.name) || type;
        f.est += name === type ? prim.length + type.length + 4 : name.length + prim.length + type.length + 5;
        f.out += name === type ? `[${type}: ${prim}]` : `[${type} (${name}): ${prim}]`;
        return;
      }
      case "Date": {
        const t = Date.prototype.getTime.call(v);
        const s = Number.isNaN(t) ? "Invalid Date" : Date.prototype.toISOString.call(v);
        f.est += Number.isNaN(t) ? 4 : s.length + 2; // the length of its JSON text
        f.out += s;
        return;
      }
      case "Class":
        return printClass(f, v);
      case "Function":
        return printFunction(f, v);
      case "Error":
        f.out += errorText(v);
        return;
      case "Promise": {
        if (goodTimeForANewLine(f)) f.out += "\n" + indentOf(f);
        const state = internal.host.promiseState(v);
        f.out += `Promise { ${state === "pending" ? "<pending>" : state[0] === "fulfilled" ? "<resolved>" : "<rejected>"} }`;
        return;
      }
      case "TypedArray":
        return printTypedArray(f, v);
      case "Custom":
        return printCustom(f, v);
      case "Array":
        return printArray(f, v);
      case "Map":
        return printMap(f, v);
      case "Set":
        return printSet(f, v);
      default:
        return printObject(f, v);
    }
  }

  function printClass(f, v) {
    const name = typeof v.name === "string" ? v.name : "";
    const proto = Object.getPrototypeOf(v);
    const superName = proto && proto !== Function.prototype && typeof proto.name === "string" ? proto.name : "";
    f.est += name.length + superName.length;
    f.out += `[class ${name || "(anonymous)"}${superName ? ` extends ${superName}` : ""}]`;
  }

  function printFunction(f, v) {
    const name = typeof v.name === "string" ? v.name : "";
    const proto = Object.getPrototypeOf(v);
    const ctor = proto && proto !== Function.prototype && proto.constructor ? proto.constructor.name : "";
    const kind = ctor === "AsyncFunction" || ctor === "GeneratorFunction" || ctor === "AsyncGeneratorFunction" ? ctor : "";
    if (name === "" || name === kind) f.out += kind ? `[${kind}]` : "[Function]";
    else f.out += `[${kind || "Function"}: ${name}]`;
  }

  function printCustom(f, v) {
    const util = require("internal/inspect");
    const depth = f.maxDepth - f.depth;
    const result = v[customSymbol].call(v, depth < 0 ? 0 : depth, { depth: f.maxDepth, colors: false, stylize: (s) => s }, util.inspect);
    if (typeof result === "string") f.out += result;
    else format(f, result);
  }

  function printTypedArray(f, v) {
    if (internal.isBuffer && internal.isBuffer(v)) {
      f.out += require("internal/inspect").inspect(v);
      return;
    }
    let name, items;
    if (v instanceof ArrayBuffer) (name = "ArrayBuffer"), (items = new Uint8Array(v));
    else if (v instanceof DataView) (name = "DataView"), (items = new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    else (name = typedArrayTag.call(v)), (items = v);
    const bigint = name === "BigInt64Array" || name === "BigUint64Array";
    f.out += `${name}(${items.length}) [`;
    if (items.length === 0) {
      f.out += "]";
      return;
    }
    const shown = Math.min(items.length, MAX_TYPED_ITEMS + 1);
    for (let i = 0; i < shown; i++) {
      if (i > 0) {
        printComma(f);
        space(f);
      } else f.out += " ";
      f.out += bigint ? `${items[i]}n` : Object.is(items[i], -0) ? "-0" : String(items[i]);
    }
    if (items.length > shown) f.out += `${bigint ? "n" : ""}, ... ${items.length - shown} more`;
    f.out += " ]";
  }

  // The `[Object ...]` that stands for anything nested deeper than the depth limit.
  function printTooDeep(f, name) {
    if (f.alwaysNewlineScope || goodTimeForANewLine(f)) {
      f.out += "\n" + indentOf(f);
      resetLine(f);
    }
    f.out += `[${name} ...]`;
  }

  function printArray(f, v) {
    const len = v.length;
    if (len === 0) {
      f.out += "[]";
      f.est += 2;
      return;
    }
    if (f.depth > f.maxDepth) return printTooDeep(f, "Array");
    let wasGoodTime = f.alwaysNewlineScope || len > 10;
    const prevQuote = f.quote;
    f.indent += 1;
    f.depth += 1;
    try {
      f.est += 2;
      f.quote = true;
      let emptyStart = null;
      const has = (i) => Object.prototype.hasOwnProperty.call(v, i);
      const first = has(0) ? v[0] : undefined;
      wasGoodTime = wasGoodTime || !PRIMITIVE.has(tagOf(first)) || goodTimeForANewLine(f);
      if (wasGoodTime) {
        resetLine(f);
        f.out += "[\n" + indentOf(f);
        f.est += 1;
      } else {
        f.out += "[ ";
        f.est += 2;
      }
      if (!has(0)) emptyStart = 0;
      else format(f, first);

      const breakOrSpace = () => {
        if (goodTimeForANewLine(f)) {
          wasGoodTime = true;
          f.out += "\n" + indentOf(f);
        } else space(f);
      };
      const printEmpty = (count) => {
        if (count === 1) {
          f.out += "empty item";
          f.est += 10;
        } else {
          f.est += String(count).length + 14;
          f.out += `${count} x empty items`;
        }
      };
      let i = 1;
      let nonEmpty = 1;
      for (; i < len; i++) {
        if (!has(i)) {
          if (emptyStart === null) emptyStart = i;
          continue;
        }
        if (nonEmpty >= MAX_ARRAY_ITEMS) {
          printComma(f);
          f.out += "\n";
          f.est = 0;
          f.out += indentOf(f) + `... ${len - i} more items`;
          f.est += 15;
          break;
        }
        nonEmpty += 1;
        if (emptyStart !== null) {
          if (emptyStart > 0) {
            printComma(f);
            breakOrSpace();
          }
          printEmpty(i - emptyStart);
          emptyStart = null;
        }
        printComma(f);
        breakOrSpace();
        format(f, v[i]);
      }
      if (emptyStart !== null) {
        if (emptyStart > 0) {
          printComma(f);
          breakOrSpace();
        }
        printEmpty(len - emptyStart);
      }
      if (toStr(v) !== "[object Arguments]") {
        const extra = Object.keys(v).filter((k) => !/^(0|[1-9][0-9]*)$/.test(k) || Number(k) >= len);
        for (const s of Object.getOwnPropertySymbols(v)) if (Object.prototype.propertyIsEnumerable.call(v, s)) extra.push(s);
        printProperties(f, v, extra.map((k) => [k, v]), i, goodTimeForANewLine(f));
      }
    } finally {
      f.depth -= 1;
      f.indent -= 1;
      f.quote = prevQuote;
    }
    if (wasGoodTime || goodTimeForANewLine(f)) {
      resetLine(f);
      f.out += "\n" + indentOf(f) + "]";
      resetLine(f);
      f.est += 1;
    } else {
      f.out += " ]";
      f.est += 2;
    }
  }

  function printMap(f, v) {
    const name = v instanceof WeakMap ? "WeakMap" : "Map";
    printCollection(f, v, name, name === "Map" ? v.size : 0, ([key, value]) => {
      format(f, key);
      f.out += ": ";
      format(f, value);
    });
  }

  function printSet(f, v) {
    const name = v instanceof WeakSet ? "WeakSet" : "Set";
    printCollection(f, v, name, name === "Set" ? v.size : 0, (value) => format(f, value));
  }

  // Map and Set (weak ones show no entries): one entry a line, strings quoted.
  function printCollection(f, v, name, size, printEntry) {
    if (size === 0) {
      f.out += `${name} {}`;
      return;
    }
    if (f.depth > f.maxDepth) return printTooDeep(f, name);
    const prevQuote = f.quote;
    f.quote = true;
    f.out += `${name}(${size}) {\n`;
    f.indent += 1;
    f.depth += 1;
    try {
      for (const entry of v) {
        f.out += indentOf(f);
        printEntry(entry);
        printComma(f);
        f.out += "\n";
      }
    } finally {
      f.indent -= 1;
      f.depth -= 1;
      f.quote = prevQuote;
    }
    f.out += indentOf(f) + "}";
  }

  // Bun's `getObjectName`: the class shown before `{`, none for plain objects.
  function objectName(v) {
    if (v === Math || v === JSON || v === Reflect) return v[Symbol.toStringTag] || (v === Reflect ? "Reflect" : null);
    const proto = Object.getPrototypeOf(v);
    if (proto === null) return "[Object: null prototype]";
    let p = proto;
    while (p !== null) {
      const d = Object.getOwnPropertyDescriptor(p, "constructor");
      if (d && typeof d.value === "function") {
        const n = d.value.name;
        return n && n !== "Object" ? String(n) : null;
      }
      p = Object.getPrototypeOf(p);
    }
    return null;
  }

  // JSC's forEachProperty as Bun calls it: own string keys (enumerable or not) of the object and
  // of up to four prototypes before Object.prototype, first occurrence wins, `constructor` and
  // `__proto__` left out; then the object's own enumerable symbols.
  function objectEntries(v) {
    const entries = [];
    const names = new Set();
    let cur = v;
    for (let level = 0; cur !== null && cur !== Object.prototype && cur !== Function.prototype && level < 5; level++) {
      for (const k of Object.getOwnPropertyNames(cur)) {
        if (k === "constructor" || k === "__proto__" || names.has(k)) continue;
        names.add(k);
        entries.push([k, cur]);
      }
      cur = Object.getPrototypeOf(cur);
    }
    for (const s of Object.getOwnPropertySymbols(v)) if (Object.prototype.propertyIsEnumerable.call(v, s)) entries.push([s, v]);
    return entries;
  }

  function printObject(f, v) {
    const prevQuote = f.quote;
    const prevScope = f.alwaysNewlineScope;
    f.quote = true;
    try {
      // Bun decides the iterator's line breaking before it looks at the depth.
      const alwaysNewline = goodTimeForANewLine(f);
      if (f.depth > f.maxDepth) return printTooDeep(f, "Object");
      const state = printProperties(f, v, objectEntries(v), 0, alwaysNewline);
      if (state.i === 0) {
        const name = objectName(v);
        if (name) f.out += name + " ";
        f.out += "{}";
      } else {
        f.depth -= 1;
        if (state.alwaysNewline) {
          f.indent -= 1;
          printComma(f);
          f.out += "\n" + indentOf(f) + "}";
          f.est += 1;
        } else {
          f.est += 2;
          f.out += " }";
        }
      }
    } finally {
      f.quote = prevQuote;
      f.alwaysNewlineScope = prevScope;
    }
  }

  // Bun's PropertyIterator: the first property opens the braces (when `i` starts at 0).
  function printProperties(f, parent, entries, i, alwaysNewline) {
    for (const [key, holder] of entries) {
      const desc = Object.getOwnPropertyDescriptor(holder, key);
      if (!desc) continue;
      if (i === 0) {
        if (typeof parent !== "function") {
          const name = objectName(parent);
          if (name) f.out += name + " ";
        }
        alwaysNewline = true;
        f.est = f.indent * 2 + 1;
        f.indent += 1;
        f.depth += 1;
        f.out += "{\n" + indentOf(f);
      } else printComma(f);
      if (i > 0) {
        if (alwaysNewline || f.alwaysNewlineScope || goodTimeForANewLine(f)) {
          f.out += "\n" + indentOf(f);
          resetLine(f);
        } else space(f);
      }
      i++;
      if (typeof key === "symbol") {
        const d = key.description || "";
        f.est += 12 + d.length;
        f.out += `[Symbol(${d})]: `;
      } else if (identifier.test(key)) {
        f.est += key.length + 1;
        f.out += `${key}: `;
      } else {
        f.est += key.length + 2;
        f.out += `${JSON.stringify(key)}: `;
      }
      if (desc.get || desc.set) f.out += desc.get && desc.set ? "[Getter/Setter]" : desc.get ? "[Getter]" : "[Setter]";
      else format(f, desc.value);
    }
    return { i, alwaysNewline };
  }

  // An Error as Bun prints it: the source lines up to the one that made it, a caret under the
  // column, `name: message`, then the frames; the text ends with a newline.
  function errorText(e) {
    return internal.bunErrorText(e);
  }

  // Bun's printf: a %-directive takes the next argument; once the arguments run out the rest of
  // the text is printed as it is (so "%d%%" with one argument keeps both "%").
  function writeWithFormatting(f, slice) {
    let len = slice.length;
    let hit = false;
    scan: for (let i = 0; i < len; i++) {
      if (hit) {
        i = 0;
        hit = false;
      }
      if (slice[i] !== "%") continue;
      i++;
      if (i >= len || f.rest.length === 0) break;
      const c = slice[i];
      let token;
      if (c === "s" || c === "f" || c === "o" || c === "O" || c === "c" || c === "j") token = c;
      else if (c === "d" || c === "i") token = "i";
      else if (c === "%") {
        f.out += slice.slice(0, i);
        slice = slice.slice(i + 1);
        len = slice.length;
        i = 0;
        continue;
      } else continue;
      f.out += slice.slice(0, i - 1);
      slice = slice.slice(i + 1);
      i = 0;
      hit = true;
      len = slice.length;
      const next = f.rest.shift();
      switch (token) {
        case "s": {
          let s;
          try {
            s = String(next);
          } catch {
            s = "";
          }
          printString(f, s, false);
          break;
        }
        case "i": {
          const n = percentInteger(next);
          f.est += String(n).length;
          f.out += String(n);
          break;
        }
        case "f": {
          const n = Number.isInteger(next) && Math.abs(next) < 2 ** 31 ? next : typeof next === "symbol" ? NaN : Number(next);
          const s = Object.is(n, -0) ? "0" : String(n);
          f.est += s.length;
          f.out += s;
          break;
        }
        case "o":
        case "O":
          format(f, next);
          break;
        case "j": {
          let s;
          try {
            s = JSON.stringify(next);
          } catch {
            s = "[Circular]";
          }
          if (s !== undefined) printString(f, s, true);
          break;
        }
      }
      if (f.rest.length === 0) break scan;
    }
    if (slice.length > 0) f.out += slice;
  }

  // %d / %i: parseInt's answer without making a string (ConsoleObject.zig's shortcut included).
  function percentInteger(v) {
    if (typeof v === "symbol") return NaN;
    let x = typeof v === "bigint" ? Number(v) : Number(v);
    if (!Number.isFinite(x)) return NaN;
    if (x === 0) return 0;
    const sign = x < 0 ? -1 : 1;
    x = Math.abs(x);
    if (x >= 1e21) while (x >= 10) x /= 10;
    else if (x < 0.000001) while (x < 1) x *= 10;
    return Math.floor(x) * sign;
  }

  /** What console.log prints for `args` (without the newline). */
  function formatArgs(args, options = {}) {
    const f = createFormatter(options);
    if (args.length === 0) return "";
    f.rest = args.slice(1);
    let v = args[0];
    let any = false;
    for (;;) {
      if (any) f.out += " ";
      any = true;
      if (typeof v === "string" && f.rest.length > 0) {
        f.est += v.length;
        writeWithFormatting(f, v);
      } else format(f, v);
      if (f.rest.length === 0) break;
      v = f.rest.shift();
    }
    return f.out;
  }

  const depthOption = (options) => (options && typeof options.depth === "number" ? options.depth : options && options.depth === null ? Infinity : undefined);
  exports.format = (...args) => formatArgs(args);
  /** console.dir: one value, top-level strings unquoted. */
  exports.dir = (value, options) => formatArgs([value], { depth: depthOption(options) });
  /** Bun.inspect: one value, strings quoted. */
  exports.inspect = (value, options) => formatArgs([value], { depth: depthOption(options), quote: true });
};
