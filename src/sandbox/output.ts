/**
 * Output of one execution lives in a SharedArrayBuffer owned by the executor, so that what a
 * program printed survives the termination of its host (timeout, crash) byte for byte.
 * Layout: Int32 header [stdoutLength, stderrLength, stdoutExceeded, stderrExceeded,
 * outputNotified, unused...], then `cap` bytes for stdout and `cap` bytes for stderr.
 * A streamed execution reads new bytes from the same buffer as they are written (so streamed
 * chunks and the result hold the same bytes, capped the same way); `outputNotified` lets a
 * guest thread tell the executor "there is more" with at most one message in flight.
 * A drained buffer (REPL contexts, `setDrained`) is a ring instead: lengths count every byte
 * ever written, the executor records what it has read, and a writer that finds the ring full
 * waits for the executor to read, so a long-lived execution never reaches a cap by living long
 * (the cap per cell is the executor's to enforce).
 */
import { OutputLimitExceeded, type Io, type RunInspection } from "../runtime.js";
import { FixedStdin, type StdinSource } from "./live-stdin.js";

const HEADER = 32;
const HEADER_INTS = HEADER / 4;
const NOTIFIED = 4;
/** Drained buffers: bytes of stdout/stderr the executor has read (slots 5, 6), and the mode flag (7). */
const CONSUMED = 5;
const DRAINED = 7;

/** Marks a buffer (after `resetOutputBuffer`) as drained: see the file header. */
export function setDrained(sab: SharedArrayBuffer): void {
  Atomics.store(new Int32Array(sab, 0, HEADER_INTS), DRAINED, 1);
}

export function isDrained(sab: SharedArrayBuffer): boolean {
  return Atomics.load(new Int32Array(sab, 0, HEADER_INTS), DRAINED) === 1;
}

/** Counters of a drained buffer wrap at a multiple of its capacity, so positions stay exact. */
function wrapOf(cap: number): number {
  return cap * Math.max(1, Math.floor(0x3fffffff / cap));
}

export function createOutputBuffer(cap: number): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER + 2 * cap);
}

/** Empties a buffer for its next job (lengths and exceeded flags back to zero). */
export function resetOutputBuffer(sab: SharedArrayBuffer): void {
  const header = new Int32Array(sab, 0, HEADER_INTS);
  for (let i = 0; i < HEADER_INTS; i++) Atomics.store(header, i, 0);
}

/**
 * Guest thread: whether to tell the executor that output arrived (false while an earlier
 * notice is still unread, so a flood of writes costs one message per executor turn).
 */
export function claimOutputNotice(sab: SharedArrayBuffer): boolean {
  return Atomics.compareExchange(new Int32Array(sab, 0, HEADER_INTS), NOTIFIED, 0, 1) === 0;
}

/**
 * Executor side, for streamed executions: the bytes written since the last call, per stream.
 * The notice flag is cleared before reading, so a write after the read sends a new notice.
 */
export class OutputCursor {
  private readonly header: Int32Array;
  private at = [0, 0];
  constructor(
    private readonly sab: SharedArrayBuffer,
    private readonly cap: number,
  ) {
    this.header = new Int32Array(sab, 0, HEADER_INTS);
  }

  take(): { stdout: Uint8Array; stderr: Uint8Array } {
    Atomics.store(this.header, NOTIFIED, 0);
    if (Atomics.load(this.header, DRAINED) === 1) return { stdout: this.takeRing(0), stderr: this.takeRing(1) };
    const part = (slot: 0 | 1): Uint8Array => {
      const len = Atomics.load(this.header, slot);
      const from = this.at[slot]!;
      this.at[slot] = len;
      return len > from ? new Uint8Array(this.sab, HEADER + slot * this.cap + from, len - from).slice() : new Uint8Array(0);
    };
    return { stdout: part(0), stderr: part(1) };
  }

