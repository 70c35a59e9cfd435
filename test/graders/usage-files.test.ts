/**
 * `usage` and `returnFiles` in every runtime: each has its working directory on an in-memory
 * tree of its own (WASI for Go, Rust and Ruby, Emscripten's FS for Python and PHP, memfs for
 * node and bun), read back after the run; CPU time is the sandbox thread's, not wall time.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor, type ExecuteResult, type RuntimeName } from "wasmbox";

const executor = createExecutor({ concurrency: 2, maxTimeout: 120_000 });
afterAll(() => executor.close());

async function available(name: RuntimeName): Promise<string | undefined> {
  try {
    await executor.runtime(name);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * Each program: writes new.txt ("made\n"), out/deep/r.txt ("deep"), bin.dat (bytes 0 255 1),
 * junk.log (not asked for), rewrites keep.txt ("changed"), and leaves same.txt as it was.
 */
const programs: Record<RuntimeName, string> = {
  python: `import os
open("new.txt", "w").write("made\\n")
os.makedirs("out/deep")
open("out/deep/r.txt", "w").write("deep")
open("bin.dat", "wb").write(bytes([0, 255, 1]))
open("junk.log", "w").write("x")
open("keep.txt", "w").write("changed")
`,
  node: `const fs = require("fs");
fs.writeFileSync("new.txt", "made\\n");
fs.mkdirSync("out/deep", { recursive: true });
fs.writeFileSync("out/deep/r.txt", "deep");
fs.writeFileSync("bin.dat", Buffer.from([0, 255, 1]));
fs.writeFileSync("junk.log", "x");
fs.writeFileSync("keep.txt", "changed");
`,
  bun: `import * as fs from "fs";
fs.writeFileSync("new.txt", "made\\n");
fs.mkdirSync("out/deep", { recursive: true });
fs.writeFileSync("out/deep/r.txt", "deep");
fs.writeFileSync("bin.dat", new Uint8Array([0, 255, 1]));
fs.writeFileSync("junk.log", "x");
fs.writeFileSync("keep.txt", "changed");
`,
  ruby: `File.write("new.txt", "made\\n")
require "fileutils"
FileUtils.mkdir_p("out/deep")
File.write("out/deep/r.txt", "deep")
File.binwrite("bin.dat", [0, 255, 1].pack("C*"))
File.write("junk.log", "x")
File.write("keep.txt", "changed")
`,
  php: `<?php
file_put_contents("new.txt", "made\\n");
mkdir("out/deep", 0777, true);
file_put_contents("out/deep/r.txt", "deep");
file_put_contents("bin.dat", "\\x00\\xff\\x01");
file_put_contents("junk.log", "x");
file_put_contents("keep.txt", "changed");
`,
  go: `package main
import "os"
func main() {
	os.WriteFile("new.txt", []byte("made\\n"), 0o644)
	os.MkdirAll("out/deep", 0o755)
	os.WriteFile("out/deep/r.txt", []byte("deep"), 0o644)
	os.WriteFile("bin.dat", []byte{0, 255, 1}, 0o644)
	os.WriteFile("junk.log", []byte("x"), 0o644)
	os.WriteFile("keep.txt", []byte("changed"), 0o644)
}
`,
  rust: `use std::fs;
fn main() {
    fs::write("new.txt", "made\\n").unwrap();
    fs::create_dir_all("out/deep").unwrap();
    fs::write("out/deep/r.txt", "deep").unwrap();
    fs::write("bin.dat", [0u8, 255, 1]).unwrap();
    fs::write("junk.log", "x").unwrap();
    fs::write("keep.txt", "changed").unwrap();
}
`,
};

const ENTRY: Record<RuntimeName, string> = { python: "main.py", node: "main.js", bun: "main.ts", ruby: "main.rb", php: "main.php", go: "main.go", rust: "main.rs" };

/** Per language: a fixed amount of work (a counting loop), and a 500 ms sleep (wall time, little CPU). */
const workAndSleep: Partial<Record<RuntimeName, [string, string]>> = {
  ruby: ["i = 0\nwhile i < 3_000_000\n  i += 1\nend\nputs i\n", "sleep 0.5\nputs 0\n"],
  python: ["i = 0\nwhile i < 2_000_000:\n    i += 1\nprint(i)\n", "import time\ntime.sleep(0.5)\nprint(0)\n"],
  node: ["let i = 0;\nwhile (i < 3e6) i++;\nconsole.log(i);\n", "setTimeout(() => console.log(0), 500);\n"],
  go: ["package main\nimport \"fmt\"\nfunc main() {\n\ts := 0\n\tfor i := 0; i < 300_000_000; i++ { s += i ^ (s >> 3) }\n\tfmt.Println(s != 1)\n}\n", "package main\nimport (\"fmt\"; \"time\")\nfunc main() { time.Sleep(500 * time.Millisecond); fmt.Println(false) }\n"],
};

