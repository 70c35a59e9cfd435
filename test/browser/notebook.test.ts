/**
 * The playground's notebook mode (playground/notebook.ts) in Chromium: cells of one runtime
 * share one REPL context of a session (a variable and a function defined in one cell are used in
 * later ones), a cell shows its last expression's value or its error and the next cell still
 * runs, Restart forgets the state, and the files panel lists what the cells wrote.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import type { ViteDevServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumMissing, ensureBuilt, launch, root } from "./harness.js";

interface Case {
  /** Cells in order: define a variable, a function, use both (the value shown), raise, run on, print. */
  variable: string;
  fn: string;
  use: string;
  /** The value `use` shows; undefined where the language has no expression value (PHP): then its output. */
  value?: string;
  output?: string;
  raise: string;
  errorType: string;
  after: string;
  /** After Restart: a cell that uses the function again fails with this error type. */
  forgotten: string;
  forgottenType: string;
}

const CASES: Record<string, Case> = {
  python: {
    variable: "x = 21",
    fn: "def double(n):\n    return n * 2",
    use: "double(x)",
    value: "42",
    raise: "1 / 0",
    errorType: "ZeroDivisionError",
    after: `print("after", double(x))`,
    forgotten: "double(x)",
    forgottenType: "NameError",
  },
  node: {
    variable: "const x = 21;",
    fn: "function double(n) {\n  return n * 2;\n}",
    use: "double(x)",
    value: "42",
    raise: "null.f",
    errorType: "TypeError",
    after: `console.log("after", double(x));`,
    forgotten: "double(x)",
    forgottenType: "ReferenceError",
  },
  bun: {
    variable: "const x: number = 21;",
    fn: "function double(n: number): number {\n  return n * 2;\n}",
    use: "double(x)",
    value: "42",
    raise: "null.f",
    errorType: "TypeError",
    after: `console.log("after", double(x));`,
    forgotten: "double(x)",
    forgottenType: "ReferenceError",
  },
  ruby: {
    variable: "x = 21",
    fn: "def double(n)\n  n * 2\nend",
    use: "double(x)",
    value: "42",
    raise: "1 / 0",
    errorType: "ZeroDivisionError",
    after: `puts "after #{double(x)}"`,
    forgotten: "double(21)",
    forgottenType: "NoMethodError",
  },
  php: {
    variable: "$x = 21;",
    fn: "function double($n) {\n  return $n * 2;\n}",
    use: `echo double($x), "\\n";`,
    output: "42\n",
    raise: "intdiv(1, 0);",
    errorType: "DivisionByZeroError",
    after: `echo "after ", double($x), "\\n";`,
    forgotten: "double(21);",
    forgottenType: "Error",
  },
};

