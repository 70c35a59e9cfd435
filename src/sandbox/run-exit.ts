/**
 * How a job's run ended, as an exit code: the same for every host kind (a worker thread's
 * run-job.ts, a Python host process's guest.ts), so limits and exit codes mean the same everywhere.
 */
import { OutputLimitExceeded, type Io, type Job, type Runtime } from "../runtime.js";
import { EXIT_OUT_OF_MEMORY, EXIT_OUTPUT_LIMIT, EXIT_SANDBOX_FAILURE, EXIT_STACK_OVERFLOW, STACK_OVERFLOW_MESSAGE, isStackOverflow } from "./protocol.js";

function isOutOfMemory(e: unknown): boolean {
  // A guest that outgrows its wasm memory maximum normally fails inside (malloc returns NULL);
  // these are the host-side allocations that can fail on its behalf.
  return e instanceof RangeError && /memory|allocation|Array buffer/i.test(e.message);
}

/** Runs `job` on `io` and returns its exit code; what the host stopped, or what failed, is said on stderr. */
export async function runToExit(runtime: Runtime, loaded: unknown, job: Job, io: Io & { readonly exceeded: unknown }): Promise<number> {
  const say = (text: string) => {
    try {
      io.write(2, text);
    } catch {
      /* over the cap already */
    }
  };
  try {
    const exitCode = await runtime.run(loaded, job, io);
    return io.exceeded ? EXIT_OUTPUT_LIMIT : exitCode;
  } catch (e) {
    if (io.exceeded || e instanceof OutputLimitExceeded) return EXIT_OUTPUT_LIMIT;
    if (isOutOfMemory(e)) {
      say(`\nwasmbox: out of memory (limit ${job.limits.memoryBytes} bytes)\n`);
      return EXIT_OUT_OF_MEMORY;
    }
    if (isStackOverflow(e)) {
      say(STACK_OVERFLOW_MESSAGE);
      return EXIT_STACK_OVERFLOW;
    }
    // A failure of the adapter, not of the program: say so on stderr, without host paths.
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    say(`\nwasmbox: the ${job.runtime} sandbox failed: ${message}\n`);
    return EXIT_SANDBOX_FAILURE;
  }
}
