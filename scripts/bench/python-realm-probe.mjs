#!/usr/bin/env node
/**
 * Measurement only (issue 17; results in bench/results/cost/python-realm.md). Nothing here is
 * wired into the product.
 *
 * Compares, in one process and alternately, two ways of giving each Python execution a fresh
 * interpreter restored from the snapshot:
 *  - "thread": today's path, a new worker thread per execution running the real bundled guest
 *    (dist/src/sandbox/process-guest-loader.cjs) with what the supervisor shares (compiled module,
 *    snapshot, glue code cache, link plan, lazy exports, a recycled zeroed memory);
 *  - "realm": ONE worker thread, a fresh vm context per execution, in which Pyodide's loader
 *    (pyodide.js) and the patched glue run; the context gets only objects of its own realm (see
 *    python-realm-prelude.js, python-realm-helpers.mjs).
 * and reports the process's CPU per execution (process.cpuUsage: all threads, so thread start and
 * teardown are counted), wall time, and for "realm" the interpreter thread's CPU per phase.
 *
 * Usage: node scripts/bench/python-realm-probe.mjs [--rounds 4] [--per 6] [--soak 150] [--containment] [--no-recycle]
 * --no-recycle: each context compiles its module object from the bytes (V8's native module cache
 * finds the code) and makes a fresh memory; by default both come from the thread through a
 * MessagePort moved into the context (worker_threads.moveMessagePortToContext), which makes them
 * objects of the context's realm over the same compiled code and the same (zeroed) memory.
 * (needs `npm run build` and Python's snapshot in node_modules/.cache/wasmbox).
 */
import { Worker, isMainThread, parentPort, workerData, MessageChannel, moveMessagePortToContext } from "node:worker_threads";
import vm from "node:vm";
import v8 from "node:v8";
import { types } from "node:util";
import os from "node:os";
import { readFileSync, existsSync, constants as fsConstants } from "node:fs";
import { constants as osConstants } from "node:os";
import { randomFillSync } from "node:crypto";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const dist = (p) => pathToFileURL(path.join(root, "dist", p)).href;
const MEMORY_BYTES = 256 * 1024 * 1024;

const HELLO = 'print("hello world")';
const SMALL = "import random, json\nprint(json.dumps(sorted(random.sample(range(100), 5))))";

if (isMainThread) await main();
else if (workerData?.mode === "realm") await realmWorker();

// ---- main -----------------------------------------------------------------------------------------

