/**
 * PHP's benchmark programs (scripts/bench/programs.mjs gathers every runtime's): hello world,
 * primes below 200,000 by trial division and a recursive fib(27), the same source for wasmbox and
 * the native tool. Plain JavaScript, so the benchmark scripts import it without a build.
 */
export const bench = {
  file: "main.php",
  hello: '<?php\necho "Hello, World!\\n";\n',
  primes: `<?php
$start = hrtime(true);
$count = 0;
for ($n = 2; $n < 200000; $n++) {
    $prime = true;
    for ($d = 2; $d * $d <= $n; $d++) {
        if ($n % $d === 0) { $prime = false; break; }
    }
    if ($prime) $count++;
}
printf("%d %.3f\\n", $count, (hrtime(true) - $start) / 1e6);
`,
  fib: '<?php\nfunction fib($n) { return $n < 2 ? $n : fib($n - 1) + fib($n - 2); }\n$start = hrtime(true);\n$f = fib(27);\nprintf("%d %.3f\\n", $f, (hrtime(true) - $start) / 1e6);\n',
};
