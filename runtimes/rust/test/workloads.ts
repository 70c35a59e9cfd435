import { BINARY, type WorkloadPrograms } from "../../../test/reliability/workloads.js";

const p = (body: string, extra = "") =>
  `#![allow(unused)]
use std::io::{Read, Write};
${extra}
fn main() {
    if std::env::var_os("PRIME").is_some() {
        std::process::exit(0);
    }
${body}
}
`;
const flood = (s: string) =>
  p(`    let c = vec![b'x'; 65536];
    let mut o = std::io::${s}();
    for _ in 0..16384 {
        if o.write_all(&c).is_err() {
            break;
        }
    }`);

export const programs: WorkloadPrograms = {
  "cpu-loop": p("    loop {\n        std::hint::black_box(0);\n    }"),
  "sleep-loop": p("    loop {\n        std::thread::sleep(std::time::Duration::from_millis(100));\n    }"),
  "deep-recursion": p(
    "    println!(\"{}\", f(0));",
    "\nfn f(n: u64) -> u64 {\n    let buf = std::hint::black_box([n; 16]);\n    f(buf[3] + 1) + buf[5]\n}\n",
  ),
  // wasm32-wasip1 has one thread: the first spawn fails and panics (exit 101), as upstream.
  "thread-bomb": p("    loop {\n        std::thread::spawn(|| loop {\n            std::hint::black_box(0);\n        });\n    }"),
  "memory-bomb-fast": p("    let mut a = Vec::new();\n    loop {\n        a.push(vec![1u8; 10 << 20]);\n    }"),
  "memory-bomb-slow": p("    let mut a = Vec::new();\n    loop {\n        a.push(std::hint::black_box(vec![1u8; 65536]));\n    }"),
  "flood-stdout": flood("stdout"),
  "flood-stderr": flood("stderr"),
  "huge-line": p("    std::io::stdout().write_all(&vec![b'x'; 8_000_000]).ok();"),
  "binary-output": p(`    std::io::stdout().write_all(&[${BINARY.join(", ")}]).unwrap();`),
  "close-stdout": p(
    '    println!("before");\n    std::io::stdout().flush().unwrap();\n    use std::os::fd::FromRawFd;\n    drop(unsafe { std::fs::File::from_raw_fd(1) });\n    println!("after");\n    eprintln!("still here");',
  ),
  "stdin-after-eof": p(
    '    let mut s = String::new();\n    std::io::stdin().read_to_string(&mut s).unwrap();\n    println!("got={}", s.trim());\n    for _ in 0..3 {\n        let mut more = String::new();\n        std::io::stdin().read_to_string(&mut more).unwrap();\n        println!("{}", if more.is_empty() { "EOF" } else { "MORE" });\n    }',
  ),
};
