/**
 * Ruby 3.4 on @ruby/3.4-wasm-wasi, through the shared WASI layer.
 *
 * Booting Ruby (compiling the whole module, unpacking the embedded stdlib, loading RubyGems) is
 * most of a cold start, so it is done once: the booted linear memory is kept in the cache
 * directory with the module jobs run (boot-cache.ts), and read from there by later executors.
 * Without one, the first sandbox host of an executor boots and hands a copy of the booted memory
 * to the executor's later hosts (`workerHost.contribute`: one copy in shared memory, only ever
 * read). Every job gets a fresh instance whose memory is overwritten
 * with that copy: a VM nobody used, for the price of a memcpy. Process-specific state taken at
 * boot (ARGV, ENV, the PRNG seed) is reset by the glue before the program runs. The hash key is
 * not: every table built at boot (symbols, frozen strings, Hashes, compiled `case` tables) holds
 * hashes made with it (see SECURITY.md).
 *
 * A host runs each instance on the memory of the instance before it, put back into the snapshot's
 * exact state (runs copied, everything else zeroed) rather than on a fresh memory: a fresh one
 * costs a page fault for every page the restore writes (~100 ms of CPU per job on the VMs
 * measured), and the old one stays allocated until the idle worker's next GC.
 */
import { RUBY_REPL_DRIVER } from "./repl-driver.js";
import { createRequire } from "node:module";
import type { Runtime } from "../../src/runtime.js";
import { createWasi, limitModuleMemory, WASIProcExit, wasiFiles, type WasiContext } from "../../src/wasi/index.js";
import { memoryToImport, type MemoryShape } from "../../src/wasm/memory-import.js";
import {
  decodeSnapshot,
  encodeSnapshot,
  resetToSnapshot,
  restoreSnapshot,
  takeSnapshot,
  withoutDataSegments,
  type MemorySnapshot,
} from "../../src/wasm/snapshot.js";
import { bootGlue, glue } from "./glue.js";
import { bootCacheFile, readBootCache, writeBootCache } from "./boot-cache.js";
import { readWholeFile } from "../../src/read-file.js";

const require = createRequire(import.meta.url);

type RubyVMClass = typeof import("@ruby/wasm-wasi").RubyVM;
type RbErrorClass = typeof import("@ruby/wasm-wasi").RbError;

export interface Loaded {
  /** The module without its data segments (their content is in the snapshot); imports its memory when `shape` is set. */
  module: WebAssembly.Module;
  /** The limits of the memory `module` imports, when it does. */
  shape?: MemoryShape;
  /** The memory of the last instance, once nothing of that instance can run: the next instance's. */
  kept?: WebAssembly.Memory;
  /** `recycleMemory` (default true): hand each instance's memory to the next. */
  recycle: boolean;
  RubyVM: RubyVMClass;
  RbError: RbErrorClass;
  /** Linear memory right after boot. */
  snapshot: MemorySnapshot;
  /** Set in the host that booted: `snapshot` encoded (in shared memory) for later hosts. */
  encoded?: Uint8Array<SharedArrayBuffer>;
  /** The next job's instance, made and restored while the host is idle. Used by one job only. */
  spare?: Promise<Fresh>;
}

export interface Fresh {
  wasi: WasiContext;
  vm: InstanceType<RubyVMClass>;
  memory: WebAssembly.Memory;
  /** Ends every way into this instance: after it, its memory can be handed to another. */
  seal(): void;
}

/** Where a job's module imports its memory from. */
const MEMORY_IMPORT = { module: "wasmbox", name: "memory" } as const;

const BOOT_ARGS = ["ruby", "-EUTF-8", "-e_=0"];

/**
 * Free room at the top of the booted heap: a zeroed block allocated and freed at boot, so the
 * memory is that much larger and a program that allocates up to about that much more runs
 * without growing it (a memory that grew is not reused; see run). Without it, `require "json"`
 * or a 10,000-entry Hash grew it. Zero bytes, so not in the snapshot. Under a small memory cap
 * (where it does not fit) Ruby boots without it.
 */
const HEADROOM = `begin; -> { "\\0".b * ${8 * 2 ** 20} }.call; rescue NoMemoryError; end; GC.start(full_mark: true, immediate_sweep: true); nil`;

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

/**
 * A new instance holding the booted VM, nobody else's state: on the kept memory of the last
 * instance (reset to the snapshot) when there is one, else on a fresh memory.
 */
