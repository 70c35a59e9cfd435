// @ts-nocheck
/**
 * GUEST code, a part of the prelude (../bootstrap.ts): the built-in modules, compiled from their sources
 * (../builtins-*.ts) on first `require`; those Node has but the sandbox refuses.
 */
export function builtinsPart(internal, G, host, config) {
  "use strict";
  const { accessDenied, moduleNotFound } = internal;
  const builtinCache = Object.create(null);
  const UNSUPPORTED = {
    child_process: "ChildProcess", cluster: "ChildProcess", worker_threads: "WorkerThreads", net: "Net", http: "Net", https: "Net",
    http2: "Net", tls: "Net", dgram: "Net", dns: "Net", inspector: "Inspector", vm: "Vm", v8: "V8", repl: "Repl", tty: "Tty",
  };
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
  internal.loadBuiltin = loadBuiltin;
  internal.BUILTINS = new Set(config.builtins);
}
