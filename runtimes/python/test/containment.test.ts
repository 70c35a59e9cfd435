/**
 * Python code in Pyodide can run JavaScript in its host: each attack below must fail inside the
 * sandbox, and the executor must keep working after it.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExecutor } from "wasmbox";

process.env.WASMBOX_TEST_CANARY = "canary-7f3a9c";

const executor = createExecutor({ concurrency: 2 });
let server: Server;
let requests = 0;
let url = "";

beforeAll(async () => {
  server = createServer((_req, res) => {
    requests++;
    res.end("leaked");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await executor.close();
  server.close();
});

const py = (code: string) => executor.execute({ runtime: "python", code, timeout: 30_000 });

/** Runs `attempt` in Python; prints BLOCKED if it raised, else LEAK and what it got. */
const attack = (attempt: string) =>
  py(`import sys\ntry:\n${attempt.split("\n").map((l) => "    " + l).join("\n")}\n    print("LEAK", repr(result)[:200])\nexcept BaseException as e:\n    print("BLOCKED", type(e).__name__)\n`);

async function expectBlocked(attempt: string) {
  const r = await attack(attempt);
  expect(r.stdout, r.stderr).toMatch(/^BLOCKED/);
  expect(r.stdout).not.toContain("LEAK");
  const after = await py("print(6 * 7)");
  expect(after.stdout).toBe("42\n");
}

describe("python containment", () => {
  it("cannot read a host file with open()", () => expectBlocked("result = open('/etc/hostname').read()"));

  it("cannot read a host file through js.require", () => expectBlocked("import js\nresult = js.require('fs').readFileSync('/etc/hostname', 'utf8')"));

  it("cannot read a host file through js.process", () =>
    expectBlocked("import js\nresult = js.process.mainModule.require('fs').readFileSync('/etc/hostname', 'utf8')"));

  it("cannot reach process.binding or the real process", () => expectBlocked("import js\nresult = js.process.binding('fs')"));

  it("finds no gc() in its realm (the host process takes V8's collector for its supervisor alone)", () => expectBlocked("import js\nresult = js.globalThis.gc()"));

  it("finds nothing its thread's loader left (the bundle's code cache, shared with later interpreters)", () =>
    expectBlocked(
      "import js\nkeys = [str(k) for k in js.Reflect.ownKeys(js.globalThis) if 'wasmbox' in str(k)]\n" +
        "result = keys or js.Reflect.get(js.globalThis, getattr(js.Symbol, 'for')('wasmbox.guest-start')).codeCache()",
    ));

  it("cannot dynamically import a Node built-in", () =>
    expectBlocked("from pyodide.code import run_js\nresult = run_js(\"import('node:fs').then(m => m.readFileSync('/etc/hostname', 'utf8'))\")"));

  it("cannot run JavaScript with pyodide.code.run_js", () => expectBlocked("from pyodide.code import run_js\nresult = run_js('typeof process')"));

  it("cannot build a function from a string (to_js constructor trick)", () =>
    expectBlocked("from pyodide.ffi import to_js\nresult = to_js([1]).constructor.constructor('return process')()"));

  it("cannot mount the host file system through the Pyodide API", () =>
    expectBlocked("import pyodide_js\npyodide_js.mountNodeFS('/mnt', '/etc')\nresult = open('/mnt/hostname').read()"));

  it("cannot open a socket through the Pyodide API", () => expectBlocked("import pyodide_js\nresult = pyodide_js.useNodeSockFS()\nresult.then"));

  it("cannot reach a local HTTP server with js.fetch (the server sees no request)", async () => {
    const r = await py(
      `import js\nfrom pyodide.ffi import run_sync\ntry:\n    result = js.fetch(${JSON.stringify(url)})\n    print("LEAK", result)\nexcept BaseException as e:\n    print("BLOCKED", type(e).__name__)\n`,
    );
    expect(r.stdout, r.stderr).toMatch(/^BLOCKED/);
    await new Promise((res) => setTimeout(res, 200));
    expect(requests).toBe(0);
  });

  it("cannot reach a local HTTP server with Python sockets or urllib", async () => {
    const r = await attack(`import urllib.request\nresult = urllib.request.urlopen(${JSON.stringify(url)}, timeout=2).read()`);
    expect(r.stdout, r.stderr).toMatch(/^BLOCKED/);
    expect(requests).toBe(0);
  });

  it("sees none of the host's environment variables", async () => {
    const r = await py(
      "import os, js\nprint(sorted(os.environ))\ntry:\n    print(dict(js.process.env.object_entries()))\nexcept BaseException as e:\n    print('no env', type(e).__name__)\n",
    );
    expect(r.stdout + r.stderr).not.toContain("canary-7f3a9c");
    expect(r.stdout + r.stderr).not.toContain("WASMBOX_TEST_CANARY");
    expect(r.stdout.split("\n")[0]).toBe("[]");
  });

  it("leaves nothing that a later execution can see", async () => {
    const first = await py(
      "import builtins, sys, js, os\nbuiltins.LEFT = 1\nsys.modules['left_behind'] = sys\nopen('/tmp/left.txt', 'w').write('x')\nos.environ['LEFT'] = '1'\njs.globalThis.leftBehind = 1\nprint('wrote')",
    );
    expect(first.stdout).toBe("wrote\n");
    for (let i = 0; i < 3; i++) {
      const later = await py(
        "import builtins, sys, js, os\nprint(hasattr(builtins, 'LEFT'), 'left_behind' in sys.modules, os.path.exists('/tmp/left.txt'), 'LEFT' in os.environ, hasattr(js.globalThis, 'leftBehind'))",
      );
      expect(later.stdout).toBe("False False False False False\n");
    }
  });

  it("finds nothing of an earlier execution in its wasm memory (memories are recycled zeroed)", async () => {
    // A host process hands a finished interpreter's memory to a later one (one host process with
    // one interpreter kept ready: the order is fixed). A writer puts a secret (from env) straight
    // into its linear memory, where a boot writes nothing; searchers read every byte of theirs.
    // A searcher gets the secret's two halves reversed on stdin and never joins them, so the
    // whole secret is in its memory only if something left it there. (Without the zeroing, the
    // searchers find it or fail to boot.)
    const one = createExecutor({ concurrency: 1, runtimeOptions: { python: { hostProcesses: 1, readyInterpreters: 1 } } });
    try {
      const secret = `resid${Math.random().toString(36).slice(2, 10)}ue`;
      const half = secret.length >> 1;
      const stdin = `${[...secret.slice(0, half)].reverse().join("")}\n${[...secret.slice(half)].reverse().join("")}`;
      const search = [
        "import ctypes, sys, pyodide_js",
        "a, b = (x[::-1].encode() for x in sys.stdin.read().split('\\n'))",
        "def found():",
        "    mem = ctypes.string_at(1, pyodide_js._module.HEAPU8.length - 1)  # (address 0 reads as NULL: zeros)",
        "    i = mem.find(a)",
        "    while i >= 0:",
        "        if mem[i + len(a): i + len(a) + len(b)] == b: return True",
        "        i = mem.find(a, i + 1)",
        "    return False",
        "print(found())",
      ].join("\n");
      const run = (code: string, more: { stdin?: string; env?: Record<string, string> } = {}) => one.execute({ runtime: "python", code, timeout: 30_000, ...more });
      // The search can fail: it finds the secret once the searcher itself has joined the halves.
      const self = await run(`${search}\nkeep = a + b\nprint(found())`, { stdin });
      expect(self.stdout, self.stderr).toBe("False\nTrue\n");
      const writer = await run(
        "import ctypes, os, pyodide_js\nn = pyodide_js._module.HEAPU8.length\ns = os.environ['S'].encode()\nfor at in (n - 2_000_000, n - 100_000, n - 64):\n    ctypes.memmove(at, s, len(s))\nprint(ctypes.string_at(n - 64, len(s)) == s)",
        { env: { S: secret } },
      );
      expect(writer.stdout, writer.stderr).toBe("True\n");
      // The writer's memory reaches a later interpreter within a few executions.
      for (let i = 0; i < 6; i++) {
        const later = await run(search, { stdin });
        expect(later.stdout, later.stderr).toBe("False\n");
      }
    } finally {
      await one.close();
    }
  });

  it("cannot reach the snapshot bytes its host process shares between interpreters", async () => {
    // The snapshot is one shared copy per host process; writing into it would poison every later
    // interpreter. Pyodide keeps its boot options where Python can read them.
    const r = await py(
      "import pyodide_js\ncfg = pyodide_js._api.config\nprint(repr(getattr(cfg, '_loadSnapshot', None)), repr(getattr(cfg, 'createPyodideModule', None)))",
    );
    expect(r.stdout, r.stderr).toBe("None None\n");
  });

  it("cannot end or signal its host process, and the executor keeps working", async () => {
    const r = await attack("import js\nresult = js.process.kill(js.process.pid, 9)");
    expect(r.stdout).toMatch(/^BLOCKED/);
    const results = await Promise.all([1, 2, 3].map((n) => py(`print(${n})`)));
    expect(results.map((x) => x.stdout)).toEqual(["1\n", "2\n", "3\n"]);
  });

  it("a timeout stops only that execution and keeps its partial output", async () => {
    const [slow, fast] = await Promise.all([
      executor.execute({ runtime: "python", code: "print('started', flush=True)\nwhile True:\n    pass", timeout: 1500 }),
      py("print('fine')"),
    ]);
    expect(slow.timedOut).toBe(true);
    expect(slow.exitCode).toBe(124);
    expect(slow.stdout).toBe("started\n");
    expect(fast.stdout).toBe("fine\n");
  });
});

