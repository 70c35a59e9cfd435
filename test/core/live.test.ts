/**
 * Live I/O in the library: output reaches the caller while the program runs, standard input is
 * fed while it waits for it, and kill()/abort/timeout end it whatever it is doing.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor, EXIT_OUTPUT_LIMIT, EXIT_TIMEOUT, type ExecuteResult, type ExecutionHandle, type RuntimeName } from "wasmbox";

const executor = createExecutor({ concurrency: 2, outputLimit: 16 * 1024 });
afterAll(() => executor.close());

const unavailable: Partial<Record<RuntimeName, string>> = {};
for (const rt of ["go", "rust"] as const) {
  try {
    await executor.runtime(rt);
  } catch (e) {
    unavailable[rt] = (e as Error).message;
  }
}

/** Each prints a prompt, reads a line, echoes it, and repeats until end of input (as it would on a pipe natively). */
const ECHO: Record<RuntimeName, string> = {
  python: `while True:\n    try:\n        s = input("name? ")\n    except EOFError:\n        break\n    print("hi " + s)\n`,
  ruby: `$stdout.sync = true\nloop do\n  print "name? "\n  s = gets\n  break unless s\n  puts "hi #{s.chomp}"\nend\n`,
  php: `<?php\nwhile (true) { echo "name? "; $s = fgets(STDIN); if ($s === false) break; echo "hi " . rtrim($s, "\\n") . "\\n"; }\n`,
  node: `const rl = require("readline").createInterface({ input: process.stdin });\nprocess.stdout.write("name? ");\nrl.on("line", (l) => { console.log("hi " + l); process.stdout.write("name? "); });\n`,
  bun: `process.stdout.write("name? ");\nlet buf = "";\nprocess.stdin.on("data", (c) => {\n  buf += c;\n  let i;\n  while ((i = buf.indexOf("\\n")) >= 0) { console.log("hi " + buf.slice(0, i)); buf = buf.slice(i + 1); process.stdout.write("name? "); }\n});\n`,
  go: `package main\n\nimport (\n\t"bufio"\n\t"fmt"\n\t"os"\n)\n\nfunc main() {\n\tsc := bufio.NewScanner(os.Stdin)\n\tfor {\n\t\tfmt.Print("name? ")\n\t\tif !sc.Scan() {\n\t\t\tbreak\n\t\t}\n\t\tfmt.Println("hi " + sc.Text())\n\t}\n}\n`,
  rust: `use std::io::{self, BufRead, Write};\n\nfn main() {\n    let stdin = io::stdin();\n    loop {\n        print!("name? ");\n        io::stdout().flush().unwrap();\n        let mut s = String::new();\n        if stdin.lock().read_line(&mut s).unwrap() == 0 {\n            break;\n        }\n        println!("hi {}", s.trim_end());\n    }\n}\n`,
};

/** Reads a handle's stdout until `text` has been seen; fails if the stream ends first. */
function reader(h: ExecutionHandle) {
  const r = h.stdout.getReader();
  let seen = "";
  return {
    /** The next read: { done: true } once the stream has ended. */
    next: () => r.read(),
    get seen() {
      return seen;
    },
    async until(text: string): Promise<void> {
      while (!seen.includes(text)) {
        const { value, done } = await r.read();
        if (done) throw new Error(`stdout ended before ${JSON.stringify(text)}; it was ${JSON.stringify(seen)}`);
        seen += value;
      }
    },
  };
}

describe("interactive stdin, per runtime", () => {
  for (const rt of Object.keys(ECHO) as RuntimeName[]) {
    it.skipIf(unavailable[rt])(`${rt}: answers each line only after its prompt was streamed`, { timeout: 180_000 }, async () => {
      const h = executor.spawn({ runtime: rt, code: ECHO[rt], timeout: 120_000 });
      const out = reader(h);
      let settled = false;
      void h.result.then(() => (settled = true), () => (settled = true));
      await out.until("name? ");
      // The prompt arrived while the program waits for input: it has not ended.
      expect(settled).toBe(false);
      h.stdin.write("Ann\n");
      await out.until("hi Ann\nname? ");
      h.stdin.write("Bö b\n");
      await out.until("hi Bö b\nname? ");
      expect(settled).toBe(false);
      h.stdin.end();
      const r = await h.result;
      expect(r).toMatchObject({ stdout: "name? hi Ann\nname? hi Bö b\nname? ", exitCode: 0, timedOut: false });
      expect(out.seen).toBe(r.stdout);
    });
  }
});

