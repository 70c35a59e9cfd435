/**
 * Sessions (src/session/): a file tree that persists between executions of any runtime, its
 * files API, quota, idle expiry, the executor's limit, snapshots and forks, and isolation
 * between sessions.
 */
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor, type RuntimeName, type Session } from "wasmbox";
import { unavailability } from "../security/runtimes.js";

const executor = createExecutor({ concurrency: 2, maxTimeout: 120_000 });
afterAll(() => executor.close());
const unavailable = await unavailability(executor);

/**
 * Each program: reads in.txt (text) and data.bin (bytes 0..255), prints "<text> <byte count>
 * <sum of bytes>", writes out/<runtime>.txt ("from <runtime>") and bin-<runtime>.dat (bytes 255 0 7),
 * and deletes gone.txt.
 */
const programs: Record<RuntimeName, string> = {
  python: `import os
data = open("data.bin", "rb").read()
print(open("in.txt").read(), len(data), sum(data))
os.makedirs("out", exist_ok=True)
open("out/python.txt", "w").write("from python")
open("bin-python.dat", "wb").write(bytes([255, 0, 7]))
os.remove("gone.txt")
`,
  node: `const fs = require("fs");
const data = fs.readFileSync("data.bin");
console.log(fs.readFileSync("in.txt", "utf8"), data.length, data.reduce((a, b) => a + b, 0));
fs.mkdirSync("out", { recursive: true });
fs.writeFileSync("out/node.txt", "from node");
fs.writeFileSync("bin-node.dat", Buffer.from([255, 0, 7]));
fs.unlinkSync("gone.txt");
`,
  bun: `const fs = require("fs");
const data = fs.readFileSync("data.bin");
console.log(fs.readFileSync("in.txt", "utf8"), data.length, data.reduce((a, b) => a + b, 0));
fs.mkdirSync("out", { recursive: true });
fs.writeFileSync("out/bun.txt", "from bun");
fs.writeFileSync("bin-bun.dat", Buffer.from([255, 0, 7]));
fs.unlinkSync("gone.txt");
`,
  ruby: `data = File.binread("data.bin")
puts "#{File.read("in.txt")} #{data.bytesize} #{data.bytes.sum}"
Dir.mkdir("out") unless Dir.exist?("out")
File.write("out/ruby.txt", "from ruby")
File.binwrite("bin-ruby.dat", [255, 0, 7].pack("C*"))
File.delete("gone.txt")
`,
  php: `<?php
$data = file_get_contents("data.bin");
echo file_get_contents("in.txt"), " ", strlen($data), " ", array_sum(unpack("C*", $data)), "\\n";
@mkdir("out");
file_put_contents("out/php.txt", "from php");
file_put_contents("bin-php.dat", "\\xff\\x00\\x07");
unlink("gone.txt");
`,
  go: `package main

import (
	"fmt"
	"os"
)

func main() {
	data, _ := os.ReadFile("data.bin")
	text, _ := os.ReadFile("in.txt")
	sum := 0
	for _, b := range data {
		sum += int(b)
	}
	fmt.Println(string(text), len(data), sum)
	os.MkdirAll("out", 0o755)
	os.WriteFile("out/go.txt", []byte("from go"), 0o644)
	os.WriteFile("bin-go.dat", []byte{255, 0, 7}, 0o644)
	os.Remove("gone.txt")
}
`,
  rust: `use std::fs;
fn main() {
    let data = fs::read("data.bin").unwrap();
    let text = fs::read_to_string("in.txt").unwrap();
    let sum: u32 = data.iter().map(|&b| b as u32).sum();
    println!("{} {} {}", text, data.len(), sum);
    fs::create_dir_all("out").unwrap();
    fs::write("out/rust.txt", "from rust").unwrap();
    fs::write("bin-rust.dat", [255u8, 0, 7]).unwrap();
    fs::remove_file("gone.txt").unwrap();
}
`,
};

const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);

