// @ts-nocheck
/**
 * GUEST code, a part of the prelude (../bootstrap.ts): the `process` object (./stdio.ts adds its streams).
 */
export function processPart(internal, G, host, config) {
  "use strict";
  const flavor = config.flavor;
  const { hide, accessDenied, checkCallback, loadBuiltin, write, doExit, tickQueue } = internal;
  const EventEmitter = loadBuiltin("events");
  internal.EventEmitter = EventEmitter;
  const process = new EventEmitter();
  const env = Object.assign(Object.create(null), config.env);
  internal.env = env;
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
    get: () => internal.exitCode,
    set: (v) => {
      internal.exitCode = v === undefined || v === null ? undefined : Number(v) | 0;
    },
    enumerable: true,
  });
  let cwd = config.cwd;
  process.cwd = () => cwd;
  // The working directory as the loader resolves from (the program may replace process.cwd).
  internal.cwd = () => cwd;
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
    doExit(internal.exitCode === undefined ? 0 : internal.exitCode);
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
  internal.process = process;
}