describe("streamed output", () => {
  it("execute() callbacks see a line while the program still runs (an abort on that line stops it)", async () => {
    const stop = new AbortController();
    const chunks: string[] = [];
    const r = await executor.execute(
      { runtime: "ruby", code: 'puts "first"\n$stdout.flush\n$stderr.puts "warn"\nloop {}', timeout: 60_000 },
      {
        signal: stop.signal,
        onStdout: (c) => {
          chunks.push(c);
          if (chunks.join("").includes("first\n")) stop.abort();
        },
      },
    );
    // Output only at exit would have run into the 60 s timeout instead.
    expect(r).toMatchObject({ stdout: "first\n", exitCode: 130, timedOut: false });
    expect(chunks.join("")).toBe("first\n");
  });

  it("spawn(): a program that prints and then blocks on stdin is seen before it ends", async () => {
    const h = executor.spawn({ runtime: "python", code: 'import sys\nprint("ready", flush=True)\nprint(len(sys.stdin.read()))', timeout: 60_000 });
    const out = reader(h);
    await out.until("ready\n");
    h.stdin.write("abc");
    h.stdin.end();
    expect(await h.result).toMatchObject({ stdout: "ready\n3\n", exitCode: 0 });
  });

  it("request.stdin is sent first to a spawned program, and the streams end with the result", async () => {
    const h = executor.spawn({ runtime: "node", code: 'process.stdin.on("data", (d) => process.stdout.write(String(d).toUpperCase()));', stdin: "ab", timeout: 30_000 });
    const out = reader(h);
    await out.until("AB");
    h.stdin.write("cd");
    await out.until("ABCD");
    h.stdin.end();
    const r = await h.result;
    expect(r).toMatchObject({ stdout: "ABCD", exitCode: 0 });
    expect((await out.next()).done).toBe(true);
  });

  it("stream chunks hold exactly the result's output, caps and the overflow note included", async () => {
    let out = "";
    let err = "";
    const r = await executor.execute(
      { runtime: "php", code: '<?php fwrite(STDERR, "é"); while (true) echo str_repeat("x", 1000);', timeout: 30_000 },
      { onStdout: (c) => (out += c), onStderr: (c) => (err += c) },
    );
    expect(r.exitCode).toBe(EXIT_OUTPUT_LIMIT);
    expect(r.stdout.length).toBe(16 * 1024);
    expect(out).toBe(r.stdout);
    expect(err).toBe(r.stderr);
    expect(err).toMatch(/^é\n\[wasmbox\] stdout exceeded the 16384-byte limit/);
  });

  it("a multi-byte character split across writes arrives whole", async () => {
    const chunks: string[] = [];
    const r = await executor.execute(
      { runtime: "python", code: 'import sys\nb = "né€".encode()\nfor i in range(len(b)):\n    sys.stdout.buffer.write(b[i:i+1]); sys.stdout.buffer.flush()\n', timeout: 30_000 },
      { onStdout: (c) => chunks.push(c) },
    );
    expect(r.stdout).toBe("né€");
    expect(chunks.join("")).toBe("né€");
    expect(chunks.every((c) => !c.includes("\uFFFD"))).toBe(true);
  });
});

describe("ending a live program", () => {
  it("a program waiting for input still obeys its timeout, keeping its output", async () => {
    const started = Date.now();
    const h = executor.spawn({ runtime: "go", code: ECHO.go, timeout: 1500 });
    const r = await h.result;
    if (unavailable.go) return;
    expect(r).toMatchObject({ stdout: "name? ", exitCode: EXIT_TIMEOUT, timedOut: true });
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  for (const rt of ["python", "node"] as const) {
    it(`${rt}: kill() ends a waiting program at once; the result keeps what it printed, exit 130`, async () => {
      const h = executor.spawn({ runtime: rt, code: ECHO[rt], timeout: 60_000 });
      const out = reader(h);
      await out.until("name? ");
      const t = Date.now();
      h.kill();
      const r: ExecuteResult = await h.result;
      expect(Date.now() - t).toBeLessThan(1000);
      expect(r).toMatchObject({ stdout: "name? ", exitCode: 130, timedOut: false });
    });
  }

  it("kill() ends a busy loop, keeping its output", async () => {
    const h = executor.spawn({ runtime: "ruby", code: 'puts "busy"\n$stdout.flush\nloop {}', timeout: 60_000 });
    await reader(h).until("busy\n");
    h.kill();
    expect(await h.result).toMatchObject({ stdout: "busy\n", exitCode: 130, timedOut: false });
  });

  for (const rt of ["go", "rust"] as const) {
    it.skipIf(unavailable[rt])(`${rt}: kill() while the program compiles ends the wait at once`, async () => {
      const code = `${rt === "go" ? "package main\n" : ""}// ${Date.now()}-${Math.random()} (a fresh build, not a cached one)\n${rt === "go" ? 'import "fmt"\nfunc main() { fmt.Println("x") }' : 'fn main() { println!("x"); }'}\n`;
      const h = executor.spawn({ runtime: rt, code, timeout: 60_000 });
      await new Promise((r) => setTimeout(r, 300));
      const t = Date.now();
      h.kill();
      expect(await h.result).toMatchObject({ stdout: "", exitCode: 130, timedOut: false });
      expect(Date.now() - t).toBeLessThan(500);
    });
  }

  it("an invalid request rejects the handle's result with the validation error", async () => {
    const h = executor.spawn({ runtime: "python" } as never);
    await expect(h.result).rejects.toMatchObject({ code: "INVALID_REQUEST" });
  });
});

describe("timeout and abort while a runtime loads (cold start)", () => {
  it("a timeout ends the wait for a cold host at the deadline", async () => {
    // No cache directory: Ruby boots (~3-30 s here) instead of reading an earlier boot (<1 s).
    const cold = createExecutor({ concurrency: 1, cacheDir: false });
    try {
      const t = Date.now();
      const r = await cold.execute({ runtime: "ruby", code: 'puts "never"', timeout: 1500 });
      // Ends at the deadline, not after the load: the margin is for a busy main thread (Ruby's
      // modules are compiled there while the executor waits).
      expect(Date.now() - t).toBeLessThan(5000);
      expect(r).toMatchObject({ stdout: "", exitCode: EXIT_TIMEOUT, timedOut: true });
    } finally {
      await cold.close();
    }
  });

  it("an abort ends the wait for a cold host at once", async () => {
    const cold = createExecutor({ concurrency: 1 });
    try {
      const h = cold.spawn({ runtime: "python", code: 'print("never")', timeout: 60_000 });
      const t = Date.now();
      setTimeout(() => h.kill(), 300);
      const r = await h.result;
      expect(Date.now() - t).toBeLessThan(1500);
      expect(r).toMatchObject({ stdout: "", exitCode: 130, timedOut: false });
    } finally {
      await cold.close();
    }
  });
});
