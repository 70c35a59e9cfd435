/**
 * QuickJS (quickjs-emscripten, the release-sync wasm build) as the engine of the `node` and `bun`
 * runtimes. The wasm module is instantiated once per sandbox host, with a memory whose maximum
 * is the executor's memory cap; every job gets a fresh QuickJS runtime + context. Evaluating the
 * ~46 KB prelude is most of a job's cost, so the next job's context is prepared (prelude
 * evaluated, job not yet bound) while the host is idle; each prepared context serves one job.
 * An emscripten abort (a leak found at dispose, an out-of-memory inside QuickJS) drops the
 * module instance; the next job makes a new one.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type {
  QuickJSContext,
  QuickJSHandle,
  QuickJSRuntime,
  QuickJSWASMModule,
  QuickJSSyncVariant,
} from "quickjs-emscripten-core";
import type { Io, Job, WorkFile } from "../../src/runtime.js";
import { OutputLimitExceeded } from "../../src/runtime.js";
import { createHostApi, type HostApi } from "./host-api.js";
import { BUILTIN_NAMES, guestSources, type Flavor } from "./guest/sources.js";
import { loadModuleSource, normalizeModuleName } from "./esm-loader.js";
import { RejectionTracker, exportFunctionTable, functionTable } from "./rejection-tracker.js";

const require = createRequire(import.meta.url);

/**
 * QuickJS's own stack limit, below the V8 stack of the worker host (its `stackSizeMb: 8` in
 * src/executor/worker-host.ts), so deep recursion is a catchable guest error; 2 MiB gives
 * ~9000 frames of a simple recursive function (Node: ~10800).
 */
const GUEST_STACK_BYTES = 2 * 1024 * 1024;
const WASM_PAGE = 64 * 1024;
/** A module whose memory grew past this is replaced after the job, to give the memory back. */
const RECYCLE_ABOVE_BYTES = 96 * 1024 * 1024;

export interface Engine {
  flavor: Flavor;
  memoryBytes: number;
  wasmModule: WebAssembly.Module;
  variant: QuickJSSyncVariant;
  core: typeof import("quickjs-emscripten-core");
  instance?: Instance;
  /**
   * The next jobs' contexts, prepared while the host is idle (see `Prepared`): two, so that a
   * request arriving right after another finds one ready while the next is being prepared.
   */
  spares: Prepared[];
  /** The instance being made, if any (see `instantiate`). */
  instantiating?: Promise<Instance>;
  /** A job is running: no context is prepared meanwhile (see `prepareSpare`). */
  running?: boolean;
  /** When the next spare context is prepared (see `prepareSpare`). */
  prepareTimer?: ReturnType<typeof setTimeout>;
  /** The last job's context, disposed by `settle`. */
  used?: Prepared;
  transpile?: (source: string, filename: string) => string;
}

interface Instance {
  module: QuickJSWASMModule;
  memory: WebAssembly.Memory;
  /** Absent if this QuickJS build's JSRuntime does not have the expected layout. */
  tracker?: RejectionTracker;
  /** Offset of Math.random's state in a JSContext (see `reseedMathRandom`). */
  randomState?: number | null;
}

export async function loadEngine(flavor: Flavor, memoryBytes: number): Promise<Engine> {
  const core = await import("quickjs-emscripten-core");
  const variant = (await import("@jitl/quickjs-wasmfile-release-sync")).default as unknown as QuickJSSyncVariant;
  const wasmPath = require.resolve("@jitl/quickjs-wasmfile-release-sync/package.json").replace(/package\.json$/, "dist/emscripten-module.wasm");
  const wasmModule = await WebAssembly.compile(exportFunctionTable(await readFile(wasmPath)));
  const engine: Engine = { flavor, memoryBytes, wasmModule, variant, core, spares: [] };
  if (flavor === "bun") {
    const { transform } = await import("sucrase");
    // Type stripping is pure: the same file (e.g. a program sent many times) is stripped once.
    const stripped = new Map<string, string>();
    engine.transpile = (source, filename) => {
      const key = `${filename}\0${source}`;
      const hit = stripped.get(key);
      if (hit !== undefined) return hit;
      const code = transform(source, {
        transforms: filename.endsWith(".tsx") ? ["typescript", "jsx"] : ["typescript"],
        disableESTransforms: true,
        keepUnusedImports: false,
        filePath: filename,
        jsxRuntime: "automatic",
        production: true,
      }).code;
      if (stripped.size >= 256) stripped.delete(stripped.keys().next().value!);
      stripped.set(key, code);
      return code;
    };
  }
  engine.spares.push(prepare(engine, await instantiate(engine)));
  prepareSpare(engine);
  return engine;
}

