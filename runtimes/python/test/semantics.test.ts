/** CPython semantics of `python3 main.py`, through execute(). */
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor } from "wasmbox";

const executor = createExecutor({ concurrency: 2 });
afterAll(() => executor.close());
const py = (code: string, extra: Record<string, unknown> = {}) => executor.execute({ runtime: "python", code, ...extra });

describe("python semantics", () => {
  it("exit codes: sys.exit variants, SystemExit, uncaught exception", async () => {
    const [a, b, c, d, e, f] = await Promise.all([
      py("import sys\nsys.exit(0)"),
      py("import sys\nsys.exit(7)"),
      py("import sys\nsys.exit('bad thing')"),
      py("raise SystemExit"),
      py("raise SystemExit(256 + 4)"),
      py("import sys\nsys.exit(None)"),
    ]);
    expect([a.exitCode, b.exitCode, c.exitCode, d.exitCode, e.exitCode, f.exitCode]).toEqual([0, 7, 1, 0, 4, 0]);
    expect(c.stderr).toBe("bad thing\n");
  });

  it("prints tracebacks in CPython's format, from the user's frame", async () => {
    const r = await py("def f():\n    return 1 / 0\n\nf()");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      'Traceback (most recent call last):\n  File "main.py", line 4, in <module>\n    f()\n    ~^^\n  File "main.py", line 2, in f\n    return 1 / 0\n           ~~^~~\nZeroDivisionError: division by zero\n',
    );
    const s = await py("print(1 +)");
    expect(s.exitCode).toBe(1);
    expect(s.stderr).toMatch(/^  File "main.py", line 1\n[\s\S]*SyntaxError: invalid syntax\n$/);
  });

  it("input() and sys.stdin with EOF", async () => {
    const r = await py("a = input()\nb = input()\nprint(a + '|' + b)\ntry:\n    input()\nexcept EOFError:\n    print('eof')", { stdin: "x\ny" });
    expect(r.stdout).toBe("x|y\neof\n");
  });

  it("byte-exact stdout/stderr without a trailing newline, isatty false", async () => {
    const r = await py("import sys\nsys.stdout.write('a')\nprint('b', end='', flush=True)\nsys.stdout.buffer.write(b'\\xff\\x00')\nsys.stderr.write('e')\nprint(sys.stdout.isatty(), sys.stdin.isatty(), file=sys.stderr)");
    expect(r.stdout).toBe("ab\ufffd\u0000");
    expect(r.stderr).toBe("eFalse False\n");
  });

  it("os.environ is the request's env; sys.argv is main.py + args", async () => {
    const r = await py("import os, sys\nprint(dict(os.environ))\nprint(sys.argv)", { env: { A: "1" }, args: ["x", "y z"] });
    expect(r.stdout).toBe("{'A': '1'}\n['main.py', 'x', 'y z']\n");
  });

  it("ships the standard library offline", async () => {
    const r = await py(
      "import json, re, math, collections, itertools, functools, datetime, decimal, fractions, random, heapq, bisect, statistics, dataclasses, typing, unittest, sqlite3\ncon = sqlite3.connect(':memory:')\nprint(con.execute('select 40 + 2').fetchone()[0], json.dumps({'a': [1]}), statistics.mean([1, 2, 3]))",
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe('42 {"a": [1]} 2\n');
  });

  it("a package that is not shipped fails as in CPython", async () => {
    const r = await py("import numpy");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("ModuleNotFoundError");
  });
});
