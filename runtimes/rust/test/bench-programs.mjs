/**
 * Rust's benchmark programs (scripts/bench/programs.mjs gathers every runtime's): hello world,
 * primes below 200,000 by trial division and a recursive fib(27), the same source for wasmbox and
 * the native tool. Plain JavaScript, so the benchmark scripts import it without a build.
 */
export const bench = {
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
};
