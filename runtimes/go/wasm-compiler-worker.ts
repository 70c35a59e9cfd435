/**
 * A Node worker thread that runs Go's compiler and linker (WebAssembly modules handed over by
 * wasm-compiler.ts) for one build at a time. Synchronous inside: a deadline ends the worker.
 * The archives of the standard library are read from the asset directory and kept for the
 * next build of this worker.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parentPort } from "node:worker_threads";
import { runGoBuild, type GoBuildPlan, type GoTools } from "./wasm-build.js";

export interface WorkerBuild {
  id: number;
  tools: GoTools;
  dir: string;
  goVersion: string;
  /** import path → file under dir */
  archives: Record<string, string>;
  plan: GoBuildPlan;
  files: Record<string, string>;
}

const archives = new Map<string, Uint8Array>();

parentPort!.on("message", (msg: WorkerBuild) => {
  try {
    const bytes: Record<string, Uint8Array> = {};
    for (const [ip, file] of Object.entries(msg.archives)) {
      const full = path.join(msg.dir, file);
      let data = archives.get(full);
      if (!data) {
        data = new Uint8Array(readFileSync(full));
        archives.set(full, data);
      }
      bytes[ip] = data;
    }
    const result = runGoBuild(msg.plan, msg.files, msg.tools, bytes, { goVersion: msg.goVersion });
    parentPort!.postMessage({ id: msg.id, result }, result.ok ? [result.wasm.buffer] : []);
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, error: (e as Error).stack ?? String(e) });
  }
});
