#!/usr/bin/env node
/**
 * Go's compiler in WebAssembly against the host toolchain (the "go-wasm" phase of scripts/bench.mjs,
 * or on its own: node scripts/bench/go-wasm.mjs [--quick] [--no-browser] [--no-write]).
 *
 * - sizes: compile.wasm, link.wasm, the std archives, and what a hello world fetches;
 * - Node: per compiler, in a fresh process, the first execute() of a program never seen (cold:
 *   the compiler's modules load, V8 compiles and tiers up), a second new program in the same
 *   process (warm compiler), and the first program again (the compiled-module cache answers);
 * - browser (Chromium, fresh profile): the same three, through wasmbox/browser with no compile hook.
 * Numbers are reported, never asserted. Results: bench/results/go-wasm.json and .md.
 */
import { execFile } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { median, round } from "./stats.mjs";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const dist = path.join(root, "dist");

const program = (tag) =>
  `package main\n\nimport (\n\t"fmt"\n\t"os"\n\t"strings"\n)\n\n// ${tag}\nfunc main() {\n\tfmt.Println(strings.ToUpper("hello"), len(os.Args))\n}\n`;

/** One fresh Node process: cold, warm (another new program), cached (the first again). */
async function nodeRound(compiler, tag) {
  const script = `
    const { createExecutor } = await import(${JSON.stringify(pathToFileURL(path.join(dist, "src/index.js")).href)});
    const ex = createExecutor({ concurrency: 1, runtimeOptions: { go: { compiler: ${JSON.stringify(compiler)} } } });
    const program = ${program.toString()};
    const time = async (code) => {
      const t = performance.now();
      const r = await ex.execute({ runtime: "go", code, timeout: 300000 });
      if (r.stdout !== "HELLO 1\\n") throw new Error("unexpected result: " + JSON.stringify(r));
      return performance.now() - t;
    };
    const a = program(${JSON.stringify(`${tag}-a`)}), b = program(${JSON.stringify(`${tag}-b`)});
    const out = { cold: await time(a), warm: await time(b), cached: await time(a) };
    await ex.close();
    process.stdout.write(JSON.stringify(out));
  `;
  const dir = mkdtempSync(path.join(os.tmpdir(), "wasmbox-bench-go-node-"));
  try {
    writeFileSync(path.join(dir, "round.mjs"), script);
    const { stdout } = await run(process.execPath, [path.join(dir, "round.mjs")], { cwd: root, maxBuffer: 1 << 20, timeout: 900_000 });
    return JSON.parse(stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function serve(dir, page) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Cross-Origin-Embedder-Policy", "require-corp");
    res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
    if (url.pathname === "/") {
      res.setHeader("Content-Type", "text/html");
      return res.end(page);
    }
    const file = path.join(dir, decodeURIComponent(url.pathname.replace(/^\/wasmbox\//, "")));
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      return res.end();
    }
    const ext = path.extname(file);
    res.setHeader("Content-Type", ext === ".js" ? "text/javascript" : ext === ".wasm" ? "application/wasm" : ext === ".json" ? "application/json" : "application/octet-stream");
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() })));
}

