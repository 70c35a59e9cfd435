// @ts-nocheck
/**
 * GUEST code, the first part of the prelude (../bootstrap.ts): the helpers several parts use,
 * and the state of the run's end that output, the event loop, `process` and the host's loop read.
 */
export function sharedPart(internal, G, host, config) {
  "use strict";
  internal.hide = (obj, name, value) => Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: false });
  internal.accessDenied = function accessDenied(permission) {
    const e = new Error("Access to this API has been restricted");
    e.code = "ERR_ACCESS_DENIED";
    e.permission = permission;
    return e;
  };
  internal.moduleNotFound = function moduleNotFound(request, stack) {
    const e = new Error(`Cannot find module '${request}'${stack.length ? `\nRequire stack:\n- ${stack.join("\n- ")}` : ""}`);
    e.code = "MODULE_NOT_FOUND";
    e.requireStack = stack;
    return e;
  };
  internal.checkCallback = function checkCallback(fn) {
    if (typeof fn !== "function") {
      const e = new TypeError(`The "callback" argument must be of type function. Received ${internal.describe(fn)}`);
      e.code = "ERR_INVALID_ARG_TYPE";
      throw e;
    }
  };
  /** A value as Node's ERR_INVALID_ARG_TYPE messages name it. */
  internal.describe = (v) => {
    if (v == null) return String(v);
    if (typeof v === "function") return `function ${v.name}`;
    if (typeof v === "object") return v.constructor && v.constructor.name ? `an instance of ${v.constructor.name}` : internal.inspect(v, { depth: -1 });
    let shown = internal.inspect(v, { colors: false });
    if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
    return `type ${typeof v} (${shown})`;
  };
  // Set once the program has exited (no more output, no more callbacks); `exitCode` is
  // process.exitCode, undefined until set.
  internal.exited = false;
  internal.exitCode = undefined;
}
