/**
 * The `node` and `bun` runtimes: JavaScript/TypeScript on QuickJS (quickjs-emscripten), with the
 * Node and Bun surface programs expect written as guest JavaScript (./guest) over a narrow host
 * API (./host-api.ts). The guest cannot reach JavaScript of the host, so jobs run in reusable
 * worker hosts, each job on a fresh QuickJS runtime and context.
 */
import type { Runtime } from "../../src/runtime.js";
import { jsReplDriver } from "./repl-driver.js";
import { BUN_VERSION, NODE_VERSION, loadEngine, runJob, type Engine } from "./engine.js";

export const node: Runtime<Engine> = {
  name: "node",
  language: "JavaScript",
  engine: "QuickJS (quickjs-emscripten), not V8",
  emulates: `Node.js ${NODE_VERSION.slice(1)}`,
  entryFile: "main.js",
  host: "worker",
  repl: { file: ".wasmbox-repl.js", driver: jsReplDriver("js") },
  async version() {
    return NODE_VERSION.slice(1);
  },
  load: (ctx) => loadEngine("node", ctx.memoryBytes),
  run: (engine, job, io) => runJob(engine, job, io),
};

export const bun: Runtime<Engine> = {
  name: "bun",
  language: "TypeScript",
  engine: "QuickJS (quickjs-emscripten), TypeScript stripped by sucrase; not JavaScriptCore",
  emulates: `Bun ${BUN_VERSION}`,
  entryFile: "main.ts",
  host: "worker",
  repl: { file: ".wasmbox-repl.js", driver: jsReplDriver("ts") },
  async version() {
    return BUN_VERSION;
  },
  load: (ctx) => loadEngine("bun", ctx.memoryBytes),
  run: (engine, job, io) => runJob(engine, job, io),
};