/**
 * The module instance jobs run on, made when there is none. Callers that arrive while one is
 * being made (a job and the spare preparation) wait for that one: two made at once would each
 * take `engine.instance`, and a job could run on a module its spares are not on.
 */
function instantiate(engine: Engine): Promise<Instance> {
  if (engine.instance) return Promise.resolve(engine.instance);
  engine.instantiating ??= newInstance(engine).then(
    (instance) => {
      engine.instantiating = undefined;
      return (engine.instance = instance);
    },
    (e: unknown) => {
      engine.instantiating = undefined;
      throw e;
    },
  );
  return engine.instantiating;
}

async function newInstance(engine: Engine): Promise<Instance> {
  const maximum = Math.max(256, Math.floor(engine.memoryBytes / WASM_PAGE));
  const memory = new WebAssembly.Memory({ initial: Math.min(256, maximum), maximum });
  let exports: WebAssembly.Exports | undefined;
  // Instantiated here rather than through newVariant's `wasmModule`, to keep the exports (the table).
  const instantiateWasm = async (imports: WebAssembly.Imports, done: (i: WebAssembly.Instance) => void) => {
    const i = await WebAssembly.instantiate(engine.wasmModule, imports);
    exports = i.exports;
    done(i);
    return i.exports;
  };
  const variant = engine.core.newVariant(engine.variant, { wasmMemory: memory, emscriptenModule: { instantiateWasm } });
  const module = await engine.core.newQuickJSWASMModuleFromVariant(variant);
  const table = exports && functionTable(exports);
  const tracker = table && new RejectionTracker(module, memory, table, engine.core.Lifetime);
  const instance: Instance = { module, memory, tracker };
  instance.randomState = findRandomState(instance);
  return instance;
}

export const NODE_VERSION = "v20.20.2";
export const BUN_VERSION = "1.4.5";

/** What the prelude needs before the job is known: no entrypoint, argv or environment yet. */
interface BootConfig {
  flavor: Flavor;
  nodeVersion: string;
  bunVersion: string;
  entryPath: string;
  cwd: string;
  args: string[];
  env: Record<string, string>;
  builtins: string[];
}

/** The job-specific part, handed to the prelude's `start` at job time. */
interface JobConfig {
  entryPath: string;
  args: string[];
  env: Record<string, string>;
}

function bootConfig(flavor: Flavor): BootConfig {
  return {
    flavor,
    nodeVersion: NODE_VERSION,
    bunVersion: BUN_VERSION,
    entryPath: "/",
    cwd: "/",
    args: [],
    env: {},
    builtins: [...BUILTIN_NAMES],
  };
}

/** Why the guest stopped, when it did not simply run to the end. */
type Stop = { kind: "exit"; code: number } | { kind: "timeout" } | { kind: "output"; error: OutputLimitExceeded };

/** The state the runtime's interrupt handler and host callbacks read; set when the job starts. */
interface JobState {
  stop?: Stop;
  deadline: number;
  /** The entrypoint is being evaluated (its synchronous part). */
  inMain?: boolean;
}

/**
 * A QuickJS runtime + context that has evaluated the prelude and waits for its one job. Made
 * while the host is idle, so a job pays only for its own program. Used by exactly one job and
 * disposed after it: contexts are never reused.
 */
interface Prepared {
  instance: NonNullable<Engine["instance"]>;
  rt: QuickJSRuntime;
  ctx: QuickJSContext;
  api: HostApi;
  loop: QuickJSHandle;
  state: JobState;
  /** Rejected promises without a handler yet, in rejection order (see `reportRejections`). */
  rejections: Map<bigint, Rejection>;
}

interface Rejection {
  promise: QuickJSHandle;
  reason: QuickJSHandle;
  /** Rejected while the entrypoint was evaluated (Node's report then shows the loader's frames). */
  duringMain: boolean;
}

function disposeRejections(p: Pick<Prepared, "rejections">): void {
  for (const r of p.rejections.values()) {
    r.promise.dispose();
    r.reason.dispose();
  }
  p.rejections.clear();
}