describe.each(Object.keys(programs) as RuntimeName[])("a session's files in %s", (runtime) => {
  it("are the working directory; what the program writes and deletes stays for the next call", { timeout: 180_000 }, async (t) => {
    const why = unavailable[runtime];
    if (why) return t.skip(why);
    const session = executor.createSession();
    try {
      await session.files.write("in.txt", "hello");
      await session.files.write("data.bin", ALL_BYTES);
      await session.files.write("gone.txt", "bye");
      const r = await session.execute({ runtime, code: programs[runtime], timeout: 120_000 });
      expect(r.stderr).toBe("");
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe(`hello 256 ${(255 * 256) / 2}\n`);
      expect(await session.files.readText(`out/${runtime}.txt`)).toBe(`from ${runtime}`);
      expect([...(await session.files.read(`bin-${runtime}.dat`))]).toEqual([255, 0, 7]);
      await expect(session.files.read("gone.txt")).rejects.toMatchObject({ code: "FILE_NOT_FOUND" });
      expect((await session.files.list()).map((e) => e.path)).toEqual([`bin-${runtime}.dat`, "data.bin", "in.txt", "out"]);
      // The `code` program itself is not kept in the session.
      expect(session.tree.count).toBe(4);
      // The next call (another runtime) sees what this one left.
      const next = await session.execute({ runtime: "node", code: `const fs = require("fs"); console.log(fs.readFileSync("out/${runtime}.txt", "utf8"), [...fs.readFileSync("bin-${runtime}.dat")].join(","))` });
      expect(next.stdout).toBe(`from ${runtime} 255,0,7\n`);
    } finally {
      await session.close();
    }
  });
});

describe("session.execute", () => {
  it("writes the request's files into the session first, and runs a session file by entrypoint", async () => {
    const s = executor.createSession();
    try {
      const r = await s.execute({ runtime: "python", files: { "lib/util.py": "X = 41\n", "main.py": "from lib.util import X\nprint(X + 1)\n" } });
      expect(r.stdout).toBe("42\n");
      expect(await s.files.readText("lib/util.py")).toBe("X = 41\n");
      await s.files.write("again.py", "from lib.util import X\nprint(X)\n");
      const again = await s.execute({ runtime: "python", entrypoint: "again.py" });
      expect(again.stdout).toBe("41\n");
      await expect(s.execute({ runtime: "python", entrypoint: "missing.py" })).rejects.toMatchObject({ code: "INVALID_REQUEST", field: "entrypoint" });
    } finally {
      await s.close();
    }
  });

  it("keeps a session file that a `code` program of the same name shadowed, unless the program changed it", async () => {
    const s = executor.createSession();
    try {
      await s.files.write("main.py", "print('the session file')\n");
      const r = await s.execute({ runtime: "python", code: "print('the code')" });
      expect(r.stdout).toBe("the code\n");
      expect(await s.files.readText("main.py")).toBe("print('the session file')\n");
    } finally {
      await s.close();
    }
  });

  it("leaves the files as they were when the run timed out", async () => {
    const s = executor.createSession();
    try {
      await s.files.write("keep.txt", "before");
      const r = await s.execute({ runtime: "python", code: "open('keep.txt','w').write('after')\nopen('new.txt','w').write('x')\nwhile True: pass", timeout: 1500 });
      expect(r.timedOut).toBe(true);
      expect(await s.files.readText("keep.txt")).toBe("before");
      await expect(s.files.read("new.txt")).rejects.toMatchObject({ code: "FILE_NOT_FOUND" });
    } finally {
      await s.close();
    }
  });

  it("returns the request's returnFiles from what the run left", async () => {
    const s = executor.createSession();
    try {
      await s.files.write("old.txt", "unchanged");
      const r = await s.execute({ runtime: "node", code: 'require("fs").writeFileSync("r.csv", "a,b\\n"); require("fs").writeFileSync("skip.txt", "s")', returnFiles: ["*.csv", "old.txt"] });
      expect(r.files).toEqual([{ path: "r.csv", size: 4, encoding: "utf8", content: "a,b\n" }]);
    } finally {
      await s.close();
    }
  });

  it("runs one call at a time, in order", async () => {
    const s = executor.createSession();
    try {
      const calls = Array.from({ length: 4 }, (_, i) =>
        s.execute({ runtime: "node", code: `const fs = require("fs"); let n = 0; try { n = Number(fs.readFileSync("n.txt", "utf8")); } catch {} fs.writeFileSync("n.txt", String(n + 1)); console.log(n + 1, ${i})` }),
      );
      const out = (await Promise.all(calls)).map((r) => r.stdout);
      expect(out).toEqual(["1 0\n", "2 1\n", "3 2\n", "4 3\n"]);
    } finally {
      await s.close();
    }
  });
});

