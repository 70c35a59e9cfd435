/**
 * The dynamic-linking step of php-wasm's Emscripten glue, recorded once and replayed into later
 * instances of the same module.
 *
 * The build is a MAIN_MODULE: when an instance is received, the glue gives every exported
 * function a GOT entry, its index in the function table, appending those not in the table yet.
 * To find which are, it first maps every function of the table to its index, calling
 * `table.get` on each of its ~14,000 entries, which makes V8 create a JavaScript function for
 * each: a quarter of a boot's CPU. The outcome depends only on the module (the table's element
 * segments, the exports, the order the glue visits them in), so it is the same for every
 * instance: it is read from the first boot (the GOT entries' values, what was appended to the
 * table) and, for the next instances, written before the glue receives the instance. The glue
 * then finds every GOT entry set and never builds its map.
 *
 * What is replayed holds nothing of an earlier instance: the appended entries are this
 * instance's own exports, or this instance's glue functions (its imports) wrapped as the glue
 * would wrap them.
 */

interface Appended {
  index: number;
  /** An export of the instance, or a (JavaScript) import the glue wrapped in a one-function module. */
  kind: "export" | "import";
  name: string;
}

export interface LinkRecord {
  /** The table's length right after instantiation, and after the glue linked. */
  tableBefore: number;
  tableAfter: number;
  appended: Appended[];
  /** GOT entry values by symbol, for every function export and every GOT.func import. */
  got: [string, number][];
}

type Table = WebAssembly.Table;
type GotProxy = Record<string, WebAssembly.Global>;

/** Exports the glue leaves out of the GOT (its `isInternalSym`). */
const INTERNAL = new Set([
  "memory", "__memory_base", "__table_base", "__stack_pointer", "__indirect_function_table", "__cpp_exception", "__c_longjmp",
  "__wasm_apply_data_relocs", "__dso_handle", "__tls_size", "__tls_align", "__set_stack_limits", "_emscripten_tls_init",
  "__wasm_init_tls", "__wasm_call_ctors", "__start_em_asm", "__stop_em_asm", "__start_em_js", "__stop_em_js",
]);
const internal = (name: string) => INTERNAL.has(name) || name.startsWith("__em_js__");

/** The function exports the glue gives a GOT entry. */
function functionExports(instance: WebAssembly.Instance): [string, Function][] {
  return Object.entries(instance.exports).filter((e): e is [string, Function] => typeof e[1] === "function" && !internal(e[0]));
}

/** The GOT.func imports of the module: symbols the glue resolves in its JavaScript. */
function gotImports(module: WebAssembly.Module): string[] {
  return WebAssembly.Module.imports(module)
    .filter((i) => i.module === "GOT.func" || i.module === "GOT.mem")
    .map((i) => i.name);
}

/** After a boot through the glue's own path: what it did to the table and the GOT. */
export function recordLink(module: WebAssembly.Module, instance: WebAssembly.Instance, imports: WebAssembly.Imports, tableBefore: number): LinkRecord | undefined {
  const table = instance.exports.__indirect_function_table as Table | undefined;
  const got = imports["GOT.func"] as GotProxy | undefined;
  if (!table || !got) return undefined;
  const exports = functionExports(instance);
  const byFunction = new Map<unknown, string>(exports.map(([name, fn]) => [fn, name]));
  const imported = gotImports(module).filter((name) => !byFunction.has(instance.exports[name]));
  const names = [...exports.map(([name]) => name), ...imported];
  const values: [string, number][] = names.map((name) => [name, got[name]!.value as number]);
  if (values.some(([, value]) => value === -1)) return undefined; // left unresolved: not a link this replay knows
  const bySlot = new Map(imported.map((name) => [got[name]!.value as number, name]));
  const appended: Appended[] = [];
  for (let index = tableBefore; index < table.length; index++) {
    const entry = table.get(index);
    const name = byFunction.get(entry);
    if (name !== undefined) appended.push({ index, kind: "export", name });
    else if (entry !== null && bySlot.has(index)) appended.push({ index, kind: "import", name: bySlot.get(index)! });
    else return undefined; // something this replay does not know how to make
  }
  return { tableBefore, tableAfter: table.length, appended, got: values };
}

const TYPE: Record<string, number> = { i: 0x7f, p: 0x7f, j: 0x7e, f: 0x7d, d: 0x7c };

/** A wasm function calling `fn`, as the glue makes one to put a JavaScript function in the table. */
function wasmWrapper(fn: Function, sig: string): Function | undefined {
  const params = [...sig.slice(1)].map((c) => TYPE[c]);
  const results = sig[0] === "v" ? [] : [TYPE[sig[0]!]];
  if (params.some((t) => t === undefined) || results.some((t) => t === undefined)) return undefined;
  const type = [0x60, params.length, ...params, results.length, ...results] as number[];
  const bytes = Uint8Array.of(
    ...[0, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...[1, type.length + 1, 1, ...type],
    ...[2, 7, 1, 1, 0x65, 1, 0x66, 0, 0], // import "e" "f" (func (type 0))
    ...[7, 5, 1, 1, 0x66, 0, 0], // export "f" (func 0)
  );
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), { e: { f: fn } }).exports.f as Function;
}

/**
 * Before the glue receives `instance`: the table and the GOT as the glue would leave them.
 * False (nothing changed) when the instance does not match the record; the glue then links as usual.
 */
export function replayLink(record: LinkRecord, instance: WebAssembly.Instance, imports: WebAssembly.Imports): boolean {
  const table = instance.exports.__indirect_function_table as Table | undefined;
  const got = imports["GOT.func"] as GotProxy | undefined;
  const env = imports.env as Record<string, Function & { sig?: string }>;
  if (!table || !got || table.length !== record.tableBefore) return false;
  const entries: [number, Function][] = [];
  for (const { index, kind, name } of record.appended) {
    const fn = kind === "export" ? instance.exports[name] : env[name]?.sig ? wasmWrapper(env[name]!, env[name]!.sig!) : undefined;
    if (typeof fn !== "function") return false;
    entries.push([index, fn]);
  }
  table.grow(record.tableAfter - record.tableBefore);
  for (const [index, fn] of entries) table.set(index, fn);
  for (const [name, value] of record.got) got[name]!.value = value;
  return true;
}
