/**
 * What a compiler can read at compile time, whatever the source makes it do. The Rust probes
 * assemble `include_str!`, `env!`, `#[path]` and `#[link(name = "@file")]` from token trees
 * passed through macros (swapped, nested, behind `$crate::`), a shape the early token check
 * does not see (asserted): only the jail stands between them and the host. Go's toolchain is
 * probed for its own ways (//go:embed, cgo directives), with and without the jail. And without
 * bubblewrap, Rust is refused unless the caller accepts the risk.
 */
import { afterAll, describe, expect, it } from "vitest";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { tmpdir } from "node:os";
import { createExecutor, type ExecuteResult } from "wasmbox";
import { findHostAccess } from "../../dist/runtimes/rust/containment.js";
import { overrideSandboxToolsForTests, runCompiler, sandboxTools } from "../../dist/runtimes/compiled/jail.js";
import { RUNTIMES, unavailability } from "./runtimes.js";

const executor = createExecutor({ concurrency: 2 });
const unavailable = await unavailability(executor);
const tools = await sandboxTools();
afterAll(() => executor.close());

const rustSkip = !RUNTIMES.includes("rust") ? "not selected" : unavailable.rust ?? (!tools.bwrap ? "bubblewrap is not usable here" : undefined);
const goSkip = !RUNTIMES.includes("go") ? "not selected" : unavailable.go;

/** Macro shapes that rebuild `$a $b $c` from `! name (args)`: the call appears only after expansion. */
const SHAPES: Record<string, (tokens: string) => string> = {
  swapped: (t) => `macro_rules! r { ($b:tt $a:tt $c:tt) => { $a $b $c } }\nconst S: &str = r!(! ${t});\n`,
  nested: (t) =>
    `macro_rules! inner { ($b:tt $a:tt $c:tt) => { $a $b $c } }\nmacro_rules! outer { ($($t:tt)*) => { inner!($($t)*) } }\nconst S: &str = outer!(! ${t});\n`,
  "$crate": (t) =>
    `#[macro_export]\nmacro_rules! pick { ($b:tt $a:tt $c:tt) => { $a $b $c } }\nmacro_rules! via { ($($t:tt)*) => { $crate::pick!($($t)*) } }\nconst S: &str = via!(! ${t});\n`,
  "repetition and a second level": (t) =>
    `macro_rules! call { ($m:tt $($rest:tt)*) => { $m $($rest)* } }\nmacro_rules! flip { ($b:tt $a:tt $c:tt) => { call!($a $b $c) } }\nconst S: &str = flip!(! ${t});\n`,
};
const program = (shape: string, tokens: string) => `${SHAPES[shape]!(tokens)}fn main() {\n    print!("{}", S);\n}\n`;

/** Files outside the toolchain, and what of the compiler's own process a host /proc would show. */
const FILES = ["/usr/lib/os-release", "/etc/passwd", "/etc/hostname", "/proc/self/environ", "/proc/self/cmdline", "/proc/self/mountinfo", "/proc/self/cwd/main.rs"];
/** Text that must never appear: lines of the host files, and the host's temp paths (the workspace lives there). */
const hostText = [
  ...["/usr/lib/os-release", "/etc/passwd", "/etc/hostname"].filter((f) => existsSync(f)).flatMap((f) =>
    readFileSync(f, "utf8")
      .split("\n")
      .filter((l) => l.trim().length > 3),
  ),
  "wasmbox-build-",
  `${tmpdir()}/`,
];
const expectNothingOfTheHost = (r: ExecuteResult) => {
  const all = r.stdout + r.stderr;
  for (const t of hostText) expect(all, `host text ${JSON.stringify(t)} reached the output`).not.toContain(t);
};

