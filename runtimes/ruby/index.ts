/**
 * Ruby 3.4 on @ruby/3.4-wasm-wasi, through the shared WASI layer.
 *
 * Booting Ruby (unpacking the embedded stdlib, loading RubyGems) costs ~350 ms per instance,
 * so the first sandbox host of an executor boots it once and keeps a copy of the booted linear
 * memory, which it hands to the executor's later hosts (`workerHost.contribute`: one copy in
 * shared memory, only ever read). Every job gets a fresh instance whose memory is overwritten
 * with that copy: a VM nobody used, for the price of a memcpy. Process-specific state taken at
 * boot (ARGV, ENV, the PRNG seed) is reset by the glue before the program runs. The hash key is
 * not: every table built at boot (symbols, frozen strings, Hashes, compiled `case` tables) holds
 * hashes made with it (see SECURITY.md).
 */
import { RUBY_REPL_DRIVER } from "./repl-driver.js";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Runtime } from "../../src/runtime.js";
import { createWasi, limitModuleMemory, WASIProcExit, wasiFiles, type WasiContext } from "../../src/wasi/index.js";
import { decodeSnapshot, encodeSnapshot, restoreSnapshot, takeSnapshot, withoutDataSegments, type MemorySnapshot } from "../../src/wasm/snapshot.js";
import { bootGlue, glue } from "./glue.js";

const require = createRequire(import.meta.url);

type RubyVMClass = typeof import("@ruby/wasm-wasi").RubyVM;
type RbErrorClass = typeof import("@ruby/wasm-wasi").RbError;

interface Loaded {
  /** The module without its data segments: their content is in the snapshot. */
  module: WebAssembly.Module;
  RubyVM: RubyVMClass;
  RbError: RbErrorClass;
  /** Linear memory right after boot. */
  snapshot: MemorySnapshot;
  /** Set in the host that booted: `snapshot` encoded (in shared memory) for later hosts. */
  encoded?: Uint8Array<SharedArrayBuffer>;
  /** The next job's instance, made and restored while the host is idle. Used by one job only. */
  spare?: Promise<Fresh>;
}

interface Fresh {
  wasi: WasiContext;
  vm: InstanceType<RubyVMClass>;
}

const BOOT_ARGS = ["ruby", "-EUTF-8", "-e_=0"];

/**
 * ruby.wasm's guest→JavaScript bridge (`require "js"`): every import is replaced with a stub
 * that traps, so guest code can never reach the host's JavaScript.
 */
class JsBridgeClosed extends Error {}

function closeJsBridge(imports: WebAssembly.Imports): void {
  const host = imports["rb-js-abi-host"] as Record<string, unknown> | undefined;
  if (!host) return;
  for (const name of Object.keys(host)) {
    if (name === "rb_wasm_throw_prohibit_rewind_exception") continue;
    host[name] = () => {
      throw new JsBridgeClosed("the JavaScript bridge is disabled in this sandbox");
    };
  }
}

/** A new instance holding the booted VM: fresh memory, nobody else's state. */
async function freshInstance({ module, RubyVM, snapshot }: Loaded): Promise<Fresh> {
  const wasi = createWasi();
  const vm = new (RubyVM as unknown as new () => InstanceType<RubyVMClass>)();
  vm.addToImports(wasi.imports);
  closeJsBridge(wasi.imports);
  const instance = await WebAssembly.instantiate(module, wasi.imports);
  await vm.setInstance(instance);
  // The embedder's eval dumps the VM's internals (frames, loaded files) to the program's stderr
  // whenever wasm unwinds with a JavaScript exception, as exit! does through proc_exit.
  (vm as unknown as { guest: { rbVmBugreport(): void } }).guest.rbVmBugreport = () => {};
  restoreSnapshot(instance.exports.memory as WebAssembly.Memory, snapshot);
  // The booted memory already ran _initialize; only point the WASI layer at the instance.
  (wasi.wasi as unknown as { inst: WebAssembly.Instance }).inst = instance;
  return { wasi, vm };
}

