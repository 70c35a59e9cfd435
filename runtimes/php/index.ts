/**
 * PHP 8.3 on @php-wasm/node-8-3 (its Emscripten loader and wasm, nothing else of php-wasm),
 * run as `php main.php` would be in /app, the working directory holding the request's files.
 *
 * The wasm module is compiled once per executor; every job gets a fresh instance, booted
 * ahead of demand (right after the previous job) so only PHP's own start-up is on its path.
 *
 * Most of a boot's CPU was page faults: instantiating writes 13 MiB of data segments into a
 * fresh 64 MiB memory, and PHP's start-up then memsets its allocator's first chunks. So the
 * module imports its memory, and a host gives each new instance the memory of the instance
 * before it, zeroed right before (runtimes/compiled/memory-reuse.ts): the pages stay mapped.
 * The memory starts at INITIAL_MEMORY_BYTES rather than the build's 64 MiB and grows as PHP's
 * allocator asks, so a kept memory (resident, zeroed in full) is only as large as programs needed.
 */
import { PHP_REPL_DRIVER } from "./repl-driver.js";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join } from "node:path";
import { textFiles, type Job, type Runtime } from "../../src/runtime.js";
import { RuntimeUnavailableError } from "../../src/errors.js";
import { limitModuleMemory } from "../../src/wasm/memory-limit.js";
import { emscriptenFiles, type EmscriptenFs } from "../../src/sandbox/run-report.js";
import { memoryToImport } from "../../src/wasm/memory-import.js";
import { MemoryReuse, type MemoryShape } from "../compiled/memory-reuse.js";
import { UnsupportedFunction } from "./containment.js";
import type { PhpLoader } from "./emscripten.js";
import { limitFileStorage } from "./file-quota.js";
import { PRELUDE, PRELUDE_PATH, enforcedArgs, needsPrelude, phpIni, userIni, type IniSettings } from "./ini.js";
import { bootPhp, MEMORY_IMPORT, type PhpInstance } from "./instance.js";
import type { LinkRecord } from "./link-replay.js";

const PACKAGE = "@php-wasm/node-8-3";
/** The working directory, as PHP shows it in `getcwd()`, `__FILE__` and error messages. */
export const WORKDIR = "/app";
/**
 * The memory a PHP instance starts with: the build's static data and stack (its heap starts at
 * ~15 MiB) and what PHP's start-up and a small program allocate (~22 MiB in all).
 */
const INITIAL_MEMORY_BYTES = 24 * 2 ** 20;
/** php-wasm's own place for php.ini (its /internal/shared tree exists in every instance). */
const INI_PATH = "/internal/shared/php.ini";

export interface Loaded {
  loader: PhpLoader;
  wasm: WebAssembly.Module;
  /** The wasm memory cap the module was compiled with. */
  memoryBytes: number;
  /** `runtimeOptions.php.ini`: settings added to every execution's php.ini. */
  ini: IniSettings;
  /** The instance the next job runs on, booting or booted. */
  next: Promise<PhpInstance> | undefined;
  /** How the glue linked the first instance, replayed into the next ones (see link-replay.ts). */
  link?: LinkRecord;
  /** Set when `wasm` imports its memory: its limits, and the memory kept for the next instance. */
  memory?: { shape: MemoryShape; reuse: MemoryReuse };
}

/**
 * The loader names its wasm relative to `__dirname` when a CommonJS global of that name is
 * around (`node -e`, some bundlers), which is not its own directory then.
 */
