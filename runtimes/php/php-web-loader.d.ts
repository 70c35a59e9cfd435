/** php-wasm's web loader (asyncify), aliased by scripts/build-browser.mjs; it ships no types. */
declare module "wasmbox-php-web-loader" {
  import type { PhpModule, PhpModuleOptions } from "./emscripten.js";
  export function init(runtimeName: "WEB" | "WORKER", options: PhpModuleOptions): PhpModule;
}
