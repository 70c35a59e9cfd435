/**
 * Ruby's boot kept on disk (`<cacheDir>/ruby/`), as Python's boot snapshot is: the module jobs
 * run (data segments stripped, memory imported, capped) and the booted memory. Ruby's boot
 * (compiling the whole module, RubyGems, the boot glue) and preparing the module were most of a
 * cold first call; with the file, an executor reads two arrays and compiles one module. Without a
 * cache directory (`cacheDir: false`, or one that is not writable) every executor boots Ruby.
 *
 * The name hashes every input of the boot; a file is written under a temporary name and renamed,
 * so a reader sees a whole file or none, and one that does not decode is ignored.
 */
import { mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { readExactly } from "../../src/read-file.js";
import path from "node:path";
import type { MemoryShape } from "../../src/wasm/memory-import.js";
import { decodeSnapshot } from "../../src/wasm/snapshot.js";

/** Bump when the file's layout or what the boot does changes in a way the hashed inputs do not show. */
const FORMAT = 1;
const MAGIC = 0x62727762; // "bwrb"
const HEADER = 20;

export interface CachedBoot {
  /** The module jobs run. */
  wasm: Uint8Array<ArrayBuffer>;
  shape?: MemoryShape;
  /** `encodeSnapshot()` of the booted memory, in shared memory (one copy for every host). */
  snapshot: Uint8Array<SharedArrayBuffer>;
}

/**
 * The cache file for booting `wasmFile` (the package's module; its version, size and time stand
 * for its bytes) with this glue under this memory cap; undefined without a cache directory.
 */
export async function bootCacheFile(options: Record<string, unknown>, wasmFile: string, boot: readonly string[], memoryBytes: number): Promise<string | undefined> {
  if (typeof options.cacheDir !== "string") return undefined;
  try {
    const [{ createHash }, file, pkg] = await Promise.all([
      // Imported here: hosts load this file, and only the executor's side names the cache file.
      import("node:crypto"),
      stat(wasmFile),
      readFile(path.join(path.dirname(wasmFile), "..", "package.json"), "utf8"),
    ]);
    const version = (JSON.parse(pkg) as { version?: string }).version ?? "";
    const hash = createHash("sha256");
    for (const part of [String(FORMAT), version, String(file.size), String(file.mtimeMs), ...boot, String(memoryBytes)]) hash.update(`${part}\0`);
    return path.join(options.cacheDir, "ruby", `boot-${hash.digest("hex").slice(0, 32)}.bin`);
  } catch {
    return undefined;
  }
}

export async function readBootCache(file: string): Promise<CachedBoot | undefined> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch {
    return undefined;
  }
  try {
    const { size } = await handle.stat();
    const head = new Uint8Array(HEADER);
    if (size < HEADER || !(await readExactly(handle, head, 0))) return undefined;
    const view = new DataView(head.buffer);
    const [magic, format, initial, maximum, wasmLength] = [0, 4, 8, 12, 16].map((at) => view.getUint32(at, true)) as [number, number, number, number, number];
    if (magic !== MAGIC || format !== FORMAT || HEADER + wasmLength > size) return undefined;
    // Apart: the module is compiled from an ordinary buffer and let go of; the snapshot is kept, in shared memory.
    const wasm = new Uint8Array(wasmLength);
    const snapshot = new Uint8Array(new SharedArrayBuffer(size - HEADER - wasmLength));
    if (!(await readExactly(handle, wasm, HEADER)) || !(await readExactly(handle, snapshot, HEADER + wasmLength))) return undefined;
    decodeSnapshot(snapshot); // throws unless it holds exactly one snapshot
    return { wasm, ...(initial > 0 && { shape: { initial, maximum } }), snapshot };
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

/** Keeps a boot for later executors; a failure costs them only a boot of their own. */
export async function writeBootCache(file: string, boot: CachedBoot): Promise<void> {
  const head = new DataView(new ArrayBuffer(HEADER));
  [MAGIC, FORMAT, boot.shape?.initial ?? 0, boot.shape?.maximum ?? 0, boot.wasm.byteLength].forEach((v, i) => head.setUint32(i * 4, v, true));
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    const handle = await open(temp, "w");
    try {
      await handle.writev([new Uint8Array(head.buffer), boot.wasm, boot.snapshot]);
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch {
    await rm(temp, { force: true }).catch(() => {});
    return;
  }
  await prune(path.dirname(file)).catch(() => {});
}

/** Boot files kept in the cache directory: one per memory cap in use, and a few past ones. */
const KEEP = 4;

/**
 * Every memory cap and every version of the package makes a file of its own (35 MB): keep the
 * newest few, and drop temporary files a killed writer left (older than an hour).
 */
async function prune(dir: string): Promise<void> {
  const now = Date.now();
  const entries = await Promise.all(
    (await readdir(dir))
      .filter((name) => name.startsWith("boot-"))
      .map(async (name) => ({ name, mtimeMs: (await stat(path.join(dir, name)).catch(() => undefined))?.mtimeMs ?? now })),
  );
  const boots = entries.filter((e) => e.name.endsWith(".bin")).sort((a, b) => b.mtimeMs - a.mtimeMs);
  const stale = [...boots.slice(KEEP), ...entries.filter((e) => e.name.endsWith(".tmp") && now - e.mtimeMs > 3_600_000)];
  await Promise.all(stale.map((e) => rm(path.join(dir, e.name), { force: true })));
}
