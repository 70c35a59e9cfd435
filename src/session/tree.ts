/**
 * A session's files: an in-memory tree of relative POSIX paths → bytes, with the session's
 * quota. Contents are never changed in place (a write replaces the array), so a fork shares them.
 * Nothing here imports Node: sessions work the same in a page.
 */
import { FileNotFoundError, InvalidRequestError, SessionQuotaError } from "../errors.js";
import { filePathProblem } from "../request.js";

export interface TreeLimits {
  maxBytes: number;
  maxFiles: number;
}

export interface FileEntry {
  /** Last segment of the path. */
  name: string;
  /** Relative POSIX path from the session's working directory. */
  path: string;
  type: "file" | "dir";
  /** Files: bytes; directories: bytes of every file under them. */
  size: number;
}

/** A change of the tree, as contexts and listeners hear of it: bytes written, or null for a deletion. */
export type TreeChange = [path: string, content: Uint8Array | null];

export class FileTree {
  private files = new Map<string, Uint8Array>();
  private total = 0;
  private readonly listeners = new Set<(changes: TreeChange[], source: unknown) => void>();

  constructor(readonly limits: TreeLimits) {}

  get bytes(): number {
    return this.total;
  }

  get count(): number {
    return this.files.size;
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  get(path: string): Uint8Array | undefined {
    return this.files.get(path);
  }

  entries(): IterableIterator<[string, Uint8Array]> {
    return this.files.entries();
  }

  /** Calls `listener` with every applied change and who made it (the `source` given to apply). */
  onChange(listener: (changes: TreeChange[], source: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /**
   * Applies writes and deletions at once, or none of them: a path that is not clean, a file
   * where a directory is (or the reverse), or the quota passed throws before anything changes.
   */
  apply(changes: TreeChange[], source?: unknown, field = "path"): void {
    const next = new Map(this.files);
    let total = this.total;
    for (const [path, content] of changes) {
      const problem = filePathProblem(path);
      if (problem) throw new InvalidRequestError(field, `"${path}" ${problem}`);
      const old = next.get(path);
      if (old) total -= old.byteLength;
      if (content === null) {
        next.delete(path);
        continue;
      }
      next.set(path, content);
      total += content.byteLength;
    }
    if (total > this.limits.maxBytes)
      throw new SessionQuotaError(`the session's files would take ${total} bytes; its quota is ${this.limits.maxBytes} bytes (maxBytes): remove files first, or create the session with a larger maxBytes`);
    if (next.size > this.limits.maxFiles)
      throw new SessionQuotaError(`the session would hold ${next.size} files; its quota is ${this.limits.maxFiles} (maxFiles): remove files first, or create the session with a larger maxFiles`);
    for (const [path] of changes) {
      if (!next.has(path)) continue;
      const parts = path.split("/");
      for (let i = 1; i < parts.length; i++) {
        const dir = parts.slice(0, i).join("/");
        if (next.has(dir)) throw new InvalidRequestError(field, `"${path}" is inside "${dir}", which is a file; remove it first`);
      }
      for (const other of next.keys())
        if (other.startsWith(`${path}/`)) throw new InvalidRequestError(field, `"${path}" is a directory of the session; remove it first`);
    }
    this.files = next;
    this.total = total;
    if (changes.length > 0) for (const l of this.listeners) l(changes, source);
  }

  /** The paths a removal of `path` deletes: the file, or every file under the directory. */
  under(path: string): string[] {
    if (this.files.has(path)) return [path];
    const prefix = `${path}/`;
    return [...this.files.keys()].filter((p) => p.startsWith(prefix));
  }

  /** The entries directly in `dir` ("" for the working directory), sorted by name. */
  list(dir: string): FileEntry[] {
    if (dir !== "") {
      const problem = filePathProblem(dir);
      if (problem) throw new InvalidRequestError("dir", `"${dir}" ${problem}`);
      if (this.files.has(dir)) throw new InvalidRequestError("dir", `"${dir}" is a file, not a directory`);
    }
    const prefix = dir === "" ? "" : `${dir}/`;
    const found = new Map<string, FileEntry>();
    for (const [path, content] of this.files) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf("/");
      const name = slash < 0 ? rest : rest.slice(0, slash);
      const entry = found.get(name) ?? { name, path: prefix + name, type: slash < 0 ? "file" : "dir", size: 0 };
      entry.size += content.byteLength;
      found.set(name, entry);
    }
    if (dir !== "" && found.size === 0) throw new FileNotFoundError(dir, "directory");
    return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** An independent copy (contents shared: they are never changed in place). */
  clone(limits: TreeLimits = this.limits): FileTree {
    const t = new FileTree(limits);
    t.files = new Map(this.files);
    t.total = this.total;
    return t;
  }
}
