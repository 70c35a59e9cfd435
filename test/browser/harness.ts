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
import { chromium, type Browser } from "playwright-core";
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
