/**
 * wasmbox as a dependency of another project, as a user gets it: `npm pack` of this repository,
 * the tarball installed into a new project (dependencies from the npm registry, through npm's
 * cache), then from there: each example program on each runtime, `wasmbox setup`, `setup --check`,
 * the README's library example, and a TypeScript consumer without @types/node.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const work = mkdtempSync(path.join(os.tmpdir(), "wasmbox-pack-"));
const consumer = path.join(work, "consumer");
const installed = path.join(consumer, "node_modules", "wasmbox");
const bin = path.join(consumer, "node_modules", ".bin", "wasmbox");
// Only the npm registry is reached (the lock file's dependencies, npm's cache first).
const npmEnv = { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" };

beforeAll(() => {
  const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", work], { cwd: ROOT, env: npmEnv, encoding: "utf8" }).trim().split("\n").at(-1)!;
  execFileSync("mkdir", ["-p", consumer]);
  writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", path.join(work, tarball)], { cwd: consumer, env: npmEnv, stdio: "ignore" });
}, 900_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(args: string[], input = "") {
  const r = spawnSync(bin, args, { cwd: consumer, input, encoding: "utf8", timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the packed package, installed into a new project", () => {
  it("carries what its commands need, and not the browser-only PHP build", () => {
    for (const f of ["dist/src/cli/main.js", "scripts/setup-toolchains.sh", "scripts/go-runtime-overlay.mjs", "runtimes/rust/std-linux-errno.patch", "runtimes/rust/wasi-libc-stubs.c", "README.md"])
      expect(existsSync(path.join(installed, f)), f).toBe(true);
    expect(readdirSync(path.join(installed, "examples")).sort()).toEqual(readdirSync(path.join(ROOT, "examples")).sort());
    expect(existsSync(path.join(consumer, "node_modules", "@php-wasm", "web-8-3"))).toBe(false);
    expect(existsSync(path.join(consumer, "node_modules", "@php-wasm", "node-8-3"))).toBe(true);
  });

  it("wasmbox setup --check reports, and exits 0 exactly when nothing is missing", () => {
    const r = cli(["setup", "--check"]);
    const missing = r.stdout.split("\n").filter((l) => /\sMISSING\s/.test(l));
    expect(r.stdout).toMatch(/^go\s/m);
    expect(r.code).toBe(missing.length === 0 ? 0 : 1);
  });

  it.skipIf(process.getuid?.() !== 0)("wasmbox setup runs the package's own set-up script from node_modules (skipped unless root: it installs Debian packages)", () => {
    const r = cli(["setup"]);
    expect(r.stderr).toMatch(/setup-toolchains: done in \d+ s/);
    expect(r.stderr).not.toMatch(/missing .*runtimes\/rust/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^go\s+ok\s/m);
    expect(r.stdout).toMatch(/^rust\s+ok\s/m);
  }, 600_000);

  it("runs each example program on its runtime", () => {
    const check = cli(["setup", "--check"]).stdout;
    for (const file of readdirSync(path.join(installed, "examples"))) {
      const runtime = { py: "python", js: "node", ts: "bun", go: "go", rs: "rust", rb: "ruby", php: "php" }[file.split(".").pop()!]!;
      if (new RegExp(`^${runtime}\\s+MISSING`, "m").test(check)) continue; // reported by the check above
      const r = cli(["run", path.join("node_modules", "wasmbox", "examples", file)], "Ada\n");
      expect({ file, code: r.code, stderr: r.stderr }).toEqual({ file, code: 0, stderr: "" });
      expect(r.stdout, file).toMatch(/^Hello, Ada! From .+\nsquares: \[ ?1,? 4,? 9,? 16,? 25 ?\] sum: 55\n$/);
    }
  }, 900_000);

  it("runs the README's library example as an .mjs file of the project", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const usage = readme.slice(readme.indexOf("## Usage"));
    const example = /```js\n([\s\S]*?)```/.exec(usage)![1]!;
    writeFileSync(path.join(consumer, "example.mjs"), example);
    const r = spawnSync(process.execPath, ["example.mjs"], { cwd: consumer, encoding: "utf8", timeout: 300_000 });
    expect({ code: r.status, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout).toBe("Hello, World!\n\n");
  }, 300_000);

  it("type-checks a TypeScript consumer without @types/node (lib with ESNext.Disposable, as the README says)", () => {
    writeFileSync(
      path.join(consumer, "check.ts"),
      `import { createExecutor, execute, type LoadEvent, type ExecuteResult } from "wasmbox";
const executor = createExecutor({ onLoad: (e: LoadEvent) => void e.phase, cacheDir: false });
const stop: () => void = executor.onLoad((e) => void e.done);
const r: ExecuteResult = await executor.execute({ runtime: "python", code: "print(1)" }, { signal: AbortSignal.timeout(5000) });
const n: number = executor.stats().running + r.exitCode + (await execute({ runtime: "ruby", code: "p 1" })).exitCode;
stop();
await executor.close();
export { n };
`,
    );
    writeFileSync(
      path.join(consumer, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, types: [], lib: ["ES2022", "ESNext.Disposable", "DOM"] }, files: ["check.ts"] }),
    );
    const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const r = spawnSync(process.execPath, [tsc, "-p", "."], { cwd: consumer, encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(existsSync(path.join(consumer, "node_modules", "@types", "node"))).toBe(false);
  });

  it("wasmbox assets names the optional package the browser build's PHP needs", () => {
    const r = cli(["assets", "--runtime", "php", "--no-bundle", path.join(work, "assets")]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/npm install @php-wasm\/web-8-3@3\.1\.54/);
  });
});
