/**
 * Go in `wasmbox/browser` with no `compile` hook: the page compiles with Go's compiler and linker
 * in WebAssembly (copied by `wasmbox assets` from scripts/build-go-wasm.mjs's output) in a Web
 * Worker of its own, caches the module by the hash of the sources (memory, then Cache Storage
 * across page loads), and runs it in a sandbox worker. Driven in Chromium.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExecuteRequest, ExecuteResult } from "../../src/request.js";
import { goWasmDir } from "../../src/cache-dir.js";
import { chromiumMissing, openWasmboxPage, type WasmboxPage } from "./harness.js";

const PAGE = `<!doctype html><meta charset="utf-8"><title>wasmbox go test</title>
<script type="module">
import { createExecutor } from "/wasmbox/browser/index.js";
const box = createExecutor({ assetsBaseUrl: "/wasmbox/" });
window.wasmboxRun = async (req) => {
  const t = performance.now();
  const r = await box.execute(req).catch((e) => ({ error: { name: e.name, code: e.code, message: e.message } }));
  return { ...r, ms: performance.now() - t };
};
window.wasmboxReady = true;
</script>`;

type Outcome = ExecuteResult & { ms: number; error?: { name: string; code: string; message: string } };

const notBuilt = existsSync(path.join(goWasmDir(), "manifest.json")) ? undefined : `Go's compiler in WebAssembly is not built in ${goWasmDir()} (node scripts/build-go-wasm.mjs)`;
const skip = chromiumMissing ?? notBuilt;

describe.skipIf(!!skip)(`go in Chromium, compiled in the page${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let page: Page;
  let opened: WasmboxPage | undefined;

  beforeAll(async () => {
    opened = await openWasmboxPage(PAGE, { readyFlag: "wasmboxReady", assetArgs: ["--runtime", "go"] });
    page = opened.page;
  }, 180_000);

  afterAll(() => opened?.close());

  const run = (req: ExecuteRequest): Promise<Outcome> =>
    page.evaluate((r) => (window as unknown as { wasmboxRun(r: unknown): Promise<Outcome> }).wasmboxRun(r), req);

  const hello = 'package main\n\nimport (\n\t"bufio"\n\t"fmt"\n\t"os"\n\t"strings"\n)\n\nfunc main() {\n\tsc := bufio.NewScanner(os.Stdin)\n\tfor sc.Scan() {\n\t\tfmt.Println(strings.ToUpper(sc.Text()), len(os.Args))\n\t}\n}\n';

  it("compiles and runs a Go program with no compile hook; the second run is served from the cache", async () => {
    const first = await run({ runtime: "go", code: hello, stdin: "hello\nwörld\n", args: ["x"], timeout: 120_000 });
    expect(first.error).toBeUndefined();
    expect(first).toMatchObject({ stdout: "HELLO 2\nWÖRLD 2\n", stderr: "", exitCode: 0 });
    const again = await run({ runtime: "go", code: hello, stdin: "again\n", timeout: 120_000 });
    expect(again).toMatchObject({ stdout: "AGAIN 1\n", exitCode: 0 });
    // No compile: well under the first run's time, which compiled and linked.
    expect(again.ms).toBeLessThan(first.ms / 2);
    console.log(`go in Chromium: first run ${first.ms.toFixed(0)} ms, cached ${again.ms.toFixed(0)} ms`);
  }, 240_000);

  it("reports a compile error as go build does, exit 1; a panic exits 2 with Go's trace", async () => {
    const broken = await run({ runtime: "go", code: "package main\n\nfunc main() {\n\tfmt.Println(1)\n}\n", timeout: 120_000 });
    expect(broken).toMatchObject({ stdout: "", stderr: "# main\n./main.go:4:2: undefined: fmt\n", exitCode: 1 });
    const panics = await run({ runtime: "go", code: 'package main\n\nfunc main() {\n\tpanic("boom")\n}\n', timeout: 120_000 });
    expect(panics.exitCode).toBe(2);
    expect(panics.stderr).toMatch(/^panic: boom\n\ngoroutine 1 \[running\]:\nmain\.main\(\)\n\tmain\/main\.go:4/);
  }, 240_000);

  it("keeps compiled programs in Cache Storage across page loads", async () => {
    const code = `${hello}// ${Date.now()}\n`;
    expect(await run({ runtime: "go", code, stdin: "one\n", timeout: 120_000 })).toMatchObject({ stdout: "ONE 1\n", exitCode: 0 });
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { wasmboxReady?: boolean }).wasmboxReady === true);
    const stored = await page.evaluate(async () => (await (await caches.open("wasmbox-go-compiled")).keys()).length);
    expect(stored).toBeGreaterThan(0);
    const after = await run({ runtime: "go", code, stdin: "two\n", timeout: 120_000 });
    expect(after).toMatchObject({ stdout: "TWO 1\n", exitCode: 0 });
  }, 240_000);
});
