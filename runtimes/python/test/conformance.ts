import type { Programs } from "../../../test/conformance/cases.js";

export const programs: Programs = {
  hello: { code: 'print("Hello, World!")' },
  unicode: { code: 'print("héllo wörld ✓ 日本語 🎉")' },
  "stdin-transform": { code: "import sys\nfor line in sys.stdin:\n    print(line.rstrip('\\n').upper())" },
  "stdin-eof": { code: "import sys\ndata = sys.stdin.buffer.read()\nprint(f'read {len(data)} bytes')" },
  "exit-code": { code: 'import sys\nprint("before")\nsys.exit(3)' },
  "uncaught-error": { code: 'def go():\n    raise RuntimeError("boom")\ngo()' },
  "stdout-stderr": {
    code: 'import sys\nprint("out 1")\nprint("err 1", file=sys.stderr)\nprint("out 2")\nprint("err 2", file=sys.stderr)',
  },
  env: { code: 'import os\nprint(os.environ["GREETING"])\nprint("set" if "HOME_CANARY" in os.environ else "unset")' },
  args: { code: 'import sys\nprint("|".join(sys.argv[1:]))' },
  "multiple-files": {
    files: {
      "main.py": "from lib.greeter import greet\nprint(greet('World'))",
      "lib/__init__.py": "",
      "lib/greeter.py": "def greet(name):\n    return f'Hello, {name}!'",
    },
    entrypoint: "main.py",
  },
  "write-read-file": {
    files: {
      "main.py": 'with open("out.txt", "w") as f:\n    f.write("data 42")\nprint(open("out.txt").read())\nprint(open("input.txt").read())',
      "input.txt": "from request",
    },
    entrypoint: "main.py",
  },
  "large-output": { code: 'for i in range(1, 50001):\n    print(f"line {i}")' },
  recursion: {
    code: "import sys\nsys.setrecursionlimit(10000)\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\ndef deep(n):\n    return 0 if n == 0 else 1 + deep(n - 1)\nprint(fib(25))\nprint(deep(5000))",
  },
  // Checked against python3 main.py: inspect.stack() there holds f, g and <module> (paths absolute).
  "stack-frames": { code: "import inspect, os\n\nEXPECTED = [(\"f\", \"main.py\"), (\"g\", \"main.py\"), (\"<module>\", \"main.py\")]\n\n\ndef f():\n    got = [(fr.function, os.path.basename(fr.filename)) for fr in inspect.stack()]\n    print(\"ok\" if got == EXPECTED else got)\n\n\ndef g():\n    f()\n\n\ng()" },
  "traceback-location": { code: "def f():\n    raise RuntimeError(\"deep boom\")  # @frame\n\n\ndef g():\n    f()  # @frame\n\n\ng()  # @frame" },
  "warning-location": { code: "import warnings\n\nwarnings.warn(\"careful\")  # @warn\nprint(\"done\")" },
};
