/**
 * What every browser test needs: the browser bundle built, the runtimes' assets copied by the
 * real `wasmbox assets` command, a server with the headers a wasmbox page needs, and Debian's
 * Chromium driven by playwright-core (a test tool's own browser download is not used).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromium, type Browser, type Page } from "playwright-core";
import { serveStatic, type StaticServer } from "./server.js";

const run = promisify(execFile);
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export const CHROMIUM = process.env.WASMBOX_CHROMIUM ?? "/usr/bin/chromium";
export const chromiumMissing = existsSync(CHROMIUM)
  ? undefined
  : `${CHROMIUM} is not installed (apt-get install chromium; scripts/setup-toolchains.sh does it in CI)`;

/** Builds what is missing: tsc output (the CLI) and the browser bundle. */
export async function ensureBuilt(): Promise<void> {
  if (!existsSync(path.join(root, "dist/src/cli/main.js"))) await run("npx", ["tsc", "-p", "."], { cwd: root });
  if (!existsSync(path.join(root, "dist/browser/worker.js"))) await run(process.execPath, ["scripts/build-browser.mjs"], { cwd: root });
}

/** `wasmbox assets <tmp>` through the real CLI; returns the directory. */
export async function copyAssets(args: string[] = []): Promise<{ dir: string; stdout: string; cleanup(): void }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "wasmbox-assets-"));
  const { stdout } = await run(process.execPath, [path.join(root, "dist/src/cli/main.js"), "assets", dir, ...args], { cwd: root });
  return { dir, stdout, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

export { serveStatic, type StaticServer };

export interface WasmboxPage {
  page: Page;
  /** Where the assets were copied (served at /wasmbox/). */
  assetsDir: string;
  close(): Promise<void>;
}

/**
 * `html` served at / (the browser build's assets at /wasmbox/, and at each of `alsoAt`), opened in
 * Chromium, waited for until the page sets `window[readyFlag]`. `prepare` may add files to the
 * assets first.
 */
export async function openWasmboxPage(
  html: string,
  opts: { readyFlag: string; assetArgs?: string[]; alsoAt?: string[]; prepare?: (assetsDir: string) => void; onPageError?: (message: string) => void },
): Promise<WasmboxPage> {
  await ensureBuilt();
  const assets = await copyAssets(opts.assetArgs);
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server?.close();
    assets.cleanup();
  };
  try {
    opts.prepare?.(assets.dir);
    const mounts: Record<string, string> = { "/wasmbox/": assets.dir + "/" };
    for (const at of opts.alsoAt ?? []) mounts[at] = assets.dir + "/";
    server = await serveStatic(mounts, { "/": html });
    browser = await launch();
    const page = await browser.newPage();
    page.on("pageerror", (e) => (opts.onPageError ?? ((m: string) => console.error(`page error: ${m}`)))(e.message));
    await page.goto(`${server.url}/`);
    await page.waitForFunction((flag) => (window as unknown as Record<string, unknown>)[flag] === true, opts.readyFlag);
    return { page, assetsDir: assets.dir, close };
  } catch (e) {
    await close();
    throw e;
  }
}
