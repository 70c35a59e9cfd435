/**
 * Python's benchmark programs (scripts/bench/programs.mjs gathers every runtime's): hello world,
 * primes below 200,000 by trial division and a recursive fib(27), the same source for wasmbox and
 * the native tool. Plain JavaScript, so the benchmark scripts import it without a build.
 */
export const bench = {
  file: "main.py",
  hello: 'print("Hello, World!")\n',
  primes: `import time
start = time.perf_counter()
count = 0
for n in range(2, 200000):
    prime = True
    d = 2
    while d * d <= n:
        if n % d == 0:
            prime = False
            break
        d += 1
    if prime:
        count += 1
print(count, f"{(time.perf_counter() - start) * 1000:.3f}")
`,
  fib: 'import time\n\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n\nstart = time.perf_counter()\nf = fib(27)\nprint(f, f"{(time.perf_counter() - start) * 1000:.3f}")\n',
};
