/**
 * Go compiled by Go's own compiler and linker in WebAssembly (runtimeOptions.go.compiler "wasm",
 * or automatically when no host Go is found and the assets exist). The assets are built by
 * scripts/build-go-wasm.mjs (run by setup-toolchains.sh). The tools run in worker threads with an
 * in-memory file tree (wasm-build.ts): the compiler has no host file system, environment or
 * process to reach, by construction, so no jail is needed. Their linear memory is capped.
 */
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { goWasmDir } from "../../src/cache-dir.js";
import { limitModuleMemory } from "../../src/wasi/index.js";

export { goWasmDir };
import { BuildStopped, type BuildResult } from "../compiled/cache.js";
import { parseSemver, type Toolchain } from "../compiled/toolchain.js";
import { WASM_BUILD_VERSION, type GoBuildPlan, type GoTools, type GoWasmManifest } from "./wasm-build.js";
import type { WorkerBuild } from "./wasm-compiler-worker.js";

/** Default cap of the compiler's and linker's linear memory (a small program needs ~50 and ~120 MB). */
export const WASM_COMPILER_MEMORY_BYTES = 1024 * 2 ** 20;
const MAX_WASM32_BYTES = 4 * 2 ** 30 - 2 ** 16;
const IDLE_WORKERS = 1;


export interface GoWasmToolchain extends Toolchain {
  wasm: { dir: string; manifest: GoWasmManifest };
}

/** The assets in `dir`, as a toolchain (its identity is part of the build cache's keys). */
export async function findGoWasm(dir: string, memoryBytes?: number): Promise<GoWasmToolchain> {
  const manifest = await readFile(path.join(dir, "manifest.json"), "utf8").then(
    (t) => JSON.parse(t) as GoWasmManifest,
    () => undefined,
  );
  if (!manifest?.compile || !manifest.packages)
    throw new Error(
      `the Go compiler in WebAssembly is not built in ${dir}: run \`node scripts/build-go-wasm.mjs\` (or bash scripts/setup-toolchains.sh), ` +
        "or set WASMBOX_GO_WASM_DIR / runtimeOptions.go.wasmDir to where it was built",
    );
  const semver = parseSemver(manifest.goVersion) ?? [0, 0, 0];
  return {
    command: `wasm:${dir}`,
    version: `${manifest.goVersion} wasm ${manifest.stamp} build ${WASM_BUILD_VERSION}${memoryBytes === undefined ? "" : ` memory ${memoryBytes}`}`,
    semver,
    roots: [],
    binaries: [],
    env: {},
    target: "wasip1/wasm",
    flags: [],
    wasm: { dir, manifest },
  };
}

const tools = new Map<string, Promise<GoTools>>();

/** compile.wasm and link.wasm, compiled once per process and memory cap. */
function loadTools(dir: string, manifest: GoWasmManifest, memoryBytes: number): Promise<GoTools> {
  const key = `${dir}\0${manifest.stamp}\0${memoryBytes}`;
  let p = tools.get(key);
  if (!p) {
    const load = async (file: string) => WebAssembly.compile(limitModuleMemory(new Uint8Array(await readFile(path.join(dir, file))), memoryBytes));
    p = Promise.all([load(manifest.compile.file), load(manifest.link.file)]).then(([compile, link]) => ({ compile, link }));
    p.catch(() => tools.delete(key));
    tools.set(key, p);
  }
  return p;
}

/** Compiles the tools ahead of the first build (V8 compiles a 40 MB module in about a second). */
export function warmGoWasm(tc: GoWasmToolchain, memoryBytes?: number): void {
  loadTools(tc.wasm.dir, tc.wasm.manifest, Math.min(memoryBytes ?? WASM_COMPILER_MEMORY_BYTES, MAX_WASM32_BYTES)).catch(() => {});
}

/**
 * The std archives, read once per process into shared memory: every worker sees the same bytes
 * (a worker copies only what one tool run reads into its file tree).
 */
const archives = new Map<string, Promise<Uint8Array>>();

function archive(file: string): Promise<Uint8Array> {
  let p = archives.get(file);
  if (!p) {
    p = readFile(file).then((buf) => {
      const shared = new Uint8Array(new SharedArrayBuffer(buf.byteLength));
      shared.set(buf);
      return shared;
    });
    p.catch(() => archives.delete(file));
    archives.set(file, p);
  }
  return p;
}

const idle: Worker[] = [];
let nextId = 1;

function workerUrl(): URL {
  return new URL("./wasm-compiler-worker.js", import.meta.url);
}

function takeWorker(): Worker {
  const w = idle.pop();
  if (w) return w;
  const worker = new Worker(workerUrl());
  worker.unref();
  return worker;
}

/** Runs the build in a worker thread; the deadline or `signal` ends the worker (BuildStopped). */
export async function buildInWasm(
  tc: GoWasmToolchain,
  plan: GoBuildPlan,
  files: Record<string, string>,
  opts: { signal: AbortSignal; timeoutMs: number; memoryBytes?: number },
): Promise<BuildResult> {
  const { dir, manifest } = tc.wasm;
  const memoryBytes = Math.min(opts.memoryBytes ?? WASM_COMPILER_MEMORY_BYTES, MAX_WASM32_BYTES);
  const loaded = await loadTools(dir, manifest, memoryBytes);
  if (opts.signal.aborted) throw new BuildStopped("go build stopped (abort)");
  const bytes = await Promise.all(plan.std.map((ip) => archive(path.join(dir, manifest.packages[ip]!.file))));
  const msg: WorkerBuild = { id: nextId++, tools: loaded, goVersion: manifest.goVersion, archives: Object.fromEntries(plan.std.map((ip, i) => [ip, bytes[i]!])), plan, files };
  const worker = takeWorker();
  return new Promise<BuildResult>((resolve, reject) => {
    let done = false;
    const finish = (keep: boolean) => {
      done = true;
      clearTimeout(timer);
      opts.signal.removeEventListener("abort", onAbort);
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
      if (keep && idle.length < IDLE_WORKERS) idle.push(worker);
      else void worker.terminate();
    };
    const stop = (why: string) => {
      if (done) return;
      finish(false);
      reject(new BuildStopped(`go build stopped (${why})`));
    };
    const timer = setTimeout(() => stop("timeout"), opts.timeoutMs);
    const onAbort = () => stop("abort");
    const onMessage = (m: { id: number; result?: BuildResult; error?: string }) => {
      if (m.id !== msg.id || done) return;
      finish(!m.error);
      if (m.error) reject(new Error(`the Go compiler in WebAssembly failed: ${m.error}`));
      else resolve(m.result!);
    };
    const onError = (e: Error) => {
      if (done) return;
      finish(false);
      reject(e);
    };
    const onExit = (code: number) => onError(new Error(`the Go compiler's worker exited (${code})`));
    opts.signal.addEventListener("abort", onAbort, { once: true });
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.postMessage(msg);
  });
}
