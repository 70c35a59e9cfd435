/**
 * PHP's programs for the shared suites (test/programs.ts lists every runtime's): the conformance
 * cases, the escape matrix's attacks, the hostile workloads, the soak mix, the benchmark's
 * programs and a hello world.
 */
import type { RuntimePrograms } from "../../../test/runtime-programs.js";
import { programs as conformance } from "./conformance.js";
import { programs as attacks } from "./attacks.js";
import { programs as workloads } from "./workloads.js";
import { bench } from "./bench-programs.mjs";

/** The soak mix: each reads a nonce from stdin and prints it first; `PRIME` makes it exit at once. */
const php = (body: string) => `<?php\nif (getenv("PRIME")) exit(0);\n$nonce = fgets(STDIN);\necho $nonce;\nflush();\n${body}\n`;

export const programs: RuntimePrograms = {
  hello: '<?php echo "hello ", 6 * 7, "\\n";',
  uncaughtExit: 255,
  conformance,
  attacks,
  workloads,
  bench,
  soak: {
    normal: php("fwrite(STDERR, $nonce);"),
    loop: php("while (true) {}"),
    flood: php('$c = str_repeat("x", 65536);\nwhile (true) echo $c;'),
    exit: php("exit(3);"),
  },
};
