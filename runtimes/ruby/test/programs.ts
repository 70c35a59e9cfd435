/**
 * Ruby's programs for the shared suites (test/programs.ts lists every runtime's): the conformance
 * cases, the escape matrix's attacks, the hostile workloads, the soak mix, the benchmark's
 * programs and a hello world.
 */
import type { RuntimePrograms } from "../../../test/runtime-programs.js";
import { programs as conformance } from "./conformance.js";
import { programs as attacks } from "./attacks.js";
import { programs as workloads } from "./workloads.js";
import { bench } from "./bench-programs.mjs";

/** The soak mix: each reads a nonce from stdin and prints it first; `PRIME` makes it exit at once. */
const rb = (body: string) => `exit 0 if ENV["PRIME"]\nnonce = $stdin.gets\n$stdout.write(nonce)\n$stdout.flush\n${body}\n`;

export const programs: RuntimePrograms = {
  hello: 'puts "hello #{6 * 7}"',
  uncaughtExit: 1,
  conformance,
  attacks,
  workloads,
  bench,
  soak: {
    normal: rb("$stderr.write(nonce)"),
    loop: rb("loop {}"),
    flood: rb('c = "x" * 65536\nloop { $stdout.write(c) }'),
    exit: rb("exit 3"),
  },
};
