/**
 * REPL contexts (src/session/context.ts): state kept between cells, the last expression's text
 * form compared with the native language's own (python3's repr, ruby's inspect, node's
 * util.inspect), errors, restart, close, per-cell timeout and output cap, file sync with an
 * in-memory session tree, isolation between contexts, and the executor's bounds.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ReplContext, createExecutor, type ContextFileSync, type RuntimeName } from "wasmbox";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const executor = createExecutor({ concurrency: 2, outputLimit: 64 * 1024 });
afterAll(() => executor.close());

/** A session's tree, as the session keeps it: what the context must send and what it must be told. */
class Tree implements ContextFileSync {
  readonly files = new Map<string, Uint8Array>();
  private changed = new Set<string>();
  private removed = new Set<string>();
  applied: { writes: string[]; deletes: string[] }[] = [];
  write(path: string, text: string): void {
    this.files.set(path, new TextEncoder().encode(text));
    this.changed.add(path);
    this.removed.delete(path);
  }
  remove(path: string): void {
    this.files.delete(path);
    this.removed.add(path);
    this.changed.delete(path);
  }
  read(path: string): string | undefined {
    const b = this.files.get(path);
    return b && new TextDecoder().decode(b);
  }
  pending(fresh: boolean) {
    const paths = fresh ? [...this.files.keys()] : [...this.changed];
    const writes = new Map(paths.map((p) => [p, this.files.get(p)!] as const));
    const deletes = fresh ? [] : [...this.removed];
    this.changed.clear();
    this.removed.clear();
    return { writes, deletes };
  }
  apply(c: { writes: Map<string, Uint8Array>; deletes: string[] }): void {
    this.applied.push({ writes: [...c.writes.keys()], deletes: c.deletes });
    for (const [p, b] of c.writes) this.files.set(p, b);
    for (const p of c.deletes) this.files.delete(p);
  }
}

interface Lang {
  runtime: RuntimeName;
  /** Defines x = 41, a function f(a) = a * 2 using an imported module, and prints nothing. */
  define: string;
  /** An expression using all three: 84 + 4 = 88 printed by the language. */
  use: string;
  /** An expression whose text form the native tool prints with `native`. */
  valueExpr?: string;
  native?: () => string;
  /** Why the value case is skipped, where there is no `valueExpr`. */
  noValue?: string;
  /** Prints "hello" on stdout. */
  print: string;
  /** Raises an error of type `errorType` with message containing "boom-msg". */
  raise: string;
  errorType: string;
  /** A variable in the cell's scope that holds `secret` (a string literal). */
  setSecret: (s: string) => string;
  readSecret: string;
  /** Writes "from-cell" to out.txt and deletes gone.txt; reads in.txt and prints it. */
  writeFile: string;
  readFile: string;
  loop: string;
  /** Prints n bytes of "x" (no newline). */
  printN: (n: number) => string;
}

const VALUE_PY = "[1, 'two', {'k': (3.5, None, True)}, 'quote\\'s']";
// No Hash: its inspect changed in Ruby 3.4 (the guest's) from the machine's older ruby.
const VALUE_RB = "[1, 'two', [3.5, nil, true], :sym, \"quote's\", 1..3, 2**70, Rational(1, 3), 'é']";
const VALUE_JS = "[1, 'two', { k: [3.5, null, true, undefined] }, new Map([[1, 'a']]), \"quote's\"]";

