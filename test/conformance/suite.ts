/**
 * The conformance cases, and the suite that runs them against one runtime: each runtime's folder
 * calls `conformanceSuite` (runtimes/<lang>/test/suites.test.ts) with its programs from
 * test/programs.ts. A runtime whose toolchain is missing on this machine skips with the reason.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor, type ExecutorOptions, type RuntimeName } from "wasmbox";
import { PROGRAMS } from "../programs.js";
import { RUNTIMES } from "../security/runtimes.js";
import { markedLines, type Case } from "./cases.js";

const eq = (a: unknown, b: unknown) => expect(a).toEqual(b);

// The entry file and a line number, whatever the format ("main.py", line 2 / main.rb:2:in /
// main.php(4) / main.go:2 / main.js:2:9).
const atLine = (n: number) => new RegExp(`main\\.[a-z]+\\D{0,12}\\b${n}\\b`);

export const CASES: Case[] = [
  {
    name: "hello",
    does: 'print "Hello, World!" and a newline',
    check: (r) => {
      eq(r.stdout, "Hello, World!\n");
      eq(r.stderr, "");
      eq(r.exitCode, 0);
    },
  },
  {
    name: "unicode",
    does: 'print "héllo wörld ✓ 日本語 🎉" and a newline',
    check: (r) => {
      eq(r.stdout, "héllo wörld ✓ 日本語 🎉\n");
      eq(r.exitCode, 0);
    },
  },
  {
    name: "stdin-transform",
    does: "read stdin line by line until EOF and print each line upper-cased",
    stdin: "hello\nwörld\nlast line without newline",
    check: (r) => {
      eq(r.stdout, "HELLO\nWÖRLD\nLAST LINE WITHOUT NEWLINE\n");
      eq(r.exitCode, 0);
    },
  },
  {
    name: "stdin-eof",
    does: 'read all of stdin (which is empty) and print "read 0 bytes"',
    stdin: "",
    check: (r) => {
      eq(r.stdout, "read 0 bytes\n");
      eq(r.exitCode, 0);
    },
  },
  {
    name: "exit-code",
    does: 'print "before" then exit with status 3 (the language\'s exit call)',
    check: (r) => {
      eq(r.stdout, "before\n");
      eq(r.exitCode, 3);
    },
  },
  {
    name: "uncaught-error",
    does: 'raise/throw/panic an uncaught error whose message is "boom" (PHP: throw new Exception("boom"))',
    check: (r, runtime) => {
      expect(r.stderr).toContain("boom");
      eq(r.stdout, "");
      eq(r.exitCode, PROGRAMS[runtime].uncaughtExit);
      expect(r.stderr).not.toMatch(/wasmbox|\/tmp\/|node_modules|\.cache/);
    },
  },
  {
    name: "stdout-stderr",
    does: 'print "out 1" to stdout, "err 1" to stderr, "out 2" to stdout, "err 2" to stderr',
    check: (r) => {
      eq(r.stdout, "out 1\nout 2\n");
      eq(r.stderr, "err 1\nerr 2\n");
      eq(r.exitCode, 0);
    },
  },
  {
    name: "env",
    does: 'print the value of the environment variable GREETING, then whether HOME_CANARY is set as "set"/"unset"',
    env: { GREETING: "hi there" },
    check: (r) => {
      eq(r.stdout, "hi there\nunset\n");
      eq(r.exitCode, 0);
    },
  },
  {
    name: "args",
    does: 'print the command-line arguments (without the program name) joined by "|"',
    args: ["a", "b c", "--flag", "ünï"],
    check: (r) => {
      eq(r.stdout, "a|b c|--flag|ünï\n");
      eq(r.exitCode, 0);
    },
  },
  {
    name: "multiple-files",
    does: 'as `files` + `entrypoint`: the entry file loads a helper from a sub-directory (lib/ or a package) whose greet(name) returns "Hello, <name>!", and prints greet("World")',
    check: (r) => {
      eq(r.stdout, "Hello, World!\n");
      eq(r.exitCode, 0);
    },
  },
  {
    name: "write-read-file",
    does: 'write "data 42" to out.txt (relative path), read it back and print it; then print the content of the provided input.txt ("from request")',
    check: (r) => {
      eq(r.stdout, "data 42\nfrom request\n");
      eq(r.exitCode, 0);
    },
  },
  {
    name: "large-output",
    does: 'print "line 1" .. "line 50000", one per line',
    check: (r) => {
      const lines = r.stdout.split("\n");
      eq(lines.length, 50001);
      eq(lines[0], "line 1");
      eq(lines[49999], "line 50000");
      eq(r.exitCode, 0);
    },
  },
  {
    name: "recursion",
    does: "compute fib(25) recursively (fib(0)=0, fib(1)=1) and a recursion 5000 frames deep that returns its depth; print both on separate lines",
    check: (r) => {
      eq(r.stdout, "75025\n5000\n");
      eq(r.exitCode, 0);
    },
  },
  {
    name: "stack-frames",
    does:
      'call g() from the top level and f() from g(); in f, take the call stack as the language reports it (Python inspect.stack(), Ruby caller_locations(0), PHP debug_backtrace(), Go runtime.Callers, JavaScript new Error().stack) and print "ok" if it holds exactly the frames `<native tool> main.<ext>` shows for the same program (names and count, written into the program as a constant, checked against the native tool), else print the frames',
    check: (r) => {
      eq(r.stdout, "ok\n");
      eq(r.exitCode, 0);
    },
  },
  {
    name: "traceback-location",
    does:
      'define f() that raises/throws/panics with the message "deep boom", g() that calls f(), and call g() at the top level; mark with a comment holding "@frame" each line the native error report names (the raise and each call site; Rust: only the panic, as rustc prints no backtrace by default)',
    check: (r, runtime, program) => {
      eq(r.stdout, "");
      eq(r.exitCode, PROGRAMS[runtime].uncaughtExit);
      expect(r.stderr).toContain("deep boom");
      const lines = markedLines(program, "@frame");
      expect(lines.length).toBeGreaterThan(0);
      for (const n of lines) expect(r.stderr).toMatch(atLine(n));
      // No frame of the runner: evaluators, glue files, host paths.
      expect(r.stderr).not.toMatch(/\beval\b|runpy|_pyodide|wasmbox|node_modules|\/tmp\/|InstructionSequence/);
    },
  },
  {
    name: "warning-location",
    does:
      'emit the language\'s own warning with the text "careful" on a line marked with a comment holding "@warn" (Python warnings.warn, Ruby warn(..., uplevel: 0), PHP trigger_error(..., E_USER_WARNING)), then print "done"',
    check: (r, _runtime, program) => {
      eq(r.stdout, "done\n");
      eq(r.exitCode, 0);
      expect(r.stderr).toContain("careful");
      const [n] = markedLines(program, "@warn");
      expect(n).toBeDefined();
      expect(r.stderr).toMatch(atLine(n!));
      expect(r.stderr).not.toMatch(/\beval\b|wasmbox|node_modules|\/tmp\//);
    },
  },
];

export interface ConformanceVariant {
  /** Added to the suite's name, e.g. ", compiled in WebAssembly". */
  title?: string;
  /** The executor's options (default: concurrency 2). */
  options?: ExecutorOptions;
  /** The request's timeout (default: the executor's). */
  timeout?: number;
  /** Each test's own timeout. */
  testTimeout?: number;
}

