/**
 * Go and Rust: the compile as its own stage (report "compile"), compileTimeout apart from the
 * run's timeout, and batches that compile once. Each test's source carries a fresh nonce so the
 * build cache cannot hide a compile.
 */
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor, type Runtime, type RuntimeName } from "wasmbox";
import { go } from "../../dist/runtimes/go/index.js";
import { rust } from "../../dist/runtimes/rust/index.js";

const executor = createExecutor({ concurrency: 2, maxTimeout: 300_000 });
afterAll(() => executor.close());

async function unavailable(name: RuntimeName): Promise<string | undefined> {
  try {
    await executor.runtime(name);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

const sources: Record<"go" | "rust", { ok: (nonce: string) => string; broken: string; diagnostic: RegExp; echo: (nonce: string) => string }> = {
  go: {
    ok: (n) => `package main\n// ${n}\nimport "fmt"\nfunc main() { fmt.Println("ran") }\n`,
    broken: "package main\nfunc main() { undefinedThing() }\n",
    diagnostic: /main\.go:2:\d+: undefined: undefinedThing/,
    echo: (n) => `package main\n// ${n}\nimport ("bufio"; "fmt"; "os")\nfunc main() { s := bufio.NewScanner(os.Stdin); n := 0; for s.Scan() { var x int; fmt.Sscan(s.Text(), &x); n += x }; fmt.Println(n * 2) }\n`,
  },
  rust: {
    ok: (n) => `// ${n}\nfn main() { println!("ran"); }\n`,
    broken: "fn main() { undefined_thing(); }\n",
    diagnostic: /cannot find function `undefined_thing`/,
    echo: (n) => `// ${n}\nuse std::io::Read;\nfn main() { let mut s = String::new(); std::io::stdin().read_to_string(&mut s).unwrap(); let n: i64 = s.lines().map(|l| l.trim().parse::<i64>().unwrap()).sum(); println!("{}", n * 2); }\n`,
  },
};

for (const name of ["go", "rust"] as const) {
  const src = sources[name];
  describe(name, () => {
    it("reports a compile error as the compile stage, with the run's fields empty", async (ctx) => {
      const why = await unavailable(name);
      if (why) return ctx.skip(why);
      const r = await executor.execute({ runtime: name, code: src.broken, report: ["compile"] });
      expect(r.compile!.exitCode).not.toBe(0);
      expect(r.compile!.stderr).toMatch(src.diagnostic);
      expect(r.compile!.timedOut).toBe(false);
      expect(r.compile!.time).toBeGreaterThanOrEqual(0);
      expect(r).toMatchObject({ stdout: "", stderr: "", exitCode: r.compile!.exitCode, executionTime: 0, timedOut: false });
      // Without the report the diagnostics are the result's stderr, as before.
      const plain = await executor.execute({ runtime: name, code: src.broken });
      expect(plain.stderr).toMatch(src.diagnostic);
      expect(Object.keys(plain).sort()).toEqual(["executionTime", "exitCode", "stderr", "stdout", "timedOut"]);
    });

    it("reports a successful compile apart from the run, whose executionTime excludes it", async (ctx) => {
      const why = await unavailable(name);
      if (why) return ctx.skip(why);
      const r = await executor.execute({ runtime: name, code: src.ok(randomUUID()), report: ["compile", "usage"] });
      expect(r.stdout).toBe("ran\n");
      expect(r.compile).toMatchObject({ stdout: "", stderr: "", exitCode: 0, timedOut: false });
      expect(r.usage!.compileTime).toBe(r.compile!.time);
      expect(r.executionTime).toBeLessThanOrEqual(r.usage!.wallTime + 1);
      // A fresh compile of Go or Rust takes far longer than running this program.
      expect(r.compile!.time).toBeGreaterThan(r.executionTime);
    });

    it("gives the compile its own compileTimeout and the run the whole timeout", async (ctx) => {
      const why = await unavailable(name);
      if (why) return ctx.skip(why);
      const code = src.ok(randomUUID());
      // A compile that takes at least 2 s whatever the machine: the adapter's prepare, delayed.
      const adapter = (name === "go" ? go : rust) as Runtime;
      const prepare = adapter.prepare!;
      adapter.prepare = async (job, pctx) => {
        await new Promise<void>((resolve, reject) => {
          const t = setTimeout(resolve, 2000);
          pctx.signal.addEventListener("abort", () => (clearTimeout(t), reject(new Error("stopped"))), { once: true });
        });
        return prepare.call(adapter, job, pctx);
      };
      try {
        // Sharing a 1500 ms timeout, the compile alone uses it up (as before).
        const shared = await executor.execute({ runtime: name, code, timeout: 1500 });
        expect(shared).toMatchObject({ stdout: "", exitCode: 124, timedOut: true });
        expect(shared.executionTime).toBeGreaterThanOrEqual(1500);
        // With its own limit, the compile takes longer than the run's 1500 ms, which the run gets whole.
        const own = await executor.execute({ runtime: name, code, timeout: 1500, compileTimeout: 240_000, report: ["compile"] });
        expect(own).toMatchObject({ stdout: "ran\n", exitCode: 0, timedOut: false });
        expect(own.compile!.time).toBeGreaterThanOrEqual(2000);
        // And a compile over its own limit is a timed-out compile stage.
        const late = await executor.execute({ runtime: name, code, compileTimeout: 500, report: ["compile"] });
        expect(late.compile).toMatchObject({ exitCode: 124, timedOut: true });
        expect(late).toMatchObject({ stdout: "", exitCode: 124, timedOut: true, executionTime: 0 });
      } finally {
        adapter.prepare = prepare;
      }
    });

    it("compiles a batch once and runs every case on a fresh instance", async (ctx) => {
      const why = await unavailable(name);
      if (why) return ctx.skip(why);
      const cases = Array.from({ length: 12 }, (_, i) => ({ stdin: `${i}\n${i}\n`, expectedStdout: `${4 * i}\n` }));
      cases[5]!.expectedStdout = "wrong\n";
      // Counted where the executor calls it: the adapter object the registry hands out.
      const adapter = (name === "go" ? go : rust) as Runtime;
      const prepare = adapter.prepare!;
      let prepares = 0;
      adapter.prepare = (...a) => (prepares++, prepare.apply(adapter, a));
      const builds = adapter === go ? go.cache.stats.builds : rust.cache.stats.builds;
      const started = performance.now();
      const r = await executor.executeBatch({ runtime: name, code: src.echo(randomUUID()), cases }).finally(() => (adapter.prepare = prepare));
      const total = performance.now() - started;
      expect(prepares).toBe(1);
      expect((adapter === go ? go.cache.stats.builds : rust.cache.stats.builds) - builds).toBe(1);
      expect(r.compile).toMatchObject({ exitCode: 0, stderr: "", timedOut: false });
      expect(r.results.map((c) => c.stdout)).toEqual(cases.map((_, i) => `${4 * i}\n`));
      expect(r.results.map((c) => c.passed)).toEqual(cases.map((_, i) => i !== 5));
      expect(r.passed).toBe(11);
      // One compile: twelve would take at least twelve times the one reported.
      expect(total).toBeLessThan(r.compile!.time * 4 + r.results.reduce((n, c) => n + c.executionTime, 0) + 5000);
      for (const c of r.results) expect(c.compile).toBeUndefined();
    });

    it("ends every case of a batch whose program does not compile with the compile's exit code", async (ctx) => {
      const why = await unavailable(name);
      if (why) return ctx.skip(why);
      const r = await executor.executeBatch({ runtime: name, code: src.broken, cases: [{ expectedStdout: "" }, {}] });
      expect(r.compile!.stderr).toMatch(src.diagnostic);
      for (const c of r.results) expect(c).toMatchObject({ stdout: "", stderr: "", exitCode: r.compile!.exitCode, timedOut: false });
      expect(r.results.map((c) => c.passed)).toEqual([false, undefined]);
    });
  });
}
