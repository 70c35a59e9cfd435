// @ts-nocheck
/**
 * GUEST code, a part of the prelude (../bootstrap.ts): output (`internal.write`), formatting (inspect
 * is loaded lazily: plain strings need none of it) and the `console` object.
 */
export function consolePart(internal, G, host, config) {
  "use strict";
  const flavor = config.flavor;
  const loadBuiltin = internal.loadBuiltin;
  let util;
  const getUtil = () => (util ??= loadBuiltin("internal/inspect"));
  internal.inspect = (v, o) => getUtil().inspect(v, o);
  // Bun's console has its own formatter; its util.inspect is Node's.
  const getConsoleFormat = () => (flavor === "bun" ? loadBuiltin("internal/inspect-bun") : getUtil());
  internal.format = (...a) => (a.every((x) => typeof x === "string") && !a.slice(0, -1).some((x) => x.includes("%")) ? a.join(" ") : getConsoleFormat().format(...a));
  function write(fd, data) {
    if (internal.exited) return;
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
  internal.console = console;
}
