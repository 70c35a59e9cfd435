// @ts-nocheck
/**
 * GUEST code, a part of the prelude (../bootstrap.ts): the globals Node (or Bun) programs expect, those
 * made from a built-in module on first use, and the hooks ES modules are compiled to call.
 */
export function globalsPart(internal, G, host, config) {
  "use strict";
  const flavor = config.flavor;
  const { console, process, timers: timersApi, checkCallback, runGuarded, TextEncoder, TextDecoder, loadBuiltin, accessDenied } = internal;
  function defineGlobal(name, value) {
    Object.defineProperty(G, name, { value, writable: true, configurable: true, enumerable: false });
  }
  function lazyGlobal(name, get) {
    Object.defineProperty(G, name, {
      configurable: true,
      enumerable: false,
      get() {
        const v = get();
        defineGlobal(name, v);
        return v;
      },
      set(v) {
        defineGlobal(name, v);
      },
    });
  }
  defineGlobal("console", console);
  defineGlobal("process", process);
  defineGlobal("global", G);
  for (const k of Object.keys(timersApi)) defineGlobal(k, timersApi[k]);
  defineGlobal("queueMicrotask", (fn) => {
    checkCallback(fn);
    Promise.resolve().then(() => runGuarded(fn));
  });
  defineGlobal("TextEncoder", TextEncoder);
  defineGlobal("TextDecoder", TextDecoder);
  lazyGlobal("Buffer", () => loadBuiltin("buffer").Buffer);
  lazyGlobal("URL", () => loadBuiltin("url").URL);
  lazyGlobal("URLSearchParams", () => loadBuiltin("url").URLSearchParams);
  if (flavor === "bun") lazyGlobal("Bun", () => loadBuiltin("internal/bun"));
  if (flavor === "bun") lazyGlobal("require", () => internal.makeRequire(new internal.Module(config.entryPath, null)));
  lazyGlobal("EventTarget", () => loadBuiltin("internal/web").EventTarget);
  lazyGlobal("Event", () => loadBuiltin("internal/web").Event);
  lazyGlobal("AbortController", () => loadBuiltin("internal/web").AbortController);
  lazyGlobal("AbortSignal", () => loadBuiltin("internal/web").AbortSignal);
  lazyGlobal("structuredClone", () => loadBuiltin("internal/web").structuredClone);
  // QuickJS has no Intl: an en-US one (guest/intl.ts), loaded on first use of Intl or a toLocale* method.
  lazyGlobal("Intl", () => loadBuiltin("internal/intl").Intl);
  for (const [proto, key, impl] of [[Number.prototype, "toLocaleString", "numberToLocaleString"], [BigInt.prototype, "toLocaleString", "bigintToLocaleString"], [Date.prototype, "toLocaleString", "dateToLocaleString"], [Date.prototype, "toLocaleDateString", "dateToLocaleDateString"], [Date.prototype, "toLocaleTimeString", "dateToLocaleTimeString"], [String.prototype, "localeCompare", "localeCompare"]])
    Object.defineProperty(proto, key, { value: { [key]: function (...a) { return loadBuiltin("internal/intl").methods[impl].apply(this, a); } }[key], writable: true, configurable: true });
  lazyGlobal("atob", () => loadBuiltin("buffer").atob);
  lazyGlobal("btoa", () => loadBuiltin("buffer").btoa);
  lazyGlobal("crypto", () => loadBuiltin("crypto").webcrypto);
  lazyGlobal("fetch", () => function fetch() {
    return Promise.reject(accessDenied("Net"));
  });
  defineGlobal("performance", {
    now: () => host.now(),
    timeOrigin: Date.now() - host.now(),
    mark() {},
    measure() {},
    toJSON() {
      return {};
    },
  });
  defineGlobal("__wasmbox_require", (id) => {
    if (id.startsWith("node:")) {
      const bare = id.slice(5);
      if (bare === "bun" || bare === "internal/bun") return flavor === "bun" ? loadBuiltin("internal/bun") : loadBuiltin(bare);
      return loadBuiltin(bare);
    }
    return internal.requireFile(id, null);
  });
  const metas = new Map();
  defineGlobal("__wasmbox_importMeta", (name) => {
    let m = metas.get(name);
    if (!m) {
      const path = loadBuiltin("path");
      m = {
        url: `file://${name}`,
        filename: name,
        dirname: path.dirname(name),
        resolve: (s) => `file://${host.resolve(path.dirname(name), s) || path.resolve(path.dirname(name), s)}`,
      };
      if (flavor === "bun") Object.assign(m, { main: name === internal.entryPath, dir: m.dirname, file: path.basename(name), path: name, env: process.env });
      metas.set(name, m);
    }
    return m;
  });
}
