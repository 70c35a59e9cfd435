/**
 * One execution of a host that lives in another process (a Python host process's interpreter, a
 * hosts process's worker host), as the executor's side sees it: output arrives in messages and is
 * written into the execution's shared buffer here, so the cap, partial output on timeout and
 * streaming behave as for a worker host in the executor's own process; the caller's input is
 * forwarded; and a stop waits (briefly) for the other side to acknowledge it after the last output.
 */
import type { HostOutcome, HostRunOptions } from "../executor/host.js";
import { SharedIo } from "../sandbox/output.js";
import type { FromHost } from "../sandbox/protocol.js";
import type { StdinSink } from "../sandbox/live-stdin.js";

export class RelayedRun {
  readonly outcome: Promise<HostOutcome>;
  private readonly io: SharedIo;
  private resolve!: (o: HostOutcome) => void;
  private settled = false;
  private acknowledged: (() => void) | undefined;

  /** `onSettle` runs when the outcome is known, before whoever awaits `outcome` hears of it. */
  constructor(
    private readonly opts: HostRunOptions,
    onMessage: (m: FromHost) => void,
    private readonly onSettle: (o: HostOutcome) => void = () => {},
  ) {
    this.io = new SharedIo(opts.output, opts.job.limits.outputBytes, new Uint8Array(0));
    this.io.onExceeded = (fd) => onMessage({ type: "output-limit", fd });
    // Output arrives as the guest writes it: tell a streamed execution.
    if (opts.live) this.io.onWrite = () => onMessage({ type: "output" });
    this.outcome = new Promise<HostOutcome>((resolve) => (this.resolve = resolve));
  }

  get interactive(): boolean {
    return this.opts.stdinWriter !== undefined;
  }

  /** Interactive executions: the caller's input goes to `sink` (once the job itself was sent). */
  forwardStdin(sink: StdinSink): void {
    this.opts.stdinWriter?.forward(sink);
  }

  /** Output of the job, fd 1 or 2. */
  write(fd: unknown, bytes: Uint8Array): void {
    if (this.settled || (fd !== 1 && fd !== 2) || bytes.byteLength === 0) return;
    try {
      this.io.write(fd, bytes);
    } catch {
      /* over the cap: the SharedIo recorded it and told the executor */
    }
  }

  /** The other side stopped the job's stream `fd` at exactly the cap (so the buffer never overflows by itself). */
  exceeded(fd: unknown): void {
    if (!this.settled && (fd === 1 || fd === 2)) this.io.markExceeded(fd);
  }

  settle(o: HostOutcome): void {
    if (this.settled) return;
    this.settled = true;
    this.onSettle(o);
    this.resolve(o);
    this.acknowledged?.();
  }

  /**
   * After the stop was sent: what the program printed before it was stopped is still on its way,
   * and the other side answers the stop after it, so wait for that answer (at most `ackMs`) to
   * keep partial output whole; without it, the run ends as terminated.
   */
  async stopped(ackMs: number): Promise<void> {
    if (this.settled) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.settle({ kind: "crashed", reason: "terminated", outOfMemory: false });
        resolve();
      }, ackMs);
      this.acknowledged = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
}
