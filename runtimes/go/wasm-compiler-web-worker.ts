/**
 * The Web Worker that runs Go's compiler and linker for the page (wasm-compiler-web.ts); bundled
 * as dist/browser/go-compiler.js. It is handed the compiled tools, the plan, the sources and the
 * archives; it fetches nothing.
 */
import { runGoBuild, type GoBuildPlan, type GoTools } from "./wasm-build.js";

const scope = globalThis as unknown as {
  postMessage(m: unknown, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent) => void) | null;
};

scope.onmessage = (e: MessageEvent<{ tools: GoTools; plan: GoBuildPlan; files: Record<string, string>; archives: Record<string, Uint8Array>; goVersion: string }>) => {
  try {
    const m = e.data;
    const result = runGoBuild(m.plan, m.files, m.tools, m.archives, { goVersion: m.goVersion });
    scope.postMessage({ result }, result.ok ? [result.wasm.buffer] : []);
  } catch (err) {
    scope.postMessage({ error: (err as Error).stack ?? String(err) });
  }
};
