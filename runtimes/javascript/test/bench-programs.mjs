/**
 * Node's and Bun's benchmark programs (scripts/bench/programs.mjs gathers every runtime's): hello
 * world, primes below 200,000 by trial division and a recursive fib(27), the same source for
 * wasmbox and the native tool. Plain JavaScript, so the benchmark scripts import it without a build.
 */
const js = {
  hello: 'console.log("Hello, World!");\n',
  primes: `const start = performance.now();
let count = 0;
for (let n = 2; n < 200000; n++) {
  let prime = true;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) { prime = false; break; }
  if (prime) count++;
}
console.log(count, (performance.now() - start).toFixed(3));
`,
  fib: "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nconst start = performance.now();\nconst f = fib(27);\nconsole.log(f, (performance.now() - start).toFixed(3));\n",
};

/** Per runtime: the file `code` lands in, and the three programs. */

export const node = { file: "main.js", ...js };
export const bun = { file: "main.ts", ...js };
