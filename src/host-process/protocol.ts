/**
 * The messages of a contained process host: executor <-> supervisor (frames on the host
 * process's stdin/stdout, below) and supervisor <-> guest thread (structured clone).
 */
import type { WireError } from "../errors.js";
import type { Job } from "../runtime.js";
import type { HostInit } from "../sandbox/protocol.js";
import type { RunReport } from "../sandbox/run-report.js";

export interface SupervisorInit extends HostInit {
  /** Interpreters kept loaded and unclaimed, ahead of demand. */
  ready: number;
}

/** Executor → supervisor, one frame each. */
export type ToSupervisor =
  | { t: "claim"; id: number }
  /** `data`: the job's standard input. */
  | { t: "run"; id: number; job: WireJob; data: Uint8Array; interactive?: boolean }
  /** Interactive executions: input the caller sent, and its end. */
  | { t: "stdin"; id: number; data: Uint8Array }
  | { t: "stdin-end"; id: number }
  | { t: "kill"; id: number };

/** A job as a JSON line carries it: files given as bytes (a session's) are base64 in `binary`. */
export interface WireJob extends Omit<Job, "files"> {
  files: Record<string, string>;
  binary?: Record<string, string>;
}

export function jobToWire(job: Job): WireJob {
  const files: Record<string, string> = {};
  let binary: Record<string, string> | undefined;
  for (const [name, content] of Object.entries(job.files)) {
    if (typeof content === "string") files[name] = content;
    else (binary ??= {})[name] = Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString("base64");
  }
  return { ...job, files, ...(binary && { binary }) };
}

export function jobFromWire(wire: WireJob): Job {
  const { binary, ...job } = wire;
  const files: Job["files"] = { ...job.files };
  for (const [name, b64] of Object.entries(binary ?? {})) files[name] = new Uint8Array(Buffer.from(b64, "base64"));
  return { ...job, files };
}

/** Supervisor → executor, one frame each. */
export type FromSupervisor =
  | { t: "up" }
  | { t: "fatal"; error: WireError }
  | { t: "ready"; id: number }
  | { t: "out"; id: number; fd: 1 | 2; data: Uint8Array }
  | { t: "limit"; id: number; fd: 1 | 2 }
  | { t: "done"; id: number; exitCode: number; report?: RunReport }
  | { t: "crashed"; id: number; reason: string; outOfMemory: boolean };

export type FromGuest =
  | { t: "ready" }
  | { t: "shared"; data: Record<string, unknown> }
  | { t: "load-error"; error: WireError }
  | { t: "out"; fd: 1 | 2; data: Uint8Array }
  | { t: "limit"; fd: 1 | 2 }
  /** Interactive executions: the guest read input, the supervisor may send what it holds. */
  | { t: "stdin-room" }
  | { t: "done"; exitCode: number; report?: RunReport };

// ---- frames -------------------------------------------------------------------------------------
//
// Both directions between the executor and a supervisor: [u32 length of the rest][u32 length of
// the header][header: JSON][payload]. A message's `data` bytes (output, input) travel as the
// payload, as they are: no base64, no text, so output crosses the pipe without being copied on
// either side (a frame split over two reads is joined once).

/** Output and input are sent in payloads of at most this many bytes. */
export const FRAME_DATA_BYTES = 1024 * 1024;

/** The header and payload of a message; its `data` (bytes) goes as the payload. */
export function encodeFrame(m: object): [Buffer, Uint8Array | undefined] {
  const data = (m as { data?: unknown }).data;
  const payload = data instanceof Uint8Array ? data : undefined;
  const header = Buffer.from(JSON.stringify(payload ? { ...m, data: true } : m));
  const head = Buffer.allocUnsafe(8 + header.byteLength);
  head.writeUInt32LE(4 + header.byteLength + (payload?.byteLength ?? 0), 0);
  head.writeUInt32LE(header.byteLength, 4);
  header.copy(head, 8);
  return [head, payload];
}

/** Reads frames from a stream's chunks; a frame over `maxBytes` (or malformed) is `onCorrupt`. */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private broken = false;

  constructor(
    private readonly onMessage: (m: unknown) => void,
    private readonly maxBytes = Infinity,
    private readonly onCorrupt: () => void = () => {},
  ) {}

  push(chunk: Buffer): void {
    if (this.broken) return;
    this.chunks.push(chunk);
    this.buffered += chunk.byteLength;
    while (this.buffered >= 4) {
      const length = this.peekLength();
      if (length < 4 || length > this.maxBytes) return this.corrupt();
      if (this.buffered < 4 + length) return;
      const frame = this.take(4 + length);
      const headerBytes = frame.readUInt32LE(4);
      if (headerBytes > length - 4) return this.corrupt();
      let m: unknown;
      try {
        m = JSON.parse(frame.toString("utf8", 8, 8 + headerBytes));
      } catch {
        continue;
      }
      if (typeof m === "object" && m !== null && (m as { data?: unknown }).data === true)
        (m as { data: Uint8Array }).data = frame.subarray(8 + headerBytes);
      this.onMessage(m);
    }
  }

  private corrupt(): void {
    this.broken = true;
    this.chunks = [];
    this.onCorrupt();
  }

  private peekLength(): number {
    const first = this.chunks[0]!;
    return first.byteLength >= 4 ? first.readUInt32LE(0) : this.take(4, false).readUInt32LE(0);
  }

  /** The next `n` bytes: a view of one chunk, or one copy when they span chunks. `consume` false: only look. */
  private take(n: number, consume = true): Buffer {
    const first = this.chunks[0]!;
    if (first.byteLength >= n) {
      const out = first.subarray(0, n);
      if (consume) this.drop(n);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let off = 0;
    for (const c of this.chunks) {
      const k = Math.min(c.byteLength, n - off);
      c.copy(out, off, 0, k);
      off += k;
      if (off === n) break;
    }
    if (consume) this.drop(n);
    return out;
  }

  private drop(n: number): void {
    this.buffered -= n;
    while (n > 0) {
      const c = this.chunks[0]!;
      if (c.byteLength <= n) {
        this.chunks.shift();
        n -= c.byteLength;
      } else {
        this.chunks[0] = c.subarray(n);
        n = 0;
      }
    }
  }
}
