/**
 * The benchmark programs, the same source for wasmbox, the native tool and Runno: hello world,
 * primes below 200,000 by trial division, and a recursive fib(27). Every run checks the output,
 * so a contender that fails is never timed as fast.
 */
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
export const PROGRAMS = {
  python: {
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
  },
  node: { file: "main.js", ...js },
  bun: { file: "main.ts", ...js },
  ruby: {
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
  },
  php: {
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
  },
  go: {
    file: "main.go",
    hello: 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("Hello, World!")\n}\n',
    primes: `package main

import (
	"fmt"
	"time"
)

func main() {
	start := time.Now()
	count := 0
	for n := 2; n < 200000; n++ {
		prime := true
		for d := 2; d*d <= n; d++ {
			if n%d == 0 {
				prime = false
				break
			}
		}
		if prime {
			count++
		}
	}
	fmt.Printf("%d %.3f\\n", count, float64(time.Since(start).Nanoseconds())/1e6)
}
`,
    fib: `package main

import (
	"fmt"
	"os"
	"time"
)

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func main() {
	n := 27 + len(os.Args) - 1 // not a constant, so the compiler cannot fold it
	start := time.Now()
	f := fib(n)
	fmt.Printf("%d %.3f\\n", f, float64(time.Since(start).Nanoseconds())/1e6)
}
`,
  },
  rust: {
    file: "main.rs",
    hello: 'fn main() {\n    println!("Hello, World!");\n}\n',
    primes: `fn main() {
    let start = std::time::Instant::now();
    let limit = std::hint::black_box(200000u64);
    let mut count = 0;
    for n in 2..limit {
        let mut prime = true;
        let mut d = 2;
        while d * d <= n {
            if n % d == 0 { prime = false; break; }
            d += 1;
        }
        if prime { count += 1; }
    }
    println!("{} {:.3}", count, start.elapsed().as_secs_f64() * 1000.0);
}
`,
    fib: `fn fib(n: u64) -> u64 {
    if n < 2 { n } else { fib(n - 1) + fib(n - 2) }
}

fn main() {
    let start = std::time::Instant::now();
    let f = fib(std::hint::black_box(27));
    println!("{} {:.3}", f, start.elapsed().as_secs_f64() * 1000.0);
}
`,
  },
};

/** Prepends a comment unique to this call, so a compiled runtime cannot answer from its cache. */
export function uncached(runtime, code) {
  const tag = `bench ${process.pid} ${Date.now()} ${Math.random().toString(36).slice(2)}`;
  if (runtime === "python" || runtime === "ruby") return `# ${tag}\n${code}`;
  if (runtime === "php") return code.replace("<?php\n", `<?php\n// ${tag}\n`);
  return `// ${tag}\n${code}`;
}
