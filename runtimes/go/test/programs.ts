/**
 * Go's programs for the shared suites (test/programs.ts lists every runtime's): the conformance
 * cases, the escape matrix's attacks, the hostile workloads, the soak mix, the benchmark's
 * programs and a hello world.
 */
import type { RuntimePrograms } from "../../../test/runtime-programs.js";
import { programs as conformance } from "./conformance.js";
import { programs as attacks } from "./attacks.js";
import { programs as workloads } from "./workloads.js";
import { bench } from "./bench-programs.mjs";

/** The soak mix: each reads a nonce from stdin and prints it first; `PRIME` makes it exit at once. */
const go = (imports: string[], body: string) =>
  `package main\n\nimport (\n${[...new Set(["bufio", "fmt", "os", ...imports])].map((i) => `\t"${i}"`).join("\n")}\n)\n\nfunc main() {\n\tif os.Getenv("PRIME") != "" {\n\t\tos.Exit(0)\n\t}\n\tnonce, _ := bufio.NewReader(os.Stdin).ReadString('\\n')\n\tfmt.Print(nonce)\n${body}\n}\n`;

export const programs: RuntimePrograms = {
  hello: 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hello", 6*7)\n}\n',
  uncaughtExit: 2,
  conformance,
  attacks,
  workloads,
  bench,
  soak: {
    normal: go([], "\tfmt.Fprint(os.Stderr, nonce)"),
    loop: go([], "\tfor {\n\t}"),
    flood: go(["bytes"], '\tc := bytes.Repeat([]byte("x"), 65536)\n\tfor {\n\t\tos.Stdout.Write(c)\n\t}'),
    exit: go([], "\tos.Exit(3)"),
  },
};
