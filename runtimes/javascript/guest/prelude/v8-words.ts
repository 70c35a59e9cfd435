// @ts-nocheck
/**
 * GUEST code, a part of the prelude (../bootstrap.ts): V8's words where QuickJS's differ, for Date#toString
 * and for QuickJS's error messages (../v8-errors.ts, loaded when an error is seen; for bun,
 * JavaScriptCore's words, from the same module).
 */
export function v8WordsPart(internal, G, host, config) {
  "use strict";
  const hide = internal.hide;
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

  const v8 = () => internal.loadBuiltin("internal/v8-errors");
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
  internal.v8error = v8error;
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
}
