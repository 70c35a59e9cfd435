/**
 * What a Python program sees of its process, compared with `python3 main.py` (3.11 on the machine
 * these were checked on; version-specific texts are left out): fresh entropy in every execution
 * although interpreters are restored from one snapshot, no host path, the stack of a program run
 * directly, and guest-caused breakage of Pyodide reported as the program's failure.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor } from "wasmbox";

const executor = createExecutor({ concurrency: 2 });
afterAll(() => executor.close());
const py = (code: string, extra: Record<string, unknown> = {}) => executor.execute({ runtime: "python", code, ...extra });

describe("python: fresh entropy per execution", () => {
  it("PRNGs, os.urandom, secrets, uuid4, tempfile names and SystemRandom differ between two executions", async () => {
    const program = [
      "import os, random, secrets, tempfile, uuid",
      "print(random.random())",
      "print(random.getrandbits(64))",
      "print(random.randint(0, 10**12))",
      "print(random.Random().random())",
      "print(random.SystemRandom().random())",
      "print(os.urandom(8).hex())",
      "print(secrets.token_hex(8))",
      "print(uuid.uuid4())",
      "print(tempfile.mktemp())",
      "with tempfile.NamedTemporaryFile() as f:",
      "    print(f.name)",
    ].join("\n");
    const [a, b] = [await py(program), await py(program)];
    expect(a.stderr).toBe("");
    expect(b.stderr).toBe("");
    const [la, lb] = [a.stdout.trim().split("\n"), b.stdout.trim().split("\n")];
    expect(la).toHaveLength(10);
    for (let i = 0; i < la.length; i++) expect(la[i], `line ${i + 1}`).not.toBe(lb[i]);
  });

  // The snapshot holds the boot's hash secret, and every str, dict and set built while booting
  // holds hashes made with it: another secret after the restore breaks their lookups, and
  // rehashing them all costs more than an execution. python3 differs per process; here it does not.
  it.skip("hash() of str and bytes differs between two executions (not done: the snapshot's hash secret is shared)", async () => {
    const [a, b] = [await py('print(hash("abc"), hash(b"abc"))'), await py('print(hash("abc"), hash(b"abc"))')];
    expect(a.stdout).not.toBe(b.stdout);
  });
});

describe("python: nothing of the host's paths", () => {
  it("sys, sysconfig, site, module files and origins, environ, cwd, /proc and tracebacks name no host path", async () => {
    const r = await py(
      String.raw`import sys, os, sysconfig, site, traceback, json
HOST = ("/work", "/tmp/", "node_modules", "/root", "/home/", "dist/", "make-snapshot", "pyodide.asm")
def bad(v):
    s = repr(v).replace("/home/user", "")
    return [h for h in HOST if h in s]
vals = {
    "executable": sys.executable, "_base_executable": sys._base_executable, "orig_argv": sys.orig_argv,
    "argv": sys.argv, "path": sys.path, "prefix": sys.prefix, "exec_prefix": sys.exec_prefix,
    "base_prefix": sys.base_prefix, "base_exec_prefix": sys.base_exec_prefix, "cwd": os.getcwd(),
    "environ": dict(os.environ), "sysconfig": sysconfig.get_paths(), "home": os.path.expanduser("~"),
    "site": (site.getsitepackages(), site.getusersitepackages(), site.USER_BASE),
    "files": {n: getattr(m, "__file__", None) for n, m in list(sys.modules.items())},
    "origins": {n: getattr(getattr(m, "__spec__", None), "origin", None) for n, m in list(sys.modules.items())},
    "proc": list(os.walk("/proc")),
}
try:
    json.loads("{")
except ValueError:
    vals["traceback"] = traceback.format_exc()
# Pyodide's build settings name the machine Pyodide was built on, not this host.
vals["config_vars"] = [v for v in sysconfig.get_config_vars().values() if "/work" in repr(v) or "node_modules" in repr(v)]
for k, v in vals.items():
    if bad(v):
        print(k, bad(v), repr(v)[:500])
print(sys.executable, sys._base_executable, sys.orig_argv, sys.path[0], "" in sys.path)
`,
      { args: ["x"] },
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("/usr/bin/python3 /usr/bin/python3 ['python3', 'main.py', 'x'] /home/user False\n");
  });
});

describe("python: the stack is the program's alone", () => {
  it("recursion limit boundary, frames, __main__ and argv[0] as under python3 main.py", async () => {
    // Output of python3 main.py for this program.
    const r = await py(
      [
        "import sys, inspect",
        "sys.setrecursionlimit(60)",
        "def down(n):",
        "    return 0 if n == 0 else down(n - 1)",
        "print(down(58))",
        "try:",
        "    down(59)",
        "except RecursionError as e:",
        "    print('RecursionError', e)",
        "def where():",
        "    return [f.function for f in inspect.stack()], sys._getframe(1).f_back",
        "print(where(), len(inspect.stack()), sys._getframe().f_back, sys._getframe().f_code.co_name)",
        "print(__name__, sys.argv[0], sys.modules['__main__'].__dict__ is globals(), type(__loader__).__name__, __spec__)",
      ].join("\n"),
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      "0\nRecursionError maximum recursion depth exceeded\n(['where', '<module>'], None) 1 None <module>\n__main__ main.py True SourceFileLoader None\n",
    );
  });

  it("an uncaught exception's traceback and a warning's location name only the program's frames", async () => {
    const r = await py(
      [
        "import warnings",
        "def f():",
        "    warnings.warn('inner', stacklevel=2)",
        "f()",
        "warnings.warn('beyond', stacklevel=2)",
        "def g():",
        "    raise ValueError('x')",
        "g()",
      ].join("\n"),
    );
    expect(r.exitCode).toBe(1);
    const lines = r.stderr.split("\n");
    expect(lines.slice(0, 2)).toEqual(["main.py:4: UserWarning: inner", "  f()"]);
    // Beyond the program's first frame there is only the interpreter ("sys:1" in 3.11, "<sys>:0" later).
    expect(lines[2]).toMatch(/^<?sys>?:[01]: UserWarning: beyond$/);
    expect(lines.slice(3).join("\n")).toBe(
      'Traceback (most recent call last):\n  File "main.py", line 8, in <module>\n    g()\n    ~^^\n  File "main.py", line 7, in g\n    raise ValueError(\'x\')\nValueError: x\n',
    );
  });
});

describe("python: the end of a program", () => {
  it("atexit callbacks run after the program, after an uncaught exception's report, and on sys.exit", async () => {
    const [a, b] = await Promise.all([
      py('import atexit, sys\natexit.register(print, "bye", file=sys.stderr)\natexit.register(print, "first")\nraise ValueError("x")'),
      py('import atexit, sys\natexit.register(print, "bye")\nprint("hi")\nsys.exit(3)'),
    ]);
    expect([a.exitCode, a.stdout, a.stderr]).toEqual([
      1,
      "first\n",
      'Traceback (most recent call last):\n  File "main.py", line 4, in <module>\n    raise ValueError("x")\nValueError: x\nbye\n',
    ]);
    expect([b.exitCode, b.stdout, b.stderr]).toEqual([3, "hi\nbye\n", ""]);
  });
});

describe("python: sys.excepthook", () => {
  it("a program's own hook reports its uncaught exception, alone, as under python3", async () => {
    const r = await py(
      'import sys\ndef hook(t, v, tb):\n    print("HOOK", t.__name__, v)\n    sys.stderr.write("hook-err\\n")\nsys.excepthook = hook\nraise ValueError("x")',
    );
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([1, "HOOK ValueError x\n", "hook-err\n"]);
  });
});

describe("python: guest code that breaks Pyodide fails as the program", () => {
  const cases: [string, string, number][] = [
    ["a JavaScript exception inside a wasm import (eval refused)", 'import ctypes\nprint("before")\nctypes.CDLL(None).emscripten_run_script_string(b"1")', 3],
    ["Pyodide's internal state misused", "import js, pyodide_js\njs.Reflect.getPrototypeOf(pyodide_js._module.novalue)", 2],
    ["a wasm trap (memory access out of bounds)", "import ctypes\nctypes.string_at(0xFFFFFFF0, 100)", 2],
    ["abort()", "import os\nos.abort()", 2],
    ["Pyodide's fatal_error called directly", "import pyodide_js\npyodide_js._api.fatal_error(1)", 0],
  ];
  for (const [name, code, line] of cases)
    it(name, async () => {
      const r = await py(code);
      expect(r.exitCode).toBe(1);
      // Only what the program printed itself; Pyodide's dump of the Python stack goes to stderr.
      expect(r.stdout).toBe(code.includes('print("before")') ? "before\n" : "");
      expect(r.stderr).toMatch(/^Fatal Python error: JavaScript error: .+\n/);
      if (line) expect(r.stderr).toContain(`File "main.py", line ${line} in <module>`);
      expect(r.stderr).not.toMatch(/wasmbox|runpy/);
    });

  it("an env value Python cannot encode is the program's error, never a sandbox failure", async () => {
    // Validation may refuse it first (an error naming the field); if it gets through, Python reports it.
    const r = await py("import os\nprint(os.environ['A'])", { env: { A: "x\ud800" } }).catch((e: Error) => e);
    if (r instanceof Error) expect(r.message).toMatch(/env/);
    else {
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/UnicodeEncodeError/);
    }
  });
});