/** QuickJS's own (soft) memory limit sits this far below the wasm memory maximum (the hard one). */
const QUICKJS_HEADROOM_BYTES = 8 * 1024 * 1024;

/** Generous bound on evaluating the prelude, which is our own code; the job's deadline replaces it. */
const PREPARE_TIMEOUT_MS = 10_000;

function prepare(engine: Engine, instance: Instance): Prepared {
  const state: JobState = { deadline: Date.now() + PREPARE_TIMEOUT_MS };
  const rt = instance.module.newRuntime();
  rt.setMaxStackSize(GUEST_STACK_BYTES);
  // A soft limit inside QuickJS; the wasm memory maximum is the hard one.
  rt.setMemoryLimit(Math.max(QUICKJS_HEADROOM_BYTES, engine.memoryBytes - QUICKJS_HEADROOM_BYTES));
  rt.setInterruptHandler(() => {
    if (state.stop) return true;
    if (Date.now() > state.deadline) {
      state.stop = { kind: "timeout" };
      return true;
    }
    return false;
  });
  const rejections: Prepared["rejections"] = new Map();
  instance.tracker?.attach(rt, (key, handled, take) => {
    const known = rejections.get(key);
    if (handled && known) {
      known.promise.dispose();
      known.reason.dispose();
      rejections.delete(key);
    } else if (!handled && !known) rejections.set(key, { ...take(), duringMain: !!state.inMain });
  });
  const ctx = rt.newContext();
  try {
    const api = createHostApi({
      flavor: engine.flavor,
      transpile: engine.transpile,
      onExit: (code) => {
        state.stop ??= { kind: "exit", code };
      },
      onOutputLimit: (error) => {
        state.stop ??= { kind: "output", error };
      },
    });
    rt.setModuleLoader(
      (name, context) => loadModuleSource(api, name, engine.flavor, context),
      (base, requested) => normalizeModuleName(api, base, requested),
    );
    const hostObj = api.install(ctx);
    ctx.setProp(ctx.global, "__wasmbox_host", hostObj);
    hostObj.dispose();
    const boot = ctx.evalCode(`${guestSources().bootstrap}(globalThis.__wasmbox_host, ${JSON.stringify(bootConfig(engine.flavor))})`, "node:internal/bootstrap");
    if (boot.error) {
      const msg = ctx.dump(boot.error);
      boot.error.dispose();
      throw new Error(`wasmbox: the JavaScript prelude failed: ${JSON.stringify(msg)}`);
    }
    return { instance, rt, ctx, api, loop: boot.value, state, rejections };
  } catch (e) {
    disposeRejections({ rejections });
    instance.tracker?.detach(rt);
    ctx.dispose();
    rt.dispose();
    throw e;
  }
}

const contextPointer = (ctx: QuickJSContext): number => (ctx as unknown as { ctx: { value: number } }).ctx.value;

/** QuickJS's Math.random step (xorshift64*, without the final multiply). */
function xorshift64(x: bigint): bigint {
  const M = (1n << 64n) - 1n;
  x ^= x >> 12n;
  x = (x ^ (x << 25n)) & M;
  return x ^ (x >> 27n);
}

/**
 * Where a JSContext keeps Math.random's 64-bit state: the one word of the context that one call
 * of Math.random changes by a xorshift64 step. Null if this QuickJS build has none such.
 */
function findRandomState(instance: Instance): number | null {
  const rt = instance.module.newRuntime();
  const ctx = rt.newContext();
  try {
    const at = contextPointer(ctx);
    const SCAN = 4096;
    const before = new DataView(instance.memory.buffer.slice(at, at + SCAN));
    ctx.unwrapResult(ctx.evalCode("Math.random()")).dispose();
    const after = new DataView(instance.memory.buffer, at, SCAN);
    for (let off = 0; off + 8 <= SCAN; off += 4) {
      const x = before.getBigUint64(off, true);
      if (x !== 0n && after.getBigUint64(off, true) === xorshift64(x)) return off;
    }
    return null;
  } finally {
    ctx.dispose();
    rt.dispose();
  }
}

/**
 * QuickJS seeds Math.random per context from gettimeofday, which emscripten gives to the
 * millisecond: contexts made in the same millisecond (the spares of two hosts, prepared ahead)
 * would give every job the same sequence. Each job's context gets fresh entropy instead.
 */