async function wasmPath(loader: PhpLoader, pkg: { jspi(): Promise<boolean> }): Promise<string> {
  if (isAbsolute(loader.dependencyFilename)) return loader.dependencyFilename;
  const dir = dirname(createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`));
  return join(dir, (await pkg.jspi()) ? "jspi" : "asyncify", loader.dependencyFilename);
}

function boot(loaded: Loaded): Promise<PhpInstance> {
  const memory = loaded.memory && loaded.memory.reuse.take(loaded.memory.shape);
  const instance = bootPhp(loaded.loader, loaded.wasm, memory, loaded.link);
  void instance.then((booted) => void (booted.link && (loaded.link ??= booted.link)), () => {});
  return instance;
}

function bootNext(loaded: Loaded): void {
  const next = boot(loaded);
  // A failed boot is retried by the job that needs it, which then reports the error.
  next.catch(() => {
    if (loaded.next === next) loaded.next = undefined;
  });
  loaded.next = next;
}

function takeInstance(loaded: Loaded): Promise<PhpInstance> {
  const next = loaded.next ?? boot(loaded);
  loaded.next = undefined;
  return next;
}

function writeJobFiles(instance: PhpInstance, job: Job, memoryBytes: number, ini: IniSettings): void {
  const { FS } = instance.module;
  FS.mkdirTree("/internal/shared/preload");
  const prelude = needsPrelude(textFiles(job.files));
  FS.writeFile(INI_PATH, phpIni(memoryBytes, prelude, ini));
  if (prelude) FS.writeFile(PRELUDE_PATH, PRELUDE);
  FS.mkdirTree(WORKDIR);
  for (const [path, content] of Object.entries(job.files)) {
    const slash = path.lastIndexOf("/");
    if (slash > 0) FS.mkdirTree(`${WORKDIR}/${path.slice(0, slash)}`);
    FS.writeFile(`${WORKDIR}/${path}`, content);
  }
  FS.chdir(WORKDIR);
}

function exitStatus(e: unknown): number | undefined {
  const status = (e as { status?: unknown } | null)?.status;
  return (e as { name?: unknown })?.name === "ExitStatus" && typeof status === "number" ? status : undefined;
}

/**
 * The interpreter itself died (a wasm trap, a C stack overflow, Emscripten's abort): where
 * native php would die of a signal (a C-level infinite recursion is a segmentation fault),
 * the execution ends with 139, as a shell reports SIGSEGV.
 */
function crashReason(e: unknown): string | undefined {
  if (e instanceof WebAssembly.RuntimeError) return e.message;
  if (e instanceof RangeError && /call stack/i.test(e.message)) return e.message;
  return undefined;
}
const EXIT_CRASH = 139;
/** php's exit status after a fatal error. */
const EXIT_FATAL = 255;

/**
 * `ended`: PHP returned from run_cli (or exited, as run_cli does), so the instance may be sealed
 * and its memory given to the next one. Not after a trap or an abort, which leave the runtime
 * mid-call.
 */
async function runCli(instance: PhpInstance, argv: string[]): Promise<{ code: number; ended: boolean }> {
  const { module } = instance;
  for (const arg of argv) module.ccall("wasm_add_cli_arg", null, ["string"], [arg]);
  try {
    const code = await module.ccall("run_cli", "number", [], [], { async: true });
    // A process exit status is one byte: exit(256) is 0 and exit(-1) is 255, as natively.
    return { code: Number(code) & 0xff, ended: true };
  } catch (e) {
    const status = exitStatus(e);
    if (status !== undefined) return { code: status & 0xff, ended: true };
    if (e instanceof UnsupportedFunction) {
      instance.stdio.write(2, new TextEncoder().encode(`PHP Fatal error:  ${e.message}\n`));
      return { code: EXIT_FATAL, ended: false };
    }
    const crash = crashReason(e);
    if (crash === undefined) throw e;
    instance.stdio.write(2, new TextEncoder().encode(`PHP crashed: ${crash.replace(/ Build with .*/, "")}\n`));
    return { code: EXIT_CRASH, ended: false };
  }
}

async function phpPackage(): Promise<{ loader: PhpLoader; pkg: { getPHPLoaderModule(): Promise<PhpLoader>; jspi(): Promise<boolean> } }> {
  // A variable specifier: the package ships no type declarations.
  const specifier: string = PACKAGE;
  const pkg = (await import(specifier)) as { getPHPLoaderModule(): Promise<PhpLoader>; jspi(): Promise<boolean> };
  return { loader: await pkg.getPHPLoaderModule(), pkg };
}

/** The PHP module, its memory maximum set to the cap and its memory imported (with the memory's limits). */
async function compileModule(loader: PhpLoader, pkg: { jspi(): Promise<boolean> }, memoryBytes: number): Promise<{ wasm: WebAssembly.Module; shape?: MemoryShape }> {
  const bytes = limitModuleMemory(new Uint8Array(await readFile(await wasmPath(loader, pkg))), memoryBytes);
  const rewritten = memoryToImport(bytes, { ...MEMORY_IMPORT, initial: INITIAL_MEMORY_BYTES / 65536 });
  return { wasm: await WebAssembly.compile(rewritten?.wasm ?? bytes), ...(rewritten && { shape: rewritten.memory }) };
}

/** A memory's limits as `WorkerShared` bytes (it holds only modules and bytes), and back. */
const shapeBytes = (shape: MemoryShape): Uint8Array => new Uint8Array(Uint32Array.of(shape.initial, shape.maximum).buffer);
function shapeOf(bytes: unknown): MemoryShape | undefined {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength !== 8) return undefined;
  const [initial, maximum] = new Uint32Array(bytes.slice().buffer);
  return { initial: initial!, maximum: maximum! };
}

export const php: Runtime<Loaded> = {
  name: "php",
  language: "PHP",
  engine: "PHP on WebAssembly (php-wasm)",
  entryFile: "main.php",
  repl: { file: ".wasmbox-repl.php", driver: PHP_REPL_DRIVER },

  async check(ctx) {
    try {
      userIni(ctx.options.ini);
    } catch (e) {
      throw new RuntimeUnavailableError("php", (e as Error).message);
    }
    try {
      createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`);
    } catch (e) {
      throw new RuntimeUnavailableError("php", `${PACKAGE} is not installed; run \`npm install ${PACKAGE}@3.1.54\``, { cause: e });
    }
  },

  async version() {
    return "8.3";
  },

  // Compiled once per executor, not once per host: V8 shares the module's code between threads.
  workerHost: {
    async shared(ctx) {
      const { loader, pkg } = await phpPackage();
      const { wasm, shape } = await compileModule(loader, pkg, ctx.memoryBytes);
      return { wasm, ...(shape && { memoryShape: shapeBytes(shape) }) };
    },
  },

  async load(ctx) {
    const { loader, pkg } = await phpPackage();
    const { wasm, shape } =
      ctx.shared?.wasm instanceof WebAssembly.Module ? { wasm: ctx.shared.wasm, shape: shapeOf(ctx.shared.memoryShape) } : await compileModule(loader, pkg, ctx.memoryBytes);
    const loaded: Loaded = { loader, wasm, memoryBytes: ctx.memoryBytes, ini: userIni(ctx.options.ini), next: undefined };
    if (shape) loaded.memory = { shape, reuse: new MemoryReuse() };
    bootNext(loaded);
    await loaded.next;
    return loaded;
  },

  async run(loaded, job, io) {
    const instance = await takeInstance(loaded);
    let ended = false;
    try {
      instance.stdio.io = io;
      const memoryBytes = Math.min(job.limits.memoryBytes, loaded.memoryBytes);
      writeJobFiles(instance, job, memoryBytes, loaded.ini);
      // Files live in host memory beside the wasm memory: half the cap for them keeps the total near the cap.
      limitFileStorage(instance.module.FS, Math.floor(memoryBytes / 2));
      instance.environ.set(job.env);
      const { module } = instance;
      io.inspect?.({ memoryBytes: () => module.HEAPU8.buffer.byteLength, files: () => emscriptenFiles(module.FS as unknown as EmscriptenFs, WORKDIR) });
      // A script name starting with "-" would be read as an option.
      const script = job.entrypoint.startsWith("-") ? `./${job.entrypoint}` : job.entrypoint;
      const result = await runCli(instance, ["php", "-c", INI_PATH, ...enforcedArgs(), script, ...job.args]);
      ended = result.ended;
      return result.code;
    } finally {
      instance.stdio.io = undefined;
      // The next instance gets this memory (zeroed when it is taken), once nothing of this one can run.
      if (ended && instance.memory && loaded.memory && instance.seal()) loaded.memory.reuse.give(instance.memory, loaded.memory.shape);
      // Boot the next job's instance once this job's result is on its way.
      setImmediate(() => loaded.next ?? bootNext(loaded));
    }
  },
};
