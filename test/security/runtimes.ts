/** Helpers shared by the security and reliability suites: which runtimes run here, and a hello world for each. */
import { RUNTIME_NAMES, type Executor, type RuntimeName } from "wasmbox";
import { PROGRAMS } from "../programs.js";

/** Runtimes to test (WASMBOX_TEST_RUNTIMES=ruby,node narrows the list). */
export const RUNTIMES: RuntimeName[] = process.env.WASMBOX_TEST_RUNTIMES
  ? (process.env.WASMBOX_TEST_RUNTIMES.split(",") as RuntimeName[])
  : [...RUNTIME_NAMES];

/** Why each runtime cannot run here (RUNTIME_UNAVAILABLE), or undefined when it can. */
export async function unavailability(executor: Executor, runtimes: RuntimeName[] = RUNTIMES): Promise<Record<RuntimeName, string | undefined>> {
  const out = {} as Record<RuntimeName, string | undefined>;
  for (const r of runtimes) {
    try {
      await executor.runtime(r);
      out[r] = undefined;
    } catch (e) {
      out[r] = (e as Error).message;
    }
  }
  return out;
}

/** A hello world per runtime (printing "hello 42"). */
export const HELLO = Object.fromEntries(RUNTIME_NAMES.map((r) => [r, PROGRAMS[r].hello])) as Record<RuntimeName, string>;

/** The executor still serves this runtime: a hello world comes back right. */
export async function expectHealthy(executor: Executor, runtime: RuntimeName): Promise<void> {
  const r = await executor.execute({ runtime, code: HELLO[runtime], timeout: 60_000 });
  if (r.stdout !== "hello 42\n" || r.exitCode !== 0)
    throw new Error(`the executor is no longer healthy for ${runtime}: ${JSON.stringify(r).slice(0, 500)}`);
}
