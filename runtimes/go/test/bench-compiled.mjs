#!/usr/bin/env node
/**
 * Benchmark of the compiled runtimes (Go, Rust): compile time with a cold and a warm cache,
 * cached execute() p50, and the CPU-bound ratio (primes below 200000) of the wasm module against
 * the same source compiled natively, side by side in one run.
 *
 *   node runtimes/go/test/bench-compiled.mjs [--runs 30] [--cold-go]     (after `npx tsc -p .`)
 *
 * `--cold-go` also measures Go with an empty compiler cache (the standard library is rebuilt
 * for wasip1, ~20-30 s). `benchCompiled()` returns the rows for scripts/bench.mjs.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const dist = new URL("../../../dist/", import.meta.url);
const { createExecutor } = await import(new URL("src/index.js", dist).href);
const { findGo, findRustc } = await import(new URL("runtimes/compiled/toolchain.js", dist).href);

const LIMIT = 200000;
const REPEAT = 10;

const programs = {
  go: {
    hello: 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("Hello, World!")\n}\n',
    primes:
      'package main\n\nimport (\n\t"fmt"\n\t"time"\n)\n\nfunc isPrime(n int) bool {\n\tif n < 2 {\n\t\treturn false\n\t}\n' +
      "\tfor d := 2; d*d <= n; d++ {\n\t\tif n%d == 0 {\n\t\t\treturn false\n\t\t}\n\t}\n\treturn true\n}\n\n" +
      `func main() {\n\tstart := time.Now()\n\tcount := 0\n\tfor r := 0; r < ${REPEAT}; r++ {\n\t\tcount = 0\n\t\tfor n := 0; n < ${LIMIT}; n++ {\n\t\t\tif isPrime(n) {\n\t\t\t\tcount++\n\t\t\t}\n\t\t}\n\t}\n` +
      '\tfmt.Printf("%d %.3f\\n", count, float64(time.Since(start).Microseconds())/1000)\n}\n',
  },
  rust: {
    hello: 'fn main() {\n    println!("Hello, World!");\n}\n',
    primes:
      "fn is_prime(n: u64) -> bool {\n    if n < 2 { return false; }\n    let mut d = 2;\n    while d * d <= n {\n        if n % d == 0 { return false; }\n        d += 1;\n    }\n    true\n}\n\n" +
      `fn main() {\n    let start = std::time::Instant::now();\n    let mut count = 0;\n    for _ in 0..${REPEAT} {\n        count = 0;\n        for n in 0..std::hint::black_box(${LIMIT}u64) {\n            if is_prime(n) { count += 1; }\n        }\n    }\n` +
      '    println!("{} {:.3}", count, start.elapsed().as_secs_f64() * 1000.0);\n}\n',
  },
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => Math.round(x * 10) / 10;

async function timed(executor, req) {
  const t = performance.now();
  const r = await executor.execute(req);
  if (r.exitCode !== 0) throw new Error(`${req.runtime} failed: ${r.stderr}`);
  return { r, wall: performance.now() - t };
}

/** The same source compiled for the host, run once; returns the compute time it reports, ms. */
function native(runtime, source, work) {
  if (runtime === "go") {
    const go = process.env.WASMBOX_GO ?? "/usr/lib/go-1.23/bin/go";
    writeFileSync(join(work, "go.mod"), "module main\n\ngo 1.23\n");
    writeFileSync(join(work, "main.go"), source);
    const env = { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod", GOWORK: "off", CGO_ENABLED: "0", GOOS: "", GOARCH: "" };
    execFileSync(go, ["build", "-trimpath", "-o", join(work, "native-go"), "."], { cwd: work, env, stdio: "pipe" });
    return Number(execFileSync(join(work, "native-go")).toString().trim().split(" ")[1]);
  }
  const rustc = join(process.env.WASMBOX_RUST_WEB_DIR ?? "/opt/wasmbox/rust-web", "bin", "rustc");
  writeFileSync(join(work, "main.rs"), source);
  execFileSync(rustc, ["--edition=2021", "-Copt-level=2", "-o", join(work, "native-rs"), "main.rs"], { cwd: work, stdio: "pipe" });
  return Number(execFileSync(join(work, "native-rs")).toString().trim().split(" ")[1]);
}

export async function benchCompiled({ runs = 30, coldGo = false } = {}) {
  const rows = [];
  for (const runtime of ["go", "rust"]) {
    try {
      await (runtime === "go" ? findGo(process.env.WASMBOX_GO) : findRustc(process.env.WASMBOX_RUSTC));
    } catch (e) {
      rows.push({ runtime, skipped: e.message });
      continue;
    }
    const work = mkdtempSync(join(tmpdir(), `wasmbox-bench-${runtime}-`));
    const cacheDir = coldGo && runtime === "go" ? join(work, "cache") : undefined;
    const executor = createExecutor({ concurrency: 1, cacheDir });
    try {
      const nonce = runtime === "go" ? `// ${Date.now()}\n` : `// ${Date.now()}\n`;
      const hello = nonce + programs[runtime].hello;
      const cold = await timed(executor, { runtime, code: hello });
      const warm = await timed(executor, { runtime, code: hello });
      // a different program, same compiler cache: what a new user program costs
      const other = await timed(executor, { runtime, code: `${nonce}// other\n${programs[runtime].hello}` });
      const exec = [];
      for (let i = 0; i < runs; i++) exec.push((await timed(executor, { runtime, code: hello })).wall);
      const wasm = await timed(executor, { runtime, code: programs[runtime].primes, timeout: 120_000 });
      const [count, wasmMs] = wasm.r.stdout.trim().split(" ").map(Number);
      let nativeMs;
      try {
        nativeMs = native(runtime, programs[runtime].primes, work);
      } catch (e) {
        nativeMs = undefined;
      }
      rows.push({
        runtime,
        [`compile, cold${cacheDir ? " (empty compiler cache)" : ""} ms`]: ms(cold.wall),
        "compile, new program ms": ms(other.wall),
        "warm cache execute ms": ms(warm.wall),
        "cached execute p50 ms": ms(median(exec)),
        "primes<200000 x10 wasm ms": ms(wasmMs),
        "native ms": nativeMs === undefined ? "n/a" : ms(nativeMs),
        "wasm/native": nativeMs ? Math.round((wasmMs / nativeMs) * 100) / 100 : "n/a",
        primes: count,
      });
    } finally {
      await executor.close();
      rmSync(work, { recursive: true, force: true });
    }
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name) => process.argv.indexOf(name);
  const runs = arg("--runs") > 0 ? Number(process.argv[arg("--runs") + 1]) : 30;
  const rows = await benchCompiled({ runs, coldGo: arg("--cold-go") > 0 });
  console.table(rows);
}
