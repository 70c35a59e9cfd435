/**
 * Ruby's benchmark programs (scripts/bench/programs.mjs gathers every runtime's): hello world,
 * primes below 200,000 by trial division and a recursive fib(27), the same source for wasmbox and
 * the native tool. Plain JavaScript, so the benchmark scripts import it without a build.
 */
export const bench = {
  file: "main.rb",
  hello: 'puts "Hello, World!"\n',
  primes: `start = Process.clock_gettime(Process::CLOCK_MONOTONIC)
count = 0
n = 2
while n < 200000
  prime = true
  d = 2
  while d * d <= n
    if n % d == 0
      prime = false
      break
    end
    d += 1
  end
  count += 1 if prime
  n += 1
end
puts "#{count} #{format("%.3f", (Process.clock_gettime(Process::CLOCK_MONOTONIC) - start) * 1000)}"
`,
  fib: 'def fib(n) = n < 2 ? n : fib(n - 1) + fib(n - 2)\nstart = Process.clock_gettime(Process::CLOCK_MONOTONIC)\nf = fib(27)\nputs "#{f} #{format("%.3f", (Process.clock_gettime(Process::CLOCK_MONOTONIC) - start) * 1000)}"\n',
};
