/**
 * REPL contexts in `wasmbox/browser` (real Chromium): the same ReplContext over the browser
 * executor's Web Workers keeps state between cells, reports errors and values, and a timed-out
 * cell ends its context.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumMissing, openWasmboxPage, type WasmboxPage } from "./harness.js";

const PAGE = `<!doctype html><meta charset="utf-8"><title>wasmbox contexts</title>
<script type="module">
import { createExecutor, ReplContext } from "/wasmbox/browser/index.js";
const box = createExecutor({ assetsBaseUrl: "/wasmbox/", outputLimit: 64 * 1024 });
const contexts = {};
window.cells = async (runtime, cells) => {
  const ctx = (contexts[runtime] ??= new ReplContext(box, runtime));
  const out = [];
  for (const [code, timeout] of cells) out.push(await ctx.run(code, { timeout: timeout ?? 60000 }).catch((e) => ({ thrown: e.code ?? e.message })));
  return out;
};
window.ready = true;
</script>`;

type Cell = { stdout: string; exitCode: number; value?: string; timedOut: boolean; ended?: boolean; error?: { type: string }; thrown?: string };

describe.skipIf(chromiumMissing)("REPL contexts in Chromium", () => {
  let page: Page;
  let opened: WasmboxPage | undefined;

  beforeAll(async () => {
    opened = await openWasmboxPage(PAGE, { readyFlag: "ready" });
    page = opened.page;
  }, 300_000);

  afterAll(() => opened?.close());

  const cells = (runtime: string, list: [string, number?][]): Promise<Cell[]> =>
    page.evaluate(([r, l]) => (window as unknown as { cells(r: string, l: unknown): Promise<Cell[]> }).cells(r, l), [runtime, list] as const);

  for (const [runtime, define, use, raise, loop] of [
    ["python", "import math\nx = 41", "math.floor(x + 1.5)", "1/0", "while True: pass"],
    ["node", "const path = require('path'); let x = 41", "Number(path.basename(String(x + 1)))", "null.f", "for (;;) {}"],
    ["ruby", "x = 41", "x + 1", "nil.f", "loop {}"],
    ["php", "$x = 41;", "echo $x + 1;", "null->f();", "while (true) {}"],
  ] as const) {
    it(`${runtime}: state survives between cells, errors keep the context, a timeout ends it`, { timeout: 300_000 }, async () => {
      const [a, b, c, d, e, f] = await cells(runtime, [[define], [use], [raise], [use], [loop, 1500], [use]]);
      expect(a!.exitCode, JSON.stringify(a)).toBe(0);
      // PHP has no expression value: its cell prints.
      const shown = (c: Cell) => (runtime === "php" ? c.stdout : c.value);
      expect(shown(b!), JSON.stringify(b)).toBe("42");
      expect(c!.exitCode).toBe(1);
      expect(c!.error?.type).toMatch(/Error/);
      expect(shown(d!)).toBe("42");
      expect(e!.timedOut).toBe(true);
      expect(e!.ended).toBe(true);
      // A fresh interpreter: x is gone (PHP only warns, and adds 1 to null).
      if (runtime === "php") expect(f!.stdout).toBe("1");
      else expect(f!.exitCode).toBe(1);
    });
  }
});
