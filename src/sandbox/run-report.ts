/**
 * What a sandbox host reports of a run beyond its exit code, when the request asked: CPU time,
 * peak linear memory, and the files of the working directory that match `returnFiles` and were
 * created or changed. Made inside the host (only what matched crosses to the executor), the same
 * code for every host kind; nothing here imports Node (browser workers use it too).
 */
import type { Job, RunInspection, WorkFile } from "../runtime.js";

export interface ReturnedFile {
  /** Relative POSIX path in the working directory. */
  path: string;
  /** Size of the whole file, bytes. */
  size: number;
  /** "utf8" for text (valid UTF-8 without NUL bytes), else "base64". */
  encoding: "utf8" | "base64";
  content: string;
  /** The content was cut at the per-file cap, or left out once the total cap was reached. */
  truncated?: true;
}

export interface RunReport {
  /** CPU time of the run, ms; null where the host cannot measure a thread's CPU time. */
  cpuTime?: number | null;
  /** Peak linear memory of the guest, bytes. */
  memory?: number;
  files?: ReturnedFile[];
  /** With `list`: the path of every regular file of the working directory (a session learns what was deleted). */
  paths?: string[];
}

/** A bound on the files walked after a run: a program that made a million files cannot stall its host. */
export const MAX_WALKED_FILES = 10_000;

/** Starts a run's measures; `finish` collects what the job asked for. */
export function startReport(job: Job, cpuClock?: () => number | undefined) {
  const inspections: RunInspection[] = [];
  const cpuStart = job.report?.usage ? cpuClock?.() : undefined;
  return {
    inspect(i: RunInspection): void {
      inspections.push(i);
    },
    finish(): RunReport | undefined {
      const ask = job.report;
      if (!ask?.usage && !ask?.files) return undefined;
      const report: RunReport = {};
      if (ask.usage) {
        const cpuEnd = cpuStart === undefined ? undefined : cpuClock?.();
        report.cpuTime = cpuStart === undefined || cpuEnd === undefined ? null : Math.max(0, Math.round(cpuEnd - cpuStart));
        let memory = 0;
        for (const i of inspections) memory = Math.max(memory, safe(() => i.memoryBytes?.() ?? 0, 0));
        report.memory = memory;
      }
      if (ask.files) {
        const found = inspections.find((i) => i.files);
        // One walk serves both: a session's run asks for every path besides the changed files.
        const walked = found ? safe(() => walkedFiles(found.files!()), []) : [];
        report.files = safe(() => returnedFiles(job, walked), []);
        if (ask.files.list) report.paths = walked.map((f) => f.path);
      }
      return report;
    },
  };
}

function safe<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

function isText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function base64(bytes: Uint8Array): string {
  const B = (globalThis as { Buffer?: { from(b: ArrayBufferLike, o: number, l: number): { toString(e: string): string } } }).Buffer;
  if (B) return B.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  let bin = "";
  for (let i = 0; i < bytes.byteLength; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** The files that match the job's patterns and are not byte for byte a file of the request, sorted by path, capped. */
export function returnedFiles(job: Job, files: Iterable<WorkFile>): ReturnedFile[] {
  const spec = job.report!.files!;
  const patterns = spec.patterns.map((p) => new RegExp(p.source, p.flags));
  const matched: WorkFile[] = [];
  let walked = 0;
  for (const f of files) {
    if (++walked > MAX_WALKED_FILES) break;
    if (patterns.some((re) => re.test(f.path))) matched.push(f);
  }
  matched.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return capFiles(matched, spec, (f) => {
    const bytes = f.read();
    const original = Object.prototype.hasOwnProperty.call(job.files, f.path) ? job.files[f.path] : undefined;
    if (original !== undefined && sameBytes(typeof original === "string" ? encoder.encode(original) : original, bytes)) return undefined;
    return { path: f.path, bytes, text: isText(bytes), size: bytes.byteLength };
  });
}

/** Caps on returned files: how many, bytes of one, bytes of all. */
export interface FileCaps {
  maxFiles: number;
  maxFileBytes: number;
  maxTotalBytes: number;
}

/**
 * Files to return, in the order given, within `caps`: at most `maxFiles`, each cut to what fits in
 * `maxFileBytes` and in what is left of `maxTotalBytes`. The one place these caps are applied: in
 * the host for a run's files, and again by the executor for a session request's own `returnFiles`.
 * `read` gives a file's bytes (its whole content, or what is left of it), or undefined to leave it
 * out uncounted.
 */
export function capFiles<F>(
  files: Iterable<F>,
  caps: FileCaps,
  read: (f: F) => { path: string; bytes: Uint8Array; text: boolean; size: number; truncated?: boolean } | undefined,
): ReturnedFile[] {
  const out: ReturnedFile[] = [];
  let total = 0;
  for (const f of files) {
    if (out.length >= caps.maxFiles) break;
    const file = read(f);
    if (!file) continue;
    const { bytes, text } = file;
    const room = Math.max(0, Math.min(caps.maxFileBytes, caps.maxTotalBytes - total));
    const kept = bytes.byteLength > room ? bytes.subarray(0, room) : bytes;
    total += kept.byteLength;
    // A cut text file ends at a whole character: a streaming decode holds back a split one.
    const content = text ? new TextDecoder("utf-8").decode(kept, { stream: kept !== bytes }) : base64(kept);
    const truncated = kept !== bytes || file.truncated === true;
    out.push({ path: file.path, size: file.size, encoding: text ? "utf8" : "base64", content, ...(truncated && { truncated: true as const }) });
  }
  return out;
}

/** The first MAX_WALKED_FILES files of a walk (their bytes are still read only on demand). */
function walkedFiles(files: Iterable<WorkFile>): WorkFile[] {
  const out: WorkFile[] = [];
  for (const f of files) {
    if (out.length >= MAX_WALKED_FILES) break;
    out.push(f);
  }
  return out;
}

/** Emscripten's FS (Pyodide, php-wasm): the regular files under `root`, walked depth first. */
export interface EmscriptenFs {
  readdir(path: string): string[];
  lstat(path: string): { mode: number };
  isDir(mode: number): boolean;
  isFile(mode: number): boolean;
  readFile(path: string): Uint8Array;
}

export function* emscriptenFiles(FS: EmscriptenFs, root: string): Iterable<WorkFile> {
  const stack: [string, string][] = [[root, ""]];
  while (stack.length > 0) {
    const [dir, rel] = stack.pop()!;
    for (const name of FS.readdir(dir)) {
      if (name === "." || name === "..") continue;
      const abs = `${dir}/${name}`;
      const mode = FS.lstat(abs).mode;
      if (FS.isDir(mode)) stack.push([abs, `${rel}${name}/`]);
      else if (FS.isFile(mode)) yield { path: `${rel}${name}`, read: () => FS.readFile(abs) };
    }
  }
}
