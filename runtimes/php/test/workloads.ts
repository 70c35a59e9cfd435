import { BINARY, type WorkloadPrograms } from "../../../test/reliability/workloads.js";

const p = (body: string) => `<?php\nif (getenv("PRIME")) exit(0);\n${body}\n`;

export const programs: WorkloadPrograms = {
  "cpu-loop": p("while (true) {}"),
  "sleep-loop": p("while (true) usleep(100000);"),
  "deep-recursion": p("function f($n) { return f($n + 1) + 1; }\nf(0);"),
  "thread-bomb": { skip: "PHP has no threads, and pcntl_fork is not compiled in (the escape matrix tries it)" },
  "memory-bomb-fast": p('$a = [];\nwhile (true) $a[] = str_repeat("x", 10000000);'),
  "memory-bomb-slow": p('$a = [];\nwhile (true) $a[] = str_repeat("x", 65536) . count($a);'),
  "flood-stdout": p('$c = str_repeat("x", 65536);\nfor ($i = 0; $i < 16384; $i++) echo $c;'),
  "flood-stderr": p('$c = str_repeat("x", 65536);\nfor ($i = 0; $i < 16384; $i++) fwrite(STDERR, $c);'),
  "huge-line": p('echo str_repeat("x", 8000000);'),
  "binary-output": p(`echo "${BINARY.map((b) => `\\x${b.toString(16).padStart(2, "0")}`).join("")}";`),
  "close-stdout": p('echo "before\\n";\nflush();\nfclose(STDOUT);\necho "after\\n";\nfwrite(STDERR, "still here\\n");'),
  "stdin-after-eof": p('echo "got=", trim(stream_get_contents(STDIN)), "\\n";\nfor ($i = 0; $i < 3; $i++) echo stream_get_contents(STDIN) === "" ? "EOF" : "MORE", "\\n";'),
};