describe("returnFiles", () => {
  for (const name of Object.keys(programs) as RuntimeName[]) {
    it(`${name}: returns the files it created or changed that match, sorted, binary as base64`, async (ctx) => {
      const why = await available(name);
      if (why) return ctx.skip(`${name} unavailable: ${why}`);
      const r = await executor.execute({
        runtime: name,
        files: { [ENTRY[name]]: programs[name], "keep.txt": "original", "same.txt": "unchanged" },
        entrypoint: ENTRY[name],
        returnFiles: ["*.{txt,dat}", "out/**"],
        timeout: 120_000,
      });
      expect(r.stderr).toBe("");
      expect(r.exitCode).toBe(0);
      expect(r.files).toEqual([
        { path: "bin.dat", size: 3, encoding: "base64", content: "AP8B" },
        { path: "keep.txt", size: 7, encoding: "utf8", content: "changed" },
        { path: "new.txt", size: 5, encoding: "utf8", content: "made\n" },
        { path: "out/deep/r.txt", size: 4, encoding: "utf8", content: "deep" },
      ]);
      expect(Object.keys(r)).not.toContain("usage");
    });
  }

  it("caps each file and all files together, marking what was cut", async () => {
    const capped = createExecutor({ caps: { maxReturnFileBytes: 6, maxReturnTotalBytes: 10, maxReturnFiles: 3 } });
    try {
      const r = await capped.execute({
        runtime: "ruby",
        code: 'File.write("a.txt", "ééééé")\nFile.write("b.txt", "0123")\nFile.write("c.txt", "xyz")\nFile.write("d.txt", "over")\n',
        returnFiles: ["*.txt"],
      });
      // a.txt: 10 bytes, cut at 6 (three whole characters); b.txt: 4 more, the total is reached;
      // c.txt: listed without content; d.txt: past the count.
      expect(r.files).toEqual([
        { path: "a.txt", size: 10, encoding: "utf8", content: "ééé", truncated: true },
        { path: "b.txt", size: 4, encoding: "utf8", content: "0123" },
        { path: "c.txt", size: 3, encoding: "utf8", content: "", truncated: true },
      ]);
    } finally {
      await capped.close();
    }
  });

  it("returns an empty list when nothing matches, and for a program that timed out", async () => {
    const none = await executor.execute({ runtime: "ruby", code: 'File.write("a.log", "1")', returnFiles: ["*.txt"] });
    expect(none.files).toEqual([]);
    const late = await executor.execute({ runtime: "ruby", code: 'File.write("a.txt", "1"); loop {}', returnFiles: ["*.txt"], timeout: 1500 });
    expect(late.timedOut).toBe(true);
    expect(late.files).toEqual([]);
  });
});

describe("usage", () => {
  for (const [name, [work, sleep]] of Object.entries(workAndSleep) as [RuntimeName, [string, string]][]) {
    it(`${name}: CPU time is the run's own (work adds CPU, a sleep only wall time), with its peak memory`, async (ctx) => {
      const why = await available(name);
      if (why) return ctx.skip(`${name} unavailable: ${why}`);
      // Python's interpreter thread runs inside its jailed host process, which on Node < 23.9 has
      // no per-thread clock it may read: it reports its process's CPU, an upper bound that also
      // counts interpreters booting beside the run (README, usage).
      if (name === "python" && typeof (process as { threadCpuUsage?: unknown }).threadCpuUsage !== "function")
        return ctx.skip("python: no per-thread CPU clock in its host process on this Node (cpuTime is an upper bound)");
      const busy: ExecuteResult = await executor.execute({ runtime: name, code: work, report: ["usage"], timeout: 120_000 });
      const idle: ExecuteResult = await executor.execute({ runtime: name, code: sleep, report: ["usage"], timeout: 120_000 });
      expect([busy.exitCode, idle.exitCode, idle.stderr]).toEqual([0, 0, ""]);
      for (const u of [busy.usage!, idle.usage!]) {
        expect(Object.keys(u).sort()).toEqual(name === "go" ? ["compileTime", "cpuTime", "memory", "wallTime"] : ["cpuTime", "memory", "wallTime"]);
        expect(u.memory).toBeGreaterThan(1024 * 1024);
      }
      expect(idle.usage!.wallTime).toBeGreaterThanOrEqual(490);
      // The sleep is wall time only; the loop is CPU time whatever else the machine runs.
      expect(idle.usage!.cpuTime!).toBeLessThan(idle.usage!.wallTime - 300);
      expect(busy.usage!.cpuTime!).toBeGreaterThan(idle.usage!.cpuTime! + 40);
      expect(busy.usage!.cpuTime!).toBeLessThanOrEqual(busy.usage!.wallTime + 5);
      // Compile time, where there is a compile, is apart from the run's.
      expect(busy.executionTime).toBeGreaterThanOrEqual(busy.usage!.wallTime);
    });
  }

  it("peak memory grows with what the program allocates", async () => {
    const small = await executor.execute({ runtime: "python", code: "print(1)", report: ["usage"] });
    const big = await executor.execute({ runtime: "python", code: "b = bytearray(96 * 1024 * 1024)\nprint(len(b))", report: ["usage"] });
    expect(big.stdout).toBe(`${96 * 1024 * 1024}\n`);
    expect(big.usage!.memory).toBeGreaterThan(small.usage!.memory + 90 * 1024 * 1024);
  });
});