async function browserRound(tag) {
  const { chromium } = await import("playwright-core");
  const assets = mkdtempSync(path.join(os.tmpdir(), "wasmbox-bench-go-"));
  const profile = mkdtempSync(path.join(os.tmpdir(), "wasmbox-bench-chromium-"));
  let server;
  let context;
  try {
    await run(process.execPath, [path.join(dist, "src/cli/main.js"), "assets", assets, "--runtime", "go", "--quiet"]);
    const page0 = `<!doctype html><script type="module">
      import { createExecutor } from "/wasmbox/browser/index.js";
      const box = createExecutor({ assetsBaseUrl: "/wasmbox/" });
      window.time = async (code) => { const t = performance.now(); const r = await box.execute({ runtime: "go", code, timeout: 300000 });
        if (r.stdout !== "HELLO 1\\n") throw new Error(JSON.stringify(r)); return performance.now() - t; };
      window.ready = true;</script>`;
    server = await serve(assets, page0);
    context = await chromium.launchPersistentContext(profile, { executablePath: process.env.WASMBOX_CHROMIUM ?? "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu"] });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => window.ready === true);
    const time = (code) => page.evaluate((c) => window.time(c), code);
    const a = program(`${tag}-a`);
    const out = { cold: await time(a), warm: await time(program(`${tag}-b`)), cached: await time(a) };
    // A new page load: the module comes from Cache Storage, the compiler is not fetched.
    await page.reload();
    await page.waitForFunction(() => window.ready === true);
    out.afterReload = await time(a);
    return out;
  } finally {
    await context?.close();
    server?.close();
    rmSync(assets, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}

export async function measureGoWasm({ quick = false, browser = true, log = () => {} } = {}) {
  const { goWasmDir } = await import(pathToFileURL(path.join(dist, "runtimes/go/wasm-compiler.js")).href);
  const { planGoBuild } = await import(pathToFileURL(path.join(dist, "runtimes/go/wasm-build.js")).href);
  const dir = goWasmDir();
  const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
  const planned = planGoBuild({ "main.go": program("size") }, ".", "main", manifest);
  const helloArchives = planned.plan.std.reduce((n, ip) => n + manifest.packages[ip].size, 0);
  const mb = (b) => Math.round(b / 1e5) / 10;
  const sizes = {
    goVersion: manifest.goVersion,
    compileWasmMB: mb(manifest.compile.size),
    linkWasmMB: mb(manifest.link.size),
    stdArchives: Object.keys(manifest.packages).length,
    stdArchivesMB: mb(Object.values(manifest.packages).reduce((n, p) => n + p.size, 0)),
    helloWorldArchives: planned.plan.std.length,
    helloWorldArchivesMB: mb(helloArchives),
  };
  const rounds = quick ? 1 : 3;
  const node = {};
  for (const compiler of ["host", "wasm"]) {
    const samples = [];
    for (let i = 0; i < rounds; i++) {
      log(`node, ${compiler} compiler, round ${i + 1}/${rounds}`);
      samples.push(await nodeRound(compiler, `${compiler}-${Date.now()}-${i}`));
    }
    node[compiler] = Object.fromEntries(["cold", "warm", "cached"].map((k) => [`${k}Ms`, round(median(samples.map((s) => s[k])))]));
  }
  let chromium;
  if (browser && existsSync(process.env.WASMBOX_CHROMIUM ?? "/usr/bin/chromium")) {
    log("chromium, first Go run in a fresh profile");
    const s = await browserRound(`browser-${Date.now()}`);
    chromium = Object.fromEntries(Object.entries(s).map(([k, v]) => [`${k}Ms`, round(v)]));
  }
  return { sizes, node, chromium, cores: os.cpus().length, load: os.loadavg().map((l) => Math.round(l * 10) / 10), date: new Date().toISOString() };
}

export function goWasmMarkdown(r) {
  const row = (name, o) => `| ${name} | ${o.coldMs} | ${o.warmMs} | ${o.cachedMs} |`;
  return [
    `# Go: compiler in WebAssembly against the host toolchain`,
    ``,
    `${r.sizes.goVersion}; ${r.cores} cores, load average ${r.load.join(" / ")} at the end (${r.date}).`,
    ``,
    `| execute() of a hello world, ms | cold (fresh process) | warm (new program) | cached (same program) |`,
    `|---|---|---|---|`,
    row("host toolchain (go build, std prebuilt)", r.node.host),
    row("compiler in WebAssembly (Node worker)", r.node.wasm),
    ...(r.chromium ? [row("compiler in WebAssembly (Chromium, fresh profile)", r.chromium)] : []),
    ``,
    ...(r.chromium ? [`Chromium after a page reload (the module from Cache Storage, no compiler fetched): ${r.chromium.afterReloadMs} ms.`, ``] : []),
    `Sizes: compile.wasm ${r.sizes.compileWasmMB} MB, link.wasm ${r.sizes.linkWasmMB} MB, ${r.sizes.stdArchives} std archives ${r.sizes.stdArchivesMB} MB in all; a hello world (fmt, os, strings) needs ${r.sizes.helloWorldArchives} of them, ${r.sizes.helloWorldArchivesMB} MB.`,
    ``,
  ].join("\n");
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  const argv = process.argv.slice(2);
  const r = await measureGoWasm({ quick: argv.includes("--quick"), browser: !argv.includes("--no-browser"), log: (m) => process.stderr.write(`bench go-wasm: ${m}\n`) });
  const md = goWasmMarkdown(r);
  process.stdout.write(md);
  if (!argv.includes("--no-write")) {
    const out = path.join(root, "bench", "results");
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, "go-wasm.json"), `${JSON.stringify(r, null, 2)}\n`);
    writeFileSync(path.join(out, "go-wasm.md"), md);
  }
}
