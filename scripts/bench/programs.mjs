/**
 * The benchmark programs, the same source for wasmbox, the native tool and Runno: hello world,
 * primes below 200,000 by trial division, and a recursive fib(27). Every run checks the output,
 * so a contender that fails is never timed as fast. Each runtime's programs are in its folder,
 * runtimes/<lang>/test/bench-programs.mjs.
 */
import { bench as go } from "../../runtimes/go/test/bench-programs.mjs";
import { bun, node } from "../../runtimes/javascript/test/bench-programs.mjs";
import { bench as php } from "../../runtimes/php/test/bench-programs.mjs";
import { bench as python } from "../../runtimes/python/test/bench-programs.mjs";
import { bench as ruby } from "../../runtimes/ruby/test/bench-programs.mjs";
import { bench as rust } from "../../runtimes/rust/test/bench-programs.mjs";

export const EXPECTED = { hello: "Hello, World!\n", primes: /^17984 (\d+\.\d+)\n$/, fib: /^196418 (\d+\.\d+)\n$/ };

/**
 * The CPU-bound programs print their answer and the milliseconds their computation took, timed
 * inside the program: the slowdown compares computations, not process start-ups.
 */
export function computeMs(stdout, expected) {
  const m = expected instanceof RegExp ? expected.exec(stdout) : undefined;
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/** Whether `stdout` is what the program must print. */
export function matches(stdout, expected) {
  return expected instanceof RegExp ? expected.test(stdout) : stdout === expected;
}

/** Per runtime: the file `code` lands in, and the three programs (each in its runtime's folder). */
export const PROGRAMS = { python, node, bun, ruby, php, go, rust };

/** Prepends a comment unique to this call, so a compiled runtime cannot answer from its cache. */
export function uncached(runtime, code) {
  const tag = `bench ${process.pid} ${Date.now()} ${Math.random().toString(36).slice(2)}`;
  if (runtime === "python" || runtime === "ruby") return `# ${tag}\n${code}`;
  if (runtime === "php") return code.replace("<?php\n", `<?php\n// ${tag}\n`);
  return `// ${tag}\n${code}`;
}
