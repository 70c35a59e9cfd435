/**
 * A sandbox host in a thread of the same process: a Node worker thread (worker-host.ts) or a Web
 * Worker (src/browser/host.ts). Both speak src/sandbox/protocol.ts; this is that protocol's host
 * side, once: loading, what the first host shares, jobs one at a time, failures and the end. A
 * platform adds only how its thread starts, stops and reports its failures. Nothing here imports
 * a platform's modules.
 */
import { SandboxFailureError, loadFailure } from "../errors.js";
import type { RuntimeName } from "../request.js";
import type { FromHost, ToHost } from "../sandbox/protocol.js";
import type { HostOutcome, HostRunOptions, SandboxHost } from "./host.js";

export abstract class ThreadHost implements SandboxHost {
  readonly ready: Promise<void>;
  alive = true;
  onGone: (() => void) | undefined;
  private loaded = false;
  private current: { resolve: (o: HostOutcome) => void; onMessage: (m: FromHost) => void } | undefined;
  private readyResolve!: () => void;
  private readyReject!: (e: Error) => void;

  /**
   * `where` names the thread in load errors ("in a worker thread"); `onShared` takes what the
   * host's runtime hands to its later hosts.
   */
  protected constructor(
    readonly runtime: RuntimeName,
    readonly reusable: boolean,
    private readonly where: string,
    private readonly onShared?: (data: unknown) => void,
  ) {
    this.ready = new Promise<void>((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    this.ready.catch(() => {});
  }

  /** Posts a message to the thread. */
  protected abstract send(m: ToHost): void;
  /** Ends the thread at once (whatever it runs). */
  protected abstract stop(): void | Promise<unknown>;

  /** A message from the thread. */
  protected received(m: FromHost): void {
    if (m?.type === "ready") {
      this.loaded = true;
      this.readyResolve();
      return;
    }
    // Only before "ready": after it, guest code has run in the thread.
    if (m?.type === "shared") {
      if (!this.loaded) this.onShared?.(m.data);
      return;
    }
    if (m?.type === "load-error") {
      this.readyReject(loadFailure(this.runtime, this.where, m.error));
      void this.terminate();
      return;
    }
    this.current?.onMessage(m);
    if (m?.type === "done") {
      // The runtime asked to end this host after the job: the pool replaces it.
      if (m.retire) this.alive = false;
      const c = this.current;
      this.current = undefined;
      c?.resolve({ kind: "done", exitCode: typeof m.exitCode === "number" ? m.exitCode | 0 : 1, report: m.report });
    }
  }

  /**
   * The thread failed or exited by itself: a load still waited for fails with `loadMessage`, a job
   * running ends as crashed, and the pool is told (an idle host that died is replaced).
   */
  protected died(reason: string, outOfMemory: boolean, loadMessage: string): void {
    this.readyReject(new SandboxFailureError(loadMessage));
    this.fail(reason, outOfMemory);
    this.onGone?.();
  }

  private fail(reason: string, outOfMemory: boolean): void {
    this.alive = false;
    const c = this.current;
    this.current = undefined;
    c?.resolve({ kind: "crashed", reason, outOfMemory });
  }

  run(opts: HostRunOptions, onMessage: (m: FromHost) => void): Promise<HostOutcome> {
    if (!this.alive) return Promise.resolve({ kind: "crashed", reason: "host is gone", outOfMemory: false });
    if (this.current) throw new Error("wasmbox: internal: host already busy");
    return new Promise<HostOutcome>((resolve) => {
      this.current = { resolve, onMessage };
      this.send({ type: "run", job: opts.job, stdin: opts.stdin, output: opts.output, ...(opts.live && { live: opts.live }) });
      opts.stdinWriter?.attach();
    });
  }

  async terminate(): Promise<void> {
    const wasAlive = this.alive;
    this.fail("terminated", false);
    this.readyReject(new SandboxFailureError("the host was terminated"));
    if (wasAlive || this.stillRunning()) await this.stop();
  }

  /** Whether the thread may still run after its host was marked dead (Node: until it has exited). */
  protected stillRunning(): boolean {
    return false;
  }

  ref(): void {}
  unref(): void {}
}
