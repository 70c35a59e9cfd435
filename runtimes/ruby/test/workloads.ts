import { BINARY, type WorkloadPrograms } from "../../../test/reliability/workloads.js";

const p = (body: string) => `exit 0 if ENV["PRIME"]\n${body}\n`;
const flood = (s: string) => p(`c = "x" * 65536\n16384.times { $${s}.write(c) }`);

export const programs: WorkloadPrograms = {
  "cpu-loop": p("loop {}"),
  "sleep-loop": p("loop { sleep 0.1 }"),
  "deep-recursion": p("def f(n) = f(n + 1) + 1\nf(0)"),
  "thread-bomb": p("loop { Thread.new { loop {} } }"),
  "memory-bomb-fast": p('a = []\nloop { a << ("x" * 10_000_000) }'),
  "memory-bomb-slow": p('a = []\nloop { a << ("x" * 65536) }'),
  "flood-stdout": flood("stdout"),
  "flood-stderr": flood("stderr"),
  "huge-line": p('$stdout.write("x" * 8_000_000)'),
  "binary-output": p(`$stdout.binmode\n$stdout.write(${JSON.stringify(BINARY)}.pack("C*"))`),
  "close-stdout": p('puts "before"\n$stdout.flush\n$stdout.close\nputs "after"\n$stderr.puts "still here"'),
  "stdin-after-eof": p('puts "got=" + $stdin.read.strip\n3.times { puts($stdin.read == "" ? "EOF" : "MORE") }'),
};
