/**
 * What the executor keeps of a child process that serves many hosts (Python's host processes,
 * the hosts process): a listener per host id, and a count of the hosts that need the child now,
 * so that it keeps the embedding process alive only while one does.
 */
import type { ChildProcess } from "node:child_process";

export interface Refable {
  ref?(): void;
  unref?(): void;
}

export class ChildLink<M> {
  protected readonly listeners = new Map<number, { onMessage(m: M): void }>();
  private refs = 0;

  constructor(
    readonly child: ChildProcess,
    /** Handles beside the child's own that keep the event loop alive (its pipes, its IPC channel). */
    private readonly handles: () => (Refable | null | undefined)[],
  ) {
    this.unrefAll();
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