describe.skipIf(chromiumMissing)("playground notebook mode", () => {
  let vite: ViteDevServer;
  let browser: Browser;
  let page: Page;
  let url: string;
  let offered: string[] = [];

  beforeAll(async () => {
    await ensureBuilt();
    const { createServer } = await import("vite");
    vite = await createServer({ configFile: path.join(root, "playground/vite.config.ts"), server: { port: 0, host: "127.0.0.1" } });
    await vite.listen();
    url = vite.resolvedUrls!.local[0]!;
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${url}?mode=notebook`);
    await page.waitForSelector("body[data-notebook-ready=true]", { timeout: 90_000 });
    offered = await page.$$eval("#nb-runtime option", (os) => os.map((o) => (o as HTMLOptionElement).value));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await vite?.close();
  });

  const counter = async (key: string) => Number((await page.getAttribute("body", `data-${key}`)) ?? 0);
  const cell = (i: number) => page.locator("#nb-cells .cell").nth(i);
  const text = async (i: number, part: string) => (await cell(i).locator(`.cell-${part}`).textContent()) ?? "";
  const shown = async (i: number, part: string) => !(await cell(i).locator(`.cell-${part}`).evaluate((e) => (e as HTMLElement).hidden));

  async function open(runtime: string): Promise<void> {
    await page.goto(`${url}?mode=notebook&runtime=${runtime}`);
    await page.waitForSelector("body[data-notebook-ready=true]", { timeout: 90_000 });
    expect(await page.inputValue("#nb-runtime")).toBe(runtime);
  }

  /**
   * Types `code` into the last cell (the one Shift+Enter made, or a new one if the last is not
   * empty) and runs it with Shift+Enter; returns its index.
   */
  async function runNew(code: string): Promise<number> {
    const before = await counter("cells-run");
    let n = await page.locator("#nb-cells .cell").count();
    if (n === 0 || (await cell(n - 1).locator(".cm-content").innerText()).trim() !== "") {
      await page.click("#nb-add");
      n++;
    }
    const i = n - 1;
    await cell(i).locator(".cm-content").click();
    // insertText: as pasted, so the editor's auto-indent and bracket closing do not change it.
    await page.keyboard.insertText(code);
    await page.keyboard.press("Shift+Enter");
    await expect.poll(() => counter("cells-run"), { timeout: 120_000 }).toBe(before + 1);
    return i;
  }

  it("offers the runtimes with REPL contexts that can run in the page, and starts with example cells", async () => {
    expect(offered).toContain("python");
    expect(offered).toContain("node");
    for (const r of offered) expect(["python", "node", "bun", "ruby", "php"]).toContain(r);
    expect(await page.locator("#nb-cells .cell").count()).toBeGreaterThan(0);
    // The editor mode's controls are hidden in the notebook, and come back in the editor mode.
    expect(await page.isVisible("#run")).toBe(false);
    await page.click("#mode-editor");
    expect(await page.isVisible("#run")).toBe(true);
    expect(await page.isVisible("#notebook")).toBe(false);
  }, 60_000);

  for (const [runtime, c] of Object.entries(CASES)) {
    it(`${runtime}: cells share variables and functions, show the value or the error, and Restart forgets them`, async (ctx) => {
      if (!offered.includes(runtime)) ctx.skip(`${runtime} is not offered by this page's notebook`);
      await open(runtime);
      // Clear the example cells: this test's cells are its own.
      while ((await page.locator("#nb-cells .cell").count()) > 0) await cell(0).locator(".cell-delete").click();

      const v = await runNew(c.variable);
      expect(await text(v, "error")).toBe("");
      const f = await runNew(c.fn);
      expect(await shown(f, "error")).toBe(false);
      const u = await runNew(c.use);
      expect(await shown(u, "error")).toBe(false);
      if (c.value !== undefined) {
        expect(await text(u, "value")).toBe(c.value);
        expect(await cell(u).locator(".cell-value").getAttribute("data-prompt")).toMatch(/^Out\[\d+\]:$/);
      } else {
        expect(await shown(u, "value")).toBe(false);
        expect(await text(u, "output")).toBe(c.output);
      }
      expect(await cell(u).getAttribute("data-state")).toBe("done");

      const e = await runNew(c.raise);
      expect(await shown(e, "error")).toBe(true);
      expect(await cell(e).locator(".cell-error").getAttribute("data-type")).toBe(c.errorType);
      expect(await text(e, "error")).toContain(c.errorType);
      expect(await cell(e).getAttribute("data-state")).toBe("error");
      expect(await shown(e, "value")).toBe(false);

      // The error did not end the context: the next cell still sees the state.
      const a = await runNew(c.after);
      expect(await text(a, "output")).toBe("after 42\n");
      expect(await shown(a, "error")).toBe(false);

      const restarts = await counter("restarts");
      await page.click("#nb-restart");
      await expect.poll(() => counter("restarts"), { timeout: 60_000 }).toBe(restarts + 1);
      const g = await runNew(c.forgotten);
      expect(await cell(g).locator(".cell-error").getAttribute("data-type")).toBe(c.forgottenType);
      if (runtime === "python") {
        mkdirSync(path.join(root, "test-artifacts"), { recursive: true });
        await page.screenshot({ path: path.join(root, "test-artifacts/playground-notebook.png") });
      }
    }, 300_000);
  }

  it("Stop ends a cell that does not finish: the cell says its variables are gone, and the next cell runs on a fresh interpreter", async () => {
    await open("node");
    while ((await page.locator("#nb-cells .cell").count()) > 0) await cell(0).locator(".cell-delete").click();
    await runNew("const kept = 1;");
    const before = await counter("cells-run");
    await page.click("#nb-add");
    const i = (await page.locator("#nb-cells .cell").count()) - 1;
    await cell(i).locator(".cm-content").click();
    await page.keyboard.insertText(`console.log("looping"); for (;;) {}`);
    await page.keyboard.press("Control+Enter");
    await expect.poll(() => text(i, "output"), { timeout: 60_000 }).toBe("looping\n");
    await page.click("#nb-stop");
    await expect.poll(() => counter("cells-run"), { timeout: 30_000 }).toBe(before + 1);
    expect(await text(i, "note")).toMatch(/stopped: its variables are gone/);
    const j = await runNew("typeof kept");
    expect(await text(j, "value")).toBe("'undefined'");
  }, 180_000);

  it("every runtime's example notebook runs without an error and leaves its file", async () => {
    for (const runtime of offered.filter((r) => r !== "python")) {
      await open(runtime);
      const n = await page.locator("#nb-cells .cell").count();
      const before = await counter("cells-run");
      await page.click("#nb-run-all");
      await expect.poll(() => counter("cells-run"), { timeout: 180_000 }).toBe(before + n);
      for (let i = 0; i < n; i++) expect(await cell(i).getAttribute("data-state"), `${runtime} cell ${i}: ${await text(i, "error")}`).toBe("done");
      expect(await text(n - 1, "output")).toMatch(/^area=12\.57\n/);
      await expect.poll(() => page.locator("#nb-files .nb-file").allTextContents()).toEqual(["notes.txt"]);
    }
  }, 400_000);

  it("the example notebook runs with Run all; output streams into the cell; the files panel lists and shows the session's files", async () => {
    await open("python");
    const n = await page.locator("#nb-cells .cell").count();
    const before = await counter("cells-run");
    await page.click("#nb-run-all");
    await expect.poll(() => counter("cells-run"), { timeout: 180_000 }).toBe(before + n);
    expect(await text(n - 1, "output")).toBe("area=12.57\n\n");
    expect(await text(1, "value")).toBe("12.566370614359172");
    await expect.poll(() => page.locator("#nb-files .nb-file").allTextContents()).toEqual(["notes.txt"]);
    await page.click("#nb-files .nb-file");
    await expect.poll(() => page.textContent("#nb-file-view")).toBe("area=12.57\n");

    // Streaming: a cell's first line is shown while it still runs.
    const s = await (async () => {
      await page.click("#nb-add");
      const i = (await page.locator("#nb-cells .cell").count()) - 1;
      await cell(i).locator(".cm-content").click();
      await page.keyboard.insertText(`import time\nprint("first", flush=True)\ntime.sleep(3)\nprint("second")`);
      await page.keyboard.press("Shift+Enter");
      return i;
    })();
    await expect.poll(() => text(s, "output"), { timeout: 60_000 }).toBe("first\n");
    expect(await cell(s).getAttribute("data-state")).toBe("running");
    await expect.poll(() => text(s, "output"), { timeout: 60_000 }).toBe("first\nsecond\n");
    // Restart keeps the files.
    await page.click("#nb-restart");
    await expect.poll(() => page.locator("#nb-files .nb-file").allTextContents()).toEqual(["notes.txt"]);
  }, 300_000);
});
