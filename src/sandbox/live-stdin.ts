/**
 * Interactive standard input: a single-producer, single-consumer ring buffer in a
 * SharedArrayBuffer. The executor (or a host process's supervisor) writes what the caller sends;
 * the guest's thread reads it, blocking on `Atomics.wait` until data or end of input arrives. A
 * host that is terminated (timeout, kill) interrupts the wait, so a waiting program still obeys
 * its limits. Nothing here imports Node: the browser uses it too.
 *
 * Layout: Int32 header [readIndex, writeIndex, ended, wantRoom], then RING bytes. Indices only
 * grow (modulo 2^32); `write - read` is what is buffered.
 */

const HEADER_INTS = 4;
const READ = 0;
const WRITE = 1;
const ENDED = 2;
const WANT_ROOM = 3;
const RING = 64 * 1024;

export function createStdinBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_INTS * 4 + RING);
}

/** How the guest reads standard input: copy into `into`, return the count; 0 means end of input. */
export interface StdinSource {
  read(into: Uint8Array): number;
}

/** The whole input known up front (batch requests): reads never block. */
export class FixedStdin implements StdinSource {
  private at = 0;
  constructor(private readonly bytes: Uint8Array) {}
  read(into: Uint8Array): number {
    const n = Math.min(into.length, this.bytes.length - this.at);
    into.set(this.bytes.subarray(this.at, this.at + n));
    this.at += n;
    return n;
  }
}

/**
 * Guest side. `onRoom` is called (from the reading thread) after a read freed space the writer
 * was waiting for: the writer then sends what it still holds.
 */
export class SharedStdinReader implements StdinSource {
  private readonly header: Int32Array;
  private readonly ring: Uint8Array;
  constructor(
    sab: SharedArrayBuffer,
    private readonly onRoom: () => void,
  ) {
    this.header = new Int32Array(sab, 0, HEADER_INTS);
    this.ring = new Uint8Array(sab, HEADER_INTS * 4, RING);
  }

  /** What is buffered now, without blocking; -1 at end of input with nothing left. */
  available(): number {
    const used = (Atomics.load(this.header, WRITE) - Atomics.load(this.header, READ)) >>> 0;
    if (used > 0) return used;
    return Atomics.load(this.header, ENDED) === 1 ? -1 : 0;
  }

  /** Blocks until data (the count) or end of input (0), or until `timeoutMs` passes (null). */
  readWithin(into: Uint8Array, timeoutMs: number): number | null {
    for (;;) {
      const w = Atomics.load(this.header, WRITE);
      const r = Atomics.load(this.header, READ);
      const used = (w - r) >>> 0;
      if (used > 0) {
        const n = Math.min(used, into.length);
        const start = r >>> 0;
        for (let i = 0; i < n; i++) into[i] = this.ring[(start + i) % RING]!;
        Atomics.store(this.header, READ, (r + n) | 0);
        if (Atomics.compareExchange(this.header, WANT_ROOM, 1, 0) === 1) this.onRoom();
        return n;
      }
      if (Atomics.load(this.header, ENDED) === 1) {
        // The writer sets ENDED only after its last bytes: check once more for them.
        if (((Atomics.load(this.header, WRITE) - r) >>> 0) > 0) continue;
        return 0;
      }
      if (into.length === 0) return 0;
      const result = Atomics.wait(this.header, WRITE, w, timeoutMs);
      if (result === "timed-out" && Atomics.load(this.header, WRITE) === w && Atomics.load(this.header, ENDED) === 0) return null;
    }
  }

  read(into: Uint8Array): number {
    return this.readWithin(into, Infinity)!;
  }
}

/**
 * Writer side (one thread): holds what does not fit in the ring until the reader frees room
 * (`pump()` when the reader's "room" message arrives).
 */
export interface StdinSink {
  write(bytes: Uint8Array): void;
  end(): void;
}

export class StdinWriter implements StdinSink {
  private readonly header: Int32Array;
  private readonly ring: Uint8Array;
  private readonly pending: Uint8Array[] = [];
  private endRequested = false;
  /** Until the execution starts, input is held; then it goes to the ring or to `forward`'s sink. */
  private mode: "hold" | "ring" | StdinSink = "hold";
  readonly sab: SharedArrayBuffer;
  constructor(sab: SharedArrayBuffer = createStdinBuffer()) {
    this.sab = sab;
    this.header = new Int32Array(sab, 0, HEADER_INTS);
    this.ring = new Uint8Array(sab, HEADER_INTS * 4, RING);
  }

  get ended(): boolean {
    return this.endRequested;
  }

  write(bytes: Uint8Array): void {
    if (this.endRequested || bytes.byteLength === 0) return;
    if (typeof this.mode === "object") return this.mode.write(bytes.slice());
    this.pending.push(bytes.slice());
    this.pump();
  }

  end(): void {
    if (this.endRequested) return;
    this.endRequested = true;
    if (typeof this.mode === "object") return this.mode.end();
    this.pump();
  }

  /** The guest reads this writer's ring (same process): start filling it. */
  attach(): void {
    if (this.mode !== "hold") return;
    this.mode = "ring";
    this.pump();
  }

  /** The guest is elsewhere (another process): everything, held and future, goes to `sink`. */
  forward(sink: StdinSink): void {
    if (this.mode !== "hold") return;
    this.mode = sink;
    for (const chunk of this.pending.splice(0)) sink.write(chunk);
    if (this.endRequested) sink.end();
  }

  /** Moves what fits into the ring; marks the end once everything is in. */
  pump(): void {
    if (this.mode !== "ring") return;
    while (this.pending.length > 0) {
      const r = Atomics.load(this.header, READ);
      const w = Atomics.load(this.header, WRITE);
      const used = (w - r) >>> 0;
      // The reader's thread may run guest JavaScript (Pyodide): indices it made impossible end
      // the input instead of sending this thread into a loop.
      if (used > RING) {
        this.pending.length = 0;
        this.endRequested = true;
        break;
      }
      const free = RING - used;
      if (free === 0) {
        Atomics.store(this.header, WANT_ROOM, 1);
        // The reader may have freed room between the check and the flag: look again.
        if (RING - ((Atomics.load(this.header, WRITE) - Atomics.load(this.header, READ)) >>> 0) === 0) return;
        continue;
      }
      const chunk = this.pending[0]!;
      const n = Math.min(free, chunk.byteLength);
      const start = w >>> 0;
      for (let i = 0; i < n; i++) this.ring[(start + i) % RING] = chunk[i]!;
      Atomics.store(this.header, WRITE, (w + n) | 0);
      Atomics.notify(this.header, WRITE);
      if (n === chunk.byteLength) this.pending.shift();
      else this.pending[0] = chunk.subarray(n);
    }
    if (this.endRequested && Atomics.load(this.header, ENDED) === 0) {
      Atomics.store(this.header, ENDED, 1);
      // Wake a reader waiting on WRITE: it sees ENDED.
      Atomics.notify(this.header, WRITE);
    }
  }
}
