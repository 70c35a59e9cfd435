/** Helpers shared by the security and reliability suites: which runtimes run here, and a hello world for each. */
import { RUNTIME_NAMES, type Executor, type RuntimeName } from "wasmbox";

/** Runtimes to test (WASMBOX_TEST_RUNTIMES=ruby,node narrows the list). */
export const RUNTIMES: RuntimeName[] = process.env.WASMBOX_TEST_RUNTIMES
  ? (process.env.WASMBOX_TEST_RUNTIMES.split(",") as RuntimeName[])
  : [...RUNTIME_NAMES];

/** Why each runtime cannot run here (RUNTIME_UNAVAILABLE), or undefined when it can. */
export async function unavailability(executor: Executor): Promise<Record<RuntimeName, string | undefined>> {
  const out = {} as Record<RuntimeName, string | undefined>;
  for (const r of RUNTIMES) {
    try {
      await executor.runtime(r);
      out[r] = undefined;
    } catch (e) {
      out[r] = (e as Error).message;
    }
  }
  return out;
}

export const HELLO: Record<RuntimeName, string> = {
  python: 'print("hello", 6 * 7)',
  node: 'console.log("hello", 6 * 7)',
  bun: 'const n: number = 6 * 7;\nconsole.log("hello", n);',
  go: 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hello", 6*7)\n}\n',
  rust: 'fn main() {\n    println!("hello {}", 6 * 7);\n}\n',
  ruby: 'puts "hello #{6 * 7}"',
  php: '<?php echo "hello ", 6 * 7, "\\n";',
};

/** The executor still serves this runtime: a hello world comes back right. */
export async function expectHealthy(executor: Executor, runtime: RuntimeName): Promise<void> {
  const r = await executor.execute({ runtime, code: HELLO[runtime], timeout: 60_000 });
  if (r.stdout !== "hello 42\n" || r.exitCode !== 0)
    throw new Error(`the executor is no longer healthy for ${runtime}: ${JSON.stringify(r).slice(0, 500)}`);
}