async function main() {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : dflt;
  };
  const rounds = arg("rounds", 4);
  const per = arg("per", 6);
  const soak = arg("soak", 150);
  const containment = process.argv.includes("--containment");
  const recycle = !process.argv.includes("--no-recycle");
  // The realm thread's young generation, MB (V8's default for this heap: 0, i.e. its own choice).
  const young = arg("young", 0);

  const { python } = await import(dist("runtimes/python/index.js"));
  const { memoryToImport } = await import(dist("src/wasm/memory-import.js"));
  const { exportsBehindTable, encodeLazyExports } = await import(dist("runtimes/python/export-table.js"));
  const { decodeLinkPlan, wrapperModule } = await import(dist("runtimes/python/link-plan.js"));
  const options = { snapshotDir: path.join(root, "node_modules/.cache/wasmbox") };
  const shared = await python.processHost.shared(options);
  const memoryLimits = python.processHost.memory(shared, MEMORY_BYTES);
  const init = { runtime: "python", memoryBytes: MEMORY_BYTES, options, ready: 1 };

  // ---- today's path: one new thread per execution, as process-entry.ts's supervisor runs it ----
  const entry = new URL("../../dist/src/sandbox/process-guest-loader.cjs", import.meta.url);
  if (!existsSync(entry)) throw new Error("run `npm run build` first (dist/src/sandbox/process-guest-loader.cjs is missing)");
  const memories = [];
  const accept = (data) => {
    for (const [k, v] of Object.entries(data)) {
      if (k in shared) continue;
      if (v instanceof Uint8Array) {
        const copy = new Uint8Array(new SharedArrayBuffer(v.byteLength));
        copy.set(v);
        shared[k] = copy;
      } else shared[k] = v;
    }
  };
  const threadExec = (code, contribute = false) =>
    new Promise((resolve, reject) => {
      const cpu0 = process.cpuUsage();
      const wall0 = performance.now();
      const data = { ...shared };
      const transfer = [];
      const entropy = randomFillSync(new Uint8Array(2496));
      data.entropy = entropy;
      transfer.push(entropy.buffer);
      const memory = memoryLimits && (memories.pop() ?? new WebAssembly.Memory({ ...memoryLimits, shared: true }));
      if (memory) data.memory = memory;
      const worker = new Worker(entry, {
        workerData: { init, contribute },
        env: {},
        stdout: true,
        stderr: true,
        resourceLimits: { maxOldGenerationSizeMb: 512, stackSizeMb: 8 },
      });
      worker.stdout.resume();
      worker.stderr.resume();
      worker.postMessage({ shared: data }, transfer);
      let out = "";
      worker.on("message", (m) => {
        if (m.t === "shared") accept(m.data);
        else if (m.t === "ready")
          worker.postMessage({
            job: { runtime: "python", files: { "main.py": code }, entrypoint: "main.py", args: [], env: {}, limits: { timeoutMs: 30000, memoryBytes: MEMORY_BYTES, outputBytes: 1 << 20 } },
            stdin: new Uint8Array(0),
          });
        else if (m.t === "out") out += Buffer.from(m.data).toString();
        else if (m.t === "done") void worker.terminate();
        else if (m.t === "load-error") reject(new Error(m.error?.message));
      });
      worker.on("error", reject);
      worker.on("exit", () => {
        if (memory && memory.buffer.byteLength === memoryLimits.initial * 65536) {
          new BigUint64Array(memory.buffer).fill(0n);
          memories.push(memory);
        }
        const c = process.cpuUsage(cpu0);
        resolve({ out, cpu: (c.user + c.system) / 1000, wall: performance.now() - wall0 });
      });
    });

  // The first interpreter contributes the code cache, link plan etc.; then the module is refined
  // as refine() does (the realm worker gets the refined module's bytes, to compile in each context).
  const first = await threadExec(HELLO, true);
  if (first.out !== "hello world\n") throw new Error(`thread path printed ${JSON.stringify(first.out)}`);
  const wasm = readFileSync(path.join(shared.indexURL, "pyodide.asm.wasm"));
  const imported = memoryToImport(wasm, { module: "env", name: "memory", shared: true });
  const plan = decodeLinkPlan(shared.linkPlan);
  const rewritten = exportsBehindTable(imported.wasm, plan);
  shared.module = await WebAssembly.compile(rewritten.wasm);
  const lazyInfo = encodeLazyExports(rewritten.info);
  shared.lazyExports = toShared(lazyInfo);
  const moduleBytes = toShared(rewritten.wasm);
  log(`thread path: first (contributing) execution ${first.cpu.toFixed(0)} ms CPU; module refined (${rewritten.wasm.byteLength} bytes)`);

  // ---- the realm worker --------------------------------------------------------------------------
  const { build } = await import("esbuild");
  const bundle = await build({
    entryPoints: [path.join(here, "python-realm-helpers.mjs")],
    bundle: true,
    format: "iife",
    globalName: "__realm",
    write: false,
    platform: "neutral",
    target: "node20",
    logLevel: "silent",
  });
  const realm = new Worker(new URL(import.meta.url), {
    workerData: {
      mode: "realm",
      recycle,
      gate: !process.argv.includes("--no-gate"),
      helperSource: bundle.outputFiles[0].text,
      preludeSource: readFileSync(path.join(here, "python-realm-prelude.js"), "utf8"),
      loaderSource: readFileSync(path.join(shared.indexURL, "pyodide.js"), "utf8"),
      stdlib: toShared(readFileSync(path.join(shared.indexURL, "python_stdlib.zip"))),
      stdlibPath: path.join(shared.indexURL, "python_stdlib.zip"),
      asm: shared.asm,
      asmCache: shared.asmCache,
      moduleBytes,
      wrapperBytes: toShared(wrapperModule(plan)),
      planBytes: shared.linkPlan,
      lazyBytes: shared.lazyExports,
      snapshot: shared.snapshot,
      memoryRuns: shared.memoryRuns,
      lockFile: shared.lockFile,
      indexURL: shared.indexURL,
      memoryPages: memoryLimits.initial,
      maximumPages: memoryLimits.maximum,
    },
    env: {},
    resourceLimits: { maxOldGenerationSizeMb: 512, stackSizeMb: 8, ...(young > 0 && { maxYoungGenerationSizeMb: young }) },
  });
  const pending = new Map();
  let nextId = 1;
  realm.on("message", (m) => {
    if (m.t === "log") return log(`[realm] ${m.text}`);
    const p = pending.get(m.id);
    pending.delete(m.id);
    p?.(m);
  });
  realm.on("error", (e) => {
    log(`realm worker failed: ${e?.stack ?? e}`);
    process.exit(1);
  });
  const realmExec = (code, extra = {}) =>
    new Promise((resolve) => {
      const cpu0 = process.cpuUsage();
      const wall0 = performance.now();
      const id = nextId++;
      pending.set(id, (m) => {
        const c = process.cpuUsage(cpu0);
        resolve({ ...m, cpu: (c.user + c.system) / 1000, wall: performance.now() - wall0 });
      });
      realm.postMessage({ t: "run", id, code, ...extra });
    });

  const warm = await realmExec(HELLO);
  if (warm.out !== "hello world\n") throw new Error(`realm path printed ${JSON.stringify(warm.out)} ${warm.error ?? ""}`);
  log(`realm path: first execution ${warm.cpu.toFixed(0)} ms CPU; link replayed ${warm.linkReplayed}, lazy exports ${warm.lazyExports}; stubs touched but missing: ${warm.missing || "none"}`);

  if (containment) {
    await containmentProbes(realmExec);
    await realm.terminate();
    return;
  }

  // ---- alternating rounds ----------------------------------------------------------------------
  const results = { thread: [], realm: [] };
  const phases = [];
  log(`load average at start: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  for (let r = 0; r < rounds; r++) {
    for (const kind of r % 2 ? ["realm", "thread"] : ["thread", "realm"]) {
      const cpu = [];
      const wall = [];
      for (let i = 0; i < per; i++) {
        const code = i % 2 ? SMALL : HELLO;
        const res = kind === "thread" ? await threadExec(code) : await realmExec(code);
        if (i % 2 === 0 && res.out !== "hello world\n") throw new Error(`${kind} printed ${JSON.stringify(res.out)}`);
        cpu.push(res.cpu);
        wall.push(res.wall);
        if (kind === "realm") phases.push(res.phases);
      }
      results[kind].push({ cpu: median(cpu), wall: median(wall) });
      log(`round ${r + 1} ${kind.padEnd(6)} median CPU ${median(cpu).toFixed(1)} ms, wall ${median(wall).toFixed(1)} ms (load ${os.loadavg()[0].toFixed(2)})`);
    }
  }
  for (const kind of ["thread", "realm"])
    log(
      `${kind}: median over rounds of per-round medians: CPU ${median(results[kind].map((x) => x.cpu)).toFixed(1)} ms, wall ${median(results[kind].map((x) => x.wall)).toFixed(1)} ms`,
    );
  // Per phase (interpreter thread's own CPU, schedstat), medians over all realm executions.
  const names = Object.keys(phases[0]);
  log("realm phases (interpreter thread CPU ms, median / mean):");
  for (const n of names) {
    const xs = phases.map((p) => p[n]).filter((x) => x !== undefined);
    log(`  ${n.padEnd(34)} ${median(xs).toFixed(2).padStart(7)} ${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2).padStart(7)}`);
  }

  // ---- soak: does anything grow over many contexts? --------------------------------------------
  if (soak > 0) {
    log(`soak: ${soak} realm executions (hello world / small program alternately)`);
    const cpu = [];
    for (let i = 0; i < soak; i++) {
      const res = await realmExec(i % 2 ? SMALL : HELLO);
      cpu.push(res.cpu);
      if ((i + 1) % 25 === 0)
        log(
          `  after ${String(i + 1).padStart(4)}: RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB, realm heap used ${(res.heapUsed / 2 ** 20).toFixed(1)} MiB, ` +
            `total ${(res.heapTotal / 2 ** 20).toFixed(1)} MiB, native contexts ${res.contexts}, median CPU of the last 25 ${median(cpu.slice(-25)).toFixed(1)} ms`,
        );
    }
  }
  await realm.terminate();
}

// ---- containment (part 2) ---------------------------------------------------------------------------

/**
 * Each probe: execution A (guest Python) tries to leave something behind, then execution B runs.
 * The realm worker logs (with the number of the execution then running, or "between") every call
 * of the probe-only `__probe_log` capability, which the contexts of this mode get as a global, and
 * reports whether the thread realm's own intrinsics were changed.
 */
async function containmentProbes(realmExec) {
  const probes = [
    {
      name: "setTimeout / setInterval via js",
      a: "import js\nfrom pyodide.ffi import create_proxy\njs.setTimeout(create_proxy(lambda: js.__probe_log('timeout')), 20)\njs.setInterval(create_proxy(lambda: js.__probe_log('interval')), 5)\nprint('A')",
    },
    {
      name: "promise chain (microtasks only)",
      js: "let n = 0; const step = () => { if (++n < 100000) Promise.resolve().then(step); else __probe_log('chain done ' + n) }; step();",
    },
    {
      name: "async loop on WebAssembly.compile (host-driven promise, no timer)",
      js: "(async () => { const b = new Uint8Array([0,97,115,109,1,0,0,0]); for (let i = 0; ; i++) { await WebAssembly.compile(b); if (i % 50 === 0) __probe_log('compile loop ' + i) } })();",
    },
    {
      name: "async loop on Atomics.waitAsync (host-driven, no timer)",
      js: "(async () => { const a = new Int32Array(new SharedArrayBuffer(4)); for (let i = 0; ; i++) { await Atomics.waitAsync(a, 0, 0, 10).value; __probe_log('waitAsync ' + i) } })();",
    },
    {
      name: "FinalizationRegistry callback",
      js: "globalThis.__r = new FinalizationRegistry((v) => __probe_log('finalizer ' + v)); for (let i = 0; i < 1000; i++) __r.register({ big: new Array(1000).fill(i) }, i);",
    },
    {
      name: "globalThis assignment, prototype and WebAssembly patches",
      a: "import js\njs.globalThis.leak = 'from A'\nprint('A')",
      js: "Object.prototype.leakProto = 'from A'; Array.prototype.push = function () { __probe_log('patched push'); return 0 }; WebAssembly.instantiate = () => { __probe_log('patched instantiate') }; Uint8Array.prototype.set = function () { __probe_log('patched set') };",
      b: "import js\nprint('B sees leak:', getattr(js.globalThis, 'leak', None), getattr(js.Object.new(), 'leakProto', None))",
    },
    {
      name: "codegen from strings and a way out of the realm",
      a: "import js\ntry:\n    js.globalThis.constructor.constructor('return process')()\n    print('Function() worked')\nexcept Exception as e:\n    print('Function() refused:', type(e).__name__)",
    },
  ];
  // B allocates enough to make V8 collect (a FinalizationRegistry's targets die then).
  const B = "import js\nx = [js.Object.new() for _ in range(20000)]\nprint('B', getattr(js.globalThis, 'leak', None))";
  for (const p of probes) {
    const a = await realmExec(p.a ?? "print('A')", { probe: true, js: p.js });
    const b = await realmExec(p.b ?? B, { probe: true });
    const c = await realmExec(B, { probe: true, wait: 100 });
    log(`probe: ${p.name}`);
    log(`  A printed ${JSON.stringify(a.out)}; B printed ${JSON.stringify(b.out)}`);
    const later = [b.probeLog, c.probeLog].filter(Boolean).join("; ");
    log(`  calls of A's code after A ended: ${later ? later.slice(0, 400) + (later.length > 400 ? " …" : "") : "none"}`);
    log(`  outer realm changed: ${c.outerChanged || "no"}; foreign objects reachable in A: ${a.foreign}`);
  }
  const control = await realmExec("print('control')", { probe: true, control: true });
  log(`scan control (a thread object planted as globalThis.__outer): ${control.foreign}`);
  // The same timers without the end-of-execution clean-up: what the wrapper's clearing prevents.
  const a = await realmExec("import js\nfrom pyodide.ffi import create_proxy\njs.setInterval(create_proxy(lambda: js.__probe_log('interval')), 5)\nprint('A')", {
    probe: true,
    keepTimers: true,
  });
  await realmExec(B, { probe: true });
  const c = await realmExec(B, { probe: true, wait: 50 });
  log(`probe: setInterval WITHOUT clearing the timers: A printed ${JSON.stringify(a.out)}; calls after A: ${c.probeLog.slice(0, 300) || "none"}`);
}