/** Every case of CASES against `runtime`, as one describe block. */
export async function conformanceSuite(runtime: RuntimeName, variant: ConformanceVariant = {}): Promise<void> {
  const title = `conformance: ${runtime}${variant.title ?? ""}`;
  if (!RUNTIMES.includes(runtime)) {
    describe(title, () => it.skip(`(skipped: WASMBOX_TEST_RUNTIMES leaves out ${runtime})`, () => {}));
    return;
  }
  const programs = PROGRAMS[runtime].conformance;
  const executor = createExecutor(variant.options ?? { concurrency: 2 });
  afterAll(() => executor.close());
  let unavailable: string | undefined;
  try {
    await executor.runtime(runtime);
  } catch (e) {
    unavailable = (e as Error).message;
  }
  describe(title, () => {
    for (const c of CASES) {
      const p = programs[c.name];
      const skip = !p ? "no program for this case" : "skip" in p ? p.skip : unavailable;
      it.skipIf(!!skip)(`${c.name}${skip ? ` (skipped: ${skip})` : ""}`, { timeout: variant.testTimeout ?? 120_000 }, async () => {
        const timeout = variant.timeout === undefined ? {} : { timeout: variant.timeout };
        const r = await executor.execute({ runtime, stdin: c.stdin, args: c.args, env: c.env, ...timeout, ...(p as object) });
        c.check(r, runtime, p!);
      });
    }
  });
}
