/**
 * A Node worker thread that runs Go's compiler and linker (WebAssembly modules handed over by
 * wasm-compiler.ts) for one build at a time. Synchronous inside: a deadline ends the worker.
 * The standard library's archives arrive in shared memory, read once by the main thread.
 */
import { parentPort } from "node:worker_threads";
import { runGoBuild, type GoBuildPlan, type GoTools } from "./wasm-build.js";

export interface WorkerBuild {
  id: number;
  tools: GoTools;
  goVersion: string;
  /** import path → archive bytes (a SharedArrayBuffer) */
  archives: Record<string, Uint8Array>;
  plan: GoBuildPlan;
  files: Record<string, string>;
}

parentPort!.on("message", (msg: WorkerBuild) => {
  try {
    const result = runGoBuild(msg.plan, msg.files, msg.tools, msg.archives, { goVersion: msg.goVersion });
    parentPort!.postMessage({ id: msg.id, result }, result.ok ? [result.wasm.buffer] : []);
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, error: (e as Error).stack ?? String(e) });
  }
});
