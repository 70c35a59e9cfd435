/**
 * PHP in the browser: the Node adapter (runtimes/php) running on php-wasm's web build of the
 * same version (@php-wasm/web-8-3, asyncify variant as in Node). Only loading differs: the web
 * loader is bundled, its wasm comes from the page's assets, and Emscripten runs in its "WORKER"
 * environment. Jobs run through the Node adapter's own `run` (fresh instance per job, php.ini,
 * closed network and process functions, file quota).
 */
import { init as webInit } from "wasmbox-php-web-loader";
import type { Runtime } from "../../src/runtime.js";
import { php as nodePhp, type Loaded } from "./index.js";
import type { PhpLoader } from "./emscripten.js";
import { bootPhp } from "./instance.js";
import { userIni } from "./ini.js";
import { limitModuleMemory } from "../../src/wasm/memory-limit.js";
import { getAsset } from "../../src/browser/asset-store.js";

const WASM = "@php-wasm/web-8-3/asyncify/8_3_33/php_8_3.wasm";

export const php: Runtime<Loaded> = {
  name: "php",
  language: "PHP",
  entryFile: nodePhp.entryFile,
  repl: nodePhp.repl,

  async version() {
    return "8.3";
  },

  async load(ctx) {
    const bytes = getAsset(WASM);
    if (!bytes) throw new Error(`${WASM} was not handed to the worker`);
    const wasm = await WebAssembly.compile(limitModuleMemory(bytes as Uint8Array<ArrayBuffer>, ctx.memoryBytes));
    // The Node adapter boots Emscripten's "NODE" environment; in a worker it is "WORKER".
    const loader: PhpLoader = { dependencyFilename: WASM, init: (_env, options) => webInit("WORKER", options) };
    const loaded: Loaded = { loader, wasm, memoryBytes: ctx.memoryBytes, ini: userIni(ctx.options.ini), next: undefined };
    loaded.next = bootPhp(loader, wasm);
    await loaded.next;
    return loaded;
  },

  run: (loaded, job, io) => nodePhp.run(loaded, job, io),
};
