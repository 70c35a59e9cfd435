// @ts-nocheck
/**
 * GUEST code, a part of the prelude (../bootstrap.ts): UTF-8, which QuickJS lacks; TextEncoder and
 * TextDecoder (made globals by ./globals.ts).
 */
export function utf8Part(internal, G, host, config) {
  "use strict";
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
  internal.TextEncoder = TextEncoder;
  internal.TextDecoder = TextDecoder;
}
