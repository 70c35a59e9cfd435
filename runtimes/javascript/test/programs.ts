/**
 * Node's and Bun's programs for the shared suites (test/programs.ts lists every runtime's): the
 * conformance cases, the escape matrix's attacks, the hostile workloads, the soak mix, the
 * benchmark's programs and a hello world. Both run on the same engine; most programs differ only
 * in Bun's TypeScript.
 */
import type { RuntimePrograms } from "../../../test/runtime-programs.js";
import type { SoakPrograms } from "../../../test/reliability/workloads.js";
import { programs as nodeConformance } from "./conformance-node.js";
import { programs as bunConformance } from "./conformance-bun.js";
import { jsPrograms } from "./attacks.js";
import { jsWorkloads } from "./workloads.js";
import { bun as bunBench, node as nodeBench } from "./bench-programs.mjs";

/** The soak mix: each reads a nonce from stdin and prints it first; `PRIME` makes it exit at once. */
const js = (body: string) =>
  `import { readFileSync } from "node:fs";\nif (process.env.PRIME) process.exit(0);\nconst nonce = readFileSync(0, "utf8");\nprocess.stdout.write(nonce);\n${body}\n`;

const soak: SoakPrograms = {
  normal: js("process.stderr.write(nonce);"),
  loop: js("for (;;) {}"),
  flood: js('const c = "x".repeat(65536);\nfor (;;) process.stdout.write(c);'),
  exit: js("process.exit(3);"),
};

export const node: RuntimePrograms = {
  hello: 'console.log("hello", 6 * 7)',
  uncaughtExit: 1,
  conformance: nodeConformance,
  attacks: jsPrograms("node"),
  workloads: jsWorkloads("node"),
  bench: nodeBench,
  soak,
};

export const bun: RuntimePrograms = {
  hello: 'const n: number = 6 * 7;\nconsole.log("hello", n);',
  uncaughtExit: 1,
  conformance: bunConformance,
  attacks: jsPrograms("bun"),
  workloads: jsWorkloads("bun"),
  bench: bunBench,
  soak,
};