async function freshInstance(loaded: Loaded): Promise<Fresh> {
  const { module, RubyVM, snapshot, shape } = loaded;
  const wasi = createWasi();
  const vm = new (RubyVM as unknown as new () => InstanceType<RubyVMClass>)();
  vm.addToImports(wasi.imports);
  closeJsBridge(wasi.imports);
  const kept = loaded.kept;
  loaded.kept = undefined;
  const given = shape && (kept ?? new WebAssembly.Memory({ initial: shape.initial, maximum: shape.maximum }));
  if (given) wasi.imports[MEMORY_IMPORT.module] = { [MEMORY_IMPORT.name]: given };
  const instance = await WebAssembly.instantiate(module, wasi.imports);
  await vm.setInstance(instance);
  const seal = guard(vm);
  const memory = given ?? (instance.exports.memory as WebAssembly.Memory);
  if (kept) resetToSnapshot(memory, snapshot);
  else restoreSnapshot(memory, snapshot);
  // The booted memory already ran _initialize; only point the WASI layer at the instance.
  (wasi.wasi as unknown as { inst: WebAssembly.Instance }).inst = instance;
  return { wasi, vm, memory, seal };
}

/**
 * Right after `setInstance`, before any Ruby value reaches JavaScript: the VM's bindings made
 * sealable. Returns seal(), after which nothing calls into the instance any more.
 */
function guard(vm: InstanceType<RubyVMClass>): () => void {
  const guest = (vm as unknown as { guest: { rbVmBugreport(): void; _exports: Record<string, unknown>; _registry0: FinalizationRegistry<number> } }).guest;
  // The embedder's eval dumps the VM's internals (frames, loaded files) to the program's stderr
  // whenever wasm unwinds with a JavaScript exception, as exit! does through proc_exit.
  guest.rbVmBugreport = () => {};
  // Values handed to JavaScript are dropped in the instance when collected, at any later time:
  // once sealed, that would run this instance's code on a memory another instance runs on. The
  // drop is looked up when it runs, in the exports that seal() empties.
  guest._registry0 = new FinalizationRegistry<number>((handle) => {
    (guest._exports["canonical_abi_drop_rb-abi-value"] as ((handle: number) => void) | undefined)?.(handle);
  });
  return () => {
    guest._exports = {};
  };
}

type RubyVMCtor = new () => InstanceType<RubyVMClass>;

/** Runs Ruby's boot (reactor init, RubyGems, the boot glue) on an instance `vm` is set to. */
function bootVm(vm: InstanceType<RubyVMClass>, wasi: WasiContext["wasi"], instance: WebAssembly.Instance): void {
  (wasi as unknown as { initialize(i: WebAssembly.Instance): void }).initialize(instance);
  vm.initialize(BOOT_ARGS);
  vm.eval(bootGlue());
  vm.eval(HEADROOM);
}

/**
 * Boots Ruby on a memory the first job then reuses (the whole module, its memory imported).
 * Undefined for a module whose memory cannot be imported.
 */
async function bootShared(shape: MemoryShape, bytes: Uint8Array<ArrayBuffer>, RubyVM: RubyVMClass): Promise<{ memory: WebAssembly.Memory; seal(): void } | undefined> {
  const whole = memoryToImport(bytes, MEMORY_IMPORT);
  if (!whole || whole.memory.initial !== shape.initial || whole.memory.maximum !== shape.maximum) return undefined;
  const memory = new WebAssembly.Memory({ initial: shape.initial, maximum: shape.maximum });
  const { wasi, imports } = createWasi();
  const vm = new (RubyVM as unknown as RubyVMCtor)();
  vm.addToImports(imports);
  closeJsBridge(imports);
  imports[MEMORY_IMPORT.module] = { [MEMORY_IMPORT.name]: memory };
  const instance = await WebAssembly.instantiate(await WebAssembly.compile(whole.wasm), imports);
  await vm.setInstance(instance);
  const seal = guard(vm);
  bootVm(vm, wasi, instance);
  return { memory, seal };
}

/** Boots Ruby on the whole module, in a memory of its own. */
async function bootOwn(bytes: Uint8Array<ArrayBuffer>, RubyVM: RubyVMClass): Promise<{ memory: WebAssembly.Memory; seal(): void }> {
  const { wasi, imports } = createWasi();
  const vm = new (RubyVM as unknown as RubyVMCtor)();
  vm.addToImports(imports);
  closeJsBridge(imports);
  const instance = await WebAssembly.instantiate(await WebAssembly.compile(bytes), imports);
  await vm.setInstance(instance);
  const seal = guard(vm);
  bootVm(vm, wasi, instance);
  return { memory: instance.exports.memory as WebAssembly.Memory, seal };
}

/**
 * The module jobs run: without data segments, and importing its memory (so that a host can hand
 * one instance's memory to the next) when its memory allows it.
 */
function runModule(bytes: Uint8Array<ArrayBuffer>): { wasm: Uint8Array<ArrayBuffer>; shape?: MemoryShape } {
  const stripped = withoutDataSegments(bytes);
  const rewritten = memoryToImport(stripped, MEMORY_IMPORT);
  return rewritten ? { wasm: rewritten.wasm, shape: rewritten.memory } : { wasm: stripped };
}

