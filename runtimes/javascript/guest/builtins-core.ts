// @ts-nocheck
/**
 * GUEST code: built-in modules, each a factory `(module, exports, require, internal)` that the
 * prelude compiles on first `require` (serialized with toString; nothing outside may be used).
 */
export const coreBuiltins = {
  events: function (module, exports, require, internal) {
    function EventEmitter() {
      EventEmitter.init.call(this);
    }
    EventEmitter.init = function () {
      if (this._events === undefined || this._events === Object.getPrototypeOf(this)._events) {
        Object.defineProperty(this, "_events", { value: Object.create(null), writable: true, configurable: true, enumerable: false });
        Object.defineProperty(this, "_eventsCount", { value: 0, writable: true, configurable: true, enumerable: false });
      }
      Object.defineProperty(this, "_maxListeners", { value: this._maxListeners, writable: true, configurable: true, enumerable: false });
    };
    EventEmitter.defaultMaxListeners = 10;
    EventEmitter.errorMonitor = Symbol("events.errorMonitor");
    const proto = EventEmitter.prototype;
    proto._events = undefined;
    proto._maxListeners = undefined;
    function events(self) {
      if (!self._events) EventEmitter.init.call(self);
      return self._events;
    }
    proto.setMaxListeners = function (n) {
      this._maxListeners = n;
      return this;
    };
    proto.getMaxListeners = function () {
      return this._maxListeners === undefined ? EventEmitter.defaultMaxListeners : this._maxListeners;
    };
    proto.emit = function (type, ...args) {
      const ev = events(this);
      if (type === "error" && ev[EventEmitter.errorMonitor]) for (const l of ev[EventEmitter.errorMonitor].slice()) l.apply(this, args);
      const list = ev[type];
      if (!list || list.length === 0) {
        if (type === "error") {
          const er = args[0];
          if (er instanceof Error) throw er;
          const err = new Error(`Unhandled error. (${internal.inspect(er)})`);
          err.code = "ERR_UNHANDLED_ERROR";
          err.context = er;
          throw err;
        }
        return false;
      }
      for (const l of list.slice()) l.apply(this, args);
      return true;
    };
    function add(self, type, listener, prepend) {
      if (typeof listener !== "function") {
        const e = new TypeError(`The "listener" argument must be of type function. Received ${internal.describe(listener)}`);
        e.code = "ERR_INVALID_ARG_TYPE";
        throw e;
      }
      const ev = events(self);
      if (ev.newListener) self.emit("newListener", type, listener.listener ? listener.listener : listener);
      const list = ev[type] || (ev[type] = []);
      if (list.length === 0) self._eventsCount++;
      if (prepend) list.unshift(listener);
      else list.push(listener);
      return self;
    }
    proto.on = proto.addListener = function (type, listener) {
      return add(this, type, listener, false);
    };
    proto.prependListener = function (type, listener) {
      return add(this, type, listener, true);
    };
    function onceWrap(self, type, listener) {
      const w = function (...args) {
        self.removeListener(type, w);
        return listener.apply(this, args);
      };
      w.listener = listener;
      return w;
    }
    proto.once = function (type, listener) {
      if (typeof listener !== "function") return add(this, type, listener, false);
      return this.on(type, onceWrap(this, type, listener));
    };
    proto.prependOnceListener = function (type, listener) {
      return this.prependListener(type, onceWrap(this, type, listener));
    };
    proto.off = proto.removeListener = function (type, listener) {
      const ev = events(this);
      const list = ev[type];
      if (!list) return this;
      for (let i = list.length - 1; i >= 0; i--) {
        if (list[i] === listener || list[i].listener === listener) {
          list.splice(i, 1);
          if (list.length === 0) {
            delete ev[type];
            this._eventsCount--;
          }
          if (ev.removeListener) this.emit("removeListener", type, listener);
          break;
        }
      }
      return this;
    };
    proto.removeAllListeners = function (type) {
      const ev = events(this);
      if (type === undefined) {
        this._events = Object.create(null);
        this._eventsCount = 0;
      } else if (ev[type]) {
        delete ev[type];
        this._eventsCount--;
      }
      return this;
    };
    proto.listeners = function (type) {
      return (events(this)[type] || []).map((l) => l.listener || l);
    };
    proto.rawListeners = function (type) {
      return (events(this)[type] || []).slice();
    };
    proto.listenerCount = function (type) {
      return (events(this)[type] || []).length;
    };
    proto.eventNames = function () {
      return Reflect.ownKeys(events(this));
    };
    EventEmitter.once = function (emitter, name) {
      return new Promise((resolve, reject) => {
        const onError = (err) => {
          emitter.removeListener(name, resolver);
          reject(err);
        };
        const resolver = (...args) => {
          if (name !== "error") emitter.removeListener("error", onError);
          resolve(args);
        };
        emitter.once(name, resolver);
        if (name !== "error") emitter.once("error", onError);
      });
    };
    EventEmitter.on = function (emitter, name) {
      const queue = [];
      const waiting = [];
      let done = false;
      emitter.on(name, (...args) => {
        if (waiting.length) waiting.shift().resolve({ value: args, done: false });
        else queue.push(args);
      });
      return {
        next() {
          if (queue.length) return Promise.resolve({ value: queue.shift(), done: false });
          if (done) return Promise.resolve({ value: undefined, done: true });
          return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
        },
        return() {
          done = true;
          for (const w of waiting.splice(0)) w.resolve({ value: undefined, done: true });
          return Promise.resolve({ value: undefined, done: true });
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      };
    };
    EventEmitter.listenerCount = (emitter, type) => emitter.listenerCount(type);
    EventEmitter.EventEmitter = EventEmitter;
    EventEmitter.default = EventEmitter;
    module.exports = EventEmitter;
  },

  path: function (module, exports, require, internal) {
    function assertPath(p, name = "path") {
      if (typeof p !== "string") {
        const e = new TypeError(`The "${name}" argument must be of type string. Received ${internal.describe(p)}`);
        e.code = "ERR_INVALID_ARG_TYPE";
        throw e;
      }
    }
    function normalizeString(path, allowAboveRoot) {
      let res = "";
      let lastSegmentLength = 0;
      let lastSlash = -1;
      let dots = 0;
      let code;
      for (let i = 0; i <= path.length; ++i) {
        if (i < path.length) code = path.charCodeAt(i);
        else if (code === 47) break;
        else code = 47;
        if (code === 47) {
          if (lastSlash === i - 1 || dots === 1) {
          } else if (dots === 2) {
            if (res.length < 2 || lastSegmentLength !== 2 || res.charCodeAt(res.length - 1) !== 46 || res.charCodeAt(res.length - 2) !== 46) {
              if (res.length > 2) {
                const lastSlashIndex = res.lastIndexOf("/");
                if (lastSlashIndex === -1) {
                  res = "";
                  lastSegmentLength = 0;
                } else {
                  res = res.slice(0, lastSlashIndex);
                  lastSegmentLength = res.length - 1 - res.lastIndexOf("/");
                }
                lastSlash = i;
                dots = 0;
                continue;
              } else if (res.length !== 0) {
                res = "";
                lastSegmentLength = 0;
                lastSlash = i;
                dots = 0;
                continue;
              }
            }
            if (allowAboveRoot) {
              res += res.length > 0 ? "/.." : "..";
              lastSegmentLength = 2;
            }
          } else {
            if (res.length > 0) res += "/" + path.slice(lastSlash + 1, i);
            else res = path.slice(lastSlash + 1, i);
            lastSegmentLength = i - lastSlash - 1;
          }
          lastSlash = i;
          dots = 0;
        } else if (code === 46 && dots !== -1) ++dots;
        else dots = -1;
      }
      return res;
    }
    const posix = {
      sep: "/",
      delimiter: ":",
      resolve(...args) {
        let resolvedPath = "";
        let resolvedAbsolute = false;
        for (let i = args.length - 1; i >= -1 && !resolvedAbsolute; i--) {
          const path = i >= 0 ? args[i] : internal.process.cwd();
          assertPath(path, `paths[${i}]`);
          if (path.length === 0) continue;
          resolvedPath = `${path}/${resolvedPath}`;
          resolvedAbsolute = path.charCodeAt(0) === 47;
        }
        resolvedPath = normalizeString(resolvedPath, !resolvedAbsolute);
        if (resolvedAbsolute) return `/${resolvedPath}`;
        return resolvedPath.length > 0 ? resolvedPath : ".";
      },
      normalize(path) {
        assertPath(path);
        if (path.length === 0) return ".";
        const isAbsolute = path.charCodeAt(0) === 47;
        const trailingSeparator = path.charCodeAt(path.length - 1) === 47;
        path = normalizeString(path, !isAbsolute);
        if (path.length === 0) {
          if (isAbsolute) return "/";
          return trailingSeparator ? "./" : ".";
        }
        if (trailingSeparator) path += "/";
        return isAbsolute ? `/${path}` : path;
      },
      isAbsolute(path) {
        assertPath(path);
        return path.length > 0 && path.charCodeAt(0) === 47;
      },
      join(...args) {
        if (args.length === 0) return ".";
        let joined;
        for (let i = 0; i < args.length; ++i) {
          const arg = args[i];
          assertPath(arg);
          if (arg.length > 0) joined = joined === undefined ? arg : `${joined}/${arg}`;
        }
        if (joined === undefined) return ".";
        return posix.normalize(joined);
      },
      relative(from, to) {
        assertPath(from, "from");
        assertPath(to, "to");
        if (from === to) return "";
        from = posix.resolve(from);
        to = posix.resolve(to);
        if (from === to) return "";
        const fromParts = from.split("/").filter(Boolean);
        const toParts = to.split("/").filter(Boolean);
        let i = 0;
        while (i < fromParts.length && i < toParts.length && fromParts[i] === toParts[i]) i++;
        return [...fromParts.slice(i).map(() => ".."), ...toParts.slice(i)].join("/");
      },
      toNamespacedPath(p) {
        return p;
      },
      dirname(path) {
        assertPath(path);
        if (path.length === 0) return ".";
        const hasRoot = path.charCodeAt(0) === 47;
        let end = -1;
        let matchedSlash = true;
        for (let i = path.length - 1; i >= 1; --i) {
          if (path.charCodeAt(i) === 47) {
            if (!matchedSlash) {
              end = i;
              break;
            }
          } else matchedSlash = false;
        }
        if (end === -1) return hasRoot ? "/" : ".";
        if (hasRoot && end === 1) return "//";
        return path.slice(0, end);
      },
      basename(path, suffix) {
        assertPath(path);
        let end = path.length;
        while (end > 1 && path[end - 1] === "/") end--;
        const trimmed = path.slice(0, end);
        let base = trimmed.slice(trimmed.lastIndexOf("/") + 1);
        if (suffix !== undefined && base.endsWith(suffix) && base !== suffix) base = base.slice(0, base.length - suffix.length);
        return base;
      },
      extname(path) {
        assertPath(path);
        const base = posix.basename(path);
        const i = base.lastIndexOf(".");
        if (i <= 0) return "";
        return base.slice(i);
      },
      format(o) {
        const dir = o.dir || o.root;
        const base = o.base || `${o.name || ""}${o.ext ? (o.ext[0] === "." ? "" : ".") + o.ext : ""}`;
        if (!dir) return base;
        return dir === o.root ? `${dir}${base}` : `${dir}/${base}`;
      },
      parse(path) {
        assertPath(path);
        const root = path.startsWith("/") ? "/" : "";
        const base = posix.basename(path);
        const ext = posix.extname(path);
        let dir = posix.dirname(path);
        if (dir === "." && !path.includes("/")) dir = "";
        return { root, dir, base, ext, name: ext ? base.slice(0, base.length - ext.length) : base };
      },
      matchesGlob() {
        return false;
      },
    };
    posix.posix = posix;
    posix.win32 = posix;
    module.exports = posix;
  },

  util: function (module, exports, require, internal) {
    const insp = require("internal/inspect");
    exports.inspect = insp.inspect;
    exports.format = insp.format;
    exports.formatWithOptions = insp.formatWithOptions;
    const custom = Symbol.for("nodejs.util.promisify.custom");
    function promisify(fn) {
      if (typeof fn !== "function") {
        const e = new TypeError(`The "original" argument must be of type function. Received ${internal.describe(fn)}`);
        e.code = "ERR_INVALID_ARG_TYPE";
        throw e;
      }
      if (fn[custom]) return fn[custom];
      function p(...args) {
        return new Promise((resolve, reject) => {
          fn.call(this, ...args, (err, ...values) => {
            if (err) reject(err);
            else resolve(values.length > 1 ? values : values[0]);
          });
        });
      }
      Object.setPrototypeOf(p, Object.getPrototypeOf(fn));
      Object.defineProperty(p, custom, { value: p, enumerable: false, writable: false, configurable: true });
      return Object.defineProperties(p, Object.getOwnPropertyDescriptors(fn));
    }
    promisify.custom = custom;
    exports.promisify = promisify;
    exports.callbackify = (fn) =>
      function (...args) {
        const cb = args.pop();
        fn.apply(this, args).then(
          (v) => internal.process.nextTick(cb, null, v),
          (e) => internal.process.nextTick(cb, e),
        );
      };
    exports.inherits = (ctor, superCtor) => {
      Object.defineProperty(ctor, "super_", { value: superCtor, writable: true, configurable: true });
      Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
    };
    exports.deprecate = (fn, msg, code) => {
      let warned = false;
      return function (...a) {
        if (!warned) {
          warned = true;
          internal.process.emitWarning(msg, "DeprecationWarning");
        }
        return new.target ? Reflect.construct(fn, a, new.target) : fn.apply(this, a);
      };
    };
    exports.isDeepStrictEqual = (a, b) => require("assert").__deepEqual(a, b, true);
    const types = {
      isPromise: (v) => v instanceof Promise,
      isDate: (v) => v instanceof Date,
      isRegExp: (v) => v instanceof RegExp,
      isMap: (v) => v instanceof Map,
      isSet: (v) => v instanceof Set,
      isNativeError: (v) => v instanceof Error,
      isTypedArray: (v) => ArrayBuffer.isView(v) && !(v instanceof DataView),
      isUint8Array: (v) => v instanceof Uint8Array,
      isArrayBuffer: (v) => v instanceof ArrayBuffer,
      isAnyArrayBuffer: (v) => v instanceof ArrayBuffer,
      isAsyncFunction: (v) => typeof v === "function" && Object.getPrototypeOf(v).constructor.name === "AsyncFunction",
      isGeneratorFunction: (v) => typeof v === "function" && /Generator/.test(Object.getPrototypeOf(v).constructor.name),
      isProxy: () => false,
      isBoxedPrimitive: (v) => v instanceof Number || v instanceof String || v instanceof Boolean,
    };
    exports.types = types;
    exports.isArray = Array.isArray;
    exports.isDeepStrictEqual = exports.isDeepStrictEqual;
    exports.TextEncoder = TextEncoder;
    exports.TextDecoder = TextDecoder;
    exports.stripVTControlCharacters = (s) => s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");
    exports.styleText = (fmt, text) => text;
    exports.toUSVString = (s) => String(s).toWellFormed();
    exports.debuglog = () => () => {};
    exports.parseArgs = (config = {}) => require("internal/parse-args")(config);
    exports.isError = (v) => v instanceof Error;
    exports.isString = (v) => typeof v === "string";
    exports.isNumber = (v) => typeof v === "number";
    exports.isFunction = (v) => typeof v === "function";
    exports.isObject = (v) => v !== null && typeof v === "object";
    exports.isUndefined = (v) => v === undefined;
    exports.isNullOrUndefined = (v) => v == null;
  },

  "internal/parse-args": function (module, exports, require, internal) {
    module.exports = function parseArgs(config) {
      const args = config.args ?? internal.process.argv.slice(2);
      const options = config.options ?? {};
      const values = {};
      const positionals = [];
      for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a === "--") {
          positionals.push(...args.slice(i + 1));
          break;
        }
        let name, value;
        if (a.startsWith("--")) {
          [name, value] = a.slice(2).split(/=(.*)/s);
        } else if (a.startsWith("-") && a.length > 1) {
          const short = a.slice(1, 2);
          name = Object.keys(options).find((k) => options[k].short === short) ?? short;
          if (a.length > 2) value = a.slice(2);
        } else {
          positionals.push(a);
          continue;
        }
        const opt = options[name];
        if (opt && opt.type === "string" && value === undefined) value = args[++i];
        if (!opt || opt.type === "boolean") value = value === undefined ? true : value;
        if (opt && opt.multiple) (values[name] ??= []).push(value);
        else values[name] = value;
      }
      for (const [k, o] of Object.entries(options)) if (values[k] === undefined && o.default !== undefined) values[k] = o.default;
      return { values, positionals };
    };
  },

  string_decoder: function (module, exports, require, internal) {
    const { Buffer } = require("buffer");
    class StringDecoder {
      constructor(encoding = "utf8") {
        this.encoding = String(encoding).toLowerCase().replace("-", "");
        this.pending = new Uint8Array(0);
      }
      write(buf) {
        if (typeof buf === "string") return buf;
        let b = new Uint8Array(this.pending.length + buf.length);
        b.set(this.pending);
        b.set(buf, this.pending.length);
        if (this.encoding !== "utf8") {
          this.pending = new Uint8Array(0);
          return Buffer.from(b).toString(this.encoding);
        }
        // keep an incomplete trailing UTF-8 sequence for the next write
        let cut = b.length;
        for (let i = Math.max(0, b.length - 3); i < b.length; i++) {
          const c = b[i];
          const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
          if (need && i + need > b.length) {
            cut = i;
            break;
          }
        }
        this.pending = b.slice(cut);
        return internal.utf8Decode(b, 0, cut);
      }
      end(buf) {
        let s = buf ? this.write(buf) : "";
        if (this.pending.length) s += internal.utf8Decode(this.pending);
        this.pending = new Uint8Array(0);
        return s;
      }
    }
    exports.StringDecoder = StringDecoder;
  },

  os: function (module, exports, require, internal) {
    Object.assign(exports, {
      EOL: "\n",
      platform: () => "linux",
      type: () => "Linux",
      arch: () => "x64",
      release: () => "6.1.0",
      version: () => "#1 SMP",
      machine: () => "x86_64",
      hostname: () => "sandbox",
      homedir: () => "/",
      tmpdir: () => "/tmp",
      endianness: () => "LE",
      uptime: () => 1000,
      loadavg: () => [0, 0, 0],
      totalmem: () => 536870912,
      freemem: () => 268435456,
      availableParallelism: () => 1,
      cpus: () => [{ model: "wasm", speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } }],
      networkInterfaces: () => ({}),
      userInfo: () => ({ uid: 1000, gid: 1000, username: "sandbox", homedir: "/", shell: null }),
      constants: { signals: { SIGINT: 2, SIGTERM: 15, SIGKILL: 9 }, errno: {} },
      devNull: "/dev/null",
    });
  },

  querystring: function (module, exports, require, internal) {
    const esc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
    const unesc = (s) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, " "));
      } catch {
        return s;
      }
    };
    const str = (v) => (typeof v === "string" ? v : typeof v === "number" && isFinite(v) ? "" + v : typeof v === "bigint" || typeof v === "boolean" ? "" + v : "");
    exports.escape = esc;
    exports.unescape = unesc;
    exports.stringify = exports.encode = (obj, sep = "&", eq = "=") => {
      if (obj === null || typeof obj !== "object") return "";
      return Object.keys(obj)
        .map((k) => {
          const v = obj[k];
          if (Array.isArray(v)) return v.map((x) => `${esc(k)}${eq}${esc(str(x))}`).join(sep);
          return `${esc(k)}${eq}${esc(str(v))}`;
        })
        .filter(Boolean)
        .join(sep);
    };
    exports.parse = exports.decode = (qs, sep = "&", eq = "=") => {
      const out = Object.create(null);
      if (typeof qs !== "string" || qs.length === 0) return out;
      for (const part of qs.split(sep)) {
        if (!part) continue;
        const i = part.indexOf(eq);
        const k = unesc(i >= 0 ? part.slice(0, i) : part);
        const v = i >= 0 ? unesc(part.slice(i + eq.length)) : "";
        if (k in out) out[k] = Array.isArray(out[k]) ? [...out[k], v] : [out[k], v];
        else out[k] = v;
      }
      return out;
    };
  },

  timers: function (module, exports, require, internal) {
    Object.assign(exports, internal.timers);
  },

  "timers/promises": function (module, exports, require, internal) {
    exports.setTimeout = (ms, value) => new Promise((r) => internal.timers.setTimeout(() => r(value), ms));
    exports.setImmediate = (value) => new Promise((r) => internal.timers.setImmediate(() => r(value)));
    exports.setInterval = async function* (ms, value) {
      for (;;) yield await new Promise((r) => internal.timers.setTimeout(() => r(value), ms));
    };
    exports.scheduler = { wait: exports.setTimeout, yield: exports.setImmediate };
  },

  process: function (module, exports, require, internal) {
    module.exports = internal.process;
  },

  console: function (module, exports, require, internal) {
    module.exports = globalThis.console;
  },

  module: function (module, exports, require, internal) {
    module.exports = internal.Module;
    module.exports.Module = internal.Module;
  },

  constants: function (module, exports, require, internal) {
    Object.assign(exports, { O_RDONLY: 0, O_WRONLY: 1, O_RDWR: 2, S_IFMT: 61440, S_IFREG: 32768, S_IFDIR: 16384, F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1 });
  },

  perf_hooks: function (module, exports, require, internal) {
    exports.performance = globalThis.performance;
  },

  "internal/web": function (module, exports, require, internal) {
    class Event {
      constructor(type, init = {}) {
        this.type = type;
        this.bubbles = !!init.bubbles;
        this.cancelable = !!init.cancelable;
        this.defaultPrevented = false;
        this.timeStamp = performance.now();
      }
      preventDefault() {
        if (this.cancelable) this.defaultPrevented = true;
      }
      stopPropagation() {}
      stopImmediatePropagation() {}
    }
    class EventTarget {
      #l = new Map();
      addEventListener(type, fn, opts) {
        if (!fn) return;
        const list = this.#l.get(type) || [];
        if (list.some((x) => x.fn === fn)) return;
        list.push({ fn, once: !!(opts && opts.once) });
        this.#l.set(type, list);
      }
      removeEventListener(type, fn) {
        const list = this.#l.get(type);
        if (list) this.#l.set(type, list.filter((x) => x.fn !== fn));
      }
      dispatchEvent(ev) {
        Object.defineProperty(ev, "target", { value: this, configurable: true });
        for (const x of (this.#l.get(ev.type) || []).slice()) {
          if (x.once) this.removeEventListener(ev.type, x.fn);
          if (typeof x.fn === "function") x.fn.call(this, ev);
          else x.fn.handleEvent(ev);
        }
        return !ev.defaultPrevented;
      }
    }
    class AbortSignal extends EventTarget {
      constructor() {
        super();
        this.aborted = false;
        this.reason = undefined;
        this.onabort = null;
      }
      throwIfAborted() {
        if (this.aborted) throw this.reason;
      }
      static abort(reason) {
        const c = new AbortController();
        c.abort(reason);
        return c.signal;
      }
      static timeout(ms) {
        const c = new AbortController();
        internal.timers.setTimeout(() => {
          const e = new Error("The operation was aborted due to timeout");
          e.name = "TimeoutError";
          c.abort(e);
        }, ms);
        return c.signal;
      }
    }
    class AbortController {
      constructor() {
        this.signal = new AbortSignal();
      }
      abort(reason) {
        if (this.signal.aborted) return;
        if (reason === undefined) {
          reason = new Error("This operation was aborted");
          reason.name = "AbortError";
          reason.code = 20;
        }
        this.signal.aborted = true;
        this.signal.reason = reason;
        const ev = new Event("abort");
        if (typeof this.signal.onabort === "function") this.signal.onabort(ev);
        this.signal.dispatchEvent(ev);
      }
    }
    function structuredClone(value, seen = new Map()) {
      if (typeof value === "function" || typeof value === "symbol") {
        const e = new Error(`${typeof value === "function" ? String(value) : value.toString()} could not be cloned.`);
        e.name = "DataCloneError";
        e.code = 25;
        throw e;
      }
      if (value === null || typeof value !== "object") return value;
      if (seen.has(value)) return seen.get(value);
      let out;
      if (value instanceof Date) out = new Date(value.getTime());
      else if (value instanceof RegExp) out = new RegExp(value.source, value.flags);
      else if (value instanceof Map) {
        out = new Map();
        seen.set(value, out);
        for (const [k, v] of value) out.set(structuredClone(k, seen), structuredClone(v, seen));
        return out;
      } else if (value instanceof Set) {
        out = new Set();
        seen.set(value, out);
        for (const v of value) out.add(structuredClone(v, seen));
        return out;
      } else if (ArrayBuffer.isView(value)) out = new (internal.isBuffer && internal.isBuffer(value) ? Uint8Array : value.constructor)(value);
      else if (value instanceof ArrayBuffer) out = value.slice(0);
      else if (value instanceof Error) {
        out = new (globalThis[value.name] || Error)(value.message);
        out.stack = value.stack;
      } else if (Array.isArray(value)) {
        out = [];
        seen.set(value, out);
        for (let i = 0; i < value.length; i++) out[i] = structuredClone(value[i], seen);
        return out;
      } else {
        out = {};
        seen.set(value, out);
        for (const k of Object.keys(value)) out[k] = structuredClone(value[k], seen);
        return out;
      }
      seen.set(value, out);
      return out;
    }
    Object.assign(exports, { Event, EventTarget, AbortController, AbortSignal, structuredClone: (v) => structuredClone(v) });
  },
};
