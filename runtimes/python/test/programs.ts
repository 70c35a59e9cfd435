/**
 * Python's programs for the shared suites (test/programs.ts lists every runtime's): the conformance
 * cases, the escape matrix's attacks, the hostile workloads, the soak mix, the benchmark's
 * programs and a hello world.
 */
import type { RuntimePrograms } from "../../../test/runtime-programs.js";
import { programs as conformance } from "./conformance.js";
import { programs as attacks } from "./attacks.js";
import { programs as workloads } from "./workloads.js";
import { bench } from "./bench-programs.mjs";

/** The soak mix: each reads a nonce from stdin and prints it first; `PRIME` makes it exit at once. */
const py = (body: string) => `import os, sys\nif os.environ.get("PRIME"): sys.exit(0)\nnonce = sys.stdin.readline()\nsys.stdout.write(nonce)\nsys.stdout.flush()\n${body}\n`;

export const programs: RuntimePrograms = {
  hello: 'print("hello", 6 * 7)',
  uncaughtExit: 1,
  conformance,
  attacks,
  workloads,
  bench,
  soak: {
    normal: py("sys.stderr.write(nonce)"),
    loop: py("while True:\n    pass"),
    flood: py('c = "x" * 65536\nwhile True:\n    sys.stdout.write(c)'),
    exit: py("sys.exit(3)"),
  },
};