describe.skipIf(!!rustSkip)(`rust: the compiler's jail${rustSkip ? ` (skipped: ${rustSkip})` : ""}`, () => {
  const rs = (code: string) => executor.execute({ runtime: "rust", code, timeout: 60_000 });

  for (const shape of Object.keys(SHAPES))
    it.each(FILES)(`include_str! assembled by macros (${shape}) finds no %s`, async (file) => {
      const code = program(shape, `include_str (${JSON.stringify(file)})`);
      expect(findHostAccess("main.rs", code), "the probe must get past the token check").toEqual([]);
      const r = await rs(code);
      expect(r.stdout, r.stderr).toBe("");
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(`couldn't read \`${file}\``);
      expectNothingOfTheHost(r);
    });

  it("env! assembled by macros sees only jail paths (TMPDIR, PWD, PATH)", async () => {
    for (const name of ["TMPDIR", "PWD", "PATH", "HOME", "LD_LIBRARY_PATH"]) {
      const code = `macro_rules! r { ($b:tt $a:tt $c:tt) => { $a $b $c } }\nconst S: Option<&str> = r!(! option_env (${JSON.stringify(name)}));\nfn main() {\n    print!("{:?}", S);\n}\n`;
      expect(findHostAccess("main.rs", code)).toEqual([]);
      const r = await rs(code);
      expect(r.exitCode, r.stderr).toBe(0);
      expectNothingOfTheHost(r);
      if (name === "TMPDIR") expect(r.stdout).toBe('Some("/build/tmp")');
      // a wrapper script's shell may set PWD: to the jail's directory
      if (name === "PWD") expect(r.stdout).toMatch(/^(None|Some\("\/build\/src"\))$/);
      if (name === "HOME") expect(r.stdout).toBe("None");
    }
  });

  it("#[path] assembled by macros finds no host file", async () => {
    for (const file of ["/etc/passwd", "/usr/lib/os-release"]) {
      const code = `macro_rules! m { ($a:tt $b:tt) => { $b $a mod x; } }\nm!([path = ${JSON.stringify(file)}] #);\nfn main() {}\n`;
      expect(findHostAccess("main.rs", code)).toEqual([]);
      const r = await rs(code);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(`couldn't read \`${file}\``);
      expectNothingOfTheHost(r);
    }
  });

  it("#[link(name = \"@file\")] assembled by macros: the linker finds no host file to print", async () => {
    const code = `macro_rules! m { ($a:tt $b:tt) => { $b $a extern "C" { fn f(); } } }\nm!([link(name = "@/usr/lib/os-release")] #);\nfn main() {\n    unsafe { f() }\n}\n`;
    expect(findHostAccess("main.rs", code)).toEqual([]);
    const r = await rs(code);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/unable to find library -l@\/usr\/lib\/os-release/);
    expectNothingOfTheHost(r);
  });

  it("still compiles and runs ordinary programs in the jail, diagnostics relative to the user's files", async () => {
    const ok = await executor.execute({ runtime: "rust", files: { "main.rs": "mod util;\nfn main() {\n    println!(\"{}\", util::f());\n}\n", "util.rs": "pub fn f() -> u32 {\n    42\n}\n" }, entrypoint: "main.rs" });
    expect(ok).toMatchObject({ stdout: "42\n", exitCode: 0 });
    const bad = await executor.execute({ runtime: "rust", files: { "main.rs": "mod util;\nfn main() {\n    util::f();\n}\n", "util.rs": 'pub fn f() {\n    let x: i32 = "text";\n}\n' }, entrypoint: "main.rs" });
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain("--> util.rs:2:");
    expect(bad.stderr).not.toMatch(/\/build|<build>|\/tmp\//);
  });
});