describe("session.files", () => {
  it("reads, writes (text and bytes), lists and removes; paths are checked as request paths are", async () => {
    const s = executor.createSession();
    try {
      await s.files.write("a/b/c.txt", "héllo");
      await s.files.write("a/raw.bin", new Uint8Array([0, 1, 2, 250]));
      expect(await s.files.readText("a/b/c.txt")).toBe("héllo");
      expect([...(await s.files.read("a/raw.bin"))]).toEqual([0, 1, 2, 250]);
      expect(await s.files.list()).toEqual([{ name: "a", path: "a", type: "dir", size: 10 }]);
      expect(await s.files.list("a")).toEqual([
        { name: "b", path: "a/b", type: "dir", size: 6 },
        { name: "raw.bin", path: "a/raw.bin", type: "file", size: 4 },
      ]);
      // What read() returns is a copy: changing it changes nothing in the session.
      (await s.files.read("a/raw.bin"))[0] = 99;
      expect((await s.files.read("a/raw.bin"))[0]).toBe(0);
      for (const bad of ["../x", "/etc/passwd", "a//b", "./a", "a\\b", ""])
        await expect(s.files.write(bad, "x"), bad).rejects.toMatchObject({ code: "INVALID_REQUEST", field: "path" });
      await expect(s.files.write("a/raw.bin/x", "x")).rejects.toMatchObject({ code: "INVALID_REQUEST" });
      await expect(s.files.write("a", "x")).rejects.toMatchObject({ code: "INVALID_REQUEST" });
      await expect(s.files.list("nope")).rejects.toMatchObject({ code: "FILE_NOT_FOUND" });
      await s.files.remove("a/b");
      expect((await s.files.list("a")).map((e) => e.name)).toEqual(["raw.bin"]);
      await expect(s.files.remove("a/b")).rejects.toMatchObject({ code: "FILE_NOT_FOUND" });
    } finally {
      await s.close();
    }
  });
});

