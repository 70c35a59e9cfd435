/**
 * Go through execute(): compile errors, panics, what the build may read (go:embed, the user's
 * go.mod / go.work), the build cache, and the WASI pieces Go's wasip1 runtime needs (sleeps,
 * goroutines, stdin).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createExecutor } from "wasmbox";
import { go } from "../../../dist/runtimes/go/index.js";

const executor = createExecutor({ concurrency: 2 });
let unavailable: string | undefined;
try {
  await executor.runtime("go");
} catch (e) {
  unavailable = (e as Error).message;
}

const dir = mkdtempSync(join(tmpdir(), "wasmbox-go-canary-"));
const canaryFile = join(dir, "secret.txt");
const CANARY = `CANARY-${process.pid}-CONTENT`;
beforeAll(() => writeFileSync(canaryFile, CANARY));
afterAll(async () => {
  await executor.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (req: object) => executor.execute({ runtime: "go", ...req });
const main = (imports: string, body: string) => `package main\n\nimport (${imports})\n\nfunc main() {\n${body}\n}\n`;
const unique = () => `// ${Date.now()}-${Math.random()}\n`;
const hostname = (() => {
  try {
    return readFileSync("/etc/hostname", "utf8").trim();
  } catch {
    return undefined;
  }
})();
const noHostPaths = /\/tmp\/|wasmbox-build|<build>|\/usr\/lib\/go|\/root\/|\/home\//;

describe.skipIf(!!unavailable)(`go${unavailable ? ` (skipped: ${unavailable})` : ""}`, () => {
  it("reports a compile error with exit 1, paths relative to the user's files", async () => {
    const r = await run({ code: 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println(undefinedName)\n}\n' });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("./main.go:6:14: undefined: undefinedName");
    expect(r.stderr).not.toMatch(noHostPaths);
  });

  it("exits 2 on a panic with Go's message and goroutine trace, without host paths", async () => {
    const r = await run({ code: 'package main\n\nfunc explode() {\n\tpanic("kaboom")\n}\n\nfunc main() {\n\texplode()\n}\n' });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^panic: kaboom\n\ngoroutine 1 \[running\]:\nmain\.explode\(\.\.\.\)\n\tmain\/main\.go:4/);
    expect(r.stderr).toContain("main.main()");
    expect(r.stderr).not.toMatch(noHostPaths);
  });

  it("sleeps, runs goroutines and reads stdin to EOF", async () => {
    const code = main(
      '"bufio"; "fmt"; "os"; "sync"; "time"',
      "\tstart := time.Now()\n\tvar wg sync.WaitGroup\n\tresults := make([]int, 4)\n\tfor i := 0; i < 4; i++ {\n\t\twg.Add(1)\n" +
        "\t\tgo func(i int) {\n\t\t\tdefer wg.Done()\n\t\t\ttime.Sleep(time.Duration(20*(4-i)) * time.Millisecond)\n\t\t\tresults[i] = i * i\n\t\t}(i)\n\t}\n\twg.Wait()\n" +
        '\tfmt.Println(results, time.Since(start) >= 80*time.Millisecond)\n\tsc := bufio.NewScanner(os.Stdin)\n\tn := 0\n\tfor sc.Scan() {\n\t\tn++\n\t}\n\tfmt.Println("lines", n)',
    );
    const r = await run({ code, stdin: "a\nb\nc" });
    expect(r).toMatchObject({ stdout: "[0 1 4 9] true\nlines 3\n", stderr: "", exitCode: 0 });
  });

  it("recurses a million levels deep as native Go does; a runaway recursion ends with Go's own fatal error", async () => {
    // Each Go call is also a wasm call on the host thread's native stack: with V8's default
    // 8 MB this stopped near 250k levels with exit 139.
    const code = main(
      '"fmt"; "os"; "strconv"',
      "\tn, _ := strconv.Atoi(os.Args[1])\n\tfmt.Println(depth(n))",
    ) + "\nfunc depth(n int) int {\n\tif n == 0 {\n\t\treturn 0\n\t}\n\treturn depth(n-1) + 1\n}\n";
    const deep = await run({ code, args: ["1000000"], timeout: 60_000 });
    expect(deep, deep.stderr).toMatchObject({ stdout: "1000000\n", stderr: "", exitCode: 0 });
    // Natively: "goroutine stack exceeds 1000000000-byte limit"; here the memory cap is reached
    // first (a small cap, so that the stack copies on the way there take little time). Either way
    // a Go fatal error with exit 2, and the executor goes on.
    const small = createExecutor({ concurrency: 1, memoryLimit: 64 * 2 ** 20 });
    try {
      const runaway = await small.execute({ runtime: "go", code, args: ["1000000000"], timeout: 60_000 });
      expect(runaway.exitCode, runaway.stderr).toBe(2);
      expect(runaway.stderr).toMatch(/^runtime: .*\nfatal error: (out of memory|stack overflow)\n/);
      expect(await small.execute({ runtime: "go", code, args: ["3"] })).toMatchObject({ stdout: "3\n", exitCode: 0 });
    } finally {
      await small.close();
    }
  }, 180_000);

  it("gives back the memory of a deep recursion: its host thread ends, with the native stack it touched", async () => {
    const code = main('"fmt"; "os"; "strconv"', "\tn, _ := strconv.Atoi(os.Args[1])\n\tfmt.Println(depth(n))") +
      "\nfunc depth(n int) int {\n\tif n == 0 {\n\t\treturn 0\n\t}\n\treturn depth(n-1) + 1\n}\n";
    const single = createExecutor({ concurrency: 1 });
    try {
      const mb = () => process.memoryUsage().rss / 2 ** 20;
      expect(await single.execute({ runtime: "go", code, args: ["3"], timeout: 120_000 })).toMatchObject({ stdout: "3\n", exitCode: 0 });
      const before = mb();
      // ~60 MB of native stack and a few hundred MB of linear memory at its deepest.
      expect(await single.execute({ runtime: "go", code, args: ["2000000"], timeout: 60_000 })).toMatchObject({ stdout: "2000000\n", exitCode: 0 });
      expect(await single.execute({ runtime: "go", code, args: ["3"] })).toMatchObject({ stdout: "3\n", exitCode: 0 });
      await new Promise((r) => setTimeout(r, 500));
      expect(mb() - before).toBeLessThan(100);
    } finally {
      await single.close();
    }
  }, 180_000);

  it("prints file errors as a native Go program does (Linux texts, EEXIST, EISDIR)", async () => {
    const code = main(
      '"fmt"; "os"',
      '\t_, err := os.Open("missing.txt")\n\tfmt.Println(err)\n\tfmt.Println(os.Mkdir("d", 0755))\n\tfmt.Println(os.Mkdir("d", 0755))\n\t_, err = os.ReadFile("d")\n\tfmt.Println(err)\n\tfmt.Println(os.Remove("nothing"))',
    );
    const r = await run({ code });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      "open missing.txt: no such file or directory\n<nil>\nmkdir d: file exists\nread d: is a directory\nremove nothing: no such file or directory\n",
    );
  });

  it("sees no host file or environment at run time", async () => {
    const code = main(
      '"fmt"; "os"',
      `\t_, err1 := os.ReadFile(${JSON.stringify(canaryFile)})\n\t_, err2 := os.ReadFile("/etc/hostname")\n\tfmt.Println(err1 != nil, err2 != nil, len(os.Environ()))`,
    );
    expect(await run({ code })).toMatchObject({ stdout: "true true 0\n", exitCode: 0 });
  });

  // A host runs the next Go program on the previous one's memory, zeroed (runtimes/compiled/memory-reuse.ts).
  describe("memory kept between executions", () => {
    // "fill" leaves 16 MiB of 0xA5 in the heap (the memory grows to ~45 MiB); "check" first reads
    // 40 MiB in, which exists at start only on a kept memory (a fresh one is ~25 MiB: a trap),
    // then counts non-zero bytes in a fresh 16 MiB allocation, which Go does not clear itself
    // because it takes memory from sbrk to be zero.
    const program = (tag: string) =>
      `${tag}package main

import (
	"fmt"
	"os"
	"runtime"
	"unsafe"
)

var sink []byte

func main() {
	if os.Args[1] == "fill" {
		sink = make([]byte, 16<<20)
		for i := range sink {
			sink[i] = 0xA5
		}
		runtime.KeepAlive(sink)
		fmt.Println("filled")
		return
	}
	high := *(*byte)(unsafe.Pointer(uintptr(40 << 20)))
	sink = make([]byte, 16<<20)
	nonzero := 0
	for _, b := range sink {
		if b != 0 {
			nonzero++
		}
	}
	fmt.Printf("high=%d nonzero=%d\\n", high, nonzero)
}
`;
    const single = createExecutor({ concurrency: 1 });
    afterAll(() => single.close());

    it("a repeated program sees none of the previous execution's memory", async () => {
      const code = program(unique());
      expect(await single.execute({ runtime: "go", code, args: ["fill"], timeout: 120_000 })).toMatchObject({ stdout: "filled\n", exitCode: 0 });
      for (let i = 0; i < 2; i++) {
        const r = await single.execute({ runtime: "go", code, args: ["check"] });
        expect(r, r.stderr).toMatchObject({ stdout: "high=0 nonzero=0\n", stderr: "", exitCode: 0 });
      }
    });

    it("another program sees none of it either", async () => {
      const fill = program(unique());
      const check = program(unique());
      expect(await single.execute({ runtime: "go", code: fill, args: ["fill"], timeout: 120_000 })).toMatchObject({ stdout: "filled\n", exitCode: 0 });
      const r = await single.execute({ runtime: "go", code: check, args: ["check"], timeout: 120_000 });
      expect(r, r.stderr).toMatchObject({ stdout: "high=0 nonzero=0\n", stderr: "", exitCode: 0 });
    });
  });

  describe("what the build may read", () => {
    it("embeds files of the request with //go:embed", async () => {
      const files = {
        "main.go": 'package main\n\nimport (\n\t_ "embed"\n\t"fmt"\n)\n\n//go:embed data/greeting.txt\nvar greeting string\n\nfunc main() {\n\tfmt.Print(greeting)\n}\n',
        "data/greeting.txt": "embedded hello\n",
      };
      expect(await run({ files, entrypoint: "main.go" })).toMatchObject({ stdout: "embedded hello\n", exitCode: 0 });
    });

    it.each([
      ["a path outside the module", "../../../../../../../../etc/hostname"],
      ["an absolute path", canaryFile],
    ])("refuses //go:embed of %s and leaks nothing", async (_, pattern) => {
      const code = `package main\n\nimport (\n\t_ "embed"\n\t"fmt"\n)\n\n//go:embed ${pattern}\nvar secret string\n\nfunc main() {\n\tfmt.Print(secret)\n}\n`;
      const r = await run({ code });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/pattern|invalid/);
      expect(r.stdout + r.stderr).not.toContain(CANARY);
      if (hostname && hostname.length > 3) expect(r.stdout + r.stderr).not.toContain(hostname);
    });

    it("does not trust the user's go.mod or go.work to point outside the request", async () => {
      const files = {
        "go.mod": `module example.com/app\n\ngo 1.21\n\nrequire example.com/evil v1.0.0\n\nreplace example.com/evil => ${dir}\n`,
        "go.work": `go 1.21\n\nuse (\n\t.\n\t${dir}\n)\n`,
        "main.go": 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/app/util"\n)\n\nfunc main() {\n\tfmt.Println(util.Name())\n}\n',
        "util/util.go": 'package util\n\nfunc Name() string { return "module path kept" }\n',
      };
      expect(await run({ files, entrypoint: "main.go" })).toMatchObject({ stdout: "module path kept\n", exitCode: 0 });
    });

    it("cannot download modules (GOPROXY=off, no network)", async () => {
      const code = 'package main\n\nimport "github.com/google/uuid"\n\nfunc main() {\n\t_ = uuid.New()\n}\n';
      const r = await run({ code });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/github\.com\/google\/uuid/);
      expect(r.stderr).not.toMatch(noHostPaths);
    });
  });

  describe("build cache", () => {
    it("compiles a repeated program once, concurrent identical requests once", async () => {
      const code = unique() + main('"fmt"; "os"', "\tfmt.Println(os.Args[1])");
      const before = go.cache.stats.builds;
      const results = await Promise.all(["a", "b", "c"].map((arg) => run({ code, args: [arg] })));
      expect(results.map((r) => r.stdout)).toEqual(["a\n", "b\n", "c\n"]);
      const again = await run({ code, args: ["d"] });
      expect(again.stdout).toBe("d\n");
      expect(go.cache.stats.builds - before).toBe(1);
    });

    it("does not rebuild when only data files change", async () => {
      const src = unique() + main('"fmt"; "os"', '\tb, _ := os.ReadFile("in.txt")\n\tfmt.Println(string(b))');
      const before = go.cache.stats.builds;
      const a = await run({ files: { "main.go": src, "in.txt": "one" }, entrypoint: "main.go" });
      const b = await run({ files: { "main.go": src, "in.txt": "two" }, entrypoint: "main.go" });
      expect([a.stdout, b.stdout]).toEqual(["one\n", "two\n"]);
      expect(go.cache.stats.builds - before).toBe(1);
    });
  });
});

// Host toolchain discovery; go-wasm.test.ts runs this file with the compiler in WebAssembly.
describe.skipIf(process.env.WASMBOX_GO_COMPILER === "wasm")("go toolchain discovery", () => {
  it("refuses an explicit go that is not a Go toolchain, saying what to install", async () => {
    const ex = createExecutor({ toolchains: { go: "/bin/true" } });
    try {
      await expect(ex.execute({ runtime: "go", code: "package main\nfunc main() {}\n" })).rejects.toMatchObject({
        code: "RUNTIME_UNAVAILABLE",
        message: expect.stringContaining("/bin/true"),
      });
    } finally {
      await ex.close();
    }
  });
});
