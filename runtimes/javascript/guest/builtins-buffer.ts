// @ts-nocheck
/** GUEST code: `buffer` (Buffer as a Uint8Array subclass, as in Node), atob/btoa. */
export const bufferBuiltins = {
  buffer: function (module, exports, require, internal) {
    const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const B64_INDEX = new Int16Array(256).fill(-1);
    for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;
    B64_INDEX["-".charCodeAt(0)] = 62;
    B64_INDEX["_".charCodeAt(0)] = 63;
    function normEnc(enc) {
      const e = String(enc || "utf8").toLowerCase();
      switch (e) {
        case "utf8":
        case "utf-8":
          return "utf8";
        case "hex":
        case "base64":
        case "base64url":
        case "ascii":
          return e;
        case "latin1":
        case "binary":
          return "latin1";
        case "ucs2":
        case "ucs-2":
        case "utf16le":
        case "utf-16le":
          return "utf16le";
      }
      const err = new TypeError(`Unknown encoding: ${enc}`);
      err.code = "ERR_UNKNOWN_ENCODING";
      throw err;
    }
    function encodeString(str, enc) {
      switch (normEnc(enc)) {
        case "utf8":
          return internal.utf8Encode(str);
        case "hex": {
          const n = str.length >>> 1;
          const out = new Uint8Array(n);
          let i = 0;
          for (; i < n; i++) {
            const v = parseInt(str.substr(i * 2, 2), 16);
            if (Number.isNaN(v)) break;
            out[i] = v;
          }
          return out.slice(0, i);
        }
        case "base64":
        case "base64url": {
          const out = new Uint8Array(Math.ceil((str.length * 3) / 4));
          let n = 0;
          let acc = 0;
          let bits = 0;
          for (let i = 0; i < str.length; i++) {
            const v = B64_INDEX[str.charCodeAt(i) & 255];
            if (v < 0 || str.charCodeAt(i) > 255) {
              if (str[i] === "=") break;
              continue;
            }
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8) {
              bits -= 8;
              out[n++] = (acc >> bits) & 255;
            }
          }
          return out.slice(0, n);
        }
        case "ascii":
        case "latin1": {
          const out = new Uint8Array(str.length);
          for (let i = 0; i < str.length; i++) out[i] = str.charCodeAt(i) & 255;
          return out;
        }
        case "utf16le": {
          const out = new Uint8Array(str.length * 2);
          for (let i = 0; i < str.length; i++) {
            const c = str.charCodeAt(i);
            out[i * 2] = c & 255;
            out[i * 2 + 1] = c >> 8;
          }
          return out;
        }
      }
    }
    function decodeBytes(b, enc, start, end) {
      const e = normEnc(enc);
      const s = start || 0;
      const t = end === undefined ? b.length : Math.min(end, b.length);
      if (s >= t) return "";
      switch (e) {
        case "utf8":
          return internal.utf8Decode(b, s, t);
        case "hex": {
          let out = "";
          for (let i = s; i < t; i++) out += (b[i] < 16 ? "0" : "") + b[i].toString(16);
          return out;
        }
        case "base64":
        case "base64url": {
          const tbl = e === "base64" ? B64 : B64URL;
          let out = "";
          let i = s;
          for (; i + 2 < t; i += 3) {
            const n = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
            out += tbl[n >> 18] + tbl[(n >> 12) & 63] + tbl[(n >> 6) & 63] + tbl[n & 63];
          }
          if (i < t) {
            const n = (b[i] << 16) | ((i + 1 < t ? b[i + 1] : 0) << 8);
            out += tbl[n >> 18] + tbl[(n >> 12) & 63];
            if (i + 1 < t) out += tbl[(n >> 6) & 63] + (e === "base64" ? "=" : "");
            else out += e === "base64" ? "==" : "";
          }
          return out;
        }
        case "ascii": {
          let out = "";
          for (let i = s; i < t; i++) out += String.fromCharCode(b[i] & 127);
          return out;
        }
        case "latin1": {
          let out = "";
          for (let i = s; i < t; i++) out += String.fromCharCode(b[i]);
          return out;
        }
        case "utf16le": {
          let out = "";
          for (let i = s; i + 1 < t; i += 2) out += String.fromCharCode(b[i] | (b[i + 1] << 8));
          return out;
        }
      }
    }
    function invalidArg(name, expected, v) {
      const e = new TypeError(`The "${name}" argument must be ${expected}. Received ${internal.describe(v)}`);
      e.code = "ERR_INVALID_ARG_TYPE";
      return e;
    }
    class Buffer extends Uint8Array {
      static from(value, encOrOffset, length) {
        if (typeof value === "string") {
          const bytes = encodeString(value, encOrOffset);
          const b = new Buffer(bytes.length);
          b.set(bytes);
          return b;
        }
        if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== "undefined" && value instanceof SharedArrayBuffer)) {
          const off = encOrOffset || 0;
          return new Buffer(value, off, length === undefined ? value.byteLength - off : length);
        }
        if (ArrayBuffer.isView(value)) {
          const b = new Buffer(value.length);
          for (let i = 0; i < value.length; i++) b[i] = value[i];
          return b;
        }
        if (Array.isArray(value)) {
          const b = new Buffer(value.length);
          for (let i = 0; i < value.length; i++) b[i] = value[i];
          return b;
        }
        if (value && typeof value === "object") {
          if (value.type === "Buffer" && Array.isArray(value.data)) return Buffer.from(value.data);
          if (typeof value.length === "number") return Buffer.from(Array.from(value));
          if (typeof value[Symbol.toPrimitive] === "function" || typeof value.valueOf === "function") {
            const p = value.valueOf();
            if (p !== value) return Buffer.from(p, encOrOffset, length);
          }
        }
        throw invalidArg("first", "of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object", value);
      }
      static alloc(size, fill, enc) {
        if (typeof size !== "number") throw invalidArg("size", "of type number", size);
        const b = new Buffer(size);
        if (fill !== undefined && fill !== 0) b.fill(fill, 0, size, enc);
        return b;
      }
      static allocUnsafe(size) {
        return Buffer.alloc(size);
      }
      static allocUnsafeSlow(size) {
        return Buffer.alloc(size);
      }
      static isBuffer(b) {
        return b instanceof Buffer;
      }
      static isEncoding(e) {
        try {
          normEnc(e);
          return typeof e === "string";
        } catch {
          return false;
        }
      }
      static byteLength(s, enc) {
        if (typeof s !== "string") return s.byteLength;
        return encodeString(s, enc).length;
      }
      static concat(list, total) {
        if (total === undefined) total = list.reduce((n, b) => n + b.length, 0);
        const out = Buffer.alloc(total);
        let off = 0;
        for (const b of list) {
          if (off >= total) break;
          out.set(b.subarray(0, Math.min(b.length, total - off)), off);
          off += b.length;
        }
        return out;
      }
      static compare(a, b) {
        return a.compare(b);
      }
      toString(enc, start, end) {
        return decodeBytes(this, enc, start, end);
      }
      toJSON() {
        return { type: "Buffer", data: Array.from(this) };
      }
      equals(other) {
        if (this.length !== other.length) return false;
        for (let i = 0; i < this.length; i++) if (this[i] !== other[i]) return false;
        return true;
      }
      compare(other) {
        const n = Math.min(this.length, other.length);
        for (let i = 0; i < n; i++) if (this[i] !== other[i]) return this[i] < other[i] ? -1 : 1;
        return this.length === other.length ? 0 : this.length < other.length ? -1 : 1;
      }
      write(str, offset = 0, length, enc) {
        if (typeof offset === "string") (enc = offset), (offset = 0);
        else if (typeof length === "string") (enc = length), (length = undefined);
        const bytes = encodeString(str, enc);
        const n = Math.min(bytes.length, this.length - offset, length === undefined ? Infinity : length);
        this.set(bytes.subarray(0, n), offset);
        return n;
      }
      fill(value, start = 0, end = this.length, enc) {
        if (typeof start === "string") (enc = start), (start = 0), (end = this.length);
        if (typeof value === "string") {
          const bytes = value.length === 1 && value.charCodeAt(0) < 128 ? [value.charCodeAt(0)] : encodeString(value, enc);
          if (bytes.length === 0) return Uint8Array.prototype.fill.call(this, 0, start, end);
          for (let i = start, j = 0; i < end; i++, j = (j + 1) % bytes.length) this[i] = bytes[j];
          return this;
        }
        return Uint8Array.prototype.fill.call(this, value, start, end);
      }
      slice(start, end) {
        return this.subarray(start, end);
      }
      subarray(start, end) {
        const u = Uint8Array.prototype.subarray.call(this, start, end);
        return new Buffer(u.buffer, u.byteOffset, u.length);
      }
      indexOf(v, from = 0, enc) {
        if (typeof v === "number") return Uint8Array.prototype.indexOf.call(this, v, from);
        const needle = typeof v === "string" ? encodeString(v, enc) : v;
        if (from < 0) from = Math.max(0, this.length + from);
        outer: for (let i = from; i <= this.length - needle.length; i++) {
          for (let j = 0; j < needle.length; j++) if (this[i + j] !== needle[j]) continue outer;
          return i;
        }
        return -1;
      }
      includes(v, from, enc) {
        return this.indexOf(v, from, enc) !== -1;
      }
      copy(target, targetStart = 0, sourceStart = 0, sourceEnd = this.length) {
        const src = this.subarray(sourceStart, Math.min(sourceEnd, sourceStart + target.length - targetStart));
        target.set(src, targetStart);
        return src.length;
      }
      swap16() {
        for (let i = 0; i + 1 < this.length; i += 2) [this[i], this[i + 1]] = [this[i + 1], this[i]];
        return this;
      }
      toLocaleString(enc, s, e) {
        return this.toString(enc, s, e);
      }
    }
    const dv = (b) => new DataView(b.buffer, b.byteOffset, b.byteLength);
    const rw = {
      UInt8: ["getUint8", "setUint8", 1],
      Int8: ["getInt8", "setInt8", 1],
      UInt16LE: ["getUint16", "setUint16", 2, true],
      UInt16BE: ["getUint16", "setUint16", 2, false],
      Int16LE: ["getInt16", "setInt16", 2, true],
      Int16BE: ["getInt16", "setInt16", 2, false],
      UInt32LE: ["getUint32", "setUint32", 4, true],
      UInt32BE: ["getUint32", "setUint32", 4, false],
      Int32LE: ["getInt32", "setInt32", 4, true],
      Int32BE: ["getInt32", "setInt32", 4, false],
      FloatLE: ["getFloat32", "setFloat32", 4, true],
      FloatBE: ["getFloat32", "setFloat32", 4, false],
      DoubleLE: ["getFloat64", "setFloat64", 8, true],
      DoubleBE: ["getFloat64", "setFloat64", 8, false],
      BigInt64LE: ["getBigInt64", "setBigInt64", 8, true],
      BigInt64BE: ["getBigInt64", "setBigInt64", 8, false],
      BigUInt64LE: ["getBigUint64", "setBigUint64", 8, true],
      BigUInt64BE: ["getBigUint64", "setBigUint64", 8, false],
    };
    for (const [name, [get, set, size, le]] of Object.entries(rw)) {
      const check = (b, off) => {
        if (off < 0 || off + size > b.length) {
          const e = new RangeError(`The value of "offset" is out of range. It must be >= 0 and <= ${b.length - size}. Received ${off}`);
          e.code = "ERR_OUT_OF_RANGE";
          throw e;
        }
      };
      Buffer.prototype[`read${name}`] = function (off = 0) {
        check(this, off);
        return dv(this)[get](off, le);
      };
      Buffer.prototype[`write${name}`] = function (v, off = 0) {
        check(this, off);
        dv(this)[set](off, v, le);
        return off + size;
      };
      if (name.includes("UInt")) {
        Buffer.prototype[`read${name.replace("UInt", "Uint")}`] = Buffer.prototype[`read${name}`];
        Buffer.prototype[`write${name.replace("UInt", "Uint")}`] = Buffer.prototype[`write${name}`];
      }
    }
    Buffer.poolSize = 8192;
    internal.isBuffer = (v) => v instanceof Buffer;
    exports.Buffer = Buffer;
    exports.atob = (s) => {
      s = String(s).replace(/[\t\n\f\r ]/g, "");
      if (s.length % 4 === 1 || /[^A-Za-z0-9+/=]/.test(s)) {
        const e = new Error("The string to be decoded is not correctly encoded.");
        e.name = "InvalidCharacterError";
        e.code = 5;
        throw e;
      }
      return decodeBytes(encodeString(s, "base64"), "latin1");
    };
    exports.btoa = (s) => {
      s = String(s);
      for (let i = 0; i < s.length; i++)
        if (s.charCodeAt(i) > 255) {
          const e = new Error("Invalid character");
          e.name = "InvalidCharacterError";
          e.code = 5;
          throw e;
        }
      return decodeBytes(encodeString(s, "latin1"), "base64");
    };
    exports.constants = { MAX_LENGTH: 4294967296, MAX_STRING_LENGTH: 536870888 };
    exports.kMaxLength = 4294967296;
    exports.SlowBuffer = Buffer;
    exports.isUtf8 = () => true;
    exports.Blob = class Blob {
      constructor(parts = []) {
        this._b = Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p))));
        this.size = this._b.length;
        this.type = "";
      }
      text() {
        return Promise.resolve(this._b.toString());
      }
      arrayBuffer() {
        return Promise.resolve(this._b.buffer.slice(this._b.byteOffset, this._b.byteOffset + this._b.length));
      }
    };
  },
};