const LANGS: Lang[] = [
  {
    runtime: "python",
    define: "import math\nx = 41\ndef f(a):\n    return int(math.sqrt(a * a)) * 2",
    use: "f(x + 1) + 4",
    valueExpr: VALUE_PY,
    native: () => execFileSync("python3", ["-c", `print(repr(${VALUE_PY}))`], { encoding: "utf8" }).trimEnd(),
    print: "print('hello')",
    raise: "raise ValueError('boom-msg')",
    errorType: "ValueError",
    setSecret: (s) => `secret = ${JSON.stringify(s)}`,
    readSecret: "print(globals().get('secret'))",
    writeFile: "import os\nopen('out.txt', 'w').write('from-cell')\nos.remove('gone.txt')",
    readFile: "print(open('in.txt').read())",
    loop: "while True:\n    pass",
    printN: (n) => `import sys\nsys.stdout.write('x' * ${n})`,
  },
  {
    runtime: "node",
    define: "const path = require('path');\nlet x = 41;\nfunction f(a) { return Number(path.basename(String(a * 2))); }",
    use: "f(x + 1) + 4",
    valueExpr: VALUE_JS,
    native: () => execFileSync("node", ["-e", `console.log(require('util').inspect(${VALUE_JS}))`], { encoding: "utf8" }).trimEnd(),
    print: "console.log('hello')",
    raise: "throw new RangeError('boom-msg')",
    errorType: "RangeError",
    setSecret: (s) => `var secret = ${JSON.stringify(s)};`,
    readSecret: "console.log(typeof secret === 'undefined' ? 'none' : secret)",
    writeFile: "require('fs').writeFileSync('out.txt', 'from-cell'); require('fs').unlinkSync('gone.txt');",
    readFile: "console.log(require('fs').readFileSync('in.txt', 'utf8'))",
    loop: "for (;;) {}",
    printN: (n) => `process.stdout.write('x'.repeat(${n}))`,
  },
  {
    runtime: "bun",
    valueExpr: VALUE_JS,
    // Bun's own util.inspect (the npm package's binary), which its REPL's values follow.
    native: () => execFileSync(path.join(ROOT, "node_modules", ".bin", "bun"), ["-e", `console.log(require('util').inspect(${VALUE_JS}))`], { encoding: "utf8" }).trimEnd(),
    define: "const path = require('path');\nlet x: number = 41;\nfunction f(a: number): number { return Number(path.basename(String(a * 2))); }",
    use: "f(x + 1) + 4",
    print: "console.log('hello')",
    raise: "throw new RangeError('boom-msg')",
    errorType: "RangeError",
    setSecret: (s) => `var secret: string = ${JSON.stringify(s)};`,
    readSecret: "console.log(typeof secret === 'undefined' ? 'none' : secret)",
    writeFile: "require('fs').writeFileSync('out.txt', 'from-cell'); require('fs').unlinkSync('gone.txt');",
    readFile: "console.log(require('fs').readFileSync('in.txt', 'utf8'))",
    loop: "for (;;) {}",
    printN: (n) => `process.stdout.write('x'.repeat(${n}))`,
  },
  {
    runtime: "ruby",
    define: "require 'set'\nx = 41\ndef f(a) = Set[a * 2].first",
    use: "f(x + 1) + 4",
    valueExpr: VALUE_RB,
    native: () => execFileSync("ruby", ["-e", `print((${VALUE_RB}).inspect)`], { encoding: "utf8" }),
    print: "puts 'hello'",
    raise: "raise ArgumentError, 'boom-msg'",
    errorType: "ArgumentError",
    setSecret: (s) => `secret = ${JSON.stringify(s)}`,
    readSecret: "puts(defined?(secret) ? secret : 'none')",
    writeFile: "File.write('out.txt', 'from-cell')\nFile.delete('gone.txt')",
    readFile: "puts File.read('in.txt')",
    loop: "loop {}",
    printN: (n) => `$stdout.write('x' * ${n})`,
  },
  {
    runtime: "php",
    noValue: "PHP has no value of a last expression (php -a prints none either)",
    define: "<?php\n$x = 41;\nfunction f($a) { return intval(json_decode(json_encode($a * 2))); }",
    use: "echo f($x + 1) + 4, \"\\n\";",
    print: "echo 'hello', \"\\n\";",
    raise: "throw new InvalidArgumentException('boom-msg');",
    errorType: "InvalidArgumentException",
    setSecret: (s) => `$secret = ${JSON.stringify(s)};`,
    readSecret: "echo isset($secret) ? $secret : 'none', \"\\n\";",
    writeFile: "file_put_contents('out.txt', 'from-cell'); unlink('gone.txt');",
    readFile: "echo file_get_contents('in.txt'), \"\\n\";",
    loop: "while (true) {}",
    printN: (n) => `echo str_repeat('x', ${n});`,
  },
];

