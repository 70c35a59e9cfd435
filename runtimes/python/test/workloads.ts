import { BINARY, type WorkloadPrograms } from "../../../test/reliability/workloads.js";

const p = (body: string) => `import os, sys\nif os.environ.get("PRIME"): sys.exit(0)\n${body}\n`;
const flood = (s: string) => p(`chunk = "x" * 65536\nfor _ in range(16384):\n    sys.${s}.write(chunk)`);

export const programs: WorkloadPrograms = {
  "cpu-loop": p("while True:\n    pass"),
  "sleep-loop": p("import time\nwhile True:\n    time.sleep(0.1)"),
  "deep-recursion": p("sys.setrecursionlimit(10**8)\ndef f(n):\n    return f(n + 1) + 1\nf(0)"),
  "thread-bomb": p("import threading\nwhile True:\n    threading.Thread(target=lambda: None).start()"),
  "memory-bomb-fast": p("a = []\nwhile True:\n    a.append(bytearray(10_000_000))"),
  "memory-bomb-slow": p("a = []\nwhile True:\n    a.append(bytearray(65536))"),
  "flood-stdout": flood("stdout"),
  "flood-stderr": flood("stderr"),
  "huge-line": p('sys.stdout.write("x" * 8_000_000)'),
  "binary-output": p(`sys.stdout.buffer.write(bytes(${JSON.stringify(BINARY)}))`),
  "close-stdout": p('print("before", flush=True)\nos.close(1)\nprint("after")\nsys.stderr.write("still here\\n")'),
  "stdin-after-eof": p('print("got=" + sys.stdin.read().strip())\nfor _ in range(3):\n    print("EOF" if sys.stdin.read() == "" else "MORE")'),
};