// ---- the realm worker -------------------------------------------------------------------------------

async function realmWorker() {
  const d = workerData;
  const post = (m) => parentPort.postMessage(m);
  const TA = Object.getPrototypeOf(Uint8Array.prototype);
  const taSet = TA.set;
  const taBuffer = Object.getOwnPropertyDescriptor(TA, "buffer").get;
  const taLength = Object.getOwnPropertyDescriptor(TA, "byteLength").get;
  const taOffset = Object.getOwnPropertyDescriptor(TA, "byteOffset").get;
  const schedstat = () => Number(readFileSync("/proc/thread-self/schedstat", "latin1").split(" ")[0]) / 1e6;

  // Compiled once per thread; every context runs the same scripts (V8 shares their compiled code).
  const asmSource = Buffer.from(d.asm.source.buffer, d.asm.source.byteOffset, d.asm.source.byteLength).toString("latin1");
  const asmScript = new vm.Script(asmSource, { filename: d.asm.filename, cachedData: d.asmCache });
  const loaderScript = new vm.Script(
    `(function (__wasmbox_import) {${d.loaderSource.replaceAll("import(/* webpackIgnore */", "__wasmbox_import(")}\n;return globalThis.loadPyodide})`,
    { filename: path.join(d.indexURL, "pyodide.js") },
  );
  const preludeScript = new vm.Script(d.preludeSource, { filename: "python-realm-prelude.js" });
  const helperScript = new vm.Script(`${d.helperSource}\n;__realm`, { filename: "python-realm-helpers.mjs" });
  post({ t: "log", id: 0, text: `glue code cache rejected: ${asmScript.cachedDataRejected}` });

  const snapshot = d.snapshot;
  const headerLength = new DataView(snapshot.buffer, snapshot.byteOffset, 16).getUint32(4, true);
  const image = snapshot.subarray(headerLength);
  const runs = d.memoryRuns;
  const decoders = new Map();
  const encoder = new TextEncoder();
  const zero = (heap, from, to) => {
    const buf = taBuffer.call(heap);
    const off = taOffset.call(heap);
    const a = Math.min(to, from + ((8 - ((off + from) % 8)) % 8));
    const b = Math.max(a, to - ((off + to) % 8));
    new Uint8Array(buf, off).fill(0, from, a);
    if (b > a) new BigUint64Array(buf, off + a, (b - a) / 8).fill(0n);
    new Uint8Array(buf, off).fill(0, b, to);
  };
  const copyInto = (src) => (u) => taSet.call(u, src);
  let sigKeys = [];
  let noTrampoline = false;
  // The thread's own module object and memory (never handed to a context as such).
  const outerModule = d.recycle ? new WebAssembly.Module(d.moduleBytes) : undefined;
  let outerMemory;
  const memoryFor = () => {
    if (!outerMemory || outerMemory.buffer.byteLength !== d.memoryPages * 65536)
      outerMemory = new WebAssembly.Memory({ initial: d.memoryPages, maximum: d.maximumPages, shared: true });
    return outerMemory;
  };
  const receiver = new vm.Script("(p) => new Promise((resolve) => { p.onmessage = (e) => { p.onmessage = null; p.close(); resolve(e.data) }; p.start() })");
  let execution = 0;
  let probeLog = [];
  let outerBaseline = JSON.stringify(outerFingerprint());

  const boot = async (phases, probe) => {
    let last = schedstat();
    const mark = (name) => {
      const t = schedstat();
      phases[name] = (phases[name] ?? 0) + (t - last);
      last = t;
    };
    const ctx = vm.createContext(Object.create(null), { codeGeneration: { strings: false, wasm: true } });
    realmOf.set(vm.runInContext("Object.prototype", ctx), execution);
    mark("createContext");
    const outerTimers = new Map();
    let caps;
    const host = Object.assign(Object.create(null), {
      now: () => performance.timeOrigin + performance.now(),
      setTimer: (id, ms, repeat) => {
        const fire = () => caps.fire(id);
        outerTimers.set(id, repeat ? setInterval(fire, ms) : setTimeout(fire, ms));
      },
      clearTimer: (id) => {
        clearTimeout(outerTimers.get(id));
        outerTimers.delete(id);
      },
      decode: (label, u8) => {
        let dec = decoders.get(label);
        if (!dec) decoders.set(label, (dec = new TextDecoder(label)));
        const buf = taBuffer.call(u8);
        return dec.decode(buf instanceof SharedArrayBuffer ? new Uint8Array(buf, taOffset.call(u8), taLength.call(u8)).slice() : new Uint8Array(buf, taOffset.call(u8), taLength.call(u8)));
      },
      encodeInto: (s, u8) => encoder.encodeInto(String(s), new Uint8Array(taBuffer.call(u8), taOffset.call(u8), taLength.call(u8))).written,
      random: (u8) => void randomFillSync(new Uint8Array(taBuffer.call(u8), taOffset.call(u8), taLength.call(u8))),
      processInfo: () =>
        JSON.stringify({ platform: process.platform, version: process.version, node: process.versions.node, constants: { fs: fsConstants, os: osConstants } }),
      fileSize: (p) => {
        if (p !== d.stdlibPath) throw new Error(`no such file: ${p}`);
        return d.stdlib.byteLength;
      },
      readInto: (p, u8) => {
        if (p !== d.stdlibPath) throw new Error(`no such file: ${p}`);
        taSet.call(u8, d.stdlib);
      },
      mark: (name) => mark(String(name)),
      moduleBytes: copyInto(d.moduleBytes),
      wrapperBytes: copyInto(d.wrapperBytes),
      planBytes: copyInto(d.planBytes),
      lazyBytes: copyInto(d.lazyBytes),
      snapshotHeader: (u8) => taSet.call(u8, snapshot.subarray(0, headerLength)),
      // Non-zero pages of the image, and zeros where instantiation wrote (interpreter.ts's restoreSparsely).
      restoreImage: (heap, a0, b0, a1, b1) => {
        const dirty = [
          [a0, b0],
          [a1, b1],
        ];
        const length = taLength.call(heap);
        const clear = (from, to) => {
          for (const [a, b] of dirty) {
            const lo = Math.max(from, a);
            const hi = Math.min(to, b);
            if (lo < hi) zero(heap, lo, hi);
          }
        };
        let zeroFrom = 0;
        for (let i = 0; i < runs.length; i += 2) {
          const at = runs[i];
          const len = runs[i + 1];
          clear(zeroFrom, at);
          taSet.call(heap, image.subarray(at, at + len), at);
          zeroFrom = at + len;
        }
        clear(zeroFrom, Math.min(length, image.length));
      },
    });
    caps = preludeScript.runInContext(ctx)(host);
    if (probe) {
      const n = execution;
      const logIt = (s) => probeLog.push(`[A=#${n} ran during ${current === undefined ? "no execution" : `#${current}`}] ${String(s)}`);
      vm.runInContext("(f) => { globalThis.__probe_log = (s) => f(String(s)) }", ctx)(logIt);
    }
    mark("prelude (globals, stand-ins)");
    const helpers = helperScript.runInContext(ctx);
    const loadPyodide = loaderScript.runInContext(ctx)(caps.importModule);
    const asmFactory = asmScript.runInContext(ctx);
    mark("scripts run in context (code shared)");
    const data = vm.runInContext("({})", ctx);
    Object.assign(data, {
      asmFactory,
      loadPyodide,
      importModule: caps.importModule,
      metaUrl: pathToFileURL(d.asm.filename).href,
      moduleBytesLength: d.moduleBytes.byteLength,
      wrapperLength: d.wrapperBytes.byteLength,
      planLength: d.planBytes.byteLength,
      lazyLength: d.lazyBytes.byteLength,
      memoryPages: d.memoryPages,
      maximumPages: d.maximumPages,
      snapshotLength: snapshot.byteLength,
      headerLength,
      indexURL: d.indexURL,
      lockFile: d.lockFile,
      sigKeys: vm.runInContext("[]", ctx),
      noTrampoline,
    });
    for (const k of sigKeys) data.sigKeys.push(k);
    if (d.recycle) {
      // Structured clone into the context's realm: new Module and Memory objects of that realm
      // over the thread's compiled code and memory.
      const { port1, port2 } = new MessageChannel();
      const got = receiver.runInContext(ctx)(moveMessagePortToContext(port2, ctx));
      port1.postMessage({ module: outerModule, memory: memoryFor() });
      port1.close();
      const { module, memory } = await got;
      data.module = module;
      data.memory = memory;
      mark("module and memory through a moved port");
    }
    const booted = await helpers.realmBoot(host, data);
    // Primitives only leave the context (read before any guest code ran).
    if (typeof booted.sigKeys === "string" && booted.sigKeys) sigKeys = booted.sigKeys.split("\n");
    noTrampoline = booted.noTrampoline === true;
    return { ctx, caps, helpers, booted, outerTimers, mark };
  };

  // Time the thread spends in garbage collection (wall ms, main-thread pauses), per execution.
  const { PerformanceObserver } = await import("node:perf_hooks");
  let gcMs = 0;
  let gcKinds = {};
  let gcCounts = {};
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcMs += e.duration;
      const kind = { 1: "minor", 2: "major", 4: "incremental", 8: "weakcb" }[e.detail?.kind] ?? String(e.detail?.kind);
      gcKinds[kind] = (gcKinds[kind] ?? 0) + e.duration;
      gcCounts[kind] = (gcCounts[kind] ?? 0) + 1;
    }
  }).observe({ entryTypes: ["gc"] });
  let current;
  parentPort.on("message", async (m) => {
    if (m.t !== "run") return;
    execution++;
    current = execution;
    const phases = {};
    gcMs = 0;
    gcKinds = {};
    gcCounts = {};
    let reply;
    try {
      const { ctx, caps, helpers, booted, outerTimers, mark } = await boot(phases, m.probe);
      if (m.js) vm.runInContext(m.js, ctx);
      // The scan's positive control: an object of the thread's realm put where the guest can reach it.
      if (m.control) vm.runInContext("(o) => { globalThis.__outer = o }", ctx)({ from: "the thread" });
      const foreign = m.probe ? `${foreignObjects(ctx, booted.py)} (this is execution #${execution})` : undefined;
      const out = String(helpers.realmRun(booted.py, m.code));
      mark("run the program");
      // End of the execution: the gate closes, the context's timers are cancelled, nothing of it is kept.
      if (d.gate) caps.end();
      if (!m.keepTimers) for (const t of outerTimers.values()) clearTimeout(t);
      const missing = String(caps.missing());
      // The memory is zeroed for the next context (as the supervisor zeroes a recycled one), one
      // macrotask later: microtasks the guest queued (which no gate stops) have all run by then.
      await new Promise((r) => setImmediate(r));
      if (outerMemory) new BigUint64Array(outerMemory.buffer).fill(0n);
      mark("end (timers cleared, memory zeroed)");
      reply = { out, missing, phases, linkReplayed: booted.linkReplayed === true, lazyExports: booted.lazyExports === true, foreign };
    } catch (e) {
      reply = { out: "", error: String(e?.stack ?? e), phases };
    }
    current = undefined;
    phases["(of which GC pauses, wall)"] = gcMs;
    for (const k of ["minor", "major", "incremental", "weakcb"]) {
      phases[`  GC ${k} ms (wall)`] = gcKinds[k] ?? 0;
      phases[`  GC ${k} count`] = gcCounts[k] ?? 0;
    }
    if (m.wait) await new Promise((r) => setTimeout(r, m.wait));
    const h = v8.getHeapStatistics();
    const changed = JSON.stringify(outerFingerprint()) !== outerBaseline ? "YES" : "";
    post({
      ...reply,
      id: m.id,
      heapUsed: h.used_heap_size,
      heapTotal: h.total_heap_size,
      contexts: h.number_of_native_contexts,
      probeLog: probeLog.join("; "),
      outerChanged: changed,
    });
    probeLog = [];
  });
}

