/**
 * Runs one job inside a sandbox host (worker thread or child process): the same code for
 * every host kind, so limits and exit codes mean the same everywhere.
 */
import type { Runtime } from "../runtime.js";
import { OutputLimitExceeded } from "../runtime.js";
import { SharedStdinReader } from "./live-stdin.js";
import { SharedIo, claimOutputNotice } from "./output.js";
import { startReport } from "./run-report.js";
import {
  EXIT_OUT_OF_MEMORY,
  EXIT_OUTPUT_LIMIT,
  EXIT_SANDBOX_FAILURE,
  EXIT_STACK_OVERFLOW,
  STACK_OVERFLOW_MESSAGE,
  isStackOverflow,
  type FromHost,
  type ToHost,
} from "./protocol.js";

function isOutOfMemory(e: unknown): boolean {
  // A guest that outgrows its wasm memory maximum normally fails inside (malloc returns NULL);
  // these are the host-side allocations that can fail on its behalf.
  return e instanceof RangeError && /memory|allocation|Array buffer/i.test(e.message);
}

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
  let exitCode: number;
  try {
    exitCode = await runtime.run(loaded, msg.job, io);
    if (io.exceeded) exitCode = EXIT_OUTPUT_LIMIT;
  } catch (e) {
    if (io.exceeded || e instanceof OutputLimitExceeded) {
      exitCode = EXIT_OUTPUT_LIMIT;
    } else if (isOutOfMemory(e)) {
      exitCode = EXIT_OUT_OF_MEMORY;
      safeWrite(io, `\nwasmbox: out of memory (limit ${msg.job.limits.memoryBytes} bytes)\n`);
    } else if (isStackOverflow(e)) {
      exitCode = EXIT_STACK_OVERFLOW;
      safeWrite(io, STACK_OVERFLOW_MESSAGE);
    } else {
      // A failure of the adapter, not of the program: say so on stderr, without host paths.
      const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      safeWrite(io, `\nwasmbox: the ${msg.job.runtime} sandbox failed: ${message}\n`);
      exitCode = EXIT_SANDBOX_FAILURE;
    }
  }
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

function safeWrite(io: SharedIo, text: string): void {
  try {
    io.write(2, text);
  } catch {
    /* over the cap already */
  }
}
