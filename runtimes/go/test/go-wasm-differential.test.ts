/**
 * Go's compiler in WebAssembly against the host toolchain: the same requests must print the same
 * (what go build decides without the compiler: build constraints, packages, imports, embeds, cycles),
 * and the compiler must reach nothing of the host even when handed a host path.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor, type ExecuteRequest } from "wasmbox";
import { findGoWasm, goWasmDir, buildInWasm } from "../../../dist/runtimes/go/wasm-compiler.js";
import { planGoBuild } from "../../../dist/runtimes/go/wasm-build.js";

const wasm = createExecutor({ concurrency: 1, runtimeOptions: { go: { compiler: "wasm" } } });
const host = createExecutor({ concurrency: 1, runtimeOptions: { go: { compiler: "host" } } });
afterAll(() => Promise.all([wasm.close(), host.close()]));

const reason = async (ex: typeof wasm) => ex.runtime("go").then(() => undefined, (e: Error) => e.message);
const unavailable = (await reason(wasm)) ?? (await reason(host));

const main = (body: string, imports = '"fmt"') => `package main\n\nimport (${imports})\n\nfunc main() {\n${body}\n}\n`;
type Req = Omit<ExecuteRequest, "runtime">;
const CASES: [string, Req][] = [
  [
    "build constraints: //go:build and _GOOS/_GOARCH file names",
    {
      files: {
        "main.go": main("\tfmt.Println(a(), b(), c())"),
        "a_wasip1.go": "package main\n\nfunc a() string { return \"wasip1\" }\n",
        "a_linux.go": "package main\n\nfunc a() string { return \"linux\" }\n",
        "b.go": "//go:build wasm && !linux\n\npackage main\n\nfunc b() string { return \"wasm\" }\n",
        "b_other.go": "//go:build !wasm || ignore\n\npackage main\n\nfunc b() string { return \"other\" }\n",
        "c_wasm.go": "//go:build go1.21 && (wasip1 || js)\n\npackage main\n\nfunc c() string { return \"c\" }\n",
        "c_test.go": "package main\n\nfunc c() string { return \"test\" }\n",
        "_c.go": "package main\n\nfunc c() string { return \"underscore\" }\n",
        "cgo.go": 'package main\n\nimport "C"\n\nfunc c() string { return "cgo" }\n',
      },
      entrypoint: "main.go",
    },
  ],
  [
    "a package of a sub-directory, with a compile error in it",
    {
      files: {
        "go.mod": "module example.com/app\n",
        "main.go": main("\tfmt.Println(util.X)", '"fmt"; "example.com/app/util"'),
        "util/util.go": "package util\n\nvar X = undefinedThing\n",
      },
      entrypoint: "main.go",
    },
  ],
  [
    "an entrypoint in a sub-directory importing a nested package",
    {
      files: {
        "cmd/app/main.go": main('\tfmt.Println(inner.Hello("x"))', '"fmt"; "main/lib/inner"'),
        "lib/inner/inner.go": 'package inner\n\nimport "strings"\n\nfunc Hello(s string) string { return strings.ToUpper(s) + "!" }\n',
      },
      entrypoint: "cmd/app/main.go",
    },
  ],
  [
    "an import cycle",
    {
      files: {
        "main.go": main("\tfmt.Println(a.A)", '"fmt"; "main/a"'),
        "a/a.go": 'package a\n\nimport "main/b"\n\nvar A = b.B\n',
        "b/b.go": 'package b\n\nimport "main/a"\n\nvar B = a.A\n',
      },
      entrypoint: "main.go",
    },
  ],
  ["an internal package of the standard library", { code: main("\tfmt.Println(abi.FuncPCABI0)", '"fmt"; "internal/abi"') }],
  ["a package that is not in std", { code: main("\tfmt.Println(x.Y)", '"fmt"; "nosuchpkg/x"') }],
  ["a vendored std package", { code: main("", '_ "vendor/golang.org/x/net/dns/dnsmessage"') }],
  ["a module that cannot be downloaded", { code: main("", '_ "golang.org/x/net/dns/dnsmessage"') }],
  ["two packages in one directory", { files: { "main.go": main("\tfmt.Println(1)"), "x.go": "package other\n" }, entrypoint: "main.go" }],
  [
    "//go:embed of a directory, a glob and a missing file",
    {
      files: {
        "main.go":
          'package main\n\nimport (\n\t"embed"\n\t"fmt"\n\t"io/fs"\n)\n\n//go:embed static\nvar static embed.FS\n\n//go:embed data/*.txt\nvar data embed.FS\n\n' +
          'func main() {\n\tfs.WalkDir(static, ".", func(p string, d fs.DirEntry, err error) error { fmt.Println(p); return nil })\n\tfs.WalkDir(data, ".", func(p string, d fs.DirEntry, err error) error { fmt.Println(p); return nil })\n}\n',
        "static/index.html": "<p>hi</p>",
        "static/.hidden": "no",
        "static/sub/_skip.txt": "no",
        "static/sub/keep.css": "x",
        "data/a.txt": "a",
        "data/b.md": "b",
      },
      entrypoint: "main.go",
    },
  ],
  ["a missing //go:embed file", { code: 'package main\n\nimport _ "embed"\n\n//go:embed nothing.txt\nvar s string\n\nfunc main() {}\n' }],
  [
    "runtime/debug.ReadBuildInfo of a main package in a sub-directory of a module",
    {
      files: {
        "go.mod": "module example.com/app\n",
        "cmd/x/main.go": main("\tinfo, ok := debug.ReadBuildInfo()\n\tfmt.Println(ok)\n\tfmt.Print(info)", '"fmt"; "runtime/debug"'),
      },
      entrypoint: "cmd/x/main.go",
    },
  ],
  ["a syntax error", { code: "package main\n\nfunc main() {\n\tx := \n}\n" }],
  ["runtime/debug and a big standard-library program", { code: main('\tb, _ := json.Marshal(map[string]any{"a": []int{1, 2}, "t": time.Duration(1500) * time.Millisecond})\n\tfmt.Println(string(b), regexp.MustCompile(`a+`).FindString("baaa"))', '"encoding/json"; "fmt"; "regexp"; "time"') }],
];

describe.skipIf(!!unavailable)(`go: compiler in WebAssembly against the host toolchain${unavailable ? ` (skipped: ${unavailable})` : ""}`, () => {
  it.each(CASES)("%s", async (_, req) => {
    const [w, h] = [await wasm.execute({ runtime: "go", timeout: 120_000, ...req }), await host.execute({ runtime: "go", timeout: 120_000, ...req })];
    expect({ stdout: w.stdout, stderr: w.stderr, exitCode: w.exitCode }).toEqual({ stdout: h.stdout, stderr: h.stderr, exitCode: h.exitCode });
  }, 300_000);

  it("gives the tools no host file even when a plan names one", async () => {
    // A plan as a bug in the planner could make it: an embed mapped to a host path. The compiler's
    // file system is the in-memory tree, so the host file does not exist for it.
    const tc = await findGoWasm(goWasmDir());
    const files = { "main.go": 'package main\n\nimport _ "embed"\n\n//go:embed x.txt\nvar s string\n\nfunc main() { print(s) }\n', "x.txt": "inside" };
    const planned = planGoBuild(files, ".", "main", tc.wasm.manifest);
    if (!("plan" in planned)) throw new Error(planned.diagnostics);
    planned.plan.packages[0]!.embed = { Patterns: { "x.txt": ["x.txt"] }, Files: { "x.txt": "/etc/hostname" } };
    const r = await buildInWasm(tc, planned.plan, files, { signal: new AbortController().signal, timeoutMs: 120_000 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.diagnostics).toMatch(/\/etc\/hostname: no such file or directory|open \/etc\/hostname/);
  }, 180_000);

  it("compiles with no host Go at all when told to use the compiler in WebAssembly", async () => {
    const ex = createExecutor({ toolchains: { go: "/nonexistent/go" }, runtimeOptions: { go: { compiler: "wasm" } } });
    try {
      expect(await ex.execute({ runtime: "go", code: main('\tfmt.Println("no host go")'), timeout: 120_000 })).toMatchObject({ stdout: "no host go\n", exitCode: 0 });
    } finally {
      await ex.close();
    }
  }, 180_000);

  it("says which compiler runs (GET /v1/runtimes); Rust says why it needs the machine's", async () => {
    const { go } = await import("../../../dist/runtimes/go/index.js");
    const { rust } = await import("../../../dist/runtimes/rust/index.js");
    const ctx = (compiler: string) => ({ options: { compiler }, toolchains: {} });
    expect(await go.compiler!(ctx("wasm"))).toMatch(/^Go's own compiler in WebAssembly \(go1\.\d+/);
    expect(await go.compiler!(ctx("host"))).toMatch(/^the machine's \/.*go/);
    expect(await rust.compiler!(ctx("auto"))).toContain("rustc is not available as a WebAssembly build here");
  });

  it("caps the compiler's memory: past compilerMemoryBytes the build ends with Go's out-of-memory error, exit 1", async () => {
    const ex = createExecutor({ runtimeOptions: { go: { compiler: "wasm", compilerMemoryBytes: 64 * 2 ** 20 } } });
    try {
      const r = await ex.execute({ runtime: "go", code: main(`\tfmt.Println("${Date.now()}")`), timeout: 120_000 });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/^# main\n(.*\n)?fatal error: out of memory\n\[wasmbox\] the Go compiler ran out of memory \(runtimeOptions\.go\.compilerMemoryBytes\)\n$/);
    } finally {
      await ex.close();
    }
  }, 180_000);

  it("refuses an unknown compiler choice, naming the option", async () => {
    const ex = createExecutor({ runtimeOptions: { go: { compiler: "gccgo" } } });
    try {
      await expect(ex.execute({ runtime: "go", code: main("") })).rejects.toMatchObject({
        code: "RUNTIME_UNAVAILABLE",
        message: expect.stringContaining("runtimeOptions.go.compiler"),
      });
    } finally {
      await ex.close();
    }
  });
});
