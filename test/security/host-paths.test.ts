/**
 * Nothing of the host's file system shows through to a guest: the paths a program can ask for
 * (its own file, executable, working, home and temporary directories, module search paths),
 * stack traces, error messages and compiler diagnostics name only the sandbox's files. Each
 * program prints what it sees, for the assertion message. Python, Ruby and PHP are checked in
 * their own folders.
 */
import { realpathSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor, type ExecuteRequest, type RuntimeName } from "wasmbox";
import { RUNTIMES, unavailability } from "./runtimes.js";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const HOST = new RegExp(
  [
    escape(process.cwd()),
    escape(realpathSync(process.cwd())),
    escape(tmpdir() + "/"),
    escape(realpathSync(tmpdir()) + "/"),
    "/tmp/",
    "node_modules",
    "/root\\b",
    "/home/",
    "dist/",
    "/opt/wasmbox",
    "/usr/lib/go",
    "wasmbox-build",
    "\\.cache/",
    ...(hostname() ? [`\\b${escape(hostname())}\\b`] : []),
  ].join("|"),
);

const NODE_CJS = `const os = require("os"), fs = require("fs");
const see = (label, f) => { let v; try { v = f(); } catch (e) { v = "throws " + e.message; } console.log(label + ":", typeof v === "string" ? v : JSON.stringify(v)); };
see("__filename", () => __filename);
see("__dirname", () => __dirname);
see("execPath", () => process.execPath);
see("argv", () => process.argv);
see("argv0", () => process.argv0);
see("cwd", () => process.cwd());
see("homedir", () => os.homedir());
see("tmpdir", () => os.tmpdir());
see("userInfo", () => os.userInfo());
see("require.main", () => require.main.filename);
see("module.paths", () => module.paths);
see("require.resolve", () => require.resolve("./lib.js"));
see("lib", () => require("./lib.js"));
see("realpath", () => fs.realpathSync("."));
see("readdir /", () => fs.readdirSync("/"));
see("env", () => process.env);
see("config", () => process.config);
see("missing module", () => require("./nope"));
see("missing file", () => fs.readFileSync("/nope/x"));
see("stack", () => new Error("here").stack);
null.boom;
`;

const NODE_ESM = `import os from "node:os";
import { createRequire } from "node:module";
import lib from "./lib.mjs";
console.log("import.meta.url:", import.meta.url);
console.log("import.meta.filename:", import.meta.filename, import.meta.dirname);
console.log("import.meta.resolve:", import.meta.resolve("./lib.mjs"));
console.log("lib:", lib);
console.log("createRequire:", createRequire(import.meta.url).resolve("./lib.mjs"));
console.log("stack:", new Error("here").stack);
await import("./nope.mjs");
`;

const BUN = `import os from "os";
const see = (label: string, f: () => unknown) => { let v: unknown; try { v = f(); } catch (e: any) { v = "throws " + e.message; } console.log(label + ":", typeof v === "string" ? v : JSON.stringify(v)); };
see("import.meta", () => [import.meta.url, import.meta.path, import.meta.dir, import.meta.file, import.meta.dirname, import.meta.filename]);
see("Bun.main", () => Bun.main);
see("Bun.argv", () => Bun.argv);
see("Bun.which", () => Bun.which("bun"));
see("execPath", () => process.execPath);
see("cwd", () => process.cwd());
see("homedir", () => os.homedir());
see("tmpdir", () => os.tmpdir());
see("require.resolve", () => require.resolve("./lib.ts"));
see("stack", () => new Error("here").stack);
throw new Error("uncaught");
`;

const GO = `package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
)

func main() {
	exe, err := os.Executable()
	fmt.Println("os.Executable:", exe, err)
	fmt.Println("os.Args:", os.Args)
	wd, err := os.Getwd()
	fmt.Println("os.Getwd:", wd, err)
	fmt.Println("os.TempDir:", os.TempDir())
	home, err := os.UserHomeDir()
	fmt.Println("os.UserHomeDir:", home, err)
	fmt.Println("runtime.GOROOT:", runtime.GOROOT())
	_, file, line, _ := runtime.Caller(0)
	fmt.Println("runtime.Caller:", file, line)
	info, _ := debug.ReadBuildInfo()
	fmt.Println("build info:", info)
	fmt.Println("stack:", string(debug.Stack()))
	_, err = os.Open("/nope/x")
	fmt.Println("open:", err)
	var m map[string]int
	m["boom"] = 1
}
`;

