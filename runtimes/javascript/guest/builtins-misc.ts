// @ts-nocheck
/** GUEST code: assert, url, crypto, and Bun's globals. */
export const miscBuiltins = {
  assert: function (module, exports, require, internal) {
    const inspect = (v) => internal.inspect(v);
    class AssertionError extends Error {
      constructor(options) {
        const { message, actual, expected, operator } = options;
        super(message !== undefined ? String(message) : defaultMessage(actual, expected, operator));
        this.generatedMessage = message === undefined;
        this.code = "ERR_ASSERTION";
        this.actual = actual;
        this.expected = expected;
        this.operator = operator;
      }
      get name() {
        return "AssertionError";
      }
      toString() {
        return `AssertionError [ERR_ASSERTION]: ${this.message}`;
      }
    }
    Object.defineProperty(AssertionError.prototype, "name", { value: "AssertionError", writable: true, configurable: true, enumerable: false });
    function defaultMessage(actual, expected, operator) {
      switch (operator) {
        case "strictEqual":
          if (typeof actual === "object" && actual !== null && typeof expected === "object" && expected !== null)
            return `Values have same structure but are not reference-equal:\n\n${inspect(actual)}\n`;
          return `Expected values to be strictly equal:\n\n${inspect(actual)} !== ${inspect(expected)}\n`;
        case "deepStrictEqual":
        case "deepEqual":
          return `Expected values to be ${operator === "deepEqual" ? "loosely" : "strictly"} deep-equal:\n+ actual - expected\n\n+ ${inspect(actual).split("\n").join("\n+ ")}\n- ${inspect(expected).split("\n").join("\n- ")}`;
        case "notStrictEqual":
          return `Expected "actual" to be strictly unequal to: ${inspect(expected)}`;
        case "==":
          return `${inspect(actual)} == ${inspect(expected)}`;
        case "!=":
          return `${inspect(actual)} != ${inspect(expected)}`;
        case "fail":
          return "Failed";
        default:
          return `${inspect(actual)} ${operator} ${inspect(expected)}`;
      }
    }
    function deepEqual(a, b, strict, seen = new Map()) {
      if (strict ? Object.is(a, b) : a == b || (a !== a && b !== b)) return true;
      if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
      if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
      if (seen.get(a) === b) return true;
      seen.set(a, b);
      if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
      if (a instanceof RegExp && b instanceof RegExp) return String(a) === String(b);
      if (Array.isArray(a) !== Array.isArray(b)) return false;
      if (a instanceof Map && b instanceof Map) {
        if (a.size !== b.size) return false;
        for (const [k, v] of a) if (!b.has(k) || !deepEqual(v, b.get(k), strict, seen)) return false;
        return true;
      }
      if (a instanceof Set && b instanceof Set) {
        if (a.size !== b.size) return false;
        for (const v of a) if (!b.has(v) && ![...b].some((w) => deepEqual(v, w, strict, seen))) return false;
        return true;
      }
      if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
        if (a.length !== b.length) return false;
        for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
        return true;
      }
      const ka = Object.keys(a);
      const kb = Object.keys(b);
      if (ka.length !== kb.length) return false;
      for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || !deepEqual(a[k], b[k], strict, seen)) return false;
      return true;
    }
    function fail(obj) {
      if (obj.message instanceof Error) throw obj.message;
      throw new AssertionError(obj);
    }
    function ok(value, message) {
      if (!value) fail({ message: message ?? (arguments.length === 0 ? "No value argument passed to `assert.ok()`" : "The expression evaluated to a falsy value:\n\n  assert(" + inspect(value) + ")\n"), actual: value, expected: true, operator: "==" });
    }
    const assert = function (value, message) {
      if (!value) fail({ message: message ?? "The expression evaluated to a falsy value:\n\n  assert(" + inspect(value) + ")\n", actual: value, expected: true, operator: "==" });
    };
    Object.assign(assert, {
      ok,
      AssertionError,
      fail(message = "Failed") {
        fail({ message, operator: "fail" });
      },
      equal(a, b, message) {
        if (!(a == b || (a !== a && b !== b))) fail({ message, actual: a, expected: b, operator: "==" });
      },
      notEqual(a, b, message) {
        if (a == b) fail({ message, actual: a, expected: b, operator: "!=" });
      },
      strictEqual(a, b, message) {
        if (!Object.is(a, b)) fail({ message, actual: a, expected: b, operator: "strictEqual" });
      },
      notStrictEqual(a, b, message) {
        if (Object.is(a, b)) fail({ message, actual: a, expected: b, operator: "notStrictEqual" });
      },
      deepEqual(a, b, message) {
        if (!deepEqual(a, b, false)) fail({ message, actual: a, expected: b, operator: "deepEqual" });
      },
      deepStrictEqual(a, b, message) {
        if (!deepEqual(a, b, true)) fail({ message, actual: a, expected: b, operator: "deepStrictEqual" });
      },
      notDeepStrictEqual(a, b, message) {
        if (deepEqual(a, b, true)) fail({ message: message ?? `Expected "actual" not to be strictly deep-equal to: ${inspect(b)}`, actual: a, expected: b, operator: "notDeepStrictEqual" });
      },
      notDeepEqual(a, b, message) {
        if (deepEqual(a, b, false)) fail({ message: message ?? `Expected "actual" not to be loosely deep-equal to: ${inspect(b)}`, actual: a, expected: b, operator: "notDeepEqual" });
      },
      throws(fn, expected, message) {
        try {
          fn();
        } catch (e) {
          check(e, expected, message);
          return;
        }
        fail({ message: typeof expected === "string" ? expected : message ?? "Missing expected exception.", operator: "throws" });
      },
      doesNotThrow(fn, message) {
        try {
          fn();
        } catch (e) {
          fail({ message: `Got unwanted exception.\nActual message: "${e && e.message}"`, actual: e, operator: "doesNotThrow" });
        }
      },
      async rejects(p, expected, message) {
        try {
          await (typeof p === "function" ? p() : p);
        } catch (e) {
          check(e, expected, message);
          return;
        }
        fail({ message: message ?? "Missing expected rejection.", operator: "rejects" });
      },
      async doesNotReject(p) {
        await (typeof p === "function" ? p() : p);
      },
      match(s, re, message) {
        if (!re.test(s)) fail({ message: message ?? `The input did not match the regular expression ${re}. Input:\n\n${inspect(s)}\n`, actual: s, expected: re, operator: "match" });
      },
      doesNotMatch(s, re, message) {
        if (re.test(s)) fail({ message: message ?? `The input was expected to not match the regular expression ${re}. Input:\n\n${inspect(s)}\n`, actual: s, expected: re, operator: "doesNotMatch" });
      },
      ifError(v) {
        if (v !== null && v !== undefined) throw v;
      },
    });
    function check(e, expected, message) {
      if (expected === undefined || typeof expected === "string") return;
      if (typeof expected === "function") {
        if (expected.prototype !== undefined && e instanceof expected) return;
        if (Error.isPrototypeOf(expected) || expected === Error) throw e;
        if (expected.call({}, e) === true) return;
        fail({ message: message ?? "The validation function is expected to return \"true\". Received false", actual: e, expected, operator: "throws" });
      }
      if (expected instanceof RegExp) {
        if (expected.test(String(e))) return;
        fail({ message: message ?? `The input did not match the regular expression ${expected}. Input:\n\n${inspect(String(e))}\n`, actual: e, expected, operator: "throws" });
      }
      if (typeof expected === "object") {
        for (const k of Object.keys(expected)) {
          const want = expected[k];
          const ok2 = want instanceof RegExp && typeof e[k] === "string" ? want.test(e[k]) : deepEqual(e[k], want, true);
          if (!ok2) fail({ message: message ?? `Expected values to be strictly deep-equal:\n+ actual - expected\n\n  Comparison {\n+   ${k}: ${inspect(e[k])}\n-   ${k}: ${inspect(want)}\n  }`, actual: e, expected, operator: "throws" });
        }
      }
    }
    assert.strict = assert;
    assert.__deepEqual = deepEqual;
    module.exports = assert;
  },

  "assert/strict": function (module, exports, require, internal) {
    const a = require("assert");
    const strict = Object.assign(function (v, m) {
      return a(v, m);
    }, a, { equal: a.strictEqual, deepEqual: a.deepStrictEqual, notEqual: a.notStrictEqual, notDeepEqual: a.notDeepStrictEqual });
    strict.strict = strict;
    module.exports = strict;
  },

  url: function (module, exports, require, internal) {
    const SPECIAL = { "http:": "80", "https:": "443", "ftp:": "21", "ws:": "80", "wss:": "443", "file:": "" };
    function invalid(input) {
      const e = new TypeError("Invalid URL");
      e.code = "ERR_INVALID_URL";
      e.input = input;
      return e;
    }
    const enc = (s, re) => s.replace(re, (c) => encodeURIComponent(c));
    class URLSearchParams {
      constructor(init) {
        this._list = [];
        this._url = null;
        if (typeof init === "string") this._parse(init);
        else if (init && typeof init === "object") {
          if (typeof init[Symbol.iterator] === "function") for (const [k, v] of init) this._list.push([String(k), String(v)]);
          else for (const k of Object.keys(init)) this._list.push([k, String(init[k])]);
        }
      }
      _parse(s) {
        this._list = [];
        if (s.startsWith("?")) s = s.slice(1);
        for (const part of s.split("&")) {
          if (!part) continue;
          const i = part.indexOf("=");
          const d = (x) => {
            try {
              return decodeURIComponent(x.replace(/\+/g, " "));
            } catch {
              return x;
            }
          };
          this._list.push(i >= 0 ? [d(part.slice(0, i)), d(part.slice(i + 1))] : [d(part), ""]);
        }
      }
      _update() {
        if (this._url) {
          const s = this.toString();
          this._url._search = s ? `?${s}` : "";
        }
      }
      get size() {
        return this._list.length;
      }
      append(k, v) {
        this._list.push([String(k), String(v)]);
        this._update();
      }
      delete(k) {
        this._list = this._list.filter(([a]) => a !== k);
        this._update();
      }
      get(k) {
        const e = this._list.find(([a]) => a === k);
        return e ? e[1] : null;
      }
      getAll(k) {
        return this._list.filter(([a]) => a === k).map(([, v]) => v);
      }
      has(k) {
        return this._list.some(([a]) => a === k);
      }
      set(k, v) {
        const i = this._list.findIndex(([a]) => a === k);
        if (i < 0) this._list.push([String(k), String(v)]);
        else {
          this._list[i][1] = String(v);
          this._list = this._list.filter(([a], j) => a !== k || j === i);
        }
        this._update();
      }
      sort() {
        this._list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        this._update();
      }
      forEach(fn, thisArg) {
        for (const [k, v] of this._list) fn.call(thisArg, v, k, this);
      }
      keys() {
        return this._list.map(([k]) => k)[Symbol.iterator]();
      }
      values() {
        return this._list.map(([, v]) => v)[Symbol.iterator]();
      }
      entries() {
        return this._list.map(([k, v]) => [k, v])[Symbol.iterator]();
      }
      [Symbol.iterator]() {
        return this.entries();
      }
      toString() {
        const e = (s) => encodeURIComponent(s).replace(/%20/g, "+").replace(/[!'()~]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
        return this._list.map(([k, v]) => `${e(k)}=${e(v)}`).join("&");
      }
      [Symbol.for("nodejs.util.inspect.custom")]() {
        if (this._list.length === 0) return "URLSearchParams {}";
        return `URLSearchParams { ${this._list.map(([k, v]) => `${internal.inspect(k)} => ${internal.inspect(v)}`).join(", ")} }`;
      }
    }
    class URL {
      constructor(input, base) {
        input = String(input).trim();
        const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:)(.*)$/s.exec(input);
        if (!m) {
          if (base === undefined) throw invalid(input);
          const b = base instanceof URL ? base : new URL(base);
          this._resolve(input, b);
          return;
        }
        this._parseAbs(m[1].toLowerCase(), m[2], input);
      }
      _parseAbs(protocol, rest, input) {
        this._protocol = protocol;
        this._username = this._password = this._hostname = this._port = "";
        let hash = "";
        let search = "";
        let i = rest.indexOf("#");
        if (i >= 0) {
          hash = rest.slice(i);
          rest = rest.slice(0, i);
        }
        i = rest.indexOf("?");
        if (i >= 0) {
          search = rest.slice(i);
          rest = rest.slice(0, i);
        }
        const special = protocol in SPECIAL;
        if (special) rest = rest.replace(/\\/g, "/");
        if (rest.startsWith("//") || (special && protocol !== "file:")) {
          rest = rest.replace(/^\/*/, "");
          const j = rest.search(/[/]/);
          let auth = j >= 0 ? rest.slice(0, j) : rest;
          rest = j >= 0 ? rest.slice(j) : "";
          const at = auth.lastIndexOf("@");
          if (at >= 0) {
            const cred = auth.slice(0, at);
            auth = auth.slice(at + 1);
            const c = cred.indexOf(":");
            this._username = c >= 0 ? cred.slice(0, c) : cred;
            this._password = c >= 0 ? cred.slice(c + 1) : "";
          }
          const pm = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(auth);
          if (!pm) throw invalid(input);
          this._hostname = special ? pm[1].toLowerCase() : pm[1];
          this._port = pm[2] === undefined || pm[2] === SPECIAL[protocol] ? "" : String(Number(pm[2]));
          if (special && protocol !== "file:" && !this._hostname) throw invalid(input);
          if (/[\s<>^|%]/.test(this._hostname) && !this._hostname.startsWith("[")) throw invalid(input);
          this._hasAuthority = true;
          if (special && rest === "") rest = "/";
        } else this._hasAuthority = false;
        this._pathname = special || rest.startsWith("/") ? normalizePath(enc(rest, /[ "<>`{}]/g)) : enc(rest, /[ "<>`{}]/g);
        if (protocol === "file:" && !this._pathname.startsWith("/")) this._pathname = "/" + this._pathname;
        this._search = search === "?" ? "" : enc(search, /[ "<>`{}]/g);
        this._hash = hash === "#" ? "" : enc(hash, /[ "<>`{}]/g);
      }
      _resolve(input, b) {
        this._protocol = b._protocol;
        this._username = b._username;
        this._password = b._password;
        this._hostname = b._hostname;
        this._port = b._port;
        this._hasAuthority = b._hasAuthority;
        if (input.startsWith("//")) return this._parseAbs(b._protocol, input, input);
        let hash = "";
        let search = null;
        let i = input.indexOf("#");
        if (i >= 0) {
          hash = input.slice(i);
          input = input.slice(0, i);
        }
        i = input.indexOf("?");
        if (i >= 0) {
          search = input.slice(i);
          input = input.slice(0, i);
        }
        if (input === "") {
          this._pathname = b._pathname;
          this._search = search === null ? b._search : search === "?" ? "" : search;
        } else {
          const dir = input.startsWith("/") ? "" : b._pathname.slice(0, b._pathname.lastIndexOf("/") + 1);
          this._pathname = normalizePath(enc(dir + input, /[ "<>`{}]/g));
          this._search = search === null || search === "?" ? "" : search;
        }
        this._hash = hash === "#" ? "" : hash;
      }
      get protocol() {
        return this._protocol;
      }
      set protocol(v) {
        this._protocol = String(v).replace(/:?$/, ":");
      }
      get username() {
        return this._username;
      }
      set username(v) {
        this._username = String(v);
      }
      get password() {
        return this._password;
      }
      set password(v) {
        this._password = String(v);
      }
      get hostname() {
        return this._hostname;
      }
      set hostname(v) {
        this._hostname = String(v);
      }
      get port() {
        return this._port;
      }
      set port(v) {
        v = String(v);
        this._port = v === SPECIAL[this._protocol] ? "" : v;
      }
      get host() {
        return this._port ? `${this._hostname}:${this._port}` : this._hostname;
      }
      set host(v) {
        const [h, p] = String(v).split(":");
        this._hostname = h;
        this._port = p || "";
      }
      get origin() {
        return this._protocol in SPECIAL && this._protocol !== "file:" ? `${this._protocol}//${this.host}` : "null";
      }
      get pathname() {
        return this._pathname;
      }
      set pathname(v) {
        v = String(v);
        this._pathname = normalizePath(v.startsWith("/") ? v : "/" + v);
      }
      get search() {
        return this._search;
      }
      set search(v) {
        v = String(v);
        this._search = v === "" || v === "?" ? "" : v.startsWith("?") ? v : `?${v}`;
        if (this._sp) this._sp._parse(this._search);
      }
      get searchParams() {
        if (!this._sp) {
          this._sp = new URLSearchParams(this._search);
          this._sp._url = this;
        }
        return this._sp;
      }
      get hash() {
        return this._hash;
      }
      set hash(v) {
        v = String(v);
        this._hash = v === "" ? "" : v.startsWith("#") ? v : `#${v}`;
      }
      get href() {
        const auth = this._username || this._password ? `${this._username}${this._password ? ":" + this._password : ""}@` : "";
        const authority = this._hasAuthority ? `//${auth}${this.host}` : "";
        return `${this._protocol}${authority}${this._pathname}${this._search}${this._hash}`;
      }
      set href(v) {
        const u = new URL(v);
        Object.assign(this, u);
      }
      toString() {
        return this.href;
      }
      toJSON() {
        return this.href;
      }
      static canParse(u, b) {
        try {
          new URL(u, b);
          return true;
        } catch {
          return false;
        }
      }
      static parse(u, b) {
        try {
          return new URL(u, b);
        } catch {
          return null;
        }
      }
      [Symbol.for("nodejs.util.inspect.custom")](depth, opts) {
        const obj = {
          href: this.href, origin: this.origin, protocol: this.protocol, username: this.username, password: this.password, host: this.host,
          hostname: this.hostname, port: this.port, pathname: this.pathname, search: this.search, searchParams: this.searchParams, hash: this.hash,
        };
        return `URL ${internal.inspect(obj, opts).replace(/^\{/, "{")}`;
      }
    }
    function normalizePath(p) {
      const out = [];
      const parts = p.split("/");
      for (let i = 0; i < parts.length; i++) {
        const s = parts[i];
        if (s === "." || s === "%2e") {
          if (i === parts.length - 1) out.push("");
          continue;
        }
        if (s === ".." || s.toLowerCase() === "%2e%2e") {
          if (out.length > 1) out.pop();
          if (i === parts.length - 1) out.push("");
          continue;
        }
        out.push(s);
      }
      let r = out.join("/");
      if (!r.startsWith("/")) r = "/" + r;
      return r;
    }
    exports.URL = URL;
    exports.URLSearchParams = URLSearchParams;
    exports.fileURLToPath = (u) => {
      const url = typeof u === "string" ? new URL(u) : u;
      if (url.protocol !== "file:") {
        const e = new TypeError("The URL must be of scheme file");
        e.code = "ERR_INVALID_URL_SCHEME";
        throw e;
      }
      return decodeURIComponent(url.pathname);
    };
    exports.pathToFileURL = (p) => new URL(`file://${encodeURI(require("path").resolve(p))}`);
    exports.parse = (s, parseQuery) => {
      let u;
      try {
        u = new URL(s);
      } catch {
        u = null;
      }
      const r = {
        protocol: u ? u.protocol : null, slashes: u ? true : null, auth: u && u.username ? `${u.username}${u.password ? ":" + u.password : ""}` : null,
        host: u ? u.host : null, port: u && u.port ? u.port : null, hostname: u ? u.hostname : null, hash: u && u.hash ? u.hash : null,
        search: u ? u.search || null : null, query: null, pathname: u ? u.pathname : s, path: null, href: u ? u.href : s,
      };
      if (!u) {
        const qi = s.indexOf("?");
        if (qi >= 0) {
          r.pathname = s.slice(0, qi);
          r.search = s.slice(qi);
        }
      }
      r.query = r.search ? r.search.slice(1) : parseQuery ? {} : null;
      if (parseQuery && r.search) r.query = require("querystring").parse(r.search.slice(1));
      r.path = (r.pathname || "") + (r.search || "");
      return r;
    };
    exports.format = (u) => (u instanceof URL ? u.href : typeof u === "string" ? u : `${u.protocol || ""}${u.slashes || /^https?:/.test(u.protocol || "") ? "//" : ""}${u.host || u.hostname || ""}${u.pathname || ""}${u.search || ""}${u.hash || ""}`);
    exports.resolve = (from, to) => new URL(to, new URL(from, "resolve://")).href.replace(/^resolve:\/\//, "");
  },

  crypto: function (module, exports, require, internal) {
    const { Buffer } = require("buffer");
    const host = internal.host;
    const toBytes = (d, enc) => (typeof d === "string" ? Buffer.from(d, enc || "utf8") : Buffer.from(d.buffer ? Buffer.from(d.buffer, d.byteOffset, d.byteLength) : d));
    class Hash {
      constructor(alg, key) {
        this._alg = alg;
        this._key = key;
        this._chunks = [];
      }
      update(d, enc) {
        this._chunks.push(toBytes(d, enc));
        return this;
      }
      digest(enc) {
        const all = Buffer.concat(this._chunks);
        const r = host.hash(this._alg, all.buffer.slice(all.byteOffset, all.byteOffset + all.length), this._key);
        if (typeof r === "string") {
          const e = new Error(r);
          e.code = "ERR_CRYPTO_INVALID_DIGEST";
          throw e;
        }
        const out = Buffer.from(r);
        return enc ? out.toString(enc) : out;
      }
      copy() {
        const h = new Hash(this._alg, this._key);
        h._chunks = this._chunks.slice();
        return h;
      }
    }
    const randomBytes = (n, cb) => {
      const b = Buffer.alloc(n);
      for (let off = 0; off < n; off += 65536) b.set(new Uint8Array(host.random(Math.min(65536, n - off))), off);
      if (cb) {
        internal.timers.setImmediate(() => cb(null, b));
        return;
      }
      return b;
    };
    function getRandomValues(arr) {
      if (!ArrayBuffer.isView(arr) || arr instanceof Float32Array || arr instanceof Float64Array) {
        const e = new TypeError("The data argument must be an integer-type TypedArray");
        e.code = 17;
        e.name = "TypeMismatchError";
        throw e;
      }
      if (arr.byteLength > 65536) {
        const e = new Error(`The ArrayBufferView's byte length (${arr.byteLength}) exceeds the number of bytes of entropy available via this API (65536)`);
        e.name = "QuotaExceededError";
        throw e;
      }
      new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength).set(randomBytes(arr.byteLength));
      return arr;
    }
    function randomUUID() {
      const b = randomBytes(16);
      b[6] = (b[6] & 0x0f) | 0x40;
      b[8] = (b[8] & 0x3f) | 0x80;
      const h = b.toString("hex");
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    }
    function randomInt(min, max, cb) {
      if (max === undefined || typeof max === "function") {
        cb = max;
        max = min;
        min = 0;
      }
      const range = max - min;
      const b = randomBytes(6);
      const v = min + Math.floor((b.readUIntBE ? 0 : 0) + ((b[0] * 2 ** 40 + b[1] * 2 ** 32 + b[2] * 2 ** 24 + b[3] * 2 ** 16 + b[4] * 2 ** 8 + b[5]) / 2 ** 48) * range);
      if (cb) internal.timers.setImmediate(() => cb(null, v));
      else return v;
    }
    Object.assign(exports, {
      createHash: (alg) => new Hash(String(alg)),
      createHmac: (alg, key) => {
        const k = toBytes(key);
        return new Hash(String(alg), k.buffer.slice(k.byteOffset, k.byteOffset + k.length));
      },
      hash: (alg, data, enc = "hex") => new Hash(alg).update(data).digest(enc),
      randomBytes,
      randomUUID,
      randomInt,
      getRandomValues,
      timingSafeEqual: (a, b) => Buffer.from(a).equals(Buffer.from(b)),
      getHashes: () => ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"],
      webcrypto: { getRandomValues, randomUUID, subtle: {} },
      subtle: {},
      createCipheriv() {
        const e = new Error("Ciphers are not available in this sandbox");
        e.code = "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM";
        throw e;
      },
    });
    exports.webcrypto.subtle.digest = async (alg, data) => {
      const name = String(alg.name || alg).replace("-", "").toLowerCase();
      const b = toBytes(data instanceof ArrayBuffer ? new Uint8Array(data) : data);
      const r = host.hash(name, b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
      return r;
    };
  },

  "internal/bun": function (module, exports, require, internal) {
    const fs = require("fs");
    const { Buffer } = require("buffer");
    const path = require("path");
    const process = internal.process;
    function file(p) {
      const full = path.resolve(process.cwd(), String(p));
      return {
        name: full,
        get size() {
          try {
            return fs.statSync(full).size;
          } catch {
            return 0;
          }
        },
        type: "text/plain;charset=utf-8",
        text: async () => fs.readFileSync(full, "utf8"),
        json: async () => JSON.parse(fs.readFileSync(full, "utf8")),
        arrayBuffer: async () => {
          const b = fs.readFileSync(full);
          return b.buffer.slice(b.byteOffset, b.byteOffset + b.length);
        },
        bytes: async () => new Uint8Array(fs.readFileSync(full)),
        exists: async () => fs.existsSync(full) && fs.statSync(full).isFile(),
        write: async (data) => Bun.write(full, data),
      };
    }
    const Bun = {
      version: internal.config.bunVersion,
      revision: "0000000000000000000000000000000000000000",
      env: process.env,
      argv: process.argv,
      main: internal.config.entryPath,
      file,
      async write(dest, data) {
        const p = typeof dest === "string" ? dest : dest.name;
        let bytes;
        if (typeof data === "string") bytes = Buffer.from(data);
        else if (data && typeof data.arrayBuffer === "function" && !ArrayBuffer.isView(data)) bytes = Buffer.from(await data.arrayBuffer());
        else if (data instanceof ArrayBuffer) bytes = Buffer.from(data);
        else bytes = Buffer.from(data);
        fs.writeFileSync(p, bytes);
        return bytes.length;
      },
      // Standard input is a pipe: what one read consumed, the next does not see again.
      stdin: {
        text: async () => Buffer.from(internal.takeStdin()).toString("utf8"),
        json: async () => JSON.parse(Buffer.from(internal.takeStdin()).toString("utf8")),
        arrayBuffer: async () => internal.takeStdin().slice().buffer,
        stream() {
          return { async *[Symbol.asyncIterator]() { yield internal.takeStdin(); } };
        },
      },
      stdout: { write: (d) => process.stdout.write(d) },
      stderr: { write: (d) => process.stderr.write(d) },
      sleep: (ms) => new Promise((r) => internal.timers.setTimeout(r, typeof ms === "number" ? ms : ms - Date.now())),
      sleepSync() {},
      nanoseconds: () => Math.floor(performance.now() * 1e6),
      inspect: (v, o) => require("internal/inspect-bun").inspect(v, o),
      deepEquals: (a, b, strict) => require("assert").__deepEqual(a, b, !!strict),
      escapeHTML: (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" })[c]),
      hash: (d) => Number.parseInt(require("crypto").createHash("sha1").update(String(d)).digest("hex").slice(0, 12), 16),
      randomUUIDv7: () => require("crypto").randomUUID(),
      spawn() {
        const e = new Error("Access to this API has been restricted");
        e.code = "ERR_ACCESS_DENIED";
        throw e;
      },
      which: () => null,
      isMainThread: true,
    };
    Bun.spawnSync = Bun.spawn;
    module.exports = Bun;
  },
};
