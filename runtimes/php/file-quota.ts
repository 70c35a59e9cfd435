/**
 * A quota on the files a PHP program writes. Emscripten's in-memory file system keeps file
 * contents in JavaScript ArrayBuffers, outside the wasm memory cap and outside the worker's
 * heap limit: without a quota, `file_put_contents` in a loop grows the host process without
 * bound (measured: 800 MB of ArrayBuffers from a 256 MiB-capped execution). Past the quota,
 * writes fail with ENOSPC, as on a full disk.
 */
const ENOSPC = 51;

interface MemNode {
  usedBytes: number;
  contents: Record<string, MemNode> | ArrayBufferView | null;
}
type Fn = (...args: never[]) => unknown;
interface Memfs {
  ops_table: {
    file: { stream: Record<string, Fn>; node: Record<string, Fn> };
    dir: { node: Record<string, Fn> };
  } | null;
}

export interface FsWithMemfs {
  filesystems: { MEMFS: Memfs };
  ErrnoError: new (errno: number) => Error;
}

export function limitFileStorage(FS: FsWithMemfs, quotaBytes: number): void {
  const table = FS.filesystems.MEMFS.ops_table;
  if (!table) throw new Error("wasmbox: the PHP file system is not initialised");
  let used = 0;
  const reserve = (node: MemNode, newSize: number) => {
    const growth = newSize - node.usedBytes;
    if (growth > 0 && used + growth > quotaBytes) throw new FS.ErrnoError(ENOSPC);
  };
  const account = <R>(node: MemNode, run: () => R): R => {
    const before = node.usedBytes;
    const result = run();
    used += node.usedBytes - before;
    return result;
  };

  const { write } = table.file.stream as unknown as Record<string, (...a: unknown[]) => number>;
  table.file.stream.write = function (this: unknown, ...args: never[]) {
    const [stream, , , length, position] = args as unknown as [{ node: MemNode }, unknown, number, number, number];
    reserve(stream.node, Math.max(stream.node.usedBytes, position + length));
    return account(stream.node, () => write!.apply(this, args));
  } as Fn;

  const { setattr } = table.file.node as unknown as Record<string, (...a: unknown[]) => unknown>;
  table.file.node.setattr = function (this: unknown, ...args: never[]) {
    const [node, attr] = args as unknown as [MemNode, { size?: number }];
    if (attr.size !== undefined) reserve(node, attr.size);
    return account(node, () => setattr!.apply(this, args));
  } as Fn;

  const { unlink } = table.dir.node as unknown as Record<string, (...a: unknown[]) => unknown>;
  table.dir.node.unlink = function (this: unknown, ...args: never[]) {
    const [parent, name] = args as unknown as [MemNode, string];
    const child = (parent.contents as Record<string, MemNode> | null)?.[name];
    const result = unlink!.apply(this, args);
    if (child && ArrayBuffer.isView(child.contents)) used -= child.usedBytes;
    return result;
  } as Fn;
}