for (const L of LANGS) {
  describe(`REPL context: ${L.runtime}`, { timeout: 120_000 }, () => {
    const tree = new Tree();
    const ctx = new ReplContext(executor, L.runtime, { files: tree, timeout: 20_000 });
    afterAll(() => ctx.close());

    it("keeps a variable, a function and an import from one cell to the next", async () => {
      const a = await ctx.run(L.define);
      expect(a.exitCode, JSON.stringify(a)).toBe(0);
      const b = await ctx.run(L.runtime === "php" ? L.use : L.use);
      expect(b.exitCode, JSON.stringify(b)).toBe(0);
      if (L.runtime === "php") expect(b.stdout).toBe("88\n");
      else expect(b.value).toBe("88");
    });

    it.skipIf(!L.valueExpr)(
      `the last expression's value is its text form, as the native ${L.runtime} prints it${L.valueExpr ? "" : ` (skipped: ${L.noValue})`}`,
      async () => {
        const r = await ctx.run(L.valueExpr!);
        expect(r.exitCode, JSON.stringify(r)).toBe(0);
        expect(r.value).toBe(L.native!());
      },
    );

    it("streams output to onStdout and keeps it in the result; a statement has no value", async () => {
      const chunks: string[] = [];
      const r = await ctx.run(L.print, { onStdout: (c) => chunks.push(c) });
      expect(r.stdout).toBe("hello\n");
      expect(chunks.join("")).toBe("hello\n");
      expect(r.value).toBeUndefined();
      expect(r.stdout).not.toContain("wasmbox:");
    });

    it("an error is reported with its type, message and traceback, and the context stays usable", async () => {
      const r = await ctx.run(L.raise);
      expect(r.exitCode).toBe(1);
      expect(r.ended).toBeUndefined();
      expect(r.error?.type).toBe(L.errorType);
      expect(r.error?.message).toContain("boom-msg");
      expect(r.error?.traceback).toContain("boom-msg");
      expect(r.error?.traceback).not.toContain(".wasmbox-repl");
      const again = await ctx.run(L.use);
      expect(again.exitCode).toBe(0);
      expect(L.runtime === "php" ? again.stdout : again.value).toBe(L.runtime === "php" ? "88\n" : "88");
    });

    it("files written by a cell reach the session; the session's files reach the next cell", async () => {
      tree.write("gone.txt", "old");
      tree.write("in.txt", "from-session");
      const w = await ctx.run(L.writeFile);
      expect(w.exitCode, JSON.stringify(w)).toBe(0);
      expect(tree.read("out.txt")).toBe("from-cell");
      expect(tree.files.has("gone.txt")).toBe(false);
      // Files the session already knows are not sent back.
      expect(tree.applied.at(-1)!.writes).toEqual(["out.txt"]);
      const r = await ctx.run(L.readFile);
      expect(r.stdout).toBe("from-session\n");
      tree.write("in.txt", "changed");
      expect((await ctx.run(L.readFile)).stdout).toBe("changed\n");
    });

    it("output is capped per cell, not over the context's life", async () => {
      // Four cells of 40 KiB under a 64 KiB cap: 160 KiB over the context's life.
      for (let i = 0; i < 4; i++) {
        const r = await ctx.run(L.printN(40 * 1024));
        expect(r.exitCode, r.stderr).toBe(0);
        expect(r.stdout.length).toBe(40 * 1024);
      }
      const over = await ctx.run(L.printN(100 * 1024));
      expect(over.exitCode).toBe(153);
      expect(over.ended).toBe(true);
      expect(over.stdout.length).toBe(64 * 1024);
      expect(over.stderr).toContain("exceeded the 65536-byte limit");
    });

    it("a cell over its timeout ends the context and says so; the next cell runs on a fresh interpreter with the session's files", async () => {
      await ctx.run(L.define);
      const r = await ctx.run(L.loop, { timeout: 1500 });
      expect(r.timedOut).toBe(true);
      expect(r.exitCode).toBe(124);
      expect(r.ended).toBe(true);
      const after = await ctx.run(L.use);
      expect(after.exitCode).toBe(1); // x and f are gone with the old interpreter
      expect((await ctx.run(L.readFile)).stdout).toBe("changed\n");
    });

    it("restart() forgets every variable", async () => {
      await ctx.run(L.define);
      expect((await ctx.run(L.use)).exitCode).toBe(0);
      await ctx.restart();
      const r = await ctx.run(L.use);
      expect(r.exitCode).toBe(1);
      expect(r.error).toBeDefined();
    });

    it("two contexts at once never see each other's variables", async () => {
      const a = new ReplContext(executor, L.runtime);
      const b = new ReplContext(executor, L.runtime);
      try {
        const sa = `SECRET-A-${randomBytes(6).toString("hex")}`;
        const sb = `SECRET-B-${randomBytes(6).toString("hex")}`;
        await Promise.all([a.run(L.setSecret(sa)), b.run(L.setSecret(sb))]);
        const [ra, rb] = await Promise.all([a.run(L.readSecret), b.run(L.readSecret)]);
        expect(ra.stdout).toBe(`${sa}\n`);
        expect(rb.stdout).toBe(`${sb}\n`);
        // A third context started after them sees neither.
        const c = await ctx.run(L.readSecret);
        expect(c.stdout).not.toContain("SECRET-");
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
  });
}

describe("REPL contexts: the executor's side", { timeout: 120_000 }, () => {
  it("go and rust have no contexts: a coded error", async () => {
    for (const runtime of ["go", "rust"] as const) {
      const ctx = new ReplContext(executor, runtime);
      await expect(ctx.run("x")).rejects.toMatchObject({ code: "CONTEXT_UNSUPPORTED" });
      await ctx.close();
    }
  });

  it("close() ends the context: later runs throw CONTEXT_CLOSED", async () => {
    const ctx = new ReplContext(executor, "ruby");
    expect((await ctx.run("1 + 1")).value).toBe("2");
    await ctx.close();
    expect(ctx.closed).toBe(true);
    await expect(ctx.run("1")).rejects.toMatchObject({ code: "CONTEXT_CLOSED" });
  });

  it("an idle context holds no concurrency slot, and contexts are counted against maxContexts", async () => {
    const ex = createExecutor({ concurrency: 1, maxContexts: 2 });
    try {
      const a = new ReplContext(ex, "node");
      const b = new ReplContext(ex, "node");
      expect(() => new ReplContext(ex, "node")).toThrow(expect.objectContaining({ code: "CONTEXT_LIMIT" }));
      await a.run("let v = 1");
      await b.run("let v = 2");
      // With one slot, a one-shot execution still runs while both contexts are open and idle.
      const r = await ex.execute({ runtime: "node", code: "console.log('one-shot')", timeout: 20_000 });
      expect(r.stdout).toBe("one-shot\n");
      expect((await a.run("v")).value).toBe("1");
      await b.close();
      const c = new ReplContext(ex, "node");
      expect((await c.run("typeof v")).value).toBe("'undefined'");
    } finally {
      await ex.close();
    }
  });

  it("a context's host is replaced in the warm pool at once, so one-shot executions do not wait for a cold host", async () => {
    const ex = createExecutor({ warmHosts: 1 });
    try {
      await ex.warm("ruby");
      expect(ex.stats().idleHosts).toBe(1);
      const ctx = new ReplContext(ex, "ruby");
      await ctx.start();
      const deadline = Date.now() + 60_000;
      while (ex.stats().idleHosts < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(ex.stats().idleHosts).toBe(1);
      await ctx.close();
    } finally {
      await ex.close();
    }
  });

  it("a context lives past the executor's maxTimeout (no overall deadline)", async () => {
    const ex = createExecutor({ maxTimeout: 1500, defaultTimeout: 1000 });
    try {
      const ctx = new ReplContext(ex, "node");
      await ctx.run("let n = 5");
      await new Promise((r) => setTimeout(r, 2500));
      const r = await ctx.run("n * 2");
      expect(r.value).toBe("10");
      expect(r.ended).toBeUndefined();
    } finally {
      await ex.close();
    }
  });

  it("executor.close() ends every context", async () => {
    const ex = createExecutor();
    const ctx = new ReplContext(ex, "node");
    expect((await ctx.run("1 + 2")).value).toBe("3");
    await ex.close();
    expect(ctx.closed).toBe(true);
    await expect(ctx.run("1")).rejects.toMatchObject({ code: "CONTEXT_CLOSED" });
  });

  it("an aborted cell ends the context with exit code 130", async () => {
    const ctx = new ReplContext(executor, "python");
    try {
      await ctx.run("x = 1");
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 500);
      const r = await ctx.run("while True: pass", { signal: ac.signal });
      expect(r.exitCode).toBe(130);
      expect(r.ended).toBe(true);
      expect(r.timedOut).toBe(false);
      expect((await ctx.run("1 + 1")).value).toBe("2");
    } finally {
      await ctx.close();
    }
  });

  it("exit() in a cell ends the interpreter with its exit code; the next cell starts afresh", async () => {
    const ctx = new ReplContext(executor, "python");
    try {
      await ctx.run("x = 1");
      const r = await ctx.run("import sys\nsys.exit(3)");
      expect(r.exitCode).toBe(3);
      expect(r.ended).toBe(true);
      expect((await ctx.run("'x' in globals()")).value).toBe("False");
    } finally {
      await ctx.close();
    }
  });

  it("a cell over the memory cap raises the language's memory error or ends the context; the next cell runs", async () => {
    const ex = createExecutor({ memoryLimit: 64 * 1024 * 1024 });
    const hogs: [RuntimeName, string, string, string][] = [
      ["node", "let keep = 7", "const a = []; for (;;) a.push(new Array(100000).fill(1));", "1 + 1"],
      ["python", "keep = 7", "a = []\nwhile True: a.append(bytearray(10**6))", "1 + 1"],
      ["ruby", "keep = 7", "a = []; loop { a << ('x' * 1_000_000) }", "1 + 1"],
    ];
    try {
      for (const [runtime, keep, hog, after] of hogs) {
        const ctx = new ReplContext(ex, runtime);
        await ctx.run(keep);
        const r = await ctx.run(hog, { timeout: 60_000 });
        expect(r.timedOut, `${runtime}: ${JSON.stringify(r)}`).toBe(false);
        expect(r.exitCode, runtime).not.toBe(0);
        if (r.ended) expect(r.stderr, runtime).toMatch(/memory/i);
        else {
          expect(`${r.error?.type} ${r.error?.message}`, runtime).toMatch(/memory/i);
          expect((await ctx.run("keep")).value, runtime).toBe("7");
        }
        expect((await ctx.run(after)).value, runtime).toBe("2");
        await ctx.close();
      }
    } finally {
      await ex.close();
    }
  });

  it("a cell whose changed files exceed the request file caps ends the context (153), the session's tree untouched", async () => {
    const ex = createExecutor({ caps: { maxTotalFileBytes: 1024 * 1024, maxFileBytes: 1024 * 1024 } });
    const tree = new Tree();
    try {
      const ctx = new ReplContext(ex, "python", { files: tree });
      const small = await ctx.run("open('ok.bin', 'wb').write(b'x' * 1000)");
      expect(small.exitCode).toBe(0);
      expect(tree.files.get("ok.bin")?.byteLength).toBe(1000);
      const r = await ctx.run("open('big.bin', 'wb').write(b'y' * 3 * 1024 * 1024)");
      expect(r.exitCode).toBe(153);
      expect(r.ended).toBe(true);
      expect(r.stderr).toContain("the files this cell changed exceed 1048576 bytes");
      expect(tree.files.has("big.bin")).toBe(false);
    } finally {
      await ex.close();
    }
  });

  it("a timed-out cell keeps what it printed, as a one-shot execution does", async () => {
    for (const [runtime, code] of [
      ["python", "print('before', flush=True)\nwhile True: pass"],
      ["node", "console.log('before'); for (;;) {}"],
    ] as const) {
      const ctx = new ReplContext(executor, runtime);
      try {
        await ctx.run("1");
        const r = await ctx.run(code, { timeout: 1500 });
        expect(r.timedOut).toBe(true);
        expect(r.stdout, runtime).toBe("before\n");
        // Nothing of it leaks into the next cell (on a fresh interpreter).
        expect((await ctx.run("1 + 1")).stdout, runtime).toBe("");
      } finally {
        await ctx.close();
      }
    }
  });

  it("a session that refuses a cell's files (e.g. its quota) leaves the cell's result, with a note on stderr", async () => {
    const refusing: ContextFileSync = {
      pending: () => ({ writes: new Map(), deletes: [] }),
      apply: () => {
        throw new Error("session quota of 10 bytes exceeded");
      },
    };
    const ctx = new ReplContext(executor, "ruby", { files: refusing });
    try {
      const r = await ctx.run("File.write('a.txt', 'x' * 100)\n:written");
      expect(r.exitCode).toBe(0);
      expect(r.value).toBe(":written");
      expect(r.stderr).toContain("[wasmbox] the files this cell changed were not kept: session quota of 10 bytes exceeded");
    } finally {
      await ctx.close();
    }
  });

  it("an interpreter that ends between cells (a timer's uncaught error) is told to the next cell, which runs on a fresh one", async () => {
    const ctx = new ReplContext(executor, "node");
    try {
      const first = await ctx.run("let a = 1; setTimeout(() => { throw new Error('late-failure') }, 10); 5");
      expect(first.value).toBe("5");
      await new Promise((r) => setTimeout(r, 1500));
      const r = await ctx.run("typeof a");
      expect(r.value).toBe("'undefined'");
      expect(r.stderr).toContain("late-failure");
      expect(r.stderr).toContain("[wasmbox] the context's interpreter ended between cells (exit code 1)");
    } finally {
      await ctx.close();
    }
  });

  it("a cell reads an empty stdin, not the context's protocol", async () => {
    const ctx = new ReplContext(executor, "python");
    try {
      const r = await ctx.run("import sys\nsys.stdin.read()");
      expect(r.value).toBe("''");
      expect((await ctx.run("2 + 2")).value).toBe("4");
    } finally {
      await ctx.close();
    }
  });

  it("rejects a bad timeout, naming the field", async () => {
    const ctx = new ReplContext(executor, "python");
    await expect(ctx.run("1", { timeout: -5 })).rejects.toMatchObject({ code: "INVALID_REQUEST", field: "timeout" });
    await ctx.close();
  });
});

describe("vm.runInThisContext in the JavaScript guest (what node and bun contexts run cells with)", () => {
  it("runs a global script whose top-level let persists, as native node does; the rest of vm is still refused", async () => {
    const code = [
      "const vm = require('vm');",
      "console.log(vm.runInThisContext('let q = 2; q * 10'));",
      "console.log(vm.runInThisContext('q + 1', { filename: 'second.js' }));",
      "try { vm.runInThisContext('throw new TypeError(\"t\")'); } catch (e) { console.log(e instanceof TypeError, e.message); }",
      "console.log(typeof vm.createContext);",
    ].join("\n");
    const native = execFileSync("node", ["-e", code], { encoding: "utf8" });
    const r = await executor.execute({ runtime: "node", code, timeout: 20_000 });
    expect(r.stdout, r.stderr).toBe(native);
    const refused = await executor.execute({ runtime: "node", code: "try { require('vm').runInNewContext('1') } catch (e) { console.log(e.code) }" });
    expect(refused.stdout).toBe("ERR_ACCESS_DENIED\n");
  });
});
