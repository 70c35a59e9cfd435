/**
 * Go compiled in the page, with no `compile` hook: Go's compiler and linker in WebAssembly
 * (the assets of scripts/build-go-wasm.mjs, copied by `wasmbox assets` to <assetsBaseUrl>go-wasm/)
 * run in a Web Worker of their own (go-compiler.js beside the sandbox worker) over an in-memory
 * file tree (wasm-build.ts). Compiled programs are cached by a hash of their sources: in memory,
 * and in the browser's Cache Storage across page loads.
 */
import { limitModuleMemory } from "../../src/wasm/memory-limit.js";
import type { BuildResult } from "../compiled/cache.js";
import { planGoBuild, WASM_BUILD_VERSION, type GoBuildPlan, type GoTools, type GoWasmManifest } from "./wasm-build.js";

const COMPILER_MEMORY_BYTES = 1024 * 2 ** 20;
const CACHE_NAME = "wasmbox-go-compiled";
const MEMORY_ENTRIES = 64;
const UNTRUSTED = new Set(["go.mod", "go.sum", "go.work", "go.work.sum"]);

export interface WebGoContext {
  assetsBaseUrl: string;
  /** The compiler worker's script. */
  workerUrl: string;
  signal: AbortSignal;
  timeoutMs: number;
}

/** Assets of one base URL: the manifest, the tools, the archives, each fetched once. */
interface Assets {
  manifest: Promise<GoWasmManifest>;
  tools?: Promise<GoTools>;
  archives: Map<string, Promise<Uint8Array>>;
}
const assets = new Map<string, Assets>();
const compiled = new Map<string, Promise<BuildResult>>();
let idle: Worker | undefined;

export const webStats = { builds: 0, memoryHits: 0, storageHits: 0 };

async function fetchBytes(url: string): Promise<Uint8Array<ArrayBuffer>> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

function assetsOf(base: string): Assets {
  let a = assets.get(base);
  if (!a) {
    const manifest = fetch(`${base}manifest.json`).then(async (r) => {
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      return (await r.json()) as GoWasmManifest;
    });
    a = { manifest, archives: new Map() };
    assets.set(base, a);
    manifest.catch(() => assets.delete(base));
  }
  return a;
}

function toolsOf(base: string, a: Assets, manifest: GoWasmManifest): Promise<GoTools> {
  if (!a.tools) {
    const load = async (file: string) => WebAssembly.compile(limitModuleMemory(await fetchBytes(base + file), COMPILER_MEMORY_BYTES));
    a.tools = Promise.all([load(manifest.compile.file), load(manifest.link.file)]).then(([compile, link]) => ({ compile, link }));
    a.tools.catch(() => (a.tools = undefined));
  }
  return a.tools;
}

function archiveOf(base: string, a: Assets, manifest: GoWasmManifest, ip: string): Promise<Uint8Array> {
  let p = a.archives.get(ip);
  if (!p) {
    p = fetchBytes(base + manifest.packages[ip]!.file);
    a.archives.set(ip, p);
    p.catch(() => a.archives.delete(ip));
  }
  return p;
}

async function hashKey(parts: unknown): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(parts)));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The module path of the user's go.mod, if plausible (as the Node adapter reads it). */
function modulePath(files: Record<string, string>): string {
  const m = files["go.mod"] && /^\s*module\s+"?([A-Za-z0-9._~\/-]+)"?\s*$/m.exec(files["go.mod"]);
  if (!m || m[1]!.split("/").some((part) => part === "" || part === "." || part === "..")) return "main";
  return m[1]!;
}

const storageUrl = (key: string) => `https://wasmbox.invalid/go/${key}`;

async function fromStorage(key: string): Promise<BuildResult | undefined> {
  if (typeof caches === "undefined") return undefined;
  try {
    const r = await (await caches.open(CACHE_NAME)).match(storageUrl(key));
    if (!r) return undefined;
    if (r.headers.get("X-Wasmbox-Ok") === "1") return { ok: true, wasm: new Uint8Array(await r.arrayBuffer()) };
    return { ok: false, diagnostics: await r.text() };
  } catch {
    return undefined;
  }
}

