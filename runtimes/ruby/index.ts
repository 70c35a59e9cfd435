/**
 * Ruby 3.4 on @ruby/3.4-wasm-wasi, through the shared WASI layer.
 * The module is compiled once per sandbox host; every job gets a fresh instance and VM.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Runtime } from "../../src/runtime.js";
import { createWasi, limitModuleMemory, WASIProcExit } from "../../src/wasi/index.js";
import { glue } from "./glue.js";

const require = createRequire(import.meta.url);

interface Loaded {
  module: WebAssembly.Module;
  RubyVM: typeof import("@ruby/wasm-wasi").RubyVM;
}

/**
 * ruby.wasm's guest→JavaScript bridge (`require "js"`): every import is replaced with a stub
 * that traps, so guest code can never reach the host's JavaScript.
 */
function closeJsBridge(imports: WebAssembly.Imports): void {
  const host = imports["rb-js-abi-host"] as Record<string, unknown> | undefined;
  if (!host) return;
  for (const name of Object.keys(host)) {
    if (name === "rb_wasm_throw_prohibit_rewind_exception") continue;
    host[name] = () => {
      throw new Error("wasmbox: the JavaScript bridge is disabled in this sandbox");
    };
  }
}

export const ruby: Runtime<Loaded> = {
  name: "ruby",
  language: "Ruby",
  entryFile: "main.rb",

  async version() {
    return "3.4";
  },

  async load(ctx) {
    const path = require.resolve("@ruby/3.4-wasm-wasi/dist/ruby+stdlib.wasm");
    const bytes = limitModuleMemory(new Uint8Array(await readFile(path)), ctx.memoryBytes);
    const module = await WebAssembly.compile(bytes);
    const { RubyVM } = await import("@ruby/wasm-wasi");
    return { module, RubyVM };
  },

  async run({ module, RubyVM }, job, io) {
    const { wasi } = createWasi({ args: ["ruby"], env: job.env, files: job.files, io });
    try {
      const { vm } = await RubyVM.instantiateModule({
        module,
        wasip1: wasi as never,
        addToImports: closeJsBridge,
        args: ["ruby", "-EUTF-8", "-e_=0", "--", ...job.args],
      });
      const status = vm.eval(glue(job.entrypoint));
      return Number(status.toString());
    } catch (e) {
      if (e instanceof WASIProcExit) return e.code;
      throw e;
    }
  },
};
