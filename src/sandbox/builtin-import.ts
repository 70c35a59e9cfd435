/**
 * A Node built-in's module namespace as `import()` gives it (`default` and the named exports),
 * loaded only when first read. In an interpreter thread of a Python host process, `import()`
 * itself would build Node's ES module loader (~10 internal modules, ~2.5 ms of CPU per
 * interpreter), and Pyodide imports built-ins it seldom uses at start-up (node:fs/promises loads
 * readline and more). Used by the runtime's importModule and, through scripts/build-guest.mjs,
 * for every `import("node:…")` in the bundled guest.
 */
export function lazyBuiltin(id: string, load: (id: string) => unknown): Promise<object> {
  let module: Record<PropertyKey, unknown> | undefined;
  const get = () => (module ??= load(id) as Record<PropertyKey, unknown>);
  const namespace = new Proxy(Object.create(null) as object, {
    // "then": awaiting the namespace must not load the module (no built-in exports "then").
    get: (_, key) => (key === "then" ? undefined : key === "default" ? get() : key === Symbol.toStringTag ? "Module" : get()[key]),
    has: (_, key) => key === "default" || key in get(),
    ownKeys: () => ["default", ...Object.keys(get()).filter((key) => key !== "default")],
    getOwnPropertyDescriptor: (_, key) =>
      key === "default" || Object.hasOwn(get(), key) ? { value: key === "default" ? get() : get()[key], enumerable: true, configurable: true } : undefined,
  });
  return Promise.resolve(namespace);
}
