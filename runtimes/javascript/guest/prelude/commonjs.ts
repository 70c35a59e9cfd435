// @ts-nocheck
/**
 * GUEST code, a part of the prelude (../bootstrap.ts): the CommonJS loader (Module, require, the
 * program's files compiled in Node's wrapper) and syntax errors reported as Node's loader does.
 */
export function commonjsPart(internal, G, host, config) {
  "use strict";
  const flavor = config.flavor;
  const { hide, loadBuiltin, require: requireBuiltin, BUILTINS, moduleNotFound, fileColumn, errorHeader, cjsWrap: CJS_WRAP, loaderFrames: LOADER_FRAMES } = internal;
  const moduleCache = Object.create(null);
  internal.cjsFiles = new Set();
  internal.entryPath = config.entryPath;
  class Module {
    constructor(id, parent) {
      this.id = id;
      this.path = id === "." ? "/" : loadBuiltin("path").dirname(id);
      this.exports = {};
      this.filename = id;
      this.loaded = false;
      this.children = [];
      this.paths = [];
      hide(this, "parent", parent);
      if (parent) parent.children.push(this);
    }
    require(id) {
      return makeRequire(this)(id);
    }
  }
  Module.builtinModules = config.builtins.filter((n) => !n.startsWith("internal/"));
  Module._cache = moduleCache;
  Module.createRequire = (from) => {
    const p = String(from).replace(/^file:\/\//, "");
    const m = new Module(p, null);
    return makeRequire(m);
  };
  Module.isBuiltin = (n) => BUILTINS.has(n.startsWith("node:") ? n.slice(5) : n);
  internal.Module = Module;
  let mainModule;
  function requireStack(parent) {
    const s = [];
    for (let m = parent; m; m = m.parent) s.push(m.filename);
    return s;
  }
  function resolveFrom(request, parent) {
    if (typeof request !== "string") {
      const e = new TypeError(`The "id" argument must be of type string. Received ${internal.describe(request)}`);
      e.code = "ERR_INVALID_ARG_TYPE";
      throw e;
    }
    const bare = request.startsWith("node:") ? request.slice(5) : request;
    if (BUILTINS.has(bare) && !bare.startsWith("internal/")) return request;
    if (request.startsWith("node:")) {
      const e = new Error(`No such built-in module: ${request}`);
      e.code = "ERR_UNKNOWN_BUILTIN_MODULE";
      throw e;
    }
    const dir = parent ? loadBuiltin("path").dirname(parent.filename) : internal.cwd();
    const hit = host.resolve(dir, request);
    if (!hit) throw moduleNotFound(request, requireStack(parent));
    return hit;
  }
  function makeRequire(mod) {
    const req = (id) => {
      const resolved = resolveFrom(id, mod);
      if (!resolved.startsWith("/")) {
        if (flavor === "bun" && (resolved === "bun" || resolved === "node:bun")) return loadBuiltin("internal/bun");
        return requireBuiltin(resolved);
      }
      return requireFile(resolved, mod);
    };
    req.resolve = (id) => resolveFrom(id, mod);
    req.resolve.paths = () => [];
    req.cache = moduleCache;
    Object.defineProperty(req, "main", { get: () => mainModule, enumerable: true });
    req.extensions = { ".js": null, ".json": null };
    return req;
  }
  function requireFile(path, parent) {
    const cached = moduleCache[path];
    if (cached) return cached.exports;
    const m = new Module(path, parent);
    if (!parent && !mainModule) {
      mainModule = m;
      m.id = ".";
    }
    moduleCache[path] = m;
    let ok = false;
    try {
      const source = host.readSource(path);
      if (source === undefined) throw moduleNotFound(path, requireStack(parent));
      if (path.endsWith(".json")) {
        try {
          m.exports = JSON.parse(source);
        } catch (e) {
          e.message = `${path}: ${e.message}`;
          throw e;
        }
      } else if (host.isModule(path) && flavor === "node") {
        const e = new Error(`require() of ES Module ${path} not supported.`);
        e.code = "ERR_REQUIRE_ESM";
        throw e;
      } else {
        internal.cjsFiles.add(path);
        let fn;
        try {
          fn = host.compile(`${CJS_WRAP}${source.startsWith("#!") ? "//" + source : source}\n})`, path);
        } catch (e) {
          // Node retries an entry that is not valid CommonJS as an ES module (top-level await).
          if (e instanceof SyntaxError && !parent && /\bawait\b/.test(source)) {
            delete moduleCache[path];
            ok = true;
            return { __wasmboxEsm: host.evalModule(path) };
          }
          if (e instanceof SyntaxError) markSyntaxError(e);
          throw e;
        }
        fn.call(m.exports, m.exports, makeRequire(m), m, path, loadBuiltin("path").dirname(path));
      }
      ok = true;
    } finally {
      if (!ok) delete moduleCache[path];
    }
    m.loaded = true;
    return m.exports;
  }
  internal.requireFile = requireFile;
  internal.makeRequire = makeRequire;
  const syntaxLocations = new WeakMap();
  const SYNTAX_FRAMES = [
    "    at wrapSafe (node:internal/modules/cjs/loader:1464:18)",
    "    at Module._compile (node:internal/modules/cjs/loader:1495:20)",
    ...LOADER_FRAMES.slice(1),
  ];
  function markSyntaxError(e) {
    const raw = e.stack;
    const m = /at (?:.*? \()?(\/[^\s()]*?):(\d+):(\d+)/.exec(typeof raw === "string" ? raw : "");
    if (m) {
      syntaxLocations.set(e, [m[1], Number(m[2]), fileColumn(m[1], Number(m[2]), Number(m[3]))]);
    }
    const frames = flavor === "node" ? SYNTAX_FRAMES : [];
    Object.defineProperty(e, "stack", { value: [errorHeader(e), ...frames].join("\n"), writable: true, configurable: true, enumerable: false });
  }
  internal.syntaxLocations = syntaxLocations;
}
