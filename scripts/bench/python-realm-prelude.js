// Measurement only (issue 17): evaluated in every fresh vm context of python-realm-probe.mjs before
// anything else. It evaluates to a function that takes the outer realm's capabilities (`host`: a
// null-prototype object of functions taking and returning primitives or typed arrays of this realm)
// and builds, from objects of THIS realm only, the globals Pyodide's loader and glue need.
// `host` itself is kept in closures only; no global refers to it.
(function (host) {
  "use strict";
  const g = globalThis;
  const missing = new Set();
  // An outer exception must never reach the guest as an object: rethrow as one of this realm.
  const call = (f, ...a) => {
    try {
      return f(...a);
    } catch (e) {
      throw new Error(`host: ${String(e && e.message)}`);
    }
  };
  const now = () => call(host.now);

  // ---- the end of the execution: nothing of this realm may run after it ------------------------
  // Every way the host can call into a bare context later (a timer, a host-settled promise of
  // WebAssembly's async API or Atomics.waitAsync, a finalizer) goes through this gate; once the
  // execution has ended, the callback or the settlement is dropped. (Microtasks cannot outlive
  // the turn that queued them without one of these.)
  let alive = true;
  const gate = (p) =>
    new Promise((resolve, reject) =>
      p.then(
        (v) => alive && resolve(v),
        (e) => alive && reject(e),
      ),
    );
  for (const k of ["compile", "instantiate", "compileStreaming", "instantiateStreaming"]) {
    const f = WebAssembly[k];
    if (typeof f === "function")
      Object.defineProperty(WebAssembly, k, {
        value: { [k](...a) { return gate(f.apply(WebAssembly, a)); } }[k],
        writable: true,
        configurable: true,
      });
  }
  const waitAsync = Atomics.waitAsync;
  if (typeof waitAsync === "function")
    Atomics.waitAsync = function waitAsync_(...a) {
      const r = waitAsync.apply(Atomics, a);
      if (r && r.async) r.value = gate(r.value);
      return r;
    };
  const FR = g.FinalizationRegistry;
  if (typeof FR === "function") {
    // Not a subclass: Object.getPrototypeOf(subclass) would hand back the ungated constructor.
    const FinalizationRegistry = function FinalizationRegistry(cb) {
      if (!new.target) throw new TypeError("Constructor FinalizationRegistry requires 'new'");
      if (typeof cb !== "function") throw new TypeError("cleanup callback must be a function");
      return new FR((v) => {
        if (alive) cb(v);
      });
    };
    FinalizationRegistry.prototype = FR.prototype;
    Object.defineProperty(FR.prototype, "constructor", { value: FinalizationRegistry, writable: true, configurable: true });
    g.FinalizationRegistry = FinalizationRegistry;
  }

  // ---- timers: this realm's callbacks, the outer realm holds only ids -------------------------
  const timers = new Map();
  let nextId = 1;
  const addTimer = (fn, ms, args, repeat) => {
    if (typeof fn !== "function") throw new TypeError("callback must be a function");
    const id = nextId++;
    timers.set(id, { fn, args, repeat });
    call(host.setTimer, id, Number(ms) || 0, repeat);
    return id;
  };
  const clearTimer = (id) => {
    if (timers.delete(id)) call(host.clearTimer, id);
  };
  g.setTimeout = (fn, ms, ...args) => addTimer(fn, ms, args, false);
  g.setInterval = (fn, ms, ...args) => addTimer(fn, ms, args, true);
  g.clearTimeout = clearTimer;
  g.clearInterval = clearTimer;
  g.setImmediate = (fn, ...args) => addTimer(fn, 0, args, false);
  g.clearImmediate = clearTimer;
  g.queueMicrotask = (fn) => void Promise.resolve().then(() => fn());

  // ---- text, time, randomness ----------------------------------------------------------------
  class TextDecoder {
    #label;
    constructor(label = "utf-8") {
      this.#label = String(label).toLowerCase();
    }
    get encoding() {
      return this.#label;
    }
    decode(view) {
      if (view === undefined) return "";
      const u8 = view instanceof Uint8Array ? view : new Uint8Array(view.buffer ?? view, view.byteOffset ?? 0, view.byteLength);
      return call(host.decode, this.#label, u8);
    }
  }
  class TextEncoder {
    get encoding() {
      return "utf-8";
    }
    encode(s = "") {
      s = String(s);
      const out = new Uint8Array(s.length * 3);
      const n = call(host.encodeInto, s, out);
      return out.slice(0, n);
    }
    encodeInto(s, into) {
      const n = call(host.encodeInto, String(s), into);
      return { read: String(s).length, written: n };
    }
  }
  g.TextDecoder = TextDecoder;
  g.TextEncoder = TextEncoder;
  const origin = now();
  g.performance = { now: () => now() - origin, timeOrigin: origin };
  const getRandomValues = (a) => {
    call(host.random, a);
    return a;
  };
  g.crypto = { getRandomValues };
  const noop = () => {};
  g.console = { log: noop, info: noop, warn: noop, error: noop, debug: noop, trace: noop, dir: noop, table: noop };

  // ---- a process stand-in (Pyodide and Emscripten detect Node by it) --------------------------
  const info = JSON.parse(call(host.processInfo));
  const hrtime = (prev) => {
    const t = now();
    let s = Math.floor(t / 1000);
    let ns = Math.floor((t % 1000) * 1e6);
    if (prev) {
      s -= prev[0];
      ns -= prev[1];
      if (ns < 0) (s -= 1), (ns += 1e9);
    }
    return [s, ns];
  };
  hrtime.bigint = () => BigInt(Math.floor(now() * 1e6));
  const proc = {
    platform: info.platform,
    version: info.version,
    versions: { node: info.node },
    release: { name: "node" },
    argv: ["node"],
    env: {},
    browser: undefined,
    getuid: () => 65534,
    getgid: () => 65534,
    umask: () => 0o022,
    cwd: () => "/",
    hrtime,
    nextTick: (fn, ...args) => void Promise.resolve().then(() => fn(...args)),
    on: () => proc,
    once: () => proc,
    off: () => proc,
    emitWarning: noop,
    // Pyodide's default stdio readers and writers note the fds (the runtime replaces them).
    stdin: { fd: 0 },
    stdout: { fd: 1 },
    stderr: { fd: 2 },
    binding: (name) => {
      if (name === "constants") return info.constants;
      throw new Error(`process.binding("${name}") is not available`);
    },
  };
  g.process = proc;

  // ---- the Node built-ins the loader and the glue import, as stand-ins of this realm ----------
  const unavailable = (what) => () => {
    throw new Error(`${what} is not available in this sandbox`);
  };
  const fileURLToPath = (u) => {
    const s = typeof u === "string" ? u : String(u && u.href);
    return s.startsWith("file://") ? decodeURIComponent(s.slice(7)) : s;
  };
  const pathToFileURL = (p) => {
    const href = "file://" + String(p);
    return { href, toString: () => href };
  };
  const normalize = (p) => {
    const abs = p.startsWith("/");
    const out = [];
    for (const part of p.split("/")) {
      if (part === "" || part === ".") continue;
      if (part === "..") out.pop();
      else out.push(part);
    }
    return (abs ? "/" : "") + out.join("/") + (p.endsWith("/") && out.length ? "/" : "");
  };
  const path = {
    sep: "/",
    normalize,
    resolve: (...parts) => {
      let p = "";
      for (const part of parts) p = String(part).startsWith("/") ? String(part) : p + "/" + part;
      return normalize(p.startsWith("/") ? p : "/" + p).replace(/(.)\/$/, "$1");
    },
    join: (...parts) => normalize(parts.join("/")),
    dirname: (p) => p.slice(0, Math.max(1, p.lastIndexOf("/"))),
    basename: (p) => p.slice(p.lastIndexOf("/") + 1),
    isAbsolute: (p) => p.startsWith("/"),
    relative: unavailable("path.relative"),
  };
  path.posix = path;
  const readFile = async (p, opts) => {
    const file = fileURLToPath(p);
    const size = call(host.fileSize, file);
    const u = new Uint8Array(size);
    call(host.readInto, file, u);
    return opts && (opts === "utf8" || opts.encoding) ? new TextDecoder().decode(u) : u;
  };
  // Pyodide's file-system code reads a few members; everything else throws when called.
  const fsSync = new Proxy(
    { constants: info.constants.fs },
    {
      get(t, k) {
        if (k in t) return t[k];
        if (typeof k !== "string" || k === "then") return undefined;
        missing.add(`fs.${k}`);
        return unavailable(`fs.${String(k)}`);
      },
    },
  );
  const modules = {
    "node:url": { fileURLToPath, pathToFileURL },
    "node:path": path,
    "node:fs": fsSync,
    "node:fs/promises": { readFile, stat: unavailable("fs.stat") },
    "node:vm": {},
    "node:crypto": { randomFillSync: getRandomValues, getRandomValues },
    "node:child_process": { spawnSync: () => ({ status: 127, signal: null }) },
  };
  for (const m of Object.values(modules)) if (!("default" in m)) m.default = m;
  const requireModule = (name) => {
    const m = modules[name];
    if (!m) {
      missing.add(`require(${name})`);
      throw new Error(`require("${name}") is not available in this sandbox`);
    }
    return m;
  };
  modules["node:module"] = { createRequire: () => requireModule };
  modules["node:module"].default = modules["node:module"];
  const importModule = (name) => {
    try {
      return Promise.resolve(requireModule(name));
    } catch (e) {
      return Promise.reject(e);
    }
  };

  return {
    importModule,
    end() {
      alive = false;
    },
    fire(id) {
      if (!alive) return;
      const t = timers.get(id);
      if (!t) return;
      if (!t.repeat) timers.delete(id);
      t.fn(...t.args);
    },
    pendingTimers: () => timers.size,
    missing: () => [...missing].join(","),
  };
});
