/**
 * Rust's programs for the shared suites (test/programs.ts lists every runtime's): the conformance
 * cases, the escape matrix's attacks, the hostile workloads, the soak mix, the benchmark's
 * programs and a hello world.
 */
import type { RuntimePrograms } from "../../../test/runtime-programs.js";
import { programs as conformance } from "./conformance.js";
import { programs as attacks } from "./attacks.js";
import { programs as workloads } from "./workloads.js";
import { bench } from "./bench-programs.mjs";

/** The soak mix: each reads a nonce from stdin and prints it first; `PRIME` makes it exit at once. */
const rust = (body: string) =>
  `use std::io::Write;\n\nfn main() {\n    if std::env::var_os("PRIME").is_some() {\n        std::process::exit(0);\n    }\n    let mut nonce = String::new();\n    std::io::stdin().read_line(&mut nonce).unwrap();\n    print!("{}", nonce);\n    std::io::stdout().flush().unwrap();\n${body}\n}\n`;

export const programs: RuntimePrograms = {
  hello: 'fn main() {\n    println!("hello {}", 6 * 7);\n}\n',
  uncaughtExit: 101,
  conformance,
  attacks,
  workloads,
  bench,
  soak: {
    normal: rust('    eprint!("{}", nonce);'),
    loop: rust("    loop {\n        std::hint::black_box(0);\n    }"),
    flood: rust("    let c = vec![b'x'; 65536];\n    while std::io::stdout().write_all(&c).is_ok() {}"),
    exit: rust("    std::process::exit(3);"),
  },
};
