/**
 * `wasmbox/browser` in real Chromium: each interpreted runtime's hello world and stdin case run
 * in a page through `execute()`, a timeout ends with `timedOut: true` and keeps partial output,
 * the guest's worker has no network, and rust without a compile hook says RUNTIME_UNAVAILABLE.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExecuteRequest, ExecuteResult } from "../../src/request.js";
import { chromiumMissing, openWasmboxPage, type WasmboxPage } from "./harness.js";
import { wasiCommand } from "./wasi-module.js";

const PAGE = `<!doctype html><meta charset="utf-8"><title>wasmbox browser test</title>
<script type="module">
import { createExecutor } from "/wasmbox/browser/index.js";
const box = createExecutor({ assetsBaseUrl: "/wasmbox/", prewarm: ["python", "node", "bun", "ruby", "php"], outputLimit: 64 * 1024 });
window.wasmboxRun = (req) => box.execute(req).catch((e) => ({ error: { name: e.name, code: e.code, message: e.message } }));
// Timeouts are the programs' own (a wait for a host still loading ends at the deadline): the tests start from loaded runtimes.
window.wasmboxWarm = () => Promise.all(["python", "node", "bun", "ruby", "php"].map((r) => box.warm(r)));
// Go and Rust with modules compiled elsewhere: the compile hook answers with one fetched from the site.
const compile = async (files) => (files["main.go"] ?? files["main.rs"]).includes("broken")
  ? { exitCode: 1, stderr: "main.go:1:1: expected 'package'\\n" }
  : new Uint8Array(await (await fetch("/prebuilt/hello.wasm")).arrayBuffer());
const compiled = createExecutor({ assetsBaseUrl: "/wasmbox/", runtimeOptions: { go: { compile }, rust: { compile } } });
window.wasmboxRunCompiled = (req) => compiled.execute(req).catch((e) => ({ error: { code: e.code, message: e.message } }));
window.wasmboxReady = true;
</script>`;

type Outcome = ExecuteResult & { error?: { name: string; code: string; message: string } };

describe.skipIf(chromiumMissing)("browser build in Chromium", () => {
  let page: Page;
  let opened: WasmboxPage | undefined;

  beforeAll(async () => {
    opened = await openWasmboxPage(PAGE, {
      readyFlag: "wasmboxReady",
      alsoAt: ["/prebuilt/"],
      prepare: (dir) => writeFileSync(path.join(dir, "hello.wasm"), wasiCommand("hello from a prebuilt module\n", 3)),
    });
    page = opened.page;
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.evaluate(() => (window as unknown as { wasmboxWarm(): Promise<unknown> }).wasmboxWarm());
  }, 300_000);

  afterAll(() => opened?.close());

  const run = (req: ExecuteRequest): Promise<Outcome> =>
    page.evaluate((r) => (window as unknown as { wasmboxRun(r: unknown): Promise<Outcome> }).wasmboxRun(r), req);

  const cases: Record<string, { hello: string; echo: string; entry?: string }> = {
    python: { hello: `print("hello from python")`, echo: `import sys\nfor line in sys.stdin:\n    print(line.strip().upper())` },
    node: { hello: `console.log("hello from node")`, echo: `const s = require("fs").readFileSync(0, "utf8");\nfor (const l of s.trim().split("\\n")) console.log(l.toUpperCase());` },
    bun: { hello: `const who: string = "bun";\nconsole.log(\`hello from \${who}\`);`, echo: `const s: string = require("fs").readFileSync(0, "utf8");\nfor (const l of s.trim().split("\\n")) console.log(l.toUpperCase());` },
    ruby: { hello: `puts "hello from ruby"`, echo: `STDIN.each_line { |l| puts l.strip.upcase }` },
    php: { hello: `<?php echo "hello from php\\n";`, echo: `<?php while (($l = fgets(STDIN)) !== false) echo strtoupper(trim($l)), "\\n";` },
  };

  for (const [runtime, c] of Object.entries(cases)) {
    it(`${runtime}: hello world`, async () => {
      const r = await run({ runtime: runtime as ExecuteRequest["runtime"], code: c.hello });
      expect(r.error).toBeUndefined();
      expect(r).toMatchObject({ stdout: `hello from ${runtime}\n`, exitCode: 0, timedOut: false });
      expect(Number.isInteger(r.executionTime)).toBe(true);
    }, 120_000);

    it(`${runtime}: reads stdin to EOF`, async () => {
      const r = await run({ runtime: runtime as ExecuteRequest["runtime"], code: c.echo, stdin: "ab\ncd\n" });
      expect(r.error).toBeUndefined();
      expect(r.stdout).toBe("AB\nCD\n");
      expect(r.exitCode).toBe(0);
    }, 120_000);
  }

  it("a timeout terminates the worker, keeps partial output and says timedOut", async () => {
    const started = Date.now();
    const r = await run({ runtime: "ruby", code: `puts "before"\n$stdout.flush\nloop {}`, timeout: 1500 });
    expect(r).toMatchObject({ stdout: "before\n", exitCode: 124, timedOut: true });
    expect(Date.now() - started).toBeLessThan(15_000);
    // The pool replaces the terminated worker: the next run works.
    expect((await run({ runtime: "ruby", code: "puts 7 * 6" })).stdout).toBe("42\n");
  }, 60_000);

  it("a JavaScript guest in an endless loop also ends with timedOut", async () => {
    const r = await run({ runtime: "node", code: `console.log("start"); for (;;) {}`, timeout: 1000 });
    expect(r).toMatchObject({ stdout: "start\n", timedOut: true, exitCode: 124 });
  }, 60_000);

  it("output over the cap stops the program with exit code 153", async () => {
    const r = await run({ runtime: "node", code: `for (;;) process.stdout.write("x".repeat(1000))`, timeout: 10_000 });
    expect(r.exitCode).toBe(153);
    expect(r.stdout.length).toBe(64 * 1024);
    expect(r.stderr).toContain("exceeded");
  }, 60_000);

  it("exit codes and stderr are the program's", async () => {
    const py = await run({ runtime: "python", code: `import sys\nprint("oops", file=sys.stderr)\nsys.exit(3)` });
    expect(py).toMatchObject({ stderr: "oops\n", exitCode: 3 });
    const rb = await run({ runtime: "ruby", code: `raise ArgumentError, "bad"` });
    expect(rb.exitCode).toBe(1);
    expect(rb.stderr).toContain("bad (ArgumentError)");
  }, 120_000);

  it("the guest's worker has no network: Python's js module finds no fetch, XMLHttpRequest, WebSocket or importScripts", async () => {
    const code = `import js\nprint([n for n in ("fetch", "XMLHttpRequest", "WebSocket", "importScripts", "EventSource") if hasattr(js, n)])`;
    const r = await run({ runtime: "python", code });
    expect(r).toMatchObject({ stdout: "[]\n", exitCode: 0 });
  }, 120_000);

  // Go compiles in the page without a hook (test/browser/go.test.ts); rustc has no WebAssembly build.
  it("rust without a compile hook reports RUNTIME_UNAVAILABLE, saying what to pass", async () => {
    for (const runtime of ["rust"] as const) {
      const r = await run({ runtime, code: "fn main() {}" });
      expect(r.error?.code).toBe("RUNTIME_UNAVAILABLE");
      expect(r.error?.message).toContain(`runtimeOptions: { ${runtime}: { compile } }`);
    }
  });

  it("go and rust run a module from the page's compile hook in a sandbox worker; compile errors are results", async () => {
    const runCompiled = (req: ExecuteRequest): Promise<Outcome> =>
      page.evaluate((r) => (window as unknown as { wasmboxRunCompiled(r: unknown): Promise<Outcome> }).wasmboxRunCompiled(r), req);
    for (const runtime of ["go", "rust"] as const) {
      const r = await runCompiled({ runtime, code: "package main" });
      expect(r).toMatchObject({ stdout: "hello from a prebuilt module\n", exitCode: 3, timedOut: false });
    }
    const broken = await runCompiled({ runtime: "go", code: "broken" });
    expect(broken).toMatchObject({ stdout: "", stderr: "main.go:1:1: expected 'package'\n", exitCode: 1 });
  }, 60_000);

  it("the worker scripts' CSP holds: a Python guest cannot make code from strings", async () => {
    const code = `import js\ntry:\n    js.Function.new("return 1")\n    print("eval allowed")\nexcept Exception as e:\n    print("blocked", type(e).__name__)`;
    const r = await run({ runtime: "python", code });
    expect(r.stdout).toMatch(/^blocked /);
  }, 120_000);

  it("invalid requests are rejected as in Node", async () => {
    const r = await run({ runtime: "python" } as ExecuteRequest);
    expect(r.error).toMatchObject({ code: "INVALID_REQUEST" });
  });
});