describe("python without bubblewrap", () => {
  it("warns once and still blocks the attacks", async () => {
    const warnings: string[] = [];
    const weak = createExecutor({ concurrency: 1, onWarning: (m) => warnings.push(m), runtimeOptions: { python: { bubblewrap: false, hostProcesses: 1 } } });
    try {
      const a = await weak.execute({ runtime: "python", code: "try:\n    open('/etc/hostname').read()\n    print('LEAK')\nexcept OSError:\n    print('BLOCKED')" });
      const b = await weak.execute({
        runtime: "python",
        code: "from pyodide.ffi import to_js\ntry:\n    to_js([1]).constructor.constructor('return process')()\n    print('LEAK')\nexcept Exception:\n    print('BLOCKED')",
      });
      const c = await weak.execute({ runtime: "python", code: "import os\nprint('WASMBOX_TEST_CANARY' in os.environ)" });
      expect([a.stdout, b.stdout, c.stdout]).toEqual(["BLOCKED\n", "BLOCKED\n", "False\n"]);
      const bw = warnings.filter((w) => w.includes("bubblewrap"));
      expect(bw).toHaveLength(1);
    } finally {
      await weak.close();
    }
  });

  it('refuses with isolation "strict"', async () => {
    const strict = createExecutor({ isolation: "strict", runtimeOptions: { python: { bubblewrap: false } } });
    try {
      await expect(strict.execute({ runtime: "python", code: "print(1)" })).rejects.toMatchObject({ code: "RUNTIME_UNAVAILABLE" });
    } finally {
      await strict.close();
    }
  });
});