/** A memory's limits as `WorkerShared` bytes (it holds only modules and bytes), and back. */
const shapeBytes = (shape: MemoryShape): Uint8Array => new Uint8Array(Uint32Array.of(shape.initial, shape.maximum).buffer);
function shapeOf(bytes: unknown): MemoryShape | undefined {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength !== 8) return undefined;
  const [initial, maximum] = new Uint32Array(bytes.slice().buffer);
  return { initial: initial!, maximum: maximum! };
}

/**
 * The boot leaves ~100 MB for the collector (the module's bytes and their copies, the boot
 * module), which an idle worker would keep until its next collection: a fresh memory per job used
 * to bring that on, a reused one does not. V8 collects when the external memory it counts grows
 * enough: an ArrayBuffer this size, never touched (no page of it mapped), makes it collect now.
 */
function collectSoon(): void {
  try {
    void new ArrayBuffer(256 * 2 ** 20);
  } catch {
    // Address space refused: the collection just comes later.
  }
}

const moduleFile = (): string => require.resolve("@ruby/3.4-wasm-wasi/dist/ruby+stdlib.wasm");

/** What a boot depends on besides the module and the memory cap (the boot cache's key). */
const bootInputs = (): string[] => [bootGlue(), HEADROOM, ...BOOT_ARGS];

async function moduleBytes(memoryBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  return limitModuleMemory(await readWholeFile(moduleFile()), memoryBytes);
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
    // With a cache directory, an earlier executor's boot is read from it: no host boots Ruby.
    async shared(ctx) {
      const file = await bootCacheFile(ctx.options, moduleFile(), bootInputs(), ctx.memoryBytes);
      const cached = file === undefined ? undefined : await readBootCache(file);
      if (cached)
        return { run: await WebAssembly.compile(cached.wasm), ...(cached.shape && { memoryShape: shapeBytes(cached.shape) }), snapshot: cached.snapshot };
      const { wasm, shape } = runModule(await moduleBytes(ctx.memoryBytes));
      return {
        run: await WebAssembly.compile(wasm),
        ...(shape && { memoryShape: shapeBytes(shape) }),
        ...(file !== undefined && { bootCache: new TextEncoder().encode(file) }),
      };
    },
    contribute: (loaded) => (loaded.encoded ? { snapshot: loaded.encoded } : undefined),
  },

  async load(ctx) {
    const recycle = ctx.options.recycleMemory !== false;
    const given = ctx.shared?.run instanceof WebAssembly.Module ? { module: ctx.shared.run, shape: shapeOf(ctx.shared.memoryShape) } : undefined;
    const { RubyVM, RbError } = await import("@ruby/wasm-wasi");
    if (given && ctx.shared?.snapshot instanceof Uint8Array) {
      const loaded: Loaded = { ...given, RubyVM, RbError, snapshot: decodeSnapshot(ctx.shared.snapshot), recycle };
      loaded.spare = freshInstance(loaded);
      await loaded.spare;
      return loaded;
    }
    const bytes = await moduleBytes(ctx.memoryBytes);
    const own = given ? undefined : runModule(bytes);
    const run = given ?? { module: await WebAssembly.compile(own!.wasm), shape: own!.shape };
    // The boot's memory is the first job's: one for the boot alone would stay allocated in this
    // idle worker until its next GC.
    const shared = run.shape && (await bootShared(run.shape, bytes, RubyVM));
    const booted = shared || (await bootOwn(bytes, RubyVM));
    // Kept once, in shared memory: this host restores from the same bytes it hands to later ones.
    const encoded = encodeSnapshot(takeSnapshot(booted.memory, true));
    booted.seal();
    if (ctx.shared?.bootCache instanceof Uint8Array) {
      // The module as shared() made it (this host was given only its compiled form).
      const { wasm, shape } = own ?? runModule(bytes);
      await writeBootCache(new TextDecoder().decode(ctx.shared.bootCache), { wasm, ...(shape && { shape }), snapshot: encoded });
    }
    const snapshot = decodeSnapshot(encoded);
    const loaded: Loaded = { ...run, RubyVM, RbError, snapshot, encoded, recycle, ...(shared && recycle && { kept: shared.memory }) };
    loaded.spare = freshInstance(loaded);
    await loaded.spare;
    collectSoon();
    return loaded;
  },

  async run(loaded, job, io) {
    const spare = loaded.spare ?? freshInstance(loaded);
    loaded.spare = undefined;
    const fresh = await spare;
    const { wasi, vm, memory } = fresh;
    wasi.bind({ args: ["ruby"], env: job.env, files: job.files, io });
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
      // Its memory goes to the next instance unless it grew: a larger one would hold more pages
      // at rest, and the snapshot's allocator state describes a memory of the snapshot's size.
      fresh.seal();
      if (loaded.recycle && loaded.shape && memory.buffer.byteLength === loaded.snapshot.byteLength) loaded.kept = memory;
      // Ready the next job's instance while this host would otherwise sit idle.
      loaded.spare = freshInstance(loaded);
      loaded.spare.catch(() => {});
    }
  },
};
