/**
 * pyodide.asm.wasm rewritten once per host process, before it is compiled: its memory becomes an
 * import (`env.memory`), so that an interpreter can be given a memory whose pages are already
 * mapped instead of a fresh one. Everything else (functions, tables, data, exports and their
 * indices) is unchanged; the memory is exported as before.
 */
import { leb, readLeb } from "../../src/wasi/leb128.js";

const SECTION_IMPORT = 2;
const SECTION_MEMORY = 5;

interface Section {
  id: number;
  /** Offset of the section's id byte. */
  at: number;
  /** Offsets of the contents, after the id and size. */
  start: number;
  end: number;
}

function sections(module: Uint8Array): Section[] {
  const out: Section[] = [];
  for (let pos = 8; pos < module.length; ) {
    const [size, start] = readLeb(module, pos + 1);
    out.push({ id: module[pos]!, at: pos, start, end: start + size });
    pos = start + size;
  }
  return out;
}

const name = (s: string) => {
  const bytes = new TextEncoder().encode(s);
  return [...leb(bytes.length), ...bytes];
};

export interface MemoryLimits {
  /** In 64 KiB pages. */
  initial: number;
  maximum: number | undefined;
}

/**
 * The rewritten module and the limits of its memory (to create memories that fit the import),
 * or undefined when the module does not have the expected shape (one memory it defines itself):
 * the caller then uses the module as it is.
 */
export function rewritePyodideModule(module: Uint8Array, opts: { shared: boolean }): { bytes: Uint8Array<ArrayBuffer>; limits: MemoryLimits } | undefined {
  const secs = sections(module);
  const mem = secs.find((s) => s.id === SECTION_MEMORY);
  const imp = secs.find((s) => s.id === SECTION_IMPORT);
  if (!mem || !imp) return undefined;
  // The memory section: exactly one memory, 32-bit, not shared.
  let [count, p] = readLeb(module, mem.start);
  if (count !== 1) return undefined;
  const flags = module[p++]!;
  if (flags !== 0 && flags !== 1) return undefined;
  let initial: number;
  let maximum: number | undefined;
  [initial, p] = readLeb(module, p);
  if (flags === 1) [maximum, p] = readLeb(module, p);
  if (opts.shared && maximum === undefined) return undefined;

  // The import section with the memory appended (memory indices: the import is memory 0, as the
  // defined memory was; function and global indices do not count memories).
  let imports: number;
  [imports, p] = readLeb(module, imp.start);
  const limits = opts.shared ? [0x03, ...leb(initial), ...leb(maximum!)] : maximum === undefined ? [0x00, ...leb(initial)] : [0x01, ...leb(initial), ...leb(maximum)];
  const importBody = [...leb(imports + 1), ...module.subarray(p, imp.end), ...name("env"), ...name("memory"), 0x02, ...limits];

  const parts: Uint8Array[] = [module.subarray(0, 8)];
  const header = (id: number, body: ArrayLike<number>) => new Uint8Array([id, ...leb(body.length)]);
  for (const s of secs) {
    if (s.id === SECTION_MEMORY) continue;
    if (s.id === SECTION_IMPORT) parts.push(header(s.id, importBody), Uint8Array.from(importBody));
    else parts.push(module.subarray(s.at, s.end));
  }
  const total = parts.reduce((n, x) => n + x.length, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const x of parts) {
    bytes.set(x, at);
    at += x.length;
  }
  return { bytes, limits: { initial, maximum } };
}
