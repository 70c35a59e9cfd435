/**
 * Go's benchmark programs (scripts/bench/programs.mjs gathers every runtime's): hello world,
 * primes below 200,000 by trial division and a recursive fib(27), the same source for wasmbox and
 * the native tool. Plain JavaScript, so the benchmark scripts import it without a build.
 */
export const bench = {
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
};
