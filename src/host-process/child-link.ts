/**
 * What the executor keeps of a child process that serves many hosts (Python's host processes,
 * the hosts process): a listener per host id, a count of the hosts that need the child now, so
 * that it keeps the embedding process alive only while one does, and the idle policy of both.
 */
import type { ChildProcess } from "node:child_process";

/**
 * The executor's idle policy for its host processes, both kinds: a process no host needs any more
 * ends this long after its last host, unless a new one comes; close() ends every one at once.
 * The executor's own pool decides when hosts are not wanted (`warmHosts`, `idleTimeout`,
 * `maxHosts`); this only bridges the gaps its decisions leave (a used or crashed host replaced,
 * a preloaded runtime's first host, hosts trimmed and asked for again), which would otherwise pay
 * a process start and a runtime load (hundreds of milliseconds to seconds), while a process
 * nobody wants gives its memory back within seconds.
 */
export const HOST_PROCESS_IDLE_MS = 10_000;

export interface Refable {
  ref?(): void;
  unref?(): void;
}

export class ChildLink<M> {
  protected readonly listeners = new Map<number, { onMessage(m: M): void }>();
  private refs = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly child: ChildProcess,
    /** Handles beside the child's own that keep the event loop alive (its pipes, its IPC channel). */
    private readonly handles: () => (Refable | null | undefined)[],
  ) {
    this.unrefAll();
    child.once("exit", () => this.busy());
  }

  /** No host needs this process now: `end` it after HOST_PROCESS_IDLE_MS unless busy() comes first. */
  idle(end: () => void): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(end, HOST_PROCESS_IDLE_MS);
    this.idleTimer.unref?.();
  }

  /** A host needs this process (again). */
  busy(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  listen(id: number, l: { onMessage(m: M): void }): void {
    this.listeners.set(id, l);
  }
  forget(id: number): void {
    this.listeners.delete(id);
  }
  /** Hands `m` to the listener of its host. */
  protected dispatch(id: unknown, m: M): void {
    if (typeof id === "number") this.listeners.get(id)?.onMessage(m);
  }

  ref(): void {
    if (this.refs++ === 0) {
      this.child.ref();
      for (const h of this.handles()) h?.ref?.();
    }
  }
  unref(): void {
    if (--this.refs === 0) this.unrefAll();
  }
  private unrefAll(): void {
    this.child.unref();
    for (const h of this.handles()) h?.unref?.();
  }
}