describe.skipIf(!!goSkip)(`go: what the toolchain reads${goSkip ? ` (skipped: ${goSkip})` : ""}`, () => {
  const probes: Record<string, string> = {
    "//go:embed of an absolute path": 'package main\n\nimport (\n\t_ "embed"\n\t"fmt"\n)\n\n//go:embed /etc/passwd\nvar s string\n\nfunc main() {\n\tfmt.Print(s)\n}\n',
    "//go:embed climbing out of the module": 'package main\n\nimport (\n\t_ "embed"\n\t"fmt"\n)\n\n//go:embed ../../../../../../../usr/lib/os-release\nvar s string\n\nfunc main() {\n\tfmt.Print(s)\n}\n',
    "cgo directives naming a response file": 'package main\n\n// #cgo LDFLAGS: @/usr/lib/os-release\n// #cgo CFLAGS: @/etc/passwd\nimport "C"\n\nfunc main() {}\n',
    "an absolute import path": 'package main\n\nimport _ "/usr/lib/os-release"\n\nfunc main() {}\n',
  };
  const modes = [["jailed", undefined], ["without bubblewrap", { prlimit: tools.prlimit }]] as const;
  for (const [mode, override] of modes)
    it.each(Object.keys(probes))(`%s reads nothing of the host (${mode})`, async (name) => {
      if (override) overrideSandboxToolsForTests(override);
      try {
        // a comment per mode: the same source would come from the build cache
        const r = await executor.execute({ runtime: "go", code: `// ${mode}\n${probes[name]!}`, timeout: 120_000 });
        expect(r.exitCode, r.stdout + r.stderr).not.toBe(0);
        expect(r.stdout).toBe("");
        expectNothingOfTheHost(r);
      } finally {
        overrideSandboxToolsForTests(undefined);
      }
    });
});

describe("without bubblewrap", () => {
  const noBwrap = () => overrideSandboxToolsForTests({ prlimit: tools.prlimit });
  afterAll(() => overrideSandboxToolsForTests(undefined));

  it.skipIf(!RUNTIMES.includes("rust") || !!unavailable.rust)("refuses Rust with RUNTIME_UNAVAILABLE, saying how to fix it or opt in", async () => {
    noBwrap();
    const ex = createExecutor({ concurrency: 1 });
    try {
      await expect(ex.execute({ runtime: "rust", code: "fn main() {}\n" })).rejects.toMatchObject({
        code: "RUNTIME_UNAVAILABLE",
        message: expect.stringMatching(/bubblewrap[\s\S]*read any file[\s\S]*apt-get install bubblewrap[\s\S]*unjailedCompile: "accept-risk"/),
      });
    } finally {
      await ex.close();
    }
  });

  it.skipIf(!RUNTIMES.includes("rust") || !!unavailable.rust)("compiles Rust when the caller accepts the risk, with a warning that says what is and is not protected", async () => {
    noBwrap();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on("warning", onWarning);
    const ex = createExecutor({ concurrency: 1, toolchains: { unjailedCompile: "accept-risk" } });
    try {
      const r = await ex.execute({ runtime: "rust", code: 'fn main() {\n    println!("unjailed {}", 6 * 7);\n}\n', timeout: 60_000 });
      expect(r).toMatchObject({ stdout: "unjailed 42\n", exitCode: 0 });
      await new Promise((res) => setImmediate(res));
      const w = warnings.find((m) => m.includes("Rust compiles run without it"));
      expect(w).toMatch(/Not protected: .*read any file this user can read/);
      expect(w).toMatch(/Still protected: .*WebAssembly without host access/);
      expect(w).not.toMatch(/still refused/);
    } finally {
      process.off("warning", onWarning);
      await ex.close();
    }
  });

  it("rejects an unknown unjailedCompile value, naming the field", () => {
    expect(() => createExecutor({ toolchains: { unjailedCompile: "yes" as never } })).toThrow(/toolchains\.unjailedCompile[\s\S]*"refuse" or "accept-risk"/);
  });
});

describe.skipIf(!tools.bwrap || !existsSync("/lib64/ld-linux-x86-64.so.2"))("a jail that lacks a library", () => {
  it("is a SANDBOX_FAILURE of wasmbox, not the program's compile error", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "wasmbox-jail-lib-"));
    try {
      // A dynamic executable in a root, not named as a binary: the jail gets its loader, not its libc.
      copyFileSync("/usr/bin/true", path.join(dir, "true"));
      const work = path.join(dir, "work");
      mkdirSync(work);
      const run = runCompiler({
        argv: [path.join(dir, "true")],
        cwd: work,
        env: {},
        workspace: work,
        toolchain: { roots: [dir], binaries: ["/lib64/ld-linux-x86-64.so.2"] },
        writable: [],
        signal: new AbortController().signal,
        timeoutMs: 30_000,
        memoryBytes: 2 ** 30,
      });
      await expect(run).rejects.toMatchObject({ code: "SANDBOX_FAILURE", message: expect.stringMatching(/lacks a library/) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
