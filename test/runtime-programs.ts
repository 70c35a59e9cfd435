/** What each runtime gives the shared suites (its own file, so the runtimes' programs import no registry). */
import type { Programs } from "./conformance/cases.js";
import type { AttackPrograms } from "./security/attacks.js";
import type { SoakPrograms, WorkloadPrograms } from "./reliability/workloads.js";

export interface RuntimePrograms {
  /** Prints "hello 42" and a newline: the executor still serves the runtime. */
  hello: string;
  /** Exit code of an uncaught error, as the native tool gives it. */
  uncaughtExit: number;
  /** One program per conformance case (test/conformance/suite.ts). */
  conformance: Programs;
  /** One program per attack of the escape matrix (test/security/attacks.ts). */
  attacks: AttackPrograms;
  /** One program per hostile workload (test/reliability/workloads.ts). */
  workloads: WorkloadPrograms;
  /** The soak run's mix (test/reliability/soak.test.ts). */
  soak: SoakPrograms;
  /** The benchmark's programs (scripts/bench/programs.mjs; plain JavaScript, run without a build). */
  bench: BenchPrograms;
}

export interface BenchPrograms {
  /** The file `code` lands in (main.py, ...). */
  file: string;
  hello: string;
  primes: string;
  fib: string;
}