  private takeRing(slot: 0 | 1): Uint8Array {
    const wrap = wrapOf(this.cap);
    const len = Atomics.load(this.header, slot);
    const from = Atomics.load(this.header, CONSUMED + slot);
    // A guest could write anything into the header: never read more than the ring holds.
    const n = Math.min(this.cap, (len - from + wrap) % wrap);
    const out = new Uint8Array(n);
    const base = HEADER + slot * this.cap;
    const start = from % this.cap;
    const first = Math.min(n, this.cap - start);
    out.set(new Uint8Array(this.sab, base + start, first), 0);
    if (n > first) out.set(new Uint8Array(this.sab, base, n - first), first);
    Atomics.store(this.header, CONSUMED + slot, (from + n) % wrap);
    Atomics.notify(this.header, CONSUMED + slot);
    return out;
  }
}

export interface CapturedOutput {
  stdout: Uint8Array;
  stderr: Uint8Array;
  exceeded: { stdout: boolean; stderr: boolean };
}

/** Executor side: read what the guest wrote so far. */
export function readOutput(sab: SharedArrayBuffer, cap: number): CapturedOutput {
  const header = new Int32Array(sab, 0, HEADER_INTS);
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
  /** Streamed executions: called after bytes were stored. */
  onWrite: (() => void) | undefined;
  private readonly source: StdinSource;
  readonly readWithin: Io["readWithin"];

  private readonly drained: boolean;

  constructor(
    sab: SharedArrayBuffer,
    private readonly cap: number,
    readonly stdin: Uint8Array,
    source?: StdinSource & { readWithin?: Io["readWithin"] },
    /** Drained buffers: a writer on a thread that may block waits for room (a main thread never does). */
    private readonly mayBlock = false,
  ) {
    this.source = source ?? new FixedStdin(stdin);
    if (source && "readWithin" in source && typeof source.readWithin === "function") this.readWithin = source.readWithin.bind(source);
    this.header = new Int32Array(sab, 0, HEADER_INTS);
    this.out = new Uint8Array(sab, HEADER, cap);
    this.err = new Uint8Array(sab, HEADER + cap, cap);
    this.drained = Atomics.load(this.header, DRAINED) === 1;
  }

  /** The stream went over its cap where it was written (a process host caps before relaying). */
  markExceeded(fd: 1 | 2): void {
    if (this.exceeded) return;
    Atomics.store(this.header, fd + 1, 1);
    this.exceeded = fd;
    this.onExceeded?.(fd);
  }

  read(into: Uint8Array): number {
    return this.source.read(into);
  }

  write(fd: 1 | 2, data: Uint8Array | string): void {
    if (this.exceeded) throw new OutputLimitExceeded(this.exceeded);
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    if (this.drained) return this.writeRing(fd, bytes);
    const slot = fd === 1 ? 0 : 1;
    const target = fd === 1 ? this.out : this.err;
    const len = this.header[slot]!;
    const room = this.cap - len;
    if (bytes.byteLength <= room) {
      target.set(bytes, len);
      Atomics.store(this.header, slot, len + bytes.byteLength);
      this.onWrite?.();
      return;
    }
    target.set(bytes.subarray(0, room), len);
    Atomics.store(this.header, slot, this.cap);
    Atomics.store(this.header, slot + 2, 1);
    this.onWrite?.();
    this.exceeded = fd;
    this.onExceeded?.(fd);
    throw new OutputLimitExceeded(fd);
  }

  private writeRing(fd: 1 | 2, bytes: Uint8Array): void {
    const slot = fd === 1 ? 0 : 1;
    const target = fd === 1 ? this.out : this.err;
    const wrap = wrapOf(this.cap);
    let at = 0;
    let stalls = 0;
    while (at < bytes.byteLength) {
      const len = Atomics.load(this.header, slot);
      const consumed = Atomics.load(this.header, CONSUMED + slot);
      const room = this.cap - ((len - consumed + wrap) % wrap);
      if (room <= 0) {
        // Full: have the executor read (a process host's supervisor reads at once, in this call).
        this.onWrite?.();
        if (this.mayBlock) Atomics.wait(this.header, CONSUMED + slot, consumed, 100);
        else if (++stalls > 2) return; // nobody reads: the executor has stopped this execution
        continue;
      }
      stalls = 0;
      const pos = len % this.cap;
      const n = Math.min(room, bytes.byteLength - at, this.cap - pos);
      target.set(bytes.subarray(at, at + n), pos);
      Atomics.store(this.header, slot, (len + n) % wrap);
      at += n;
    }
    this.onWrite?.();
  }
}
