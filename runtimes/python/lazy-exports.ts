/**
 * The guest's side of export-table.ts: an exports object that looks like the instance's original
 * one (same names, same order, same values) but makes each value only when it is first asked
 * for, and the hooks through which the patched glue (asm-script.ts, "lazy exports") keeps its
 * symbol tables lazy too:
 * - `merge`: Emscripten's mergeLibSymbols copies every export into its global symbol table
 *   (`wasmImports`); instead that table falls back to the exports for names it does not have;
 * - `copy`: applySignatureConversions' `Object.assign({}, exports)`, as an object over them;
 * - `module`: assignWasmExports sets `Module._name` for every export; the ones the glue does not
 *   read itself are looked up on first use;
 * - `materialize`: before anything that lists the symbol table (dlsym numbers symbols by their
 *   position in it), the table is filled as mergeLibSymbols would have filled it.
 * Without the rewritten module (`lazy` never called), every hook does what the original code does.
 * Names are found by binary search in sorted lists: building an index of thousands of names
 * costs more, in a new thread, than the few hundred lookups an interpreter makes.
 */
import { TABLE_EXPORT, type LazyExportsIndex } from "./export-table.js";

export interface LazyHooks {
  merge(exports: object, symbols: Record<string, unknown>): boolean;
  copy(exports: object): Record<string, unknown>;
  /** `functions` and `values`: export names, sorted, separated by spaces. */
  module(Module: Record<string, unknown>, exports: Record<string, unknown>, functions: string, values: string): void;
  materialize(symbols: Record<string, unknown>): void;
}

const MAIN_ALIAS = "__main_argc_argv";

/** Whether `name` is a word of `list` (words sorted as `<` compares, separated by single spaces), by binary search over the text. */
export function inList(list: string, name: string): boolean {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    // The word that contains or follows position `mid`, within [lo, hi).
    const mid = (lo + hi) >>> 1;
    const start = list.lastIndexOf(" ", mid - 1) + 1;
    const from = start < lo ? lo : start;
    const space = list.indexOf(" ", from);
    const end = space < 0 || space > hi ? hi : space;
    const word = list.slice(from, end);
    if (word === name) return true;
    if (word < name) lo = end + 1;
    else hi = from === lo ? lo : from - 1;
  }
  return false;
}

const dataProperty = (value: unknown) => ({ value, writable: true, enumerable: true, configurable: true });

export function lazyExportHooks(): LazyHooks & { lazy(instance: WebAssembly.Instance, index: LazyExportsIndex): WebAssembly.Instance } {
  // The one lazy exports object of this interpreter, and what it resolves from.
  let lazyObject: object | undefined;
  let index: LazyExportsIndex | undefined;
  let get: (i: number) => unknown = () => undefined;
  // The symbol table while it still falls back to the exports, and its own prototype.
  let pending: { symbols: Record<string, unknown>; proto: object | null } | undefined;

  const at = (k: string | symbol) => (typeof k === "string" && index ? index.find(k) : -1);
  const inOrder = () => {
    const names = new Array<string>(index!.count);
    for (let i = 0; i < index!.count; i++) names[index!.order[i]!] = index!.name(i);
    return names;
  };
  const defined = (symbols: Record<string, unknown>, name: string) => {
    const v = symbols[name] as { stub?: unknown } | undefined;
    return !!v && !v.stub;
  };

  return {
    lazy(instance, lazyIndex) {
      index = lazyIndex;
      const real = instance.exports as Record<string, unknown>;
      const table = real[TABLE_EXPORT] as WebAssembly.Table;
      const made = new Map<number, unknown>();
      get = (i) => {
        if (made.has(i)) return made.get(i);
        const s = lazyIndex.slot[i]!;
        const value =
          s >= 0 ? table.get(s) : s === -1 ? real[lazyIndex.name(i)] : new WebAssembly.Global({ value: "i32", mutable: false }, lazyIndex.values[-2 - s]!);
        made.set(i, value);
        return value;
      };
      lazyObject = new Proxy(Object.create(null) as object, {
        get: (_t, k) => {
          const i = at(k);
          return i < 0 ? undefined : get(i);
        },
        has: (_t, k) => at(k) >= 0,
        ownKeys: inOrder,
        getOwnPropertyDescriptor: (_t, k) => {
          const i = at(k);
          return i < 0 ? undefined : { value: get(i), writable: false, enumerable: true, configurable: true };
        },
        // Like the frozen original; an object made over it (`copy`) gets its own property.
        set: (_t, k, v, receiver) => receiver !== lazyObject && Reflect.defineProperty(receiver as object, k, dataProperty(v)),
        defineProperty: () => false,
        deleteProperty: () => false,
        setPrototypeOf: () => false,
      });
      return { exports: lazyObject } as unknown as WebAssembly.Instance;
    },

    merge(exports, symbols) {
      if (exports !== lazyObject) return false;
      const proto = Object.getPrototypeOf(symbols) as object | null;
      // mergeLibSymbols also enters `main` under its alias and the alias as `main`.
      const exported = (k: string | symbol): number => {
        const i = at(k);
        if (i >= 0) return i;
        if (k === MAIN_ALIAS) return at("main");
        if (k === "main") return at(MAIN_ALIAS);
        return -1;
      };
      const fallback = new Proxy((proto ?? Object.create(null)) as object, {
        get: (t, k, receiver) => {
          const i = exported(k);
          return i < 0 ? Reflect.get(t, k, receiver) : get(i);
        },
        has: (t, k) => exported(k) >= 0 || Reflect.has(t, k),
      });
      Object.setPrototypeOf(symbols, fallback);
      pending = { symbols, proto };
      return true;
    },

    copy(exports) {
      return exports === lazyObject ? (Object.create(exports) as Record<string, unknown>) : (Object.assign({}, exports) as Record<string, unknown>);
    },

    module(Module, exports, functions, values) {
      const value = (name: string, isValue: boolean) => (isValue ? ((exports[name] as WebAssembly.Global).value as number) >>> 0 : exports[name]);
      if (!lazyObject) {
        [functions, values].forEach((list, isValue) => list && list.split(" ").forEach((name) => (Module[`_${name}`] = value(name, isValue === 1))));
        return;
      }
      const proto = Object.getPrototypeOf(Module) as object | null;
      Object.setPrototypeOf(
        Module,
        new Proxy((proto ?? Object.create(null)) as object, {
          get: (t, k, receiver) => {
            if (receiver === Module && typeof k === "string" && k[0] === "_") {
              const name = k.slice(1);
              const isValue = inList(functions, name) ? false : inList(values, name) ? true : undefined;
              if (isValue !== undefined) {
                const v = value(name, isValue);
                Object.defineProperty(Module, k, dataProperty(v));
                return v;
              }
            }
            return Reflect.get(t, k, receiver);
          },
          has: (t, k) => (typeof k === "string" && k[0] === "_" && (inList(functions, k.slice(1)) || inList(values, k.slice(1)))) || Reflect.has(t, k),
        }),
      );
    },

    materialize(symbols) {
      if (!pending || pending.symbols !== symbols) return;
      Object.setPrototypeOf(symbols, pending.proto);
      pending = undefined;
      // What mergeLibSymbols would have done, in export order.
      const names = inOrder();
      names.forEach((name) => {
        const v = get(index!.find(name));
        if (!defined(symbols, name)) symbols[name] = v;
        if (name === "main" && !defined(symbols, MAIN_ALIAS)) symbols[MAIN_ALIAS] = v;
        if (name === MAIN_ALIAS && !defined(symbols, "main")) symbols.main = v;
      });
    },
  };
}