async function toStorage(key: string, result: BuildResult): Promise<void> {
  if (typeof caches === "undefined") return;
  const body = result.ok ? result.wasm.slice() : result.diagnostics;
  await (await caches.open(CACHE_NAME)).put(storageUrl(key), new Response(body, { headers: { "X-Wasmbox-Ok": result.ok ? "1" : "0" } }));
}

function runInWorker(workerUrl: string, msg: { tools: GoTools; plan: GoBuildPlan; files: Record<string, string>; archives: Record<string, Uint8Array>; goVersion: string }, ctx: WebGoContext): Promise<BuildResult> {
  const worker = idle ?? new Worker(workerUrl, { type: "module", name: "wasmbox-go-compiler" });
  idle = undefined;
  return new Promise<BuildResult>((resolve, reject) => {
    let done = false;
    const end = (keep: boolean) => {
      done = true;
      clearTimeout(timer);
      ctx.signal.removeEventListener("abort", onAbort);
      if (keep && !idle) idle = worker;
      else worker.terminate();
    };
    const stop = () => {
      if (done) return;
      end(false);
      reject(new Error("go build stopped"));
    };
    const timer = setTimeout(stop, ctx.timeoutMs);
    const onAbort = stop;
    ctx.signal.addEventListener("abort", onAbort, { once: true });
    worker.onmessage = (e: MessageEvent<{ result?: BuildResult; error?: string }>) => {
      if (done) return;
      end(!e.data.error);
      if (e.data.error) reject(new Error(`the Go compiler in WebAssembly failed: ${e.data.error}`));
      else resolve(e.data.result!);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      if (done) return;
      end(false);
      reject(new Error(`the Go compiler's worker failed: ${e.message || "could not load its script"}`));
    };
    worker.postMessage(msg);
  });
}

/** Compiles a Go request in the page; cached by the hash of what can change the module. */
export async function buildGoInPage(files: Record<string, string>, entrypoint: string, ctx: WebGoContext): Promise<BuildResult> {
  const base = `${ctx.assetsBaseUrl}go-wasm/`;
  const a = assetsOf(base);
  let manifest: GoWasmManifest;
  try {
    manifest = await a.manifest;
  } catch (e) {
    throw new Error(
      `the Go compiler in WebAssembly is not at ${base} (${(e as Error).message}): build it with \`node scripts/build-go-wasm.mjs\` and copy it with \`npx wasmbox assets <dir>\`, or pass runtimeOptions.go.compile`,
    );
  }
  const sources = Object.fromEntries(Object.entries(files).filter(([name]) => !UNTRUSTED.has(name)));
  const mod = modulePath(files);
  const dir = entrypoint.includes("/") ? entrypoint.slice(0, entrypoint.lastIndexOf("/")) : ".";
  const planned = planGoBuild(sources, dir, mod, manifest);
  if ("diagnostics" in planned) return { ok: false, diagnostics: planned.diagnostics };
  const plan = planned.plan;
  const embedded = new Set(plan.packages.flatMap((p) => Object.keys(p.embed?.Files ?? {}).map((f) => (p.dir === "." ? f : `${p.dir}/${f}`))));
  const inputs = Object.fromEntries(Object.entries(sources).filter(([name]) => name.endsWith(".go") || embedded.has(name)).sort(([x], [y]) => (x < y ? -1 : 1)));
  const key = await hashKey([manifest.stamp, WASM_BUILD_VERSION, mod, entrypoint, inputs]);
  let p = compiled.get(key);
  if (p) {
    webStats.memoryHits++;
    return p;
  }
  p = (async () => {
    const stored = await fromStorage(key);
    if (stored) {
      webStats.storageHits++;
      return stored;
    }
    webStats.builds++;
    const [tools, ...bytes] = await Promise.all([toolsOf(base, a, manifest), ...plan.std.map((ip) => archiveOf(base, a, manifest, ip))]);
    const archives = Object.fromEntries(plan.std.map((ip, i) => [ip, bytes[i]!]));
    const result = await runInWorker(ctx.workerUrl, { tools, plan, files: inputs, archives, goVersion: manifest.goVersion }, ctx);
    await toStorage(key, result).catch(() => {});
    return result;
  })();
  compiled.set(key, p);
  p.catch(() => compiled.delete(key));
  while (compiled.size > MEMORY_ENTRIES) compiled.delete(compiled.keys().next().value!);
  return p;
}