const RUST = `fn main() {
    println!("current_exe: {:?}", std::env::current_exe());
    println!("args: {:?}", std::env::args().collect::<Vec<_>>());
    println!("current_dir: {:?}", std::env::current_dir());
    #[allow(deprecated)]
    let home = std::env::home_dir();
    println!("home_dir: {:?}", home);
    println!("file!: {}", file!());
    println!("open: {:?}", std::fs::File::open("/nope/x").err());
    let v: Vec<i32> = Vec::new();
    println!("{}", v[std::env::args().count() + 2]);
}
`;

interface Case {
  name: string;
  runtime: RuntimeName;
  request: Omit<ExecuteRequest, "runtime">;
  /** Output that shows the program saw its own files (so the check is not vacuous). */
  sees: RegExp[];
}

const CASES: Case[] = [
  {
    name: "CommonJS: module paths, process, os, errors, an uncaught error",
    runtime: "node",
    request: { files: { "main.js": NODE_CJS, "lib.js": "module.exports = __filename;" }, entrypoint: "main.js" },
    sees: [/^__filename: \/main\.js$/m, /^lib: \/lib\.js$/m, /^cwd: \/$/m, /TypeError: Cannot read properties of null/],
  },
  {
    name: "ES modules: import.meta, createRequire, a failed import",
    runtime: "node",
    request: { files: { "main.mjs": NODE_ESM, "lib.mjs": "export default import.meta.url;" }, entrypoint: "main.mjs" },
    sees: [/^import\.meta\.url: file:\/\/\/main\.mjs$/m, /^lib: file:\/\/\/lib\.mjs$/m, /nope\.mjs/],
  },
  {
    name: "import.meta, Bun.*, process, os, an uncaught error",
    runtime: "bun",
    request: { files: { "main.ts": BUN, "lib.ts": "export const x = 1;" }, entrypoint: "main.ts" },
    sees: [/^Bun\.main: \/main\.ts$/m, /^cwd: \/$/m, /error: uncaught/i],
  },
  {
    name: "os paths, caller, build info, stacks, a runtime panic",
    runtime: "go",
    request: { code: GO },
    sees: [/^os\.Args: \[main\]$/m, /^runtime\.Caller: main\/main\.go 20$/m, /^panic: assignment to entry in nil map/m, /main\/main\.go:28/],
  },
  {
    name: "a compile error naming a package that is not in std",
    runtime: "go",
    request: { code: 'package main\n\nimport "nonexistent/pkg"\n\nfunc main() { pkg.X() }\n' },
    sees: [/main\.go:3:8: package nonexistent\/pkg is not in std \(\$GOROOT\/src\/nonexistent\/pkg\)/],
  },
  {
    name: "env paths, file!, a panic's location",
    runtime: "rust",
    request: { code: RUST },
    sees: [/^args: \["main"\]$/m, /^file!: main\.rs$/m, /panicked at main\.rs:11:/],
  },
  {
    name: "a compile error pointing into std",
    runtime: "rust",
    request: { code: "fn main() {\n    let mut v: Vec<i32> = Vec::new();\n    v.push();\n}\n" },
    sees: [/--> main\.rs:3:7/],
  },
];

const executor = createExecutor({ concurrency: 2 });
const unavailable = await unavailability(executor);
afterAll(() => executor.close());

describe.each(RUNTIMES.filter((r) => CASES.some((c) => c.runtime === r)))("%s", (runtime) => {
  const why = unavailable[runtime];
  for (const c of CASES.filter((c) => c.runtime === runtime)) {
    it.skipIf(!!why)(`${c.name}${why ? ` (skipped: ${why})` : ""}`, async () => {
      const r = await executor.execute({ runtime, ...c.request, timeout: 120_000 } as ExecuteRequest);
      const seen = `${r.stdout}\n--- stderr\n${r.stderr}`;
      for (const re of c.sees) expect(seen).toMatch(re);
      expect(seen).not.toMatch(HOST);
    }, 180_000);
  }
});