function reseedMathRandom({ instance, ctx }: Prepared): void {
  // Null only if a QuickJS update moved the state out of the context: the entropy test fails then.
  if (instance.randomState == null) return;
  const seed = new BigUint64Array(1);
  do globalThis.crypto.getRandomValues(seed);
  while (seed[0] === 0n); // xorshift's one fixed point
  new DataView(instance.memory.buffer).setBigUint64(contextPointer(ctx) + instance.randomState, seed[0]!, true);
}

/**
 * Disposes the last job's context (freeing QuickJS's heap costs ~0.4 ms, so it is done after
 * the result is sent) and replaces the module if that failed or its memory grew too much.
 * Runs before anything else uses the module: at idle time, or at the start of the next job.
 */
function settle(engine: Engine): void {
  const used = engine.used;
  if (!used) return;
  engine.used = undefined;
  let broken = false;
  try {
    disposeRejections(used);
    used.instance.tracker?.detach(used.rt);
    used.loop.dispose();
    used.ctx.dispose();
    used.rt.dispose();
  } catch {
    broken = true;
  }
  if (engine.instance === used.instance && (broken || used.instance.memory.buffer.byteLength > RECYCLE_ABOVE_BYTES)) {
    engine.instance = undefined;
    engine.spares = [];
  }
}

/**
 * Readies the next jobs' contexts once the host has been idle for a moment, one at a time.
 * Preparing one is ~10 ms of CPU in one synchronous call (mostly QuickJS parsing the prelude):
 * a job that arrives meanwhile waits for it, and a job on another host competes with it for a
 * core. Requests tend to come in bursts (the next one right after a result), and the spare kept
 * in reserve serves those; the replacement is made once the burst is over.
 */
function prepareSpare(engine: Engine): void {
  clearTimeout(engine.prepareTimer);
  engine.prepareTimer = setTimeout(() => {
    engine.prepareTimer = undefined;
    // Never beside a running job, whose module it shares; the job's end prepares again.
    if (engine.running) return;
    settle(engine);
    if (engine.spares.length >= SPARE_CONTEXTS) return;
    void instantiate(engine)
      .then((instance) => {
        if (engine.running) return;
        settle(engine);
        if (engine.spares.length >= SPARE_CONTEXTS || engine.instance !== instance) return;
        engine.spares.push(prepare(engine, instance));
        prepareSpare(engine);
      })
      .catch(() => {
        // The next job prepares its own context and reports the failure, if it persists.
        engine.instance = undefined;
      });
  }, PREPARE_AFTER_IDLE_MS);
}
/**
 * Longer than a client takes to send its next request after a result (well under 1 ms in the
 * bench's back-to-back calls), short enough that the spare is ready long before a job would
 * otherwise need to prepare its own.
 */
const PREPARE_AFTER_IDLE_MS = 5;
const SPARE_CONTEXTS = 2;

export async function runJob(engine: Engine, job: Job, io: Io): Promise<number> {
  engine.running = true;
  settle(engine);
  let instance: Instance;
  try {
    instance = await instantiate(engine);
  } catch (e) {
    engine.running = false;
    throw e;
  }
  // Spares made on a module that was replaced since are dropped with that module.
  engine.spares = engine.spares.filter((s) => s.instance === instance);
  let prepared = engine.spares.shift();
  let exitCode = 0;
  let state: JobState | undefined;
  try {
    prepared ??= prepare(engine, instance);
    reseedMathRandom(prepared);
    state = prepared.state;
    state.deadline = Date.now() + job.limits.timeoutMs;
    prepared.api.bind(job, io);
    const { vol } = prepared.api;
    io.inspect?.({ memoryBytes: () => instance.memory.buffer.byteLength, files: () => memfsFiles(vol) });
    const config: JobConfig = { entryPath: `/${job.entrypoint}`, args: job.args, env: job.env };
    exitCode = await drive(prepared, config, () => state!.stop, state.deadline, io);
    engine.used = prepared;
  } catch (e) {
    // The module may be in any state (an emscripten abort): drop it, with what lives in it.
    if (engine.instance === instance) engine.instance = undefined;
    engine.spares = [];
    // QuickJS's own out-of-memory path can itself fail when the wasm memory is at its cap (a
    // trap on a call through a pointer it could not allocate): that is the program's memory
    // running out, reported as run-job reports a failed host allocation.
    if (e instanceof WebAssembly.RuntimeError && instance.memory.buffer.byteLength > engine.memoryBytes - QUICKJS_HEADROOM_BYTES)
      throw new RangeError(`wasm memory exhausted (${e.message})`, { cause: e });
    if (!state?.stop) throw e;
  } finally {
    engine.running = false;
    prepareSpare(engine);
  }
  const s = state?.stop;
  if (s?.kind === "exit") return s.code;
  if (s?.kind === "output") throw s.error;
  if (s?.kind === "timeout") {
    // The executor's own timer ends this host and reports the timeout; wait for it.
    await new Promise((r) => setTimeout(r, 2000).unref?.());
    return 124;
  }
  return exitCode;
}