describe("limits", () => {
  it("refuses writes past the quota and keeps nothing of them", async () => {
    const s = executor.createSession({ maxBytes: 1000, maxFiles: 3 });
    try {
      await s.files.write("a.txt", "x".repeat(900));
      await expect(s.files.write("b.txt", "y".repeat(200))).rejects.toMatchObject({ code: "SESSION_QUOTA" });
      await s.files.write("b.txt", "y");
      await s.files.write("c.txt", "z");
      await expect(s.files.write("d.txt", "w")).rejects.toMatchObject({ code: "SESSION_QUOTA" });
      expect(s.info()).toMatchObject({ files: 3, bytes: 902 });
    } finally {
      await s.close();
    }
  });

  it("a run whose files would pass the quota leaves the session as it was and says so on stderr", async () => {
    const s = executor.createSession({ maxBytes: 10_000 });
    try {
      await s.files.write("keep.txt", "kept");
      const r = await s.execute({ runtime: "python", code: "open('big.txt','w').write('x' * 20000)\nimport os\nos.remove('keep.txt')\nprint('ran')" });
      expect(r.stdout).toBe("ran\n");
      expect(r.stderr).toMatch(/quota/);
      expect(await s.files.readText("keep.txt")).toBe("kept");
      await expect(s.files.read("big.txt")).rejects.toMatchObject({ code: "FILE_NOT_FOUND" });
    } finally {
      await s.close();
    }
  });

  it("ends a session idle past its idleTimeout; later calls get SESSION_EXPIRED", async () => {
    const s = executor.createSession({ idleTimeout: 1500 });
    await s.files.write("a.txt", "a");
    // A call keeps it alive: the clock starts again after each.
    await new Promise((r) => setTimeout(r, 800));
    await s.files.list();
    await new Promise((r) => setTimeout(r, 800));
    expect(s.closed).toBe(false);
    await new Promise((r) => setTimeout(r, 2000));
    expect(s.closed).toBe(true);
    await expect(s.files.read("a.txt")).rejects.toMatchObject({ code: "SESSION_EXPIRED" });
    await expect(s.execute({ runtime: "node", code: "1" })).rejects.toMatchObject({ code: "SESSION_EXPIRED" });
    expect(executor.session(s.id)).toBeUndefined();
  });

  it("an executor holds at most sessions.max; close() frees the room and everything of the session", async () => {
    const ex = createExecutor({ sessions: { max: 2 } });
    try {
      const a = ex.createSession();
      const b = ex.createSession();
      expect(() => ex.createSession()).toThrow(expect.objectContaining({ code: "SESSION_LIMIT" }));
      await expect(a.fork()).rejects.toMatchObject({ code: "SESSION_LIMIT" });
      await a.files.write("x.txt", "x");
      await a.close();
      expect(a.tree.count).toBe(0);
      await expect(a.files.list()).rejects.toMatchObject({ code: "SESSION_CLOSED" });
      const c = ex.createSession();
      expect(ex.listSessions().map((s) => s.id).sort()).toEqual([b.id, c.id].sort());
    } finally {
      await ex.close();
    }
    expect(ex.listSessions()).toEqual([]);
  });

  it("close() stops a running call", async () => {
    const s = executor.createSession();
    const running = s.execute({ runtime: "node", code: "while (true) {}", timeout: 60_000 });
    await new Promise((r) => setTimeout(r, 500));
    const started = Date.now();
    await s.close();
    const r = await running;
    expect(r.exitCode).toBe(130);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("bad options are refused with the option's name", () => {
    expect(() => executor.createSession({ maxBytes: -1 })).toThrow(/maxBytes/);
    expect(() => executor.createSession({ idleTimeout: 1.5 })).toThrow(/idleTimeout/);
  });
});

describe("snapshots and forks", () => {
  it("a snapshot brings the files back in a new session; a fork diverges without touching its parent", async () => {
    const s = executor.createSession();
    let restored: Session | undefined;
    let fork: Session | undefined;
    try {
      await s.files.write("t.txt", "text");
      await s.files.write("d/b.bin", ALL_BYTES);
      const snap = await s.snapshot();
      restored = executor.restoreSession(snap);
      expect(restored.id).not.toBe(s.id);
      expect(await restored.files.readText("t.txt")).toBe("text");
      expect([...(await restored.files.read("d/b.bin"))]).toEqual([...ALL_BYTES]);

      fork = await s.fork();
      await fork.execute({ runtime: "python", code: "open('t.txt','w').write('fork')\nopen('f.txt','w').write('only in the fork')" });
      await s.files.remove("d");
      expect(await fork.files.readText("t.txt")).toBe("fork");
      expect(await s.files.readText("t.txt")).toBe("text");
      await expect(s.files.read("f.txt")).rejects.toMatchObject({ code: "FILE_NOT_FOUND" });
      expect((await fork.files.read("d/b.bin")).byteLength).toBe(256);
    } finally {
      await Promise.all([s.close(), restored?.close(), fork?.close()]);
    }
  });

  it("refuses bytes that are not a snapshot, or a snapshot whose paths are not clean", async () => {
    expect(() => executor.restoreSession(new TextEncoder().encode("hello"))).toThrow(expect.objectContaining({ code: "INVALID_REQUEST", field: "snapshot" }));
    const forged = new TextEncoder().encode(`WBXSESSION1\n${JSON.stringify({ files: [{ path: "../escape", size: 1 }] })}\nx`);
    expect(() => executor.restoreSession(forged)).toThrow(expect.objectContaining({ code: "INVALID_REQUEST" }));
    const truncated = new TextEncoder().encode(`WBXSESSION1\n${JSON.stringify({ files: [{ path: "a", size: 10 }] })}\nx`);
    expect(() => executor.restoreSession(truncated)).toThrow(/truncated/);
  });
});

describe("isolation between sessions", () => {
  it("two sessions running at once never see each other's files or output", { timeout: 120_000 }, async () => {
    const a = executor.createSession();
    const b = executor.createSession();
    try {
      const secrets = [`SECRET-A-${randomBytes(6).toString("hex")}`, `SECRET-B-${randomBytes(6).toString("hex")}`];
      await a.files.write("secret.txt", secrets[0]!);
      await b.files.write("secret.txt", secrets[1]!);
      const probe = (runtime: RuntimeName) =>
        runtime === "python"
          ? "import os, time\nfor i in range(5):\n    print(open('secret.txt').read(), sorted(os.listdir('.')))\n    time.sleep(0.05)\nopen('mine.txt','w').write(open('secret.txt').read())"
          : 'const fs = require("fs"); for (let i = 0; i < 5; i++) console.log(fs.readFileSync("secret.txt", "utf8"), fs.readdirSync(".").sort().join()); fs.writeFileSync("mine.txt", fs.readFileSync("secret.txt"))';
      for (const runtime of ["python", "node"] as RuntimeName[]) {
        const [ra, rb] = await Promise.all([a.execute({ runtime, code: probe(runtime) }), b.execute({ runtime, code: probe(runtime) })]);
        expect(ra.stdout).toContain(secrets[0]);
        expect(ra.stdout + ra.stderr).not.toContain(secrets[1]);
        expect(rb.stdout).toContain(secrets[1]);
        expect(rb.stdout + rb.stderr).not.toContain(secrets[0]);
        expect(await a.files.readText("mine.txt")).toBe(secrets[0]);
        expect(await b.files.readText("mine.txt")).toBe(secrets[1]);
      }
      // A one-shot execution on the same executor sees none of them.
      const plain = await executor.execute({ runtime: "python", code: "import os\nprint(sorted(os.listdir('.')))" });
      expect(plain.stdout).not.toMatch(/secret|mine/);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe("a session's REPL contexts", () => {
  it("share the session's files both ways and keep their variables", { timeout: 120_000 }, async () => {
    const s = executor.createSession();
    try {
      await s.files.write("in.txt", "from the session");
      const py = s.createContext("python");
      const first = await py.run("text = open('in.txt').read()\nopen('py.txt', 'w').write(text.upper())\nlen(text)");
      expect(first.error).toBeUndefined();
      expect(first.value).toBe("16");
      expect(await s.files.readText("py.txt")).toBe("FROM THE SESSION");
      // A one-shot run of the session changes a file; the context's next cell sees it, and its variable is still there.
      await s.execute({ runtime: "node", code: 'require("fs").writeFileSync("in.txt", "changed by node"); require("fs").unlinkSync("py.txt")' });
      const second = await py.run("import os\n(text, open('in.txt').read(), os.path.exists('py.txt'))");
      expect(second.value).toBe("('from the session', 'changed by node', False)");
      // Another context of the same session shares the files, not the variables.
      const rb = s.createContext("ruby");
      const r = await rb.run('File.read("in.txt") + " / " + defined?(text).inspect');
      expect(r.value).toBe('"changed by node / nil"');
      expect(s.listContexts().map((c) => c.id).sort()).toEqual([py.id, rb.id].sort());
      await rb.close();
      expect(s.listContexts().map((c) => c.id)).toEqual([py.id]);
    } finally {
      await s.close();
    }
  });

  it("a cell longer than the idle timeout does not expire its session; closing the session closes its contexts", { timeout: 60_000 }, async () => {
    const s = executor.createSession({ idleTimeout: 1000 });
    const ctx = s.createContext("node");
    const r = await ctx.run("const t = Date.now(); while (Date.now() - t < 2500) {} 'done'");
    expect(r.value).toBe("'done'");
    expect(s.closed).toBe(false);
    await s.close();
    expect(ctx.closed).toBe(true);
    await expect(ctx.run("1")).rejects.toMatchObject({ code: "SESSION_CLOSED" });
    expect(() => s.createContext("node")).toThrow(expect.objectContaining({ code: "SESSION_CLOSED" }));
  });
});
