// @ts-nocheck
/**
 * GUEST code (runs inside QuickJS; serialized with Function.prototype.toString, so it may not
 * refer to anything outside itself). A port of the rules of Node's lib/internal/util/inspect.js
 * that decide what programs print: quoting, depth, line breaking at 80 columns with compact=3,
 * array grouping, circular references, class names. Bun's `util.inspect` is this one too; its
 * console output is inspect-bun.ts.
 */
export const inspectModule = function (module, exports, require, internal) {
  const keyStrRegExp = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
  const meta = [
    "\\x00", "\\x01", "\\x02", "\\x03", "\\x04", "\\x05", "\\x06", "\\x07", "\\b", "\\t", "\\n", "\\x0B", "\\f", "\\r",
    "\\x0E", "\\x0F", "\\x10", "\\x11", "\\x12", "\\x13", "\\x14", "\\x15", "\\x16", "\\x17", "\\x18", "\\x19", "\\x1A",
    "\\x1B", "\\x1C", "\\x1D", "\\x1E", "\\x1F",
  ];
  const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");
  const defaults = { depth: 2, colors: false, showHidden: false, breakLength: 80, compact: 3, maxArrayLength: 100, maxStringLength: 10000, sorted: false, getters: false, customInspect: true };

  function escapeChar(ch, quote) {
    const c = ch.charCodeAt(0);
    if (c < 32) return meta[c];
    if (ch === "\\") return "\\\\";
    if (ch === quote) return "\\" + quote;
    if (c >= 0x7f && c <= 0x9f) return "\\x" + c.toString(16).toUpperCase();
    return ch;
  }
  function strEscape(str) {
    let quote = "'";
    if (str.includes("'")) {
      if (!str.includes('"')) quote = '"';
      else if (!str.includes("`") && !str.includes("${")) quote = "`";
    }
    let out = "";
    for (let i = 0; i < str.length; i++) {
      const ch = str[i];
      const c = str.charCodeAt(i);
      if (c < 32 || ch === "\\" || ch === quote || (c >= 0x7f && c <= 0x9f)) out += escapeChar(ch, quote);
      else if (c >= 0xd800 && c <= 0xdfff) {
        const next = str.charCodeAt(i + 1);
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          out += ch + str[i + 1];
          i++;
        } else out += "\\u" + c.toString(16).toUpperCase();
      } else out += ch;
    }
    return quote + out + quote;
  }

  function getConstructorName(obj) {
    let tmp = obj;
    while (tmp !== null && tmp !== undefined) {
      const d = Object.getOwnPropertyDescriptor(tmp, "constructor");
      if (d !== undefined && typeof d.value === "function" && d.value.name !== "") {
        let ok = false;
        try {
          ok = obj instanceof d.value;
        } catch {}
        if (ok) return String(d.value.name);
      }
      tmp = Object.getPrototypeOf(tmp);
    }
    return null;
  }

  function getPrefix(constructor, tag, fallback, size = "") {
    if (constructor === null) {
      if (tag !== "" && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `;
      return `[${fallback}${size}: null prototype] `;
    }
    if (tag !== "" && constructor !== tag) return `${constructor}${size} [${tag}] `;
    return `${constructor}${size} `;
  }

  function isBelowBreakLength(ctx, output, start, base) {
    let totalLength = output.length + start;
    if (totalLength + output.length > ctx.breakLength) return false;
    for (let i = 0; i < output.length; i++) {
      totalLength += output[i].length;
      if (totalLength > ctx.breakLength) return false;
    }
    return base === "" || !base.includes("\n");
  }

  function groupArrayElements(ctx, output, value) {
    let totalLength = 0;
    let maxLength = 0;
    let i = 0;
    let outputLength = output.length;
    if (ctx.maxArrayLength < output.length) outputLength--;
    const separatorSpace = 2;
    const dataLen = new Array(outputLength);
    for (; i < outputLength; i++) {
      const len = output[i].length;
      dataLen[i] = len;
      totalLength += len + separatorSpace;
      if (maxLength < len) maxLength = len;
    }
    const actualMax = maxLength + separatorSpace;
    if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength && (totalLength / actualMax > 5 || maxLength <= 6)) {
      const approxCharHeights = 2.5;
      const averageBias = Math.sqrt(actualMax - totalLength / output.length);
      const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
      const columns = Math.min(
        Math.round(Math.sqrt(approxCharHeights * biasedMax * outputLength) / biasedMax),
        Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax),
        ctx.compact * 4,
        15,
      );
      if (columns <= 1) return output;
      const tmp = [];
      const maxLineLength = [];
      for (let i = 0; i < columns; i++) {
        let lineLength = 0;
        for (let j = i; j < output.length; j += columns) if (dataLen[j] > lineLength) lineLength = dataLen[j];
        maxLineLength.push(lineLength + separatorSpace);
      }
      let padStart = true;
      if (value !== undefined) {
        for (let i = 0; i < output.length; i++) {
          if (typeof value[i] !== "number" && typeof value[i] !== "bigint") {
            padStart = false;
            break;
          }
        }
      }
      for (let i = 0; i < outputLength; i += columns) {
        const max = Math.min(i + columns, outputLength);
        let str = "";
        let j = i;
        for (; j < max - 1; j++) {
          const padding = maxLineLength[j - i];
          str += padStart ? `${output[j]}, `.padStart(padding, " ") : `${output[j]}, `.padEnd(padding, " ");
        }
        if (padStart) str += output[j].padStart(maxLineLength[j - i] - separatorSpace, " ");
        else str += output[j];
        tmp.push(str);
      }
      if (ctx.maxArrayLength < output.length) tmp.push(output[outputLength]);
      output = tmp;
    }
    return output;
  }

  function reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value) {
    const entries = output.length;
    if (extrasType === 1 && entries > 6) output = groupArrayElements(ctx, output, value);
    if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
      const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
      if (isBelowBreakLength(ctx, output, start, base)) {
        const joined = output.join(", ");
        if (!joined.includes("\n")) return `${base ? `${base} ` : ""}${braces[0]} ${joined} ${braces[1]}`;
      }
    }
    const indentation = `\n${" ".repeat(ctx.indentationLvl)}`;
    return `${base ? `${base} ` : ""}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
  }

  function formatNumber(n) {
    return Object.is(n, -0) ? "-0" : `${n}`;
  }

  function formatPrimitive(ctx, value) {
    switch (typeof value) {
      case "string": {
        let trailer = "";
        if (value.length > ctx.maxStringLength) {
          const remaining = value.length - ctx.maxStringLength;
          value = value.slice(0, ctx.maxStringLength);
          trailer = `... ${remaining} more character${remaining > 1 ? "s" : ""}`;
        }
        if (ctx.compact !== true && value.length > 16 && value.length > ctx.breakLength - ctx.indentationLvl - 4) {
          const parts = value.split(/(?<=\n)/);
          if (parts.length > 1) return parts.map((line) => strEscape(line)).join(` +\n${" ".repeat(ctx.indentationLvl + 2)}`) + trailer;
        }
        return strEscape(value) + trailer;
      }
      case "number":
        return formatNumber(value);
      case "bigint":
        return `${value}n`;
      case "boolean":
        return `${value}`;
      case "undefined":
        return "undefined";
      case "symbol":
        return value.toString();
    }
    return String(value);
  }

  function isError(v) {
    return v instanceof Error || Object.prototype.toString.call(v) === "[object Error]";
  }

  function fnType(value) {
    const proto = Object.getPrototypeOf(value);
    const n = proto && proto.constructor && proto.constructor.name;
    if (n === "AsyncFunction" || n === "GeneratorFunction" || n === "AsyncGeneratorFunction") return n;
    return "Function";
  }

  function getFunctionBase(value, constructor, tag) {
    let stringified = "";
    try {
      stringified = Function.prototype.toString.call(value);
    } catch {}
    if (stringified.startsWith("class") && stringified.endsWith("}")) {
      const hasName = Object.prototype.hasOwnProperty.call(value, "name");
      const name = (hasName && value.name) || "(anonymous)";
      let base = `class ${name}`;
      if (constructor !== "Function" && constructor !== null) base += ` [${constructor}]`;
      if (tag !== "" && constructor !== tag) base += ` [${tag}]`;
      if (constructor !== null) {
        const superName = Object.getPrototypeOf(value).name;
        if (superName) base += ` extends ${superName}`;
      } else base += " extends [null prototype]";
      return `[${base}]`;
    }
    const type = fnType(value);
    let base = `[${type}`;
    if (constructor === null) base += " (null prototype)";
    if (value.name === "" || typeof value.name !== "string") base += " (anonymous)";
    else base += `: ${value.name}`;
    base += "]";
    if (constructor !== type && constructor !== null && constructor !== "Function") base += ` ${constructor}`;
    if (tag !== "" && constructor !== tag) base += ` [${tag}]`;
    return base;
  }

  function formatError(err, ctx) {
    let stack = internal.errorStack(err);
    // Node indents the stack of nested errors by the current indentation.
    if (ctx.indentationLvl !== 0) {
      const indentation = " ".repeat(ctx.indentationLvl);
      stack = stack.split("\n").map((l, i) => (i === 0 ? l : indentation + l)).join("\n");
    }
    return stack;
  }

  function formatValue(ctx, value, recurseTimes, typedArray) {
    if (typeof value !== "object" && typeof value !== "function") return formatPrimitive(ctx, value);
    if (value === null) return "null";
    if (ctx.customInspect) {
      const maybeCustom = value[inspectSymbol];
      if (typeof maybeCustom === "function" && maybeCustom !== exports.inspect) {
        const depth = ctx.depth === null ? null : ctx.depth - recurseTimes;
        const opts = Object.assign({}, ctx, { depth });
        const ret = maybeCustom.call(value, depth, opts, exports.inspect);
        if (ret !== value) {
          if (typeof ret !== "string") return formatValue(ctx, ret, recurseTimes);
          return ret.replaceAll("\n", `\n${" ".repeat(ctx.indentationLvl)}`);
        }
      }
    }
    if (ctx.seen.includes(value)) {
      let index = 1;
      if (ctx.circular === undefined) {
        ctx.circular = new Map();
        ctx.circular.set(value, index);
      } else {
        index = ctx.circular.get(value);
        if (index === undefined) {
          index = ctx.circular.size + 1;
          ctx.circular.set(value, index);
        }
      }
      return `[Circular *${index}]`;
    }
    return formatRaw(ctx, value, recurseTimes, typedArray);
  }

  function getKeys(value, showHidden) {
    const symbols = Object.getOwnPropertySymbols(value);
    let keys;
    if (showHidden) {
      keys = Object.getOwnPropertyNames(value);
      if (symbols.length !== 0) keys.push(...symbols);
    } else {
      keys = Object.keys(value);
      for (const s of symbols) if (Object.prototype.propertyIsEnumerable.call(value, s)) keys.push(s);
    }
    return keys;
  }

  // V8 gives sloppy-mode "function" functions own "arguments" and "caller" (null) between "name"
  // and "prototype"; QuickJS keeps them on Function.prototype. %o shows hidden keys, so add them
  // where V8 would (functions whose body does not start with "use strict").
  function v8FunctionKeys(fn, keys) {
    let src = "";
    try {
      src = Function.prototype.toString.call(fn);
    } catch {}
    if (!/^function\b[^*]/.test(src) || !keys.includes("prototype") || /^[^{]*\{\s*["']use strict["']/.test(src)) return keys;
    const at = keys.indexOf("prototype");
    return [...keys.slice(0, at), "arguments", "caller", ...keys.slice(at)];
  }

  function tagOf(value, constructor) {
    let tag = value[Symbol.toStringTag];
    // An own enumerable tag is printed as a property already.
    if (typeof tag !== "string" || tag === "" || tag === constructor || Object.prototype.propertyIsEnumerable.call(value, Symbol.toStringTag)) return "";
    return tag;
  }

  function formatRaw(ctx, value, recurseTimes, typedArray) {
    let keys;
    const constructor = getConstructorName(value);
    let tag = tagOf(value, constructor);
    let base = "";
    let formatter = formatObjectEntries;
    let braces;
    let noIterator = true;
    let extrasType = 0; // 0 object, 1 array
    const filter = (ks) => ks;

    if (Array.isArray(value)) {
      keys = getKeys(value, ctx.showHidden).filter((k) => typeof k === "symbol" || !/^(0|[1-9][0-9]*)$/.test(k) || Number(k) >= value.length);
      const prefix = constructor !== "Array" || tag !== "" ? getPrefix(constructor, tag, "Array", `(${value.length})`) : "";
      braces = [`${prefix}[`, "]"];
      if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
      extrasType = 1;
      formatter = formatArray;
      noIterator = false;
    } else if (value instanceof Set || (value && Object.prototype.toString.call(value) === "[object Set]")) {
      const size = value.size;
      const prefix = getPrefix(constructor, tag, "Set", `(${size})`);
      keys = getKeys(value, ctx.showHidden);
      formatter = formatSet;
      if (size === 0 && keys.length === 0) return `${prefix}{}`;
      braces = [`${prefix}{`, "}"];
      noIterator = false;
    } else if (value instanceof Map || (value && Object.prototype.toString.call(value) === "[object Map]")) {
      const size = value.size;
      const prefix = getPrefix(constructor, tag, "Map", `(${size})`);
      keys = getKeys(value, ctx.showHidden);
      formatter = formatMap;
      if (size === 0 && keys.length === 0) return `${prefix}{}`;
      braces = [`${prefix}{`, "}"];
      noIterator = false;
    } else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      if (internal.isBuffer && internal.isBuffer(value)) {
        // Buffer's own inspect, as Node prints it.
        let str = "";
        const max = Math.min(50, value.length);
        for (let i = 0; i < max; i++) str += (i ? " " : "") + value[i].toString(16).padStart(2, "0");
        const remaining = value.length - 50;
        if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? "s" : ""}`;
        return `<${constructor || "Buffer"} ${str}>`.replace("< ", "<").replace(/ >$/, ">");
      }
      keys = getKeys(value, ctx.showHidden).filter((k) => typeof k === "symbol" || !/^(0|[1-9][0-9]*)$/.test(k));
      const fallback = value.constructor && value.constructor.name ? value.constructor.name : "TypedArray";
      const size = value.length;
      const prefix = getPrefix(constructor, tag, fallback, `(${size})`);
      braces = [`${prefix}[`, "]"];
      if (value.length === 0 && keys.length === 0) return `${braces[0]}]`;
      formatter = formatTypedArray;
      extrasType = 1;
      noIterator = false;
    } else {
      noIterator = true;
    }
    if (noIterator) {
      keys = getKeys(value, ctx.showHidden);
      braces = ["{", "}"];
      if (constructor === "Object" && !(typeof value === "function")) {
        if (Object.prototype.toString.call(value) === "[object Arguments]") braces[0] = "[Arguments] [";
        else if (tag !== "") braces[0] = `${getPrefix(constructor, tag, "Object")}{`;
        if (braces[0] === "[Arguments] [") {
          braces[1] = "]";
          extrasType = 1;
          formatter = formatArray;
          keys = keys.filter((k) => !/^(0|[1-9][0-9]*)$/.test(k));
          if (value.length === 0 && keys.length === 0) return "[Arguments] []";
        } else if (keys.length === 0) return `${braces[0]}}`;
      } else if (typeof value === "function") {
        base = getFunctionBase(value, constructor, tag);
        if (ctx.showHidden) keys = v8FunctionKeys(value, keys);
        if (keys.length === 0) return base;
      } else if (value instanceof RegExp || Object.prototype.toString.call(value) === "[object RegExp]") {
        base = RegExp.prototype.toString.call(value);
        const prefix = getPrefix(constructor, tag, "RegExp");
        if (prefix !== "RegExp ") base = `${prefix}${base}`;
        keys = keys.filter((k) => k !== "lastIndex");
        if (keys.length === 0 || recurseTimes > ctx.depth) return base;
      } else if (value instanceof Date || Object.prototype.toString.call(value) === "[object Date]") {
        const t = Date.prototype.getTime.call(value);
        base = Number.isNaN(t) ? "Invalid Date" : Date.prototype.toISOString.call(value);
        const prefix = getPrefix(constructor, tag, "Date");
        if (prefix !== "Date ") base = `${prefix}${base}`;
        if (keys.length === 0) return base;
      } else if (isError(value)) {
        base = formatError(value, ctx);
        // As Node's removeDuplicateErrorKeys: name, message and stack are not listed again when
        // the stack text already shows them.
        keys = keys.filter((k) => !((k === "name" || k === "message" || k === "stack") && (k === "stack" || (typeof value[k] === "string" && base.includes(value[k])))));
        if (keys.length === 0) return base;
      } else if (value instanceof Promise) {
        braces[0] = `${getPrefix(constructor, tag, "Promise")}{`;
        formatter = formatPromise;
      } else if (value instanceof WeakSet) {
        braces[0] = `${getPrefix(constructor, tag, "WeakSet")}{`;
        formatter = () => ["<items unknown>"];
      } else if (value instanceof WeakMap) {
        braces[0] = `${getPrefix(constructor, tag, "WeakMap")}{`;
        formatter = () => ["<items unknown>"];
      } else if (value instanceof ArrayBuffer) {
        keys = [];
        braces[0] = `${getPrefix(constructor, tag, "ArrayBuffer")}{`;
        formatter = (ctx2) => {
          const bytes = new Uint8Array(value);
          let hex = "";
          for (let i = 0; i < Math.min(50, bytes.length); i++) hex += (i ? " " : "") + bytes[i].toString(16).padStart(2, "0");
          if (bytes.length > 50) hex += ` ... ${bytes.length - 50} more byte${bytes.length - 50 > 1 ? "s" : ""}`;
          return [`[Uint8Contents]: <${hex}>`, `byteLength: ${value.byteLength}`];
        };
      } else if (value instanceof Number || value instanceof String || value instanceof Boolean || (typeof value === "object" && value instanceof Symbol) || (typeof BigInt !== "undefined" && value instanceof BigInt)) {
        let type, prim;
        if (value instanceof Number) (type = "Number"), (prim = formatNumber(Number.prototype.valueOf.call(value)));
        else if (value instanceof String) {
          type = "String";
          prim = strEscape(String.prototype.valueOf.call(value));
          keys = keys.filter((k) => !/^(0|[1-9][0-9]*)$/.test(k) && k !== "length");
        } else if (value instanceof Boolean) (type = "Boolean"), (prim = String(Boolean.prototype.valueOf.call(value)));
        else if (value instanceof Symbol) (type = "Symbol"), (prim = Symbol.prototype.toString.call(value));
        else (type = "BigInt"), (prim = `${BigInt.prototype.valueOf.call(value)}n`);
        base = `[${type}`;
        if (type !== constructor) base += constructor === null ? " (null prototype)" : ` (${constructor})`;
        base += `: ${prim}]`;
        if (tag !== "" && tag !== constructor) base += ` [${tag}]`;
        if (keys.length === 0) return base;
      } else if (Object.prototype.toString.call(value) === "[object Module]") {
        braces[0] = "[Module: null prototype] {";
      } else {
        if (constructor === null && keys.length === 0 && tag === "") return "[Object: null prototype] {}";
        braces[0] = `${getPrefix(constructor, tag, "Object")}{`;
        if (keys.length === 0) return `${braces[0]}}`;
      }
    }

    if (recurseTimes > ctx.depth && ctx.depth !== null) {
      let name = getPrefix(constructor, tag, Array.isArray(value) ? "Array" : "Object").slice(0, -1);
      if (constructor !== null) name = `[${name}]`;
      return name;
    }
    recurseTimes += 1;
    ctx.seen.push(value);
    ctx.currentDepth = recurseTimes;
    let output;
    try {
      output = formatter(ctx, value, recurseTimes);
      for (let i = 0; i < keys.length; i++) output.push(formatProperty(ctx, value, recurseTimes, keys[i], 0));
    } catch (err) {
      ctx.seen.pop();
      throw err;
    }
    if (ctx.circular !== undefined) {
      const index = ctx.circular.get(value);
      if (index !== undefined) {
        const reference = `<ref *${index}>`;
        base = base === "" ? reference : `${reference} ${base}`;
      }
    }
    ctx.seen.pop();
    if (ctx.sorted) {
      const comparator = ctx.sorted === true ? undefined : ctx.sorted;
      if (extrasType === 0) output = output.sort(comparator);
    }
    const res = reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value);
    const budget = ctx.budget[ctx.indentationLvl] || 0;
    const newLength = budget + res.length;
    ctx.budget[ctx.indentationLvl] = newLength;
    return res;
  }

  function formatObjectEntries() {
    return [];
  }

  function formatArray(ctx, value, recurseTimes) {
    const valLen = value.length;
    const len = Math.min(Math.max(0, ctx.maxArrayLength), valLen);
    const remaining = valLen - len;
    const output = [];
    for (let i = 0; i < len; i++) {
      if (!Object.prototype.hasOwnProperty.call(value, i)) return formatArrayBuffer_holes(ctx, value, recurseTimes, len, output, i);
      output.push(formatProperty(ctx, value, recurseTimes, i, 1));
    }
    if (remaining > 0) output.push(`... ${remaining} more item${remaining > 1 ? "s" : ""}`);
    return output;
  }

  function formatArrayBuffer_holes(ctx, value, recurseTimes, len, output, i) {
    const valLen = value.length;
    let outputLength = output.length;
    for (; i < valLen && outputLength < ctx.maxArrayLength; i++, outputLength++) {
      if (!Object.prototype.hasOwnProperty.call(value, i)) {
        let j = i + 1;
        while (j < valLen && !Object.prototype.hasOwnProperty.call(value, j)) j++;
        const emptyItems = j - i;
        output.push(`<${emptyItems} empty item${emptyItems > 1 ? "s" : ""}>`);
        i = j - 1;
      } else output.push(formatProperty(ctx, value, recurseTimes, i, 1));
    }
    const remaining = valLen - i;
    if (remaining > 0) output.push(`... ${remaining} more item${remaining > 1 ? "s" : ""}`);
    return output;
  }

  function formatTypedArray(ctx, value, recurseTimes) {
    const length = value.length;
    const maxLength = Math.min(Math.max(0, ctx.maxArrayLength), length);
    const remaining = length - maxLength;
    const output = new Array(maxLength);
    for (let i = 0; i < maxLength; ++i) output[i] = typeof value[i] === "bigint" ? `${value[i]}n` : formatNumber(value[i]);
    if (remaining > 0) output.push(`... ${remaining} more item${remaining > 1 ? "s" : ""}`);
    return output;
  }

  function formatSet(ctx, value, recurseTimes) {
    const output = [];
    ctx.indentationLvl += 2;
    let n = 0;
    for (const v of value) {
      if (n++ >= ctx.maxArrayLength) break;
      output.push(formatValue(ctx, v, recurseTimes));
    }
    if (value.size > ctx.maxArrayLength) output.push(`... ${value.size - ctx.maxArrayLength} more item${value.size - ctx.maxArrayLength > 1 ? "s" : ""}`);
    ctx.indentationLvl -= 2;
    return output;
  }

  function formatMap(ctx, value, recurseTimes) {
    const output = [];
    ctx.indentationLvl += 2;
    let n = 0;
    for (const [k, v] of value) {
      if (n++ >= ctx.maxArrayLength) break;
      output.push(`${formatValue(ctx, k, recurseTimes)} => ${formatValue(ctx, v, recurseTimes)}`);
    }
    if (value.size > ctx.maxArrayLength) output.push(`... ${value.size - ctx.maxArrayLength} more item${value.size - ctx.maxArrayLength > 1 ? "s" : ""}`);
    ctx.indentationLvl -= 2;
    return output;
  }

  function formatPromise(ctx, value, recurseTimes) {
    const state = internal.host.promiseState(value);
    if (state === "pending") return ["<pending>"];
    ctx.indentationLvl += 2;
    const str = formatValue(ctx, state[1], recurseTimes);
    ctx.indentationLvl -= 2;
    return [state[0] === "rejected" ? `<rejected> ${str}` : str];
  }

  function formatProperty(ctx, value, recurseTimes, key, type) {
    let name, str;
    let extra = " ";
    const desc = Object.getOwnPropertyDescriptor(value, key) || (typeof value === "function" && (key === "arguments" || key === "caller") ? { value: null, enumerable: false } : { value: value[key], enumerable: true });
    if (desc.value !== undefined) {
      ctx.indentationLvl += 2;
      str = formatValue(ctx, desc.value, recurseTimes);
      ctx.indentationLvl -= 2;
    } else if (desc.get !== undefined) {
      str = desc.set !== undefined ? "[Getter/Setter]" : "[Getter]";
      if (ctx.getters) {
        try {
          const tmp = desc.get.call(value);
          ctx.indentationLvl += 2;
          str = `${str} ${formatValue(ctx, tmp, recurseTimes)}`;
          ctx.indentationLvl -= 2;
        } catch (err) {
          str = `[${str.slice(1, -1)}: <Inspection threw (${err.message})>]`;
        }
      }
    } else if (desc.set !== undefined) str = "[Setter]";
    else str = "undefined";
    if (type === 1) return str;
    if (typeof key === "symbol") name = `[${key.toString()}]`;
    else if (key === "__proto__") name = "['__proto__']";
    else if (desc.enumerable === false) name = `[${key}]`;
    else if (keyStrRegExp.test(key)) name = key;
    else name = strEscape(key);
    return `${name}:${extra}${str}`;
  }

  function inspect(value, opts) {
    const ctx = Object.assign({}, defaults, { seen: [], budget: {}, indentationLvl: 0, currentDepth: 0 });
    if (arguments.length > 2) {
      if (arguments[2] !== undefined) ctx.depth = arguments[2];
      if (arguments.length > 3 && arguments[3] !== undefined) ctx.colors = arguments[3];
    }
    if (typeof opts === "boolean") ctx.showHidden = opts;
    else if (opts) for (const k of Object.keys(opts)) if (k in defaults || k === "stylize") ctx[k] = opts[k];
    if (ctx.depth === Infinity) ctx.depth = null;
    if (ctx.compact === false) ctx.compact = 0;
    return formatValue(ctx, value, 0);
  }
  inspect.custom = inspectSymbol;
  inspect.defaultOptions = defaults;

  function formatWithOptions(inspectOptions, ...args) {
    const first = args[0];
    let a = 0;
    let str = "";
    let join = "";
    if (typeof first === "string") {
      if (args.length === 1) return first;
      let tempStr;
      let lastPos = 0;
      for (let i = 0; i < first.length - 1; i++) {
        if (first.charCodeAt(i) === 37) {
          const nextChar = first.charCodeAt(++i);
          if (a + 1 !== args.length) {
            switch (nextChar) {
              case 115: {
                const tempArg = args[++a];
                if (typeof tempArg === "number") tempStr = formatNumber(tempArg);
                else if (typeof tempArg === "bigint") tempStr = `${tempArg}n`;
                else if (typeof tempArg !== "object" || tempArg === null || !hasBuiltInToString(tempArg)) tempStr = String(tempArg);
                else tempStr = inspect(tempArg, Object.assign({}, inspectOptions, { depth: 0, colors: false, compact: 3 }));
                break;
              }
              case 106:
                try {
                  tempStr = JSON.stringify(args[++a]);
                } catch {
                  tempStr = "[Circular]";
                }
                break;
              case 100: {
                const tempNum = args[++a];
                if (typeof tempNum === "bigint") tempStr = `${tempNum}n`;
                else if (typeof tempNum === "symbol") tempStr = "NaN";
                else tempStr = formatNumber(Number(tempNum));
                break;
              }
              case 79:
                tempStr = inspect(args[++a], inspectOptions);
                break;
              case 111:
                tempStr = inspect(args[++a], Object.assign({}, inspectOptions, { showHidden: true, showProxy: true, depth: 4 }));
                break;
              case 105: {
                const tempInteger = args[++a];
                if (typeof tempInteger === "bigint") tempStr = `${tempInteger}n`;
                else if (typeof tempInteger === "symbol") tempStr = "NaN";
                else tempStr = formatNumber(Number.parseInt(tempInteger));
                break;
              }
              case 102: {
                const tempFloat = args[++a];
                if (typeof tempFloat === "symbol") tempStr = "NaN";
                else tempStr = formatNumber(Number.parseFloat(tempFloat));
                break;
              }
              case 99:
                a += 1;
                tempStr = "";
                break;
              case 37:
                str += first.slice(lastPos, i);
                lastPos = i + 1;
                continue;
              default:
                continue;
            }
            if (lastPos !== i - 1) str += first.slice(lastPos, i - 1);
            str += tempStr;
            lastPos = i + 1;
          } else if (nextChar === 37) {
            str += first.slice(lastPos, i);
            lastPos = i + 1;
          }
        }
      }
      if (lastPos !== 0) {
        a++;
        join = " ";
        if (lastPos < first.length) str += first.slice(lastPos);
      }
    }
    while (a < args.length) {
      const value = args[a];
      str += join;
      str += typeof value !== "string" ? inspect(value, inspectOptions) : value;
      join = " ";
      a++;
    }
    return str;
  }

  function hasBuiltInToString(value) {
    let proto = value;
    while (proto !== null && proto !== undefined) {
      const d = Object.getOwnPropertyDescriptor(proto, "toString");
      if (d !== undefined) return proto === Object.prototype || proto === Error.prototype || proto === Array.prototype || proto === Date.prototype || proto === RegExp.prototype;
      proto = Object.getPrototypeOf(proto);
    }
    return true;
  }

  exports.inspect = inspect;
  exports.format = (...args) => formatWithOptions(undefined, ...args);
  exports.formatWithOptions = formatWithOptions;
};
