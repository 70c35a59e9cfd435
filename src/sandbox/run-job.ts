/**
 * Runs one job inside a sandbox host (worker thread or child process): the same code for
 * every host kind, so limits and exit codes mean the same everywhere.
 */
import type { Runtime } from "../runtime.js";
import { SharedStdinReader } from "./live-stdin.js";
import { SharedIo, claimOutputNotice } from "./output.js";
import { startReport } from "./run-report.js";
import { runToExit } from "./run-exit.js";
import type { FromHost, ToHost } from "./protocol.js";

export async function runJob(
  runtime: Runtime,
  loaded: unknown,
  msg: ToHost,
  post: (m: FromHost) => void,
  /** This thread's CPU time, ms, where the platform tells it (for `usage`). */
  cpuClock?: () => number | undefined,
): Promise<void> {
  const live = msg.live;
  const stdin = live?.stdin ? new SharedStdinReader(live.stdin, () => post({ type: "stdin-room" })) : undefined;
  // A worker thread may wait: a drained buffer that is full holds the guest until the executor reads.
  const io = new SharedIo(msg.output, msg.job.limits.outputBytes, msg.stdin, stdin, true);
  io.onExceeded = (fd) => post({ type: "output-limit", fd });
  const report = startReport(msg.job, cpuClock);
  if (msg.job.report) io.inspect = report.inspect;
  if (live) io.onWrite = () => claimOutputNotice(msg.output) && post({ type: "output" });
  const exitCode = await runToExit(runtime, loaded, msg.job, io);
  let measured;
  try {
    measured = report.finish();
  } catch {
    measured = undefined;
  }
  let retire = false;
  try {
    retire = runtime.retire?.(loaded) ?? false;
  } catch {
    retire = true;
  }
  post({ type: "done", exitCode, ...(retire ? { retire } : {}), ...(measured && { report: measured }) });
}

