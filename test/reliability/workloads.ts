/**
 * Hostile workloads: one program per runtime for each, and the documented result it must end
 * with (README.md, "Result"). Every program starts with a `PRIME` check so that a first run can
 * compile and cache it (Go, Rust) before the timed run.
 */
import { EXIT_OUTPUT_LIMIT, EXIT_SANDBOX_FAILURE, EXIT_TIMEOUT, type ExecuteResult } from "wasmbox";

export type WorkloadName =
  | "cpu-loop"
  | "sleep-loop"
  | "deep-recursion"
  | "thread-bomb"
  | "memory-bomb-fast"
  | "memory-bomb-slow"
  | "flood-stdout"
  | "flood-stderr"
  | "huge-line"
  | "binary-output"
  | "close-stdout"
  | "stdin-after-eof";

/** A program; `{ skip }` when the language cannot do it; `{ code, fails }` for a known bug (run with it.fails). */
export type WorkloadPrograms = Record<WorkloadName, string | { skip: string } | { code: string; fails: string }>;

export interface Expectation {
  timeout: number;
  stdin?: string;
  check(r: ExecuteResult, cap: number): void;
}

function assert(cond: boolean, what: string, r: ExecuteResult): void {
  if (!cond) throw new Error(`${what}; got ${JSON.stringify({ ...r, stdout: r.stdout.slice(0, 300), stderr: r.stderr.slice(-600) })}`);
}

const timesOut: Expectation = {
  timeout: 2000,
  check(r) {
    assert(r.timedOut && r.exitCode === EXIT_TIMEOUT, "expected a timeout (124)", r);
  },
};
/** Ends by itself with the language's own error: not success, not a wasmbox failure, not a timeout. */
const failsInside: Expectation = {
  // A recursion or allocation loop that the guest's own limits end: a stack overflow the engine
  // caught is 139, an allocation failure the language's own error or 137.
  timeout: 30_000,
  check(r) {
    assert(!r.timedOut, "expected the program to fail before its timeout", r);
    assert(r.exitCode !== 0 && r.exitCode !== EXIT_SANDBOX_FAILURE, "expected a non-zero exit that is not a sandbox failure (70)", r);
  },
};
const flood = (stream: "stdout" | "stderr"): Expectation => ({
  timeout: 30_000,
  check(r, cap) {
    assert(!r.timedOut && r.exitCode === EXIT_OUTPUT_LIMIT, "expected the output cap result (153)", r);
    const text = stream === "stdout" ? r.stdout : r.stderr;
    assert(text.startsWith("x".repeat(cap)), `expected ${cap} bytes of ${stream} kept`, r);
    assert(r.stderr.includes(`[wasmbox] ${stream} exceeded the ${cap}-byte limit`), "expected the cap notice on stderr", r);
  },
});

export const EXPECTATIONS: Record<WorkloadName, Expectation> = {
  "cpu-loop": timesOut,
  "sleep-loop": timesOut,
  "deep-recursion": failsInside,
  "thread-bomb": {
    timeout: 3000,
    check(r) {
      assert(r.exitCode !== EXIT_SANDBOX_FAILURE && r.exitCode !== 0, "expected an error or a timeout, not a sandbox failure", r);
    },
  },
  "memory-bomb-fast": failsInside,
  "memory-bomb-slow": failsInside,
  "flood-stdout": flood("stdout"),
  "flood-stderr": flood("stderr"),
  "huge-line": {
    timeout: 30_000,
    check(r, cap) {
      assert(r.exitCode === EXIT_OUTPUT_LIMIT && r.stdout === "x".repeat(cap), "expected the line cut at the cap (153)", r);
    },
  },
  "binary-output": {
    timeout: 30_000,
    check(r) {
      // Bytes that are not UTF-8 become U+FFFD; NUL and ASCII around them pass unchanged.
      assert(r.exitCode === 0 && r.stdout === "A\uFFFD\uFFFDB\u0000C\uFFFD(\n", "expected the bytes decoded with replacement characters", r);
    },
  },
  "close-stdout": {
    timeout: 30_000,
    check(r) {
      assert(!r.timedOut && r.exitCode !== EXIT_SANDBOX_FAILURE, "expected a normal end, not a timeout or sandbox failure", r);
      assert(r.stdout.startsWith("before\n"), "expected what was written before the close", r);
    },
  },
  "stdin-after-eof": {
    timeout: 30_000,
    stdin: "hello\n",
    check(r) {
      assert(r.exitCode === 0 && r.stdout === "got=hello\nEOF\nEOF\nEOF\n", "expected empty reads after EOF", r);
    },
  },
};

export const BINARY = [0x41, 0xff, 0xfe, 0x42, 0x00, 0x43, 0xc3, 0x28, 0x0a];

/**
 * The soak run's mix, per runtime (test/reliability/soak.test.ts). Each program reads a nonce
 * from stdin and prints it first, so a result that comes back to the wrong caller (or mixed with
 * another's output) is caught. `PRIME` in the environment makes each exit at once: used to
 * compile and cache Go/Rust first.
 */
export type SoakKind = "normal" | "loop" | "flood" | "exit";
export type SoakPrograms = Record<SoakKind, string>;