/** What a guest could change in this thread's own realm, if it reached it. */
function outerFingerprint() {
  return {
    objectProto: Object.getOwnPropertyNames(Object.prototype).length,
    arrayPush: Array.prototype.push.name,
    wasmInstantiate: WebAssembly.instantiate.name,
    u8set: Object.getPrototypeOf(Uint8Array.prototype).set.name,
    leak: "leak" in globalThis || "leakProto" in Object.prototype,
  };
}

/**
 * Objects reachable from the context's global and the Pyodide API through data properties and
 * prototypes (no getter is run) whose prototype chain does not end in this context's
 * Object.prototype: objects of another realm. Returns a count and the first few paths.
 */
const isProxy = (o) => types.isProxy(o);
/** Each context's Object.prototype → the execution it was made for. */
const realmOf = new WeakMap();

function foreignObjects(ctx, py) {
  const ctxObjectProto = vm.runInContext("Object.prototype", ctx);
  const ctxObject = vm.runInContext("Object", ctx);
  const seen = new Set();
  const found = [];
  // Listing the booted context's global object itself ran out of memory (V8 collects an enormous
  // key set there): its properties are taken from a fresh context's names and the known additions.
  const g = vm.runInContext("globalThis", ctx);
  const names = [
    ...vm.runInContext("Object.getOwnPropertyNames(globalThis)", vm.createContext(Object.create(null))),
    "process", "TextDecoder", "TextEncoder", "performance", "crypto", "console", "setTimeout", "setInterval",
    "clearTimeout", "clearInterval", "setImmediate", "clearImmediate", "queueMicrotask", "loadPyodide", "__realm",
    "__probe_log", "leak", "pyodide", "API", "__outer",
  ];
  const queue = [[py, "pyodide"]];
  for (const k of names) {
    const desc = Object.getOwnPropertyDescriptor(g, k);
    if (desc && "value" in desc) queue.push([desc.value, `globalThis.${k}`]);
  }
  for (let qi = 0; qi < queue.length && seen.size < 50000; qi++) {
    const [o, where] = queue[qi];
    if ((typeof o !== "object" && typeof o !== "function") || o === null || seen.has(o)) continue;
    // A proxy's traps would run guest-side code (PyProxies call into Python): not walked.
    if (isProxy(o)) continue;
    seen.add(o);
    let p = o;
    let rootProto;
    for (let i = 0; i < 64 && p !== null; i++) {
      rootProto = p;
      p = Object.getPrototypeOf(p);
    }
    // Foreign: the chain ends in another realm's Object.prototype (a chain ending in a plain
    // null-prototype object, e.g. lazy-exports.ts's, leads to no realm's intrinsics).
    const isObjectProto = (x) => x !== ctxObjectProto && Object.getOwnPropertyDescriptor(x, "isPrototypeOf")?.value !== undefined && Object.getOwnPropertyDescriptor(x, "constructor") !== undefined;
    // lazy-exports.ts puts a Proxy over the context's own Object.prototype in two chains; its
    // target cannot be compared, so a proxied root counts as the context's when its constructor is.
    const ownRealm = (x) => x === ctxObjectProto || (isProxy(x) && Reflect.get(x, "constructor") === ctxObject);
    if (!ownRealm(rootProto) && isObjectProto(rootProto)) {
      const chain = [];
      for (let q = o; q !== null && chain.length < 8; q = Object.getPrototypeOf(q)) chain.push(q === Object.prototype ? "THREAD Object.prototype" : q === ctxObjectProto ? "ctx Object.prototype" : `${typeof q}:${Reflect.ownKeys(q).slice(0, 4).map(String).join("|")}`);
      found.push(`${where} [${chain.join(" -> ")}; its Object.prototype is that of execution #${realmOf.get(rootProto) ?? "?"}]`);
    }
    let keys = [];
    // Typed arrays (the wasm heap views: one key per byte) are not listed.
    if (!ArrayBuffer.isView(o)) try {
      // Large arrays (Emscripten's tables of functions, handle lists) are sampled, not listed.
      const len = Object.getOwnPropertyDescriptor(o, "length")?.value;
      keys = typeof len === "number" && len > 2000 ? ["length", ...Array.from({ length: 2000 }, (_, i) => String(i))] : Reflect.ownKeys(o);
    } catch {
      continue;
    }
    queue.push([Object.getPrototypeOf(o), `${where}.__proto__`]);
    for (const k of keys.slice(0, 2000)) {
      let desc;
      try {
        desc = Object.getOwnPropertyDescriptor(o, k);
      } catch {
        continue;
      }
      if (desc && "value" in desc) queue.push([desc.value, `${where}.${String(k)}`]);
      else if (desc) for (const f of [desc.get, desc.set]) if (f) queue.push([f, `${where}.${String(k)}<accessor>`]);
    }
  }
  return `${found.length} of ${seen.size} objects${found.length ? ": " + found.slice(0, 6).join(", ") : ""}`;
}

// ---- helpers ------------------------------------------------------------------------------------------

function toShared(bytes) {
  const u = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
  u.set(bytes);
  return u;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
}

function log(text) {
  process.stdout.write(text + "\n");
}
