/**
 * Runs every case of the shared suite against every runtime that ships a programs file.
 * Runtimes whose toolchain is missing on this machine are skipped with the reason.
 */
import { afterAll, describe, it } from "vitest";
import { createExecutor, RUNTIME_NAMES, type RuntimeName } from "wasmbox";
import { CASES } from "./suite.js";
import type { Programs } from "./cases.js";

const executor = createExecutor({ concurrency: 2 });
afterAll(() => executor.close());

const only = process.env.WASMBOX_TEST_RUNTIMES?.split(",") as RuntimeName[] | undefined;

for (const runtime of RUNTIME_NAMES) {
  if (only && !only.includes(runtime)) continue;
  const programs: Programs | undefined = await import(`./programs/${runtime}.ts`).then((m) => m.programs as Programs, () => undefined);
  let unavailable: string | undefined;
  try {
    await executor.runtime(runtime);
  } catch (e) {
    unavailable = (e as Error).message;
  }
  describe(`conformance: ${runtime}`, () => {
    for (const c of CASES) {
      const p = programs?.[c.name];
      const skip = !programs ? "no programs file yet" : !p ? "no program for this case" : "skip" in p ? p.skip : unavailable;
      it.skipIf(!!skip)(`${c.name}${skip ? ` (skipped: ${skip})` : ""}`, { timeout: 120_000 }, async () => {
        const r = await executor.execute({ runtime, stdin: c.stdin, args: c.args, env: c.env, ...(p as object) });
        c.check(r, runtime, p!);
      });
    }
  });
}
