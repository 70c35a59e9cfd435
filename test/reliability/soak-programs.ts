/**
 * Programs of the soak run, per runtime. Each reads a nonce from stdin and prints it first, so a
 * result that comes back to the wrong caller (or mixed with another's output) is caught.
 * `PRIME` in the environment makes each exit at once: used to compile and cache Go/Rust first.
 */
import type { RuntimeName } from "wasmbox";

export type SoakKind = "normal" | "loop" | "flood" | "exit";
export type SoakPrograms = Record<SoakKind, string>;

const go = (imports: string[], body: string) =>
  `package main\n\nimport (\n${[...new Set(["bufio", "fmt", "os", ...imports])].map((i) => `\t"${i}"`).join("\n")}\n)\n\nfunc main() {\n\tif os.Getenv("PRIME") != "" {\n\t\tos.Exit(0)\n\t}\n\tnonce, _ := bufio.NewReader(os.Stdin).ReadString('\\n')\n\tfmt.Print(nonce)\n${body}\n}\n`;
const rust = (body: string) =>
  `use std::io::Write;\n\nfn main() {\n    if std::env::var_os("PRIME").is_some() {\n        std::process::exit(0);\n    }\n    let mut nonce = String::new();\n    std::io::stdin().read_line(&mut nonce).unwrap();\n    print!("{}", nonce);\n    std::io::stdout().flush().unwrap();\n${body}\n}\n`;
const py = (body: string) => `import os, sys\nif os.environ.get("PRIME"): sys.exit(0)\nnonce = sys.stdin.readline()\nsys.stdout.write(nonce)\nsys.stdout.flush()\n${body}\n`;
const js = (body: string) =>
  `import { readFileSync } from "node:fs";\nif (process.env.PRIME) process.exit(0);\nconst nonce = readFileSync(0, "utf8");\nprocess.stdout.write(nonce);\n${body}\n`;
const rb = (body: string) => `exit 0 if ENV["PRIME"]\nnonce = $stdin.gets\n$stdout.write(nonce)\n$stdout.flush\n${body}\n`;
const php = (body: string) => `<?php\nif (getenv("PRIME")) exit(0);\n$nonce = fgets(STDIN);\necho $nonce;\nflush();\n${body}\n`;

const jsPrograms: SoakPrograms = {
  normal: js("process.stderr.write(nonce);"),
  loop: js("for (;;) {}"),
  flood: js('const c = "x".repeat(65536);\nfor (;;) process.stdout.write(c);'),
  exit: js("process.exit(3);"),
};

export const SOAK_PROGRAMS: Record<RuntimeName, SoakPrograms> = {
  python: {
    normal: py("sys.stderr.write(nonce)"),
    loop: py("while True:\n    pass"),
    flood: py('c = "x" * 65536\nwhile True:\n    sys.stdout.write(c)'),
    exit: py("sys.exit(3)"),
  },
  node: jsPrograms,
  bun: jsPrograms,
  go: {
    normal: go([], "\tfmt.Fprint(os.Stderr, nonce)"),
    loop: go([], "\tfor {\n\t}"),
    flood: go(["bytes"], '\tc := bytes.Repeat([]byte("x"), 65536)\n\tfor {\n\t\tos.Stdout.Write(c)\n\t}'),
    exit: go([], "\tos.Exit(3)"),
  },
  rust: {
    normal: rust('    eprint!("{}", nonce);'),
    loop: rust("    loop {\n        std::hint::black_box(0);\n    }"),
    flood: rust("    let c = vec![b'x'; 65536];\n    while std::io::stdout().write_all(&c).is_ok() {}"),
    exit: rust("    std::process::exit(3);"),
  },
  ruby: {
    normal: rb("$stderr.write(nonce)"),
    loop: rb("loop {}"),
    flood: rb('c = "x" * 65536\nloop { $stdout.write(c) }'),
    exit: rb("exit 3"),
  },
  php: {
    normal: php("fwrite(STDERR, $nonce);"),
    loop: php("while (true) {}"),
    flood: php('$c = str_repeat("x", 65536);\nwhile (true) echo $c;'),
    exit: php("exit(3);"),
  },
};