/**
 * Evaluates the prelude and the entrypoint, then runs the event loop the guest keeps (ticks,
 * microtasks, timers) until it is empty, as Node does.
 */
async function drive(
  { ctx, rt, loop, rejections, state }: Prepared,
  config: JobConfig,
  stopped: () => Stop | undefined,
  deadline: number,
  io: Io,
): Promise<number> {
  // Interactive input: read when the guest listens for it and has nothing due sooner.
  const input = io.readWithin ? new Uint8Array(64 * 1024) : undefined;
  const call = (name: string, ...args: QuickJSHandle[]): unknown => {
    const fn = ctx.getProp(loop, name);
    const r = ctx.callFunction(fn, loop, ...args);
    fn.dispose();
    for (const a of args) a.dispose();
    if (r.error) {
      const dumped = ctx.dump(r.error);
      r.error.dispose();
      if (stopped()) return undefined;
      throw new Error(`wasmbox: the JavaScript event loop failed: ${JSON.stringify(dumped)}`);
    }
    const v = ctx.dump(r.value);
    r.value.dispose();
    return v;
  };
  call("start", ctx.newString(JSON.stringify(config)));
  state.inMain = true;
  call("main");
  state.inMain = false;
  // Node reports the rejections still unhandled once the tick and microtask queues are empty
  // (processTicksAndRejections), and drains the queues again if it reported any.
  const reportRejections = (): boolean => {
    if (rejections.size === 0) return false;
    const pending = [...rejections.values()];
    rejections.clear();
    for (const { promise, reason, duringMain } of pending) {
      if (stopped()) {
        promise.dispose();
        reason.dispose();
      } else call("unhandledRejection", reason, promise, duringMain ? ctx.true : ctx.false);
    }
    return true;
  };
  for (;;) {
    if (stopped()) break;
    // Node's order after each macrotask: process.nextTick queue, then promise jobs, repeated.
    do {
      for (;;) {
        const ticks = call("ticks") as number;
        if (stopped()) break;
        const jobs = rt.executePendingJobs();
        if (jobs.error) {
          // Errors inside jobs are caught by the guest's own wrappers; anything else is a stop.
          jobs.error.dispose();
        }
        const ran = jobs.error ? 1 : jobs.value;
        if (stopped() || (ticks === 0 && ran === 0)) break;
      }
    } while (!stopped() && reportRejections());
    if (stopped()) break;
    const next = call("next") as number;
    if (stopped()) break;
    if (input && next !== 0 && call("stdinWanted") === 1) {
      const n = io.readWithin!(input, next < 0 ? Infinity : next);
      if (n !== null) {
        call("stdinPush", n === 0 ? ctx.null : ctx.newArrayBuffer(input.slice(0, n).buffer));
        continue;
      }
      if (next < 0) continue;
      call("fire");
      continue;
    }
    if (next < 0) break;
    if (next > 0) {
      const wait = Math.min(next, Math.max(0, deadline - Date.now() + 5));
      await new Promise((r) => setTimeout(r, wait));
    }
    call("fire");
  }
  if (!stopped()) call("beforeExit");
  return stopped() ? 0 : (call("exitCode") as number);
}

/** The regular files of the job's memfs volume (the working directory is "/"), for `returnFiles`. */
function* memfsFiles(vol: HostApi["vol"]): Iterable<WorkFile> {
  const stack = [""];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    const entries = vol.readdirSync(`/${rel}`, { withFileTypes: true }) as unknown as { name: string; isDirectory(): boolean; isFile(): boolean }[];
    for (const e of entries) {
      const path = `${rel}${e.name}`;
      if (e.isDirectory()) stack.push(`${path}/`);
      else if (e.isFile()) yield { path, read: () => new Uint8Array(vol.readFileSync(`/${path}`) as Uint8Array) };
    }
  }
}
