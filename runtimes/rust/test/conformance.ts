import type { Programs } from "../../../test/conformance/cases.js";

export const programs: Programs = {
  hello: { code: 'fn main() {\n    println!("Hello, World!");\n}\n' },
  unicode: { code: 'fn main() {\n    println!("héllo wörld ✓ 日本語 🎉");\n}\n' },
  "stdin-transform": {
    code: "use std::io::BufRead;\n\nfn main() {\n    for line in std::io::stdin().lock().lines() {\n        println!(\"{}\", line.unwrap().to_uppercase());\n    }\n}\n",
  },
  "stdin-eof": {
    code: 'use std::io::Read;\n\nfn main() {\n    let mut data = Vec::new();\n    std::io::stdin().read_to_end(&mut data).unwrap();\n    println!("read {} bytes", data.len());\n}\n',
  },
  "exit-code": { code: 'fn main() {\n    println!("before");\n    std::process::exit(3);\n}\n' },
  "uncaught-error": { code: 'fn fail() {\n    panic!("boom");\n}\n\nfn main() {\n    fail();\n}\n' },
  "stdout-stderr": {
    code:
      "use std::io::Write;\n\nfn main() {\n" +
      '    println!("out 1");\n    std::io::stdout().flush().unwrap();\n    eprintln!("err 1");\n' +
      '    println!("out 2");\n    std::io::stdout().flush().unwrap();\n    eprintln!("err 2");\n}\n',
  },
  env: {
    code:
      'fn main() {\n    println!("{}", std::env::var("GREETING").unwrap_or_default());\n' +
      '    println!("{}", if std::env::var_os("HOME_CANARY").is_some() { "set" } else { "unset" });\n}\n',
  },
  args: { code: 'fn main() {\n    let args: Vec<String> = std::env::args().skip(1).collect();\n    println!("{}", args.join("|"));\n}\n' },
  "multiple-files": {
    files: {
      "main.rs": 'mod greeter;\n\nfn main() {\n    println!("{}", greeter::greet("World"));\n}\n',
      "greeter/mod.rs": "mod format;\n\npub fn greet(name: &str) -> String {\n    format::hello(name)\n}\n",
      "greeter/format.rs": 'pub fn hello(name: &str) -> String {\n    format!("Hello, {name}!")\n}\n',
    },
    entrypoint: "main.rs",
  },
  "write-read-file": {
    files: {
      "main.rs":
        'fn main() {\n    std::fs::write("out.txt", "data 42").unwrap();\n' +
        '    println!("{}", std::fs::read_to_string("out.txt").unwrap());\n' +
        '    println!("{}", std::fs::read_to_string("input.txt").unwrap());\n}\n',
      "input.txt": "from request",
    },
    entrypoint: "main.rs",
  },
  "large-output": {
    code:
      "use std::io::Write;\n\nfn main() {\n    let mut out = std::io::BufWriter::new(std::io::stdout().lock());\n" +
      '    for i in 1..=50000 {\n        writeln!(out, "line {i}").unwrap();\n    }\n}\n',
  },
  recursion: {
    code:
      "fn fib(n: u64) -> u64 {\n    if n < 2 { n } else { fib(n - 1) + fib(n - 2) }\n}\n\n" +
      "fn deep(n: u32) -> u32 {\n    if n == 0 { 0 } else { 1 + deep(n - 1) }\n}\n\n" +
      'fn main() {\n    println!("{}", fib(25));\n    println!("{}", deep("5000".parse().unwrap()));\n}\n',
  },
  "stack-frames": {
    skip:
      "wasm32-wasip1's std cannot capture a stack: std::backtrace::Backtrace::force_capture() reports `unsupported backtrace` (status Unsupported) there, while a native build lists main, g, f; there is no other way for a Rust program to see its frames",
  },
  // rustc's panic message names only the panic's line (no backtrace without RUST_BACKTRACE), as natively.
  "traceback-location": {
    code:
      'fn f() {\n    panic!("deep boom"); // @frame\n}\n\nfn g() {\n    f();\n}\n\nfn main() {\n    g();\n}\n',
  },
  "warning-location": {
    skip:
      "Rust has no warning a program emits while it runs: its warnings are rustc's compile-time lints (e.g. a #[deprecated] call), which a successful build keeps off the program's stderr, and a native run of the built program prints none either",
  },
};
