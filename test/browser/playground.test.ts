/**
 * The playground (`npm run playground`), served by Vite with its own config, driven in Chromium:
 * it runs each runtime's prefilled example and shows stdout, exit code and time; a screenshot is
 * saved as test-artifacts/playground.png.
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import type { ViteDevServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumMissing, ensureBuilt, launch, root } from "./harness.js";
import { goWasmDir } from "../../dist/runtimes/go/wasm-compiler.js";

const goWasmMissing = existsSync(path.join(goWasmDir(), "manifest.json")) ? undefined : `Go's compiler in WebAssembly is not built (node scripts/build-go-wasm.mjs)`;

describe.skipIf(chromiumMissing)("playground", () => {
  let vite: ViteDevServer;
  let browser: Browser;
  let page: Page;
  let url: string;

  beforeAll(async () => {
    await ensureBuilt();
    const { createServer } = await import("vite");
    vite = await createServer({ configFile: path.join(root, "playground/vite.config.ts"), server: { port: 0, host: "127.0.0.1" } });
    await vite.listen();
    url = vite.resolvedUrls!.local[0]!;
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await vite?.close();
  });

  async function runExample(runtime: string): Promise<{ stdout: string; stderr: string; exitCode: string; time: string }> {
    await page.goto(`${url}?runtime=${runtime}`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 90_000 });
    expect(await page.inputValue("#runtime")).toBe(runtime);
    expect(await page.inputValue("#stdin")).toBe("World\n");
    await page.click("#run");
    await page.waitForFunction(() => document.getElementById("exit-code")!.textContent !== "", null, { timeout: 180_000 });
    const text = async (id: string) => (await page.textContent(id)) ?? "";
    return { stdout: await text("#stdout"), stderr: await text("#stderr"), exitCode: await text("#exit-code"), time: await text("#time") };
  }

  it("runs the prefilled node example and shows the result; screenshot saved", async () => {
    const r = await runExample("node");
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(`Hello, World!\nargs: [ '--verbose' ]\n15\n`);
    expect(r.exitCode).toBe("0");
    expect(r.time).toMatch(/^\d+ ms$/);
    // The editor is CodeMirror, holding the example.
    expect(await page.locator(".cm-content").innerText()).toContain("readFileSync(0");
    mkdirSync(path.join(root, "test-artifacts"), { recursive: true });
    await page.screenshot({ path: path.join(root, "test-artifacts/playground.png") });
  }, 120_000);

  it.skipIf(!!goWasmMissing)(`runs the prefilled go example, compiled in the page by Go's compiler in WebAssembly${goWasmMissing ? ` (skipped: ${goWasmMissing})` : ""}`, async () => {
    const r = await runExample("go");
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("Hello, World!\nargs: [--verbose]\n");
    expect(r.exitCode).toBe("0");
    // Rust needs a compile hook the playground does not have: not offered.
    expect(await page.locator("#runtime option").allTextContents()).not.toContain("rust");
  }, 240_000);

  it("edits the code in the editor and runs the edited program (ruby)", async () => {
    await page.goto(`${url}?runtime=ruby`);
    await page.waitForSelector("body[data-ready=true]");
    await page.click(".cm-content");
    await page.keyboard.press("Control+A");
    await page.keyboard.type(`puts ARGV.join("+")`);
    await page.fill("#args", "a b c");
    await page.click("#run");
    await page.waitForFunction(() => document.getElementById("exit-code")!.textContent !== "", null, { timeout: 90_000 });
    expect(await page.textContent("#stdout")).toBe("a+b+c\n");
    expect(await page.textContent("#exit-code")).toBe("0");
  }, 120_000);
});
