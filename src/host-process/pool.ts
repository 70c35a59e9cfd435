/**
 * The host processes of one runtime configuration (Python's): each is a jailed supervisor
 * (jail.ts, supervisor.ts) keeping interpreters ready, talked to over its stdin/stdout
 * (protocol.ts). Owned by the executor through ProcessHosts (process-host.ts).
 */
import { spawn } from "node:child_process";
import { SandboxFailureError, loadFailure } from "../errors.js";
import type { HostFactoryOptions } from "../executor/host.js";
import { ChildLink, type Refable } from "./child-link.js";
import { jail, type JailCommand } from "./jail.js";
import { FRAME_DATA_BYTES, FrameReader, encodeFrame, type FromSupervisor, type SupervisorInit, type ToSupervisor } from "./protocol.js";

/** A frame from a supervisor past this size is a broken supervisor (its payloads are at most FRAME_DATA_BYTES). */
const MAX_FRAME_BYTES = 64 * FRAME_DATA_BYTES;

export class HostProcess extends ChildLink<FromSupervisor> {
  readonly up: Promise<void>;
  bound = 0;
  alive = true;
  failure: Error | undefined;

  constructor(cmd: { file: string; args: string[] }, init: SupervisorInit, onExit: () => void) {
    // In a session of its own: a terminal's Ctrl-C (SIGINT to the foreground process group) is
    // the embedding process's to handle, not the host's. It still ends with us: bwrap
    // --die-with-parent, and the supervisor exits when its stdin closes.
    const child = spawn(cmd.file, cmd.args, { env: {}, stdio: ["pipe", "pipe", "pipe"], detached: true });
    // Its pipes are sockets, which keep the event loop alive as the child does.
    super(child, () => [child.stdin, child.stdout, child.stderr] as unknown as Refable[]);
    // The host's own diagnostics (never the guest's output): shown only when debugging wasmbox.
    if (process.env.WASMBOX_DEBUG_HOSTS === "1") this.child.stderr!.pipe(process.stderr);
    else this.child.stderr!.resume();
    this.child.stdin!.on("error", () => {});
    this.write(init);
    this.up = new Promise<void>((resolve, reject) => {
      const frames = new FrameReader(
        (message) => {
          const m = message as FromSupervisor;
          if (m?.t === "up") resolve();
          else if (m?.t === "fatal") {
            this.failure = loadFailure(init.runtime, "in its host process", m.error);
            reject(this.failure);
          } else this.dispatch(m?.id, m);
        },
        MAX_FRAME_BYTES,
        () => this.kill(),
      );
      this.child.stdout!.on("data", (chunk: Buffer) => frames.push(chunk));
      this.child.on("error", (e) => {
        this.failure ??= new SandboxFailureError(`the ${init.runtime} host process could not start: ${e.message}`);
        reject(this.failure);
      });
      this.child.on("exit", (code, signal) => {
        this.alive = false;
        this.failure ??= new SandboxFailureError(`the ${init.runtime} host process exited (${signal ?? `code ${code}`})`);
        reject(this.failure);
        for (const [id, l] of this.listeners) l.onMessage({ t: "crashed", id, reason: "the host process exited", outOfMemory: false });
        this.listeners.clear();
        onExit();
      });
    });
    this.up.catch(() => {});
  }

  send(m: ToSupervisor): void {
    if (this.alive) this.write(m);
  }

  private write(m: object): void {
    const [head, payload] = encodeFrame(m);
    this.child.stdin!.write(head);
    if (payload) this.child.stdin!.write(payload);
  }

  kill(): void {
    if (this.alive) this.child.kill("SIGKILL");
  }
}

/** The host processes serving one runtime configuration (one per two cores by default). */
export class HostPool {
  private readonly processes: HostProcess[] = [];
  private live = 0;
  private nextId = 1;
  private cmd: Promise<JailCommand> | undefined;

  constructor(
    private readonly opts: HostFactoryOptions,
    private readonly size: number,
    private readonly ready: number,
  ) {}

  /**
   * Binds a new host to the least loaded process. Another process (up to `size`) is started only
   * when every running one already has `ready` hosts bound: a cold start boots one process, not
   * one per core, and a steady load spreads over all of them.
   */
  async claim(): Promise<{ process: HostProcess; id: number }> {
    if (this.live++ === 0) for (const p of this.processes) p.busy();
    this.cmd ??= jail(this.opts, this.ready);
    const cmd = await this.cmd;
    const busy = () => this.processes.every((p) => p.bound >= Math.max(1, this.ready));
    while (this.processes.length < this.size && busy()) {
      // `hostRoot` tells the adapter where its mounts are, as the host process sees them.
      const options = { ...this.opts.options, hostRoot: cmd.root };
      const init: SupervisorInit = { runtime: this.opts.runtime, memoryBytes: this.opts.memoryBytes, options, ready: this.ready };
      const p: HostProcess = new HostProcess(cmd, init, () => {
        const i = this.processes.indexOf(p);
        if (i >= 0) this.processes.splice(i, 1);
      });
      this.processes.push(p);
    }
    const p = this.processes.reduce((a, b) => (b.bound < a.bound ? b : a));
    p.bound++;
    return { process: p, id: this.nextId++ };
  }

  release(p: HostProcess): void {
    p.bound--;
    // Hosts come and go between executions: the processes end when none is wanted for a while.
    if (--this.live === 0) for (const q of this.processes) q.idle(() => this.end(q));
  }

  shutdown(): void {
    for (const p of this.processes.splice(0)) p.kill();
  }

  private end(p: HostProcess): void {
    const i = this.processes.indexOf(p);
    if (i >= 0) this.processes.splice(i, 1);
    p.kill();
  }
}