async function moduleBytes(memoryBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const path = require.resolve("@ruby/3.4-wasm-wasi/dist/ruby+stdlib.wasm");
  return limitModuleMemory(new Uint8Array(await readFile(path)), memoryBytes);
}

export const ruby: Runtime<Loaded> = {
  name: "ruby",
  language: "Ruby",
  engine: "CRuby on WebAssembly/WASI (ruby.wasm)",
  entryFile: "main.rb",
  repl: { file: ".wasmbox-repl.rb", driver: RUBY_REPL_DRIVER },

  async version() {
    return "3.4";
  },

  // The module jobs use is compiled once per executor, not per host: V8 shares its code between
  // threads. Ruby is booted once per executor too, by its first host, which hands the booted
  // memory to later ones; the module it boots with (with the embedded files, read at boot) is
  // compiled there and let go of after the boot.
  workerHost: {
    async shared(ctx) {
      return { run: await WebAssembly.compile(withoutDataSegments(await moduleBytes(ctx.memoryBytes))) };
    },
    contribute: (loaded) => (loaded.encoded ? { snapshot: loaded.encoded } : undefined),
  },

  async load(ctx) {
    const run = ctx.shared?.run instanceof WebAssembly.Module ? ctx.shared.run : undefined;
    const { RubyVM, RbError } = await import("@ruby/wasm-wasi");
    if (run && ctx.shared?.snapshot instanceof Uint8Array) {
      const loaded: Loaded = { module: run, RubyVM, RbError, snapshot: decodeSnapshot(ctx.shared.snapshot) };
      loaded.spare = freshInstance(loaded);
      await loaded.spare;
      return loaded;
    }
    const bytes = await moduleBytes(ctx.memoryBytes);
    const module = run ?? (await WebAssembly.compile(withoutDataSegments(bytes)));
    const { wasi } = createWasi();
    const { vm, instance } = await RubyVM.instantiateModule({
      module: await WebAssembly.compile(bytes),
      wasip1: wasi as never,
      addToImports: closeJsBridge,
      args: BOOT_ARGS,
    });
    vm.eval(bootGlue());
    // Kept once, in shared memory: this host restores from the same bytes it hands to later ones.
    const encoded = encodeSnapshot(takeSnapshot(instance.exports.memory as WebAssembly.Memory));
    const snapshot = decodeSnapshot(encoded);
    const loaded: Loaded = { module, RubyVM, RbError, snapshot, encoded };
    loaded.spare = freshInstance(loaded);
    await loaded.spare;
    return loaded;
  },

  async run(loaded, job, io) {
    const spare = loaded.spare ?? freshInstance(loaded);
    loaded.spare = undefined;
    const { wasi, vm } = await spare;
    wasi.bind({ args: ["ruby"], env: job.env, files: job.files, io });
    const memory = (wasi.wasi as unknown as { inst: WebAssembly.Instance }).inst.exports.memory as WebAssembly.Memory;
    io.inspect?.({ memoryBytes: () => memory.buffer.byteLength, files: () => wasiFiles(wasi.root) });
    try {
      const status = vm.eval(glue(job.entrypoint, job.args, job.env));
      return Number(status.toString());
    } catch (e) {
      if (e instanceof WASIProcExit) return e.code;
      // Guest code reached ruby.wasm's JavaScript bridge (js.so is linked in): the VM unwound
      // mid-call, so the program ends here, failing in Ruby's words.
      if (e instanceof JsBridgeClosed) {
        io.write(2, `${job.entrypoint}: ${e.message} (NotImplementedError)\n`);
        return 1;
      }
      // A Ruby exception that escaped the glue's own handling: the program's failure, in Ruby's words.
      if (e instanceof loaded.RbError) {
        io.write(2, `${job.entrypoint}: ${e.message.split("\n")[0]}\n`);
        return 1;
      }
      throw e;
    } finally {
      // Ready the next job's instance while this host would otherwise sit idle.
      loaded.spare = freshInstance(loaded);
      loaded.spare.catch(() => {});
    }
  },
};
