// @ts-nocheck
/**
 * GUEST code: the prelude evaluated in every fresh QuickJS context before the user's program.
 * Serialized with Function.prototype.toString, so it refers to nothing outside itself; it only
 * talks to the host through `host` (primitives, strings and ArrayBuffers in and out).
 * It installs the globals Node programs expect, the CommonJS loader, and returns the event loop
 * the host drives: { start, main, ticks, next, fire, beforeExit, exitCode }.
 */
export const bootstrap = function (host, config) {
  "use strict";
  const G = globalThis;
  delete G.__wasmbox_host;
  const flavor = config.flavor;
  const internal = { host, flavor, config };
  // QuickJS reports stack exhaustion as InternalError; Node programs test `instanceof RangeError`.
  if (typeof G.InternalError === "function") Object.setPrototypeOf(G.InternalError.prototype, RangeError.prototype);
  const hide = (obj, name, value) => Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: false });

  // ---- UTF-8 (QuickJS has no TextEncoder) -------------------------------------------------
  function utf8Encode(str) {
    const out = new Uint8Array(str.length * 3);
    let n = 0;
    for (let i = 0; i < str.length; i++) {
      let c = str.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < str.length) {
        const d = str.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
        } else c = 0xfffd;
      } else if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
      if (c < 0x80) out[n++] = c;
      else if (c < 0x800) {
        out[n++] = 0xc0 | (c >> 6);
        out[n++] = 0x80 | (c & 63);
      } else if (c < 0x10000) {
        out[n++] = 0xe0 | (c >> 12);
        out[n++] = 0x80 | ((c >> 6) & 63);
        out[n++] = 0x80 | (c & 63);
      } else {
        const big = out.length < n + 4 ? null : out;
        big[n++] = 0xf0 | (c >> 18);
        big[n++] = 0x80 | ((c >> 12) & 63);
        big[n++] = 0x80 | ((c >> 6) & 63);
        big[n++] = 0x80 | (c & 63);
      }
    }
    return out.slice(0, n);
  }
  function utf8Decode(b, start = 0, end = b.length) {
    let s = "";
    let chunk = [];
    for (let i = start; i < end; ) {
      const c = b[i];
      let cp = 0xfffd;
      let len = 1;
      if (c < 0x80) cp = c;
      else if (c >= 0xc2 && c < 0xe0 && i + 1 < end && (b[i + 1] & 0xc0) === 0x80) {
        cp = ((c & 31) << 6) | (b[i + 1] & 63);
        len = 2;
      } else if (c >= 0xe0 && c < 0xf0 && i + 2 < end && (b[i + 1] & 0xc0) === 0x80 && (b[i + 2] & 0xc0) === 0x80) {
        cp = ((c & 15) << 12) | ((b[i + 1] & 63) << 6) | (b[i + 2] & 63);
        len = 3;
        if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
      } else if (c >= 0xf0 && c < 0xf5 && i + 3 < end && (b[i + 1] & 0xc0) === 0x80 && (b[i + 2] & 0xc0) === 0x80 && (b[i + 3] & 0xc0) === 0x80) {
        cp = ((c & 7) << 18) | ((b[i + 1] & 63) << 12) | ((b[i + 2] & 63) << 6) | (b[i + 3] & 63);
        len = 4;
        if (cp < 0x10000 || cp > 0x10ffff) cp = 0xfffd;
      }
      i += len;
      if (cp > 0xffff) {
        cp -= 0x10000;
        chunk.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 1023));
      } else chunk.push(cp);
      if (chunk.length > 8192) {
        s += String.fromCharCode.apply(null, chunk);
        chunk = [];
      }
    }
    return s + String.fromCharCode.apply(null, chunk);
  }
  internal.utf8Encode = utf8Encode;
  internal.utf8Decode = utf8Decode;

  class TextEncoder {
    get encoding() {
      return "utf-8";
    }
    encode(s = "") {
      return utf8Encode(String(s));
    }
    encodeInto(s, dest) {
      const b = utf8Encode(String(s));
      const n = Math.min(b.length, dest.length);
      dest.set(b.subarray(0, n));
      return { read: s.length, written: n };
    }
  }
  class TextDecoder {
    constructor(encoding = "utf-8", options = {}) {
      const e = String(encoding).toLowerCase();
      if (e !== "utf-8" && e !== "utf8" && e !== "latin1" && e !== "ascii" && e !== "utf-16le") throw new RangeError(`The "${encoding}" encoding is not supported`);
      this._enc = e === "utf8" ? "utf-8" : e;
      this.fatal = !!options.fatal;
      this.ignoreBOM = !!options.ignoreBOM;
    }
    get encoding() {
      return this._enc;
    }
    decode(input) {
      if (input === undefined) return "";
      const b = input instanceof ArrayBuffer ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
      if (this._enc === "latin1" || this._enc === "ascii") return String.fromCharCode.apply(null, Array.from(b));
      let start = 0;
      if (!this.ignoreBOM && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) start = 3;
      return utf8Decode(b, start);
    }
  }

  // ---- stack traces in Node's shape ------------------------------------------------------
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

  // QuickJS's Date#toString stops at the offset; V8 adds the zone's name (the guest runs in UTC).
  const nativeDateToString = Date.prototype.toString;
  const nativeTimeString = Date.prototype.toTimeString;
  const zoned = (s) => (s === "Invalid Date" ? s : `${s} (Coordinated Universal Time)`);
  hide(Date.prototype, "toString", {
    toString() {
      return zoned(nativeDateToString.call(this));
    },
  }.toString);
  hide(Date.prototype, "toTimeString", {
    toTimeString() {
      return zoned(nativeTimeString.call(this));
    },
  }.toTimeString);

  // ---- V8's words for QuickJS's errors (./v8-errors.ts, loaded when an error is seen; for bun,
  // JavaScriptCore's words, from the same module)
  const nativeParse = JSON.parse;
  const v8 = () => loadBuiltin("internal/v8-errors");
  // Only errors QuickJS made have a data `stack` of frames; the program's own skip the module.
  const v8error = (e) => {
    if (e === null || typeof e !== "object") return e;
    try {
      const d = Object.getOwnPropertyDescriptor(e, "stack");
      return d && typeof d.value === "string" ? v8().v8error(e) : e;
    } catch {
      return e;
    }
  };
  internal.errorHeader = errorHeader;
  // Both flavors: the module picks the wording.
  {
    hide(G, "__wasmbox_v8error", v8error);
    // Built-ins whose V8 message names an argument: the message is fixed knowing the arguments.
    const wrap = (obj, name, f = obj[name]) => {
      const w = { [name](...a) {
        try {
          return f.apply(this, a);
        } catch (e) {
          throw v8().rethrow(e, name, a);
        }
      } }[name];
      Object.defineProperty(w, "length", { value: f.length });
      hide(obj, name, w);
      return w;
    };
    wrap(JSON, "parse");
    wrap(JSON, "stringify");
    wrap(String.prototype, "repeat");
    const NativeBigInt = BigInt;
    const BigIntV8 = wrap(G, "BigInt");
    Object.defineProperty(BigIntV8, "prototype", { value: NativeBigInt.prototype });
    BigIntV8.asIntN = NativeBigInt.asIntN;
    BigIntV8.asUintN = NativeBigInt.asUintN;
    hide(NativeBigInt.prototype, "constructor", BigIntV8);
    // Rejection handlers see the reason translated, as a catch clause does (await is covered there).
    const nativeThen = Promise.prototype.then;
    hide(Promise.prototype, "then", { then(onFulfilled, onRejected) {
      return nativeThen.call(this, onFulfilled, typeof onRejected === "function" ? (e) => onRejected(v8error(e)) : onRejected);
    } }.then);
  }

  // ---- modules: built-ins ----------------------------------------------------------------
  const builtinCache = Object.create(null);
  const UNSUPPORTED = {
    child_process: "ChildProcess", cluster: "ChildProcess", worker_threads: "WorkerThreads", net: "Net", http: "Net", https: "Net",
    http2: "Net", tls: "Net", dgram: "Net", dns: "Net", inspector: "Inspector", vm: "Vm", v8: "V8", repl: "Repl", tty: "Tty",
  };
  function accessDenied(permission) {
    const e = new Error("Access to this API has been restricted");
    e.code = "ERR_ACCESS_DENIED";
    e.permission = permission;
    return e;
  }
  function loadBuiltin(name) {
    if (builtinCache[name]) return builtinCache[name].exports;
    const module = { exports: {}, id: name, loaded: false };
    builtinCache[name] = module;
    if (UNSUPPORTED[name]) {
      // The module exists, as in Node under the permission model; using it is refused.
      const perm = UNSUPPORTED[name];
      // vm.runInThisContext is a global script, what indirect eval already allows (REPL contexts
      // run cells with it: top-level let/const/class persist from one to the next, as in Node).
      const allowed = name === "vm" ? { runInThisContext: { runInThisContext(code, options) {
        const filename = typeof options === "string" ? options : (options && options.filename) || "evalmachine.<anonymous>";
        return host.compile(String(code), String(filename), true);
      } }.runInThisContext } : {};
      module.exports = new Proxy({}, {
        get(_t, key) {
          if (typeof key === "symbol" || key === "then" || key === "__esModule") return undefined;
          if (key === "default") return module.exports;
          if (Object.prototype.hasOwnProperty.call(allowed, key)) return allowed[key];
          return function () {
            throw accessDenied(perm);
          };
        },
        ownKeys() {
          return [];
        },
      });
      return module.exports;
    }
    const source = host.builtin(name);
    if (source === undefined) {
      delete builtinCache[name];
      throw moduleNotFound(name, []);
    }
    const factory = host.compile(source, `node:internal/${name}`);
    factory(module, module.exports, requireBuiltin, internal);
    module.loaded = true;
    return module.exports;
  }
  function requireBuiltin(name) {
    return loadBuiltin(name.startsWith("node:") ? name.slice(5) : name);
  }
  internal.require = requireBuiltin;
  const BUILTINS = new Set(config.builtins);
  function moduleNotFound(request, stack) {
    const e = new Error(`Cannot find module '${request}'${stack.length ? `\nRequire stack:\n- ${stack.join("\n- ")}` : ""}`);
    e.code = "MODULE_NOT_FOUND";
    e.requireStack = stack;
    return e;
  }

  // ---- console (lazy inspect: plain strings need none of it) -------------------------------
  let util;
  const getUtil = () => (util ??= loadBuiltin("internal/inspect"));
  internal.inspect = (v, o) => getUtil().inspect(v, o);
  // Bun's console has its own formatter; its util.inspect is Node's.
  const getConsoleFormat = () => (flavor === "bun" ? loadBuiltin("internal/inspect-bun") : getUtil());
  internal.format = (...a) => (a.every((x) => typeof x === "string") && !a.slice(0, -1).some((x) => x.includes("%")) ? a.join(" ") : getConsoleFormat().format(...a));
  let exited = false;
  function write(fd, data) {
    if (exited) return;
    host.write(fd, data);
  }
  internal.write = write;
  let groupIndent = "";
  const counts = new Map();
  const timers = new Map();
  function logTo(fd) {
    return function (...args) {
      let s = internal.format(...args);
      if (groupIndent) s = groupIndent + s.split("\n").join("\n" + groupIndent);
      write(fd, s + "\n");
    };
  }
  const console = {
    log: logTo(1),
    info: logTo(1),
    debug: logTo(1),
    error: logTo(2),
    warn: logTo(2),
    trace(...args) {
      const e = {};
      G.Error.captureStackTrace(e);
      write(2, `Trace${args.length ? ": " + internal.format(...args) : ""}\n${e.stack.split("\n").slice(1).join("\n")}\n`);
    },
    dir(obj, options) {
      write(1, groupIndent + (flavor === "bun" ? getConsoleFormat().dir(obj, options) : internal.inspect(obj, Object.assign({ customInspect: false }, options))) + "\n");
    },
    assert(cond, ...args) {
      if (!cond) {
        args[0] = `Assertion failed${args.length === 0 ? "" : `: ${args[0]}`}`;
        console.warn(...args);
      }
    },
    group(...label) {
      if (label.length) console.log(...label);
      groupIndent += "  ";
    },
    groupEnd() {
      groupIndent = groupIndent.slice(0, -2);
    },
    count(label = "default") {
      const n = (counts.get(label) || 0) + 1;
      counts.set(label, n);
      console.log(`${label}: ${n}`);
    },
    countReset(label = "default") {
      counts.delete(label);
    },
    time(label = "default") {
      timers.set(label, host.now());
    },
    timeEnd(label = "default") {
      const t = timers.get(label);
      if (t === undefined) return;
      timers.delete(label);
      console.log(`${label}: ${formatMs(host.now() - t)}`);
    },
    timeLog(label = "default", ...data) {
      const t = timers.get(label);
      if (t === undefined) return;
      console.log(`${label}: ${formatMs(host.now() - t)}`, ...data);
    },
    table(data, properties) {
      const text = flavor === "node" ? loadBuiltin("internal/console-table").table(data, properties) : undefined;
      if (text === undefined) console.log(data);
      else console.log(text);
    },
  };
  console.groupCollapsed = console.group;
  console.dirxml = console.log;
  function formatMs(ms) {
    return ms >= 1000 ? `${(ms / 1000).toFixed(3)}s` : `${ms.toFixed(3)}ms`;
  }

  // ---- event loop ------------------------------------------------------------------------
  let timerSeq = 0;
  const timerQueue = new Map(); // id → timer
  const immediates = [];
  let tickQueue = [];
  class Timeout {
    constructor(fn, ms, args, repeat) {
      this._id = ++timerSeq;
      this._fn = fn;
      this._args = args;
      ms = Number(ms);
      this._ms = !(ms >= 1 && ms <= 2147483647) ? 1 : ms;
      this._repeat = repeat;
      this._when = host.now() + this._ms;
      this._ref = true;
      timerQueue.set(this._id, this);
    }
    ref() {
      this._ref = true;
      return this;
    }
    unref() {
      this._ref = false;
      return this;
    }
    hasRef() {
      return this._ref;
    }
    refresh() {
      this._when = host.now() + this._ms;
      return this;
    }
    close() {
      timerQueue.delete(this._id);
      return this;
    }
    [Symbol.toPrimitive]() {
      return this._id;
    }
  }
  class Immediate {
    constructor(fn, args) {
      this._fn = fn;
      this._args = args;
      this._ref = true;
      immediates.push(this);
    }
    ref() {
      this._ref = true;
      return this;
    }
    unref() {
      this._ref = false;
      return this;
    }
    hasRef() {
      return this._ref;
    }
  }
  function checkCallback(fn) {
    if (typeof fn !== "function") {
      const e = new TypeError(`The "callback" argument must be of type function. Received ${internal.describe(fn)}`);
      e.code = "ERR_INVALID_ARG_TYPE";
      throw e;
    }
  }
  internal.describe = (v) => {
    if (v == null) return String(v);
    if (typeof v === "function") return `function ${v.name}`;
    if (typeof v === "object") return v.constructor && v.constructor.name ? `an instance of ${v.constructor.name}` : internal.inspect(v, { depth: -1 });
    let shown = internal.inspect(v, { colors: false });
    if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
    return `type ${typeof v} (${shown})`;
  };
  const timersApi = {
    setTimeout(fn, ms, ...args) {
      checkCallback(fn);
      return new Timeout(fn, ms, args, false);
    },
    setInterval(fn, ms, ...args) {
      checkCallback(fn);
      return new Timeout(fn, ms, args, true);
    },
    setImmediate(fn, ...args) {
      checkCallback(fn);
      return new Immediate(fn, args);
    },
    clearTimeout(t) {
      if (t == null) return;
      timerQueue.delete(typeof t === "object" ? t._id : Number(t));
    },
    clearImmediate(t) {
      const i = immediates.indexOf(t);
      if (i >= 0) immediates.splice(i, 1);
    },
  };
  timersApi.clearInterval = timersApi.clearTimeout;
  internal.timers = timersApi;

  function runGuarded(fn, thisArg, args) {
    try {
      fn.apply(thisArg, args);
    } catch (e) {
      uncaught(e);
    }
  }

  // ---- uncaught errors, in Node's words --------------------------------------------------
  let exitCode = undefined;
  const ESM_LOADER_FRAMES = [
    "    at ModuleJob.run (node:internal/modules/esm/module_job:325:25)",
    "    at async ModuleLoader.import (node:internal/modules/esm/loader:606:24)",
    "    at async asyncRunEntryPointWithESMLoader (node:internal/modules/run_main:117:5)",
  ];
  // An error made while the entry ES module evaluated synchronously has Node's loader frames
  // below the module's own; QuickJS's stack cannot tell, so the report adds them when it knows.
  function withEsmLoaderFrames(text) {
    const lines = text.split("\n");
    let last = -1;
    for (let i = 0; i < lines.length; i++) if (/^    at /.test(lines[i])) last = i;
    const head = `    at file://${config.entryPath}:`;
    if (last < 0 || !lines[last].startsWith(head) || !/^\d+:\d+$/.test(lines[last].slice(head.length))) return text;
    lines.splice(last + 1, 0, ...ESM_LOADER_FRAMES);
    return lines.join("\n");
  }
  const moduleEvalErrors = [];
  function uncaughtReport(e, fromPromise, esmSync, moduleEval) {
    const isErr = e instanceof G.Error || (e && typeof e === "object" && typeof e.stack === "string" && "message" in e);
    if (flavor === "bun") return bunReport(e, isErr);
    let out = "";
    if (isErr) {
      const stack = errorStack(e);
      const loc = internal.syntaxLocations && internal.syntaxLocations.get(e);
      const m = loc ? [null, loc[0], String(loc[1]), String(loc[2])] : /\n    at (?:.*? \()?(?:file:\/\/)?(\/[^\s()]*?):(\d+):(\d+)\)?/.exec(stack);
      if (m) {
        const line = internal.sourceLine(m[1], Number(m[2]));
        if (line !== undefined) {
          let col = Number(m[3]) - 1;
          const before = line.slice(0, col);
          const t = before.lastIndexOf("throw ");
          // A thrown exception points at its throw; a rejection (and an ES module's failed
          // evaluation, which is one) at where the error was made.
          if (!loc && !fromPromise && t >= 0 && before.slice(t).indexOf(";") < 0) col = t;
          out += `${flavor === "node" && isEsmFile(m[1]) ? "file://" : ""}${m[1]}:${m[2]}\n${line}\n${" ".repeat(Math.max(0, col))}^\n\n`;
        }
      }
      let text = internal.inspect(e);
      if (e && e.name === "InternalError" && /stack overflow/.test(e.message)) text = text.replace(/^InternalError: stack overflow/, "RangeError: Maximum call stack size exceeded");
      if (esmSync && isEsmFile(config.entryPath)) text = withEsmLoaderFrames(text);
      out += text;
    } else {
      // Node shows a primitive as its string and points at where it was thrown; an object is
      // inspected, with no such hint.
      out += moduleEval ? "\nnode:internal/modules/run_main:123\n    triggerUncaughtException(\n    ^\n" : "\n";
      if (e !== null && (typeof e === "object" || typeof e === "function")) out += internal.inspect(e);
      else out += `${typeof e === "symbol" ? e.toString() : String(e)}\n(Use \`node --trace-uncaught ...\` to show where the exception was thrown)`;
    }
    return `${out}\n\nNode.js ${config.nodeVersion}\n`;
  }
  // An Error as Bun prints it (uncaught, or given to console.log): the five source lines before
  // the throw and its own (numbers padded to one width), a caret, the message, the frames.
  function bunErrorText(e) {
    const stack = errorStack(e);
    let out = "";
    const m = /\n    at (?:.*? \()?(\/[^\s()]*?):(\d+):(\d+)\)?/.exec(stack);
    if (m) {
      const n = Number(m[2]);
      const src = host.readSource(m[1], true);
      if (src !== undefined) {
        const lines = src.split("\n");
        const width = String(n).length;
        for (let i = Math.max(1, n - 5); i <= n; i++) out += `${String(i).padStart(width)} | ${lines[i - 1]}\n`;
        out += `${" ".repeat(width + 3 + Number(m[3]) - 1)}^\n`;
      }
    }
    const name = e.name === undefined ? "Error" : String(e.name);
    out += `${name === "Error" ? "error" : name}: ${e.message}\n`;
    const frames = stack.split("\n").filter((l) => /^\s+at /.test(l));
    if (frames.length) out += frames.map((l) => "  " + l.replace(/^\s+/, "    ")).join("\n") + "\n";
    return out;
  }
  internal.bunErrorText = bunErrorText;
  function bunReport(e, isErr) {
    let out = "";
    if (isErr) {
      out += bunErrorText(e);
    } else if (e !== null && (typeof e === "object" || typeof e === "function")) out += `error\n${internal.format(e)}\n`;
    else out += `error: ${typeof e === "symbol" ? e.toString() : String(e)}\n${internal.format(e)}\n`;
    return `${out}\nBun v${config.bunVersion} (Linux x64)\n`;
  }
  /**
   * `fromPromise`: the rejected promise, for an unhandled rejection. `how.moduleEval`: the entry
   * ES module's evaluation failed, which Node reports like a rejection but without the
   * 'unhandledRejection' event; `how.esmSync`: the error was made while the entry ES module
   * evaluated synchronously.
   */
  function uncaught(e, fromPromise, how = {}) {
    if (exited) return;
    e = v8error(e);
    // QuickJS also rejects its internal module promises with the evaluation error; report it once.
    if (how.moduleEval) moduleEvalErrors.push(e);
    else if (fromPromise && moduleEvalErrors.includes(e)) return;
    const esmSync = !!how.esmSync;
    if (fromPromise && !how.moduleEval) {
      if (process.listenerCount("unhandledRejection") > 0) {
        process.emit("unhandledRejection", e, fromPromise);
        return;
      }
    }
    if (process.listenerCount("uncaughtException") > 0) {
      try {
        process.emit("uncaughtException", e, fromPromise || how.moduleEval ? "unhandledRejection" : "uncaughtException");
        return;
      } catch (e2) {
        e = e2;
      }
    }
    if (e && e.name === "InternalError" && /out of memory/.test(e.message)) {
      write(2, "\nwasmbox: out of memory\n");
      return doExit(137);
    }
    // Node throws a rejection reason as is only if it looks like an error (an own `stack`).
    if (fromPromise && flavor === "node" && !(e !== null && typeof e === "object" && Object.prototype.hasOwnProperty.call(e, "stack"))) {
      const msg = `This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "${noSideEffectsToString(e)}".`;
      write(
        2,
        `node:internal/process/promises:389\n      new UnhandledPromiseRejection(reason);\n      ^\n\nUnhandledPromiseRejection: ${msg}\n` +
          `    at throwUnhandledRejectionsMode (node:internal/process/promises:389:7)\n    at processPromiseRejections (node:internal/process/promises:470:17)\n` +
          `    at process.processTicksAndRejections (node:internal/process/task_queues:96:32) {\n  code: 'ERR_UNHANDLED_REJECTION'\n}\n\nNode.js ${config.nodeVersion}\n`,
      );
      return doExit(1);
    }
    write(2, uncaughtReport(e, fromPromise || how.moduleEval, esmSync, how.moduleEval));
    doExit(flavor === "node" ? (e && e.name === "SyntaxError" && internal.syntaxAtLoad ? 1 : 1) : 1);
  }
  internal.uncaught = uncaught;
  internal.noSideEffectsToString = noSideEffectsToString;
  // V8's NoSideEffectsToString, which Node uses to name a rejection reason that is not an error.
  function noSideEffectsToString(v) {
    if (typeof v === "function") return Function.prototype.toString.call(v);
    if (v === null || (typeof v !== "object" && typeof v !== "function")) return typeof v === "symbol" ? v.toString() : String(v);
    const dataProperty = (name) => {
      for (let o = v; o !== null; o = Object.getPrototypeOf(o)) {
        const d = Object.getOwnPropertyDescriptor(o, name);
        if (d) return "value" in d ? d.value : undefined;
      }
      return undefined;
    };
    if (dataProperty("toString") === Object.prototype.toString) {
      const ctor = dataProperty("constructor");
      if (typeof ctor === "function") {
        const d = Object.getOwnPropertyDescriptor(ctor, "name");
        if (d && typeof d.value === "string" && d.value) return `#<${d.value}>`;
      }
    }
    const tag = dataProperty(Symbol.toStringTag);
    return `[object ${typeof tag === "string" ? tag : Array.isArray(v) ? "Array" : "Object"}]`;
  }

  function doExit(code) {
    if (exited) return;
    code = code === undefined ? (exitCode === undefined ? 0 : exitCode) : code;
    exitCode = code;
    try {
      process.emit("exit", code);
    } catch (e) {
      write(2, uncaughtReport(e));
      code = 7;
    }
    exited = true;
    host.exit(code);
    throw new ProcessExit(code);
  }
  class ProcessExit {
    constructor(code) {
      this.code = code;
    }
  }

  // ---- process -----------------------------------------------------------------------------
  const EventEmitter = loadBuiltin("events");
  internal.EventEmitter = EventEmitter;
  const process = new EventEmitter();
  const env = Object.assign(Object.create(null), config.env);
  Object.assign(process, {
    title: "node",
    version: config.nodeVersion,
    versions: { node: config.nodeVersion.slice(1), v8: "11.3.244.8-node.33", uv: "1.51.0", modules: "115", ...(flavor === "bun" ? { bun: config.bunVersion } : {}) },
    arch: "x64",
    platform: "linux",
    release: { name: "node", lts: "Iron" },
    argv: [flavor === "bun" ? "/usr/local/bin/bun" : "/usr/local/bin/node", config.entryPath, ...config.args],
    execArgv: [],
    execPath: flavor === "bun" ? "/usr/local/bin/bun" : "/usr/local/bin/node",
    env: new Proxy(env, {
      set(t, k, v) {
        t[k] = String(v);
        return true;
      },
    }),
    pid: 1,
    ppid: 0,
    argv0: flavor === "bun" ? "bun" : "node",
    exitCode: undefined,
    features: {},
    config: { variables: {} },
  });
  Object.defineProperty(process, "exitCode", {
    get: () => exitCode,
    set: (v) => {
      exitCode = v === undefined || v === null ? undefined : Number(v) | 0;
    },
    enumerable: true,
  });
  let cwd = config.cwd;
  process.cwd = () => cwd;
  process.chdir = (d) => {
    const p = loadBuiltin("path").resolve(cwd, d);
    if (!loadBuiltin("fs").existsSync(p)) {
      const e = new Error(`ENOENT: no such file or directory, chdir ${cwd} -> '${d}'`);
      e.code = "ENOENT";
      throw e;
    }
    cwd = p;
  };
  process.exit = (code) => {
    if (code !== undefined) process.exitCode = code;
    doExit(exitCode === undefined ? 0 : exitCode);
  };
  process.reallyExit = process.exit;
  process.abort = () => doExit(134);
  process.kill = () => {
    throw accessDenied("ChildProcess");
  };
  process.nextTick = (fn, ...args) => {
    checkCallback(fn);
    tickQueue.push([fn, args]);
  };
  process.hrtime = (prev) => {
    const t = host.now();
    let s = Math.floor(t / 1000);
    let ns = Math.floor((t % 1000) * 1e6);
    if (prev) {
      s -= prev[0];
      ns -= prev[1];
      if (ns < 0) {
        s--;
        ns += 1e9;
      }
    }
    return [s, ns];
  };
  process.hrtime.bigint = () => BigInt(Math.floor(host.now() * 1e6));
  process.uptime = () => host.now() / 1000;
  process.memoryUsage = () => ({ rss: 30000000, heapTotal: 4000000, heapUsed: 3000000, external: 1000000, arrayBuffers: 10000 });
  process.memoryUsage.rss = () => 30000000;
  process.cpuUsage = () => ({ user: Math.floor(host.now() * 1000), system: 0 });
  process.resourceUsage = () => ({});
  process.umask = () => 0o22;
  process.getuid = () => 1000;
  process.getgid = () => 1000;
  process.geteuid = () => 1000;
  process.getegid = () => 1000;
  // As Node's lib/internal/process/warning.js: the warning is an Error made where it was emitted,
  // reported on the next tick (with its stack under process.traceProcessWarnings), the hint
  // about --trace-warnings once per process.
  let traceHintShown = false;
  process.emitWarning = function emitWarning(warning, type, code, ctor) {
    let detail;
    if (type !== null && typeof type === "object" && !Array.isArray(type)) {
      ({ ctor, code, detail } = type);
      type = type.type || "Warning";
    } else if (typeof type === "function") {
      ctor = type;
      code = undefined;
      type = "Warning";
    }
    if (type === undefined) type = "Warning";
    if (typeof code === "function") {
      ctor = code;
      code = undefined;
    }
    let w = warning;
    if (typeof warning === "string") {
      w = new G.Error(warning);
      w.name = String(type);
      if (code !== undefined) w.code = code;
      if (detail !== undefined) w.detail = detail;
      if (flavor === "bun") {
        // Bun's stack of such a warning starts with the native emitWarning frame.
        const stack = String(w.stack);
        const at = stack.indexOf("\n    at ");
        const frame = "\n    at emitWarning (unknown)";
        hide(w, "stack", at < 0 ? stack + frame : stack.slice(0, at) + frame + stack.slice(at));
      }
    } else if (!(warning instanceof G.Error)) {
      const e = new G.TypeError(`The "warning" argument must be of type string or ${flavor === "bun" ? "Error" : "an instance of Error"}. Received ${internal.describe(warning)}`);
      e.code = "ERR_INVALID_ARG_TYPE";
      throw e;
    }
    if (w.name === "DeprecationWarning" && process.noDeprecation) return;
    if (w.name === "DeprecationWarning" && process.throwDeprecation) throw w;
    process.nextTick(() => process.emit("warning", w));
  };
  process.on("warning", (w) => {
    if (!(w instanceof G.Error)) return;
    const deprecation = w.name === "DeprecationWarning";
    if (deprecation && process.noDeprecation) return;
    const trace = process.traceProcessWarnings || (deprecation && process.traceDeprecation);
    let msg = `(${flavor === "bun" ? "node" : process.release.name}:${process.pid}) `;
    if (w.code) msg += `[${w.code}] `;
    msg += trace && w.stack ? w.stack : String(w);
    if (typeof w.detail === "string") msg += `\n${w.detail}`;
    if (!trace && !traceHintShown) {
      msg += `\n(Use \`${flavor === "bun" ? "bun" : "node"} ${deprecation ? "--trace-deprecation" : "--trace-warnings"} ...\` to show where the warning was created)`;
      traceHintShown = true;
    }
    write(2, `${msg}\n`);
  });
  process.binding = () => {
    throw accessDenied("Binding");
  };
  process.dlopen = process.binding;

  // stdout / stderr
  function makeWritable(fd) {
    const s = new EventEmitter();
    s.fd = fd;
    s.isTTY = false;
    s.writable = true;
    s._isStdio = true;
    s.write = (chunk, encoding, cb) => {
      if (typeof encoding === "function") cb = encoding;
      if (typeof chunk === "string") write(fd, chunk);
      else if (chunk instanceof Uint8Array) write(fd, chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength));
      else {
        const e = new TypeError(`The "chunk" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received ${internal.describe(chunk)}`);
        e.code = "ERR_INVALID_ARG_TYPE";
        throw e;
      }
      if (typeof cb === "function") process.nextTick(cb);
      return true;
    };
    s.end = (chunk, enc, cb) => {
      if (chunk != null && typeof chunk !== "function") s.write(chunk, enc);
      const f = typeof chunk === "function" ? chunk : typeof enc === "function" ? enc : cb;
      if (f) process.nextTick(f);
    };
    s.cork = s.uncork = () => {};
    s.setDefaultEncoding = () => s;
    s.getWindowSize = () => [80, 24];
    s.hasColors = () => false;
    s.getColorDepth = () => 1;
    return s;
  }
  process.stdout = makeWritable(1);
  process.stderr = makeWritable(2);

  // stdin: the whole input is known up front; it is delivered as one chunk, then 'end'.
  // An interactive execution (the caller writes stdin while the program runs) delivers input as
  // it arrives: the host reads it when the loop has nothing else to do (stdinWanted/stdinPush).
  // Synchronous reads of fd 0 (fs.readFileSync(0)) wait for the end of input.
  let stdinBytes;
  let stdinLive;
  const isLive = () => (stdinLive ??= host.stdinLive() === true);
  internal.stdinBytes = () => (stdinBytes ??= new Uint8Array(isLive() ? host.stdinAll() : host.stdin()));
  // The rest of standard input from the fs read position (fs.readSync shares it), consumed.
  internal.takeStdin = () => {
    const all = internal.stdinBytes();
    const from = Math.min(internal.stdinReadPos ?? 0, all.length);
    internal.stdinReadPos = all.length;
    return all.subarray(from);
  };
  const stdin = new EventEmitter();
  stdin.fd = 0;
  stdin.isTTY = false;
  stdin.readable = true;
  let stdinEncoding = null;
  let stdinFlowing = false;
  let stdinDone = false;
  let stdinPos = 0;
  stdin.setEncoding = (enc) => {
    stdinEncoding = enc || "utf8";
    return stdin;
  };
  function stdinChunk() {
    const b = internal.stdinBytes();
    const chunk = b.subarray(stdinPos);
    stdinPos = b.length;
    const Buffer = loadBuiltin("buffer").Buffer;
    return stdinEncoding ? Buffer.from(chunk).toString(stdinEncoding) : Buffer.from(chunk);
  }
  let stdinPaused = false;
  let liveQueue = [];
  let liveWaiters = [];
  function livePush(ab) {
    const Buffer = loadBuiltin("buffer").Buffer;
    if (ab === null) {
      stdinDone = true;
      stdin.readable = false;
      for (const w of liveWaiters.splice(0)) w({ value: undefined, done: true });
      if (stdin.listenerCount("readable") > 0) stdin.emit("readable");
      stdin.emit("end");
      stdin.emit("close");
      return;
    }
    const bytes = Buffer.from(new Uint8Array(ab));
    const chunk = stdinEncoding ? bytes.toString(stdinEncoding) : bytes;
    if (liveWaiters.length) return liveWaiters.shift()({ value: chunk, done: false });
    if (stdin.listenerCount("data") > 0 && !stdinPaused) return stdin.emit("data", chunk);
    liveQueue.push(chunk);
    stdin.emit("readable");
  }
  // The loop keeps waiting for input while someone listens for it (as Node keeps a flowing stdin alive).
  internal.stdinWanted = () =>
    isLive() && !stdinDone && !stdinPaused && (liveWaiters.length > 0 || (stdinFlowing && (stdin.listenerCount("data") > 0 || stdin.listenerCount("readable") > 0)));
  internal.stdinPush = livePush;
  function startStdin() {
    if (isLive()) {
      stdinPaused = false;
      stdinFlowing = true;
      return;
    }
    if (stdinFlowing || stdinDone) return;
    stdinFlowing = true;
    timersApi.setImmediate(() => {
      if (stdinPos < internal.stdinBytes().length) stdin.emit("data", stdinChunk());
      stdinDone = true;
      stdin.readable = false;
      stdin.emit("end");
      stdin.emit("close");
    });
  }
  const stdinOn = stdin.on;
  stdin.on = stdin.addListener = function (ev, fn) {
    stdinOn.call(this, ev, fn);
    if (ev === "data" || ev === "end" || ev === "readable") {
      if (ev === "readable" && isLive()) startStdin();
      else if (ev === "readable") {
        timersApi.setImmediate(() => {
          stdin.emit("readable");
          if (stdinPos >= internal.stdinBytes().length && !stdinDone) {
            stdinDone = true;
            stdin.emit("end");
          }
        });
      } else startStdin();
    }
    return this;
  };
  stdin.once = function (ev, fn) {
    const w = (...a) => {
      stdin.removeListener(ev, w);
      fn.apply(this, a);
    };
    w.listener = fn;
    return stdin.on(ev, w);
  };
  stdin.read = () => {
    if (isLive()) {
      if (!liveQueue.length) return null;
      const all = liveQueue.splice(0);
      if (typeof all[0] === "string") return all.join("");
      return loadBuiltin("buffer").Buffer.concat(all);
    }
    if (stdinPos >= internal.stdinBytes().length) return null;
    return stdinChunk();
  };
  stdin.resume = () => {
    startStdin();
    if (isLive() && liveQueue.length && stdin.listenerCount("data") > 0) for (const c of liveQueue.splice(0)) stdin.emit("data", c);
    return stdin;
  };
  stdin.pause = () => {
    // Only an interactive input can pause; a paused stdin no longer keeps the program alive.
    if (isLive()) stdinPaused = true;
    return stdin;
  };
  stdin.unref = stdin.ref = () => stdin;
  stdin.setRawMode = () => stdin;
  stdin.pipe = (dest) => {
    stdin.on("data", (c) => dest.write(c));
    stdin.on("end", () => {
      if (dest !== process.stdout && dest !== process.stderr && dest.end) dest.end();
    });
    return dest;
  };
  stdin[Symbol.asyncIterator] = async function* () {
    if (isLive()) {
      for (;;) {
        if (liveQueue.length) {
          yield liveQueue.shift();
          continue;
        }
        if (stdinDone) return;
        const r = await new Promise((resolve) => liveWaiters.push(resolve));
        if (r.done) return;
        yield r.value;
      }
    }
    const b = internal.stdinBytes();
    if (stdinPos < b.length) yield stdinChunk();
    stdinDone = true;
  };
  process.stdin = stdin;
  process.openStdin = () => {
    startStdin();
    return stdin;
  };

  // ---- globals -----------------------------------------------------------------------------
  function defineGlobal(name, value) {
    Object.defineProperty(G, name, { value, writable: true, configurable: true, enumerable: false });
  }
  function lazyGlobal(name, get) {
    Object.defineProperty(G, name, {
      configurable: true,
      enumerable: false,
      get() {
        const v = get();
        defineGlobal(name, v);
        return v;
      },
      set(v) {
        defineGlobal(name, v);
      },
    });
  }
  defineGlobal("console", console);
  defineGlobal("process", process);
  defineGlobal("global", G);
  for (const k of Object.keys(timersApi)) defineGlobal(k, timersApi[k]);
  defineGlobal("queueMicrotask", (fn) => {
    checkCallback(fn);
    Promise.resolve().then(() => runGuarded(fn));
  });
  defineGlobal("TextEncoder", TextEncoder);
  defineGlobal("TextDecoder", TextDecoder);
  lazyGlobal("Buffer", () => loadBuiltin("buffer").Buffer);
  lazyGlobal("URL", () => loadBuiltin("url").URL);
  lazyGlobal("URLSearchParams", () => loadBuiltin("url").URLSearchParams);
  if (flavor === "bun") lazyGlobal("Bun", () => loadBuiltin("internal/bun"));
  if (flavor === "bun") lazyGlobal("require", () => makeRequire(new Module(config.entryPath, null)));
  lazyGlobal("EventTarget", () => loadBuiltin("internal/web").EventTarget);
  lazyGlobal("Event", () => loadBuiltin("internal/web").Event);
  lazyGlobal("AbortController", () => loadBuiltin("internal/web").AbortController);
  lazyGlobal("AbortSignal", () => loadBuiltin("internal/web").AbortSignal);
  lazyGlobal("structuredClone", () => loadBuiltin("internal/web").structuredClone);
  // QuickJS has no Intl: an en-US one (guest/intl.ts), loaded on first use of Intl or a toLocale* method.
  lazyGlobal("Intl", () => loadBuiltin("internal/intl").Intl);
  for (const [proto, key, impl] of [[Number.prototype, "toLocaleString", "numberToLocaleString"], [BigInt.prototype, "toLocaleString", "bigintToLocaleString"], [Date.prototype, "toLocaleString", "dateToLocaleString"], [Date.prototype, "toLocaleDateString", "dateToLocaleDateString"], [Date.prototype, "toLocaleTimeString", "dateToLocaleTimeString"], [String.prototype, "localeCompare", "localeCompare"]])
    Object.defineProperty(proto, key, { value: { [key]: function (...a) { return loadBuiltin("internal/intl").methods[impl].apply(this, a); } }[key], writable: true, configurable: true });
  lazyGlobal("atob", () => loadBuiltin("buffer").atob);
  lazyGlobal("btoa", () => loadBuiltin("buffer").btoa);
  lazyGlobal("crypto", () => loadBuiltin("crypto").webcrypto);
  lazyGlobal("fetch", () => function fetch() {
    return Promise.reject(accessDenied("Net"));
  });
  defineGlobal("performance", {
    now: () => host.now(),
    timeOrigin: Date.now() - host.now(),
    mark() {},
    measure() {},
    toJSON() {
      return {};
    },
  });
  defineGlobal("__wasmbox_require", (id) => {
    if (id.startsWith("node:")) {
      const bare = id.slice(5);
      if (bare === "bun" || bare === "internal/bun") return flavor === "bun" ? loadBuiltin("internal/bun") : loadBuiltin(bare);
      return loadBuiltin(bare);
    }
    return requireFile(id, null);
  });
  const metas = new Map();
  defineGlobal("__wasmbox_importMeta", (name) => {
    let m = metas.get(name);
    if (!m) {
      const path = loadBuiltin("path");
      m = {
        url: `file://${name}`,
        filename: name,
        dirname: path.dirname(name),
        resolve: (s) => `file://${host.resolve(path.dirname(name), s) || path.resolve(path.dirname(name), s)}`,
      };
      if (flavor === "bun") Object.assign(m, { main: name === internal.entryPath, dir: m.dirname, file: path.basename(name), path: name, env: process.env });
      metas.set(name, m);
    }
    return m;
  });

  // ---- CommonJS ------------------------------------------------------------------------------
  const moduleCache = Object.create(null);
  internal.cjsFiles = new Set();
  internal.entryPath = config.entryPath;
  class Module {
    constructor(id, parent) {
      this.id = id;
      this.path = id === "." ? "/" : loadBuiltin("path").dirname(id);
      this.exports = {};
      this.filename = id;
      this.loaded = false;
      this.children = [];
      this.paths = [];
      hide(this, "parent", parent);
      if (parent) parent.children.push(this);
    }
    require(id) {
      return makeRequire(this)(id);
    }
  }
  Module.builtinModules = config.builtins.filter((n) => !n.startsWith("internal/"));
  Module._cache = moduleCache;
  Module.createRequire = (from) => {
    const p = String(from).replace(/^file:\/\//, "");
    const m = new Module(p, null);
    return makeRequire(m);
  };
  Module.isBuiltin = (n) => BUILTINS.has(n.startsWith("node:") ? n.slice(5) : n);
  internal.Module = Module;
  let mainModule;
  function requireStack(parent) {
    const s = [];
    for (let m = parent; m; m = m.parent) s.push(m.filename);
    return s;
  }
  function resolveFrom(request, parent) {
    if (typeof request !== "string") {
      const e = new TypeError(`The "id" argument must be of type string. Received ${internal.describe(request)}`);
      e.code = "ERR_INVALID_ARG_TYPE";
      throw e;
    }
    const bare = request.startsWith("node:") ? request.slice(5) : request;
    if (BUILTINS.has(bare) && !bare.startsWith("internal/")) return request;
    if (request.startsWith("node:")) {
      const e = new Error(`No such built-in module: ${request}`);
      e.code = "ERR_UNKNOWN_BUILTIN_MODULE";
      throw e;
    }
    const dir = parent ? loadBuiltin("path").dirname(parent.filename) : cwd;
    const hit = host.resolve(dir, request);
    if (!hit) throw moduleNotFound(request, requireStack(parent));
    return hit;
  }
  function makeRequire(mod) {
    const req = (id) => {
      const resolved = resolveFrom(id, mod);
      if (!resolved.startsWith("/")) {
        if (flavor === "bun" && (resolved === "bun" || resolved === "node:bun")) return loadBuiltin("internal/bun");
        return requireBuiltin(resolved);
      }
      return requireFile(resolved, mod);
    };
    req.resolve = (id) => resolveFrom(id, mod);
    req.resolve.paths = () => [];
    req.cache = moduleCache;
    Object.defineProperty(req, "main", { get: () => mainModule, enumerable: true });
    req.extensions = { ".js": null, ".json": null };
    return req;
  }
  function requireFile(path, parent) {
    const cached = moduleCache[path];
    if (cached) return cached.exports;
    const m = new Module(path, parent);
    if (!parent && !mainModule) {
      mainModule = m;
      m.id = ".";
    }
    moduleCache[path] = m;
    let ok = false;
    try {
      const source = host.readSource(path);
      if (source === undefined) throw moduleNotFound(path, requireStack(parent));
      if (path.endsWith(".json")) {
        try {
          m.exports = JSON.parse(source);
        } catch (e) {
          e.message = `${path}: ${e.message}`;
          throw e;
        }
      } else if (host.isModule(path) && flavor === "node") {
        const e = new Error(`require() of ES Module ${path} not supported.`);
        e.code = "ERR_REQUIRE_ESM";
        throw e;
      } else {
        internal.cjsFiles.add(path);
        let fn;
        try {
          fn = host.compile(`${CJS_WRAP}${source.startsWith("#!") ? "//" + source : source}\n})`, path);
        } catch (e) {
          // Node retries an entry that is not valid CommonJS as an ES module (top-level await).
          if (e instanceof SyntaxError && !parent && /\bawait\b/.test(source)) {
            delete moduleCache[path];
            ok = true;
            return { __wasmboxEsm: host.evalModule(path) };
          }
          if (e instanceof SyntaxError) markSyntaxError(e);
          throw e;
        }
        fn.call(m.exports, m.exports, makeRequire(m), m, path, loadBuiltin("path").dirname(path));
      }
      ok = true;
    } finally {
      if (!ok) delete moduleCache[path];
    }
    m.loaded = true;
    return m.exports;
  }
  internal.requireFile = requireFile;
  const syntaxLocations = new WeakMap();
  const SYNTAX_FRAMES = [
    "    at wrapSafe (node:internal/modules/cjs/loader:1464:18)",
    "    at Module._compile (node:internal/modules/cjs/loader:1495:20)",
    ...LOADER_FRAMES.slice(1),
  ];
  function markSyntaxError(e) {
    const raw = e.stack;
    const m = /at (?:.*? \()?(\/[^\s()]*?):(\d+):(\d+)/.exec(typeof raw === "string" ? raw : "");
    if (m) {
      syntaxLocations.set(e, [m[1], Number(m[2]), fileColumn(m[1], Number(m[2]), Number(m[3]))]);
    }
    const frames = flavor === "node" ? SYNTAX_FRAMES : [];
    Object.defineProperty(e, "stack", { value: [errorHeader(e), ...frames].join("\n"), writable: true, configurable: true, enumerable: false });
  }
  internal.syntaxLocations = syntaxLocations;

  // ---- the loop the host drives --------------------------------------------------------------
  function runTicks() {
    let n = 0;
    while (tickQueue.length) {
      const q = tickQueue;
      tickQueue = [];
      for (const [fn, args] of q) {
        n++;
        runGuarded(fn, undefined, args);
        if (exited) return n;
      }
    }
    return n;
  }
  function alive() {
    for (const t of timerQueue.values()) if (t._ref) return true;
    for (const i of immediates) if (i._ref) return true;
    return false;
  }
  function withExit(fn) {
    return (...a) => {
      try {
        return fn(...a);
      } catch (e) {
        if (e instanceof ProcessExit) return 0;
        throw e;
      }
    };
  }
  const loop = {
    // The prelude runs before the job is known (in a context prepared while the host is idle);
    // this binds the job's entrypoint, argv and environment, once, right before `main`.
    start: (json) => {
      const job = JSON.parse(json);
      config.entryPath = job.entryPath;
      config.args = job.args;
      config.env = job.env;
      internal.entryPath = job.entryPath;
      process.argv = [process.argv[0], job.entryPath, ...job.args];
      Object.assign(env, job.env);
      G.performance.timeOrigin = Date.now() - host.now();
      delete loop.start;
      return 0;
    },
    main: withExit(() => {
      try {
        if (host.isModule(config.entryPath)) {
          let p;
          try {
            p = host.evalModule(config.entryPath);
          } catch (e) {
            if (e instanceof ProcessExit) throw e;
            return uncaught(e, undefined, { moduleEval: true, esmSync: true }), 0;
          }
          if (p && typeof p.then === "function") p.then(undefined, (e) => uncaught(e, undefined, { moduleEval: true }));
        } else {
          const r = requireFile(config.entryPath, null);
          const p = r && r.__wasmboxEsm;
          if (p && typeof p.then === "function") p.then(undefined, (e) => uncaught(e, undefined, { moduleEval: true }));
        }
      } catch (e) {
        if (e instanceof ProcessExit) throw e;
        uncaught(e);
      }
      return 0;
    }),
    ticks: withExit(() => runTicks()),
    next: withExit(() => {
      if (exited) return -1;
      if (immediates.length) return alive() ? 0 : -1;
      if (!alive()) return -1;
      let min = Infinity;
      for (const t of timerQueue.values()) if (t._when < min) min = t._when;
      return Math.max(0, Math.ceil(min - host.now()));
    }),
    stdinWanted: withExit(() => (internal.stdinWanted() ? 1 : 0)),
    stdinPush: withExit((ab) => {
      internal.stdinPush(ab);
      return 0;
    }),
    fire: withExit(() => {
      const now = host.now();
      let due;
      for (const t of timerQueue.values()) if (t._when <= now + 0.5 && (!due || t._when < due._when || (t._when === due._when && t._id < due._id))) due = t;
      if (due) {
        if (due._repeat) due._when = Math.max(now, due._when) + due._ms;
        else timerQueue.delete(due._id);
        runGuarded(due._fn, due, due._args);
        return 1;
      }
      const im = immediates.shift();
      if (im) {
        runGuarded(im._fn, im, im._args);
        return 1;
      }
      return 0;
    }),
    // The host calls this for each promise still rejected without a handler once the tick and
    // microtask queues are empty (QuickJS's rejection tracker; see ../rejection-tracker.ts).
    unhandledRejection: withExit((reason, promise, duringMain) => {
      uncaught(reason, promise, { esmSync: duringMain });
      return 0;
    }),
    beforeExit: withExit(() => {
      process.emit("beforeExit", exitCode === undefined ? 0 : exitCode);
      return 0;
    }),
    exitCode: withExit(() => {
      doExit(exitCode === undefined ? 0 : exitCode);
      return exitCode;
    }),
  };
  internal.process = process;
  // Every CommonJS entrypoint needs `path`; loading it here moves its compile out of the job
  // (the prelude runs ahead of time) and it keeps no job state.
  loadBuiltin("path");
  return loop;
};
