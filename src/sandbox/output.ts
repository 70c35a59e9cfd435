/**
 * Output of one execution lives in a SharedArrayBuffer owned by the executor, so that what a
 * program printed survives the termination of its host (timeout, crash) byte for byte.
 * Layout: Int32 header [stdoutLength, stderrLength, stdoutExceeded, stderrExceeded], then
 * `cap` bytes for stdout and `cap` bytes for stderr.
 */
import { OutputLimitExceeded, type Io, type RunInspection } from "../runtime.js";

const HEADER = 16;

export function createOutputBuffer(cap: number): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER + 2 * cap);
}

/** Empties a buffer for its next job (lengths and exceeded flags back to zero). */
export function resetOutputBuffer(sab: SharedArrayBuffer): void {
  const header = new Int32Array(sab, 0, 4);
  for (let i = 0; i < 4; i++) Atomics.store(header, i, 0);
}

export interface CapturedOutput {
  stdout: Uint8Array;
  stderr: Uint8Array;
  exceeded: { stdout: boolean; stderr: boolean };
}

/** Executor side: read what the guest wrote so far. */
export function readOutput(sab: SharedArrayBuffer, cap: number): CapturedOutput {
  const header = new Int32Array(sab, 0, 4);
  const outLen = Atomics.load(header, 0);
  const errLen = Atomics.load(header, 1);
  return {
    stdout: new Uint8Array(sab, HEADER, cap).slice(0, outLen),
    stderr: new Uint8Array(sab, HEADER + cap, cap).slice(0, errLen),
    exceeded: { stdout: Atomics.load(header, 2) === 1, stderr: Atomics.load(header, 3) === 1 },
  };
}

const encoder = new TextEncoder();

/** Sandbox side: the Io handed to the adapter. */
export class SharedIo implements Io {
  private readonly header: Int32Array;
  private readonly out: Uint8Array;
  private readonly err: Uint8Array;
  /** Set once a stream went over its cap; the host reports the documented result. */
  exceeded: 1 | 2 | undefined;
  onExceeded: ((fd: 1 | 2) => void) | undefined;
  /** Set by the host when the job asked for `usage` or `returnFiles`. */
  inspect: ((i: RunInspection) => void) | undefined;

  constructor(
    sab: SharedArrayBuffer,
    private readonly cap: number,
    readonly stdin: Uint8Array,
  ) {
    this.header = new Int32Array(sab, 0, 4);
    this.out = new Uint8Array(sab, HEADER, cap);
    this.err = new Uint8Array(sab, HEADER + cap, cap);
  }

  /** The stream went over its cap where it was written (a process host caps before relaying). */
  markExceeded(fd: 1 | 2): void {
    if (this.exceeded) return;
    Atomics.store(this.header, fd + 1, 1);
    this.exceeded = fd;
    this.onExceeded?.(fd);
  }

  write(fd: 1 | 2, data: Uint8Array | string): void {
    if (this.exceeded) throw new OutputLimitExceeded(this.exceeded);
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    const slot = fd === 1 ? 0 : 1;
    const target = fd === 1 ? this.out : this.err;
    const len = this.header[slot]!;
    const room = this.cap - len;
    if (bytes.byteLength <= room) {
      target.set(bytes, len);
      Atomics.store(this.header, slot, len + bytes.byteLength);
      return;
    }
    target.set(bytes.subarray(0, room), len);
    Atomics.store(this.header, slot, this.cap);
    Atomics.store(this.header, slot + 2, 1);
    this.exceeded = fd;
    this.onExceeded?.(fd);
    throw new OutputLimitExceeded(fd);
  }
}
