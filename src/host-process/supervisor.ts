/**
 * Entry of a contained process host (see process-host.ts and jail.ts), in two roles:
 * - main thread, the supervisor: never runs guest code. It loads what every interpreter shares
 *   (e.g. the compiled module and the snapshot bytes) once, keeps interpreters ready in worker
 *   threads, and relays jobs and output between the executor (frames on stdin/stdout) and them.
 * - worker thread, the guest (guest.ts): loads one interpreter, locks its realm, runs
 *   exactly one job, and is terminated. A guest sees none of the supervisor's or its siblings' objects.
 */
import { existsSync } from "node:fs";
import { isMainThread, Worker } from "node:worker_threads";
import { toWire } from "../errors.js";
import { loadRuntime } from "../registry.js";
import type { Job, Runtime } from "../runtime.js";
import { EXIT_SANDBOX_FAILURE } from "../sandbox/protocol.js";
import { StdinWriter } from "../sandbox/live-stdin.js";
import { FRAME_DATA_BYTES, FrameReader, encodeFrame, jobFromWire, type FromGuest, type FromSupervisor, type SupervisorInit, type ToSupervisor } from "./protocol.js";

/** Random bytes each interpreter gets as `options.shared.entropy` (a Mersenne Twister state's worth). */
const ENTROPY_BYTES = 2496;

/** How long a new interpreter waits for the memory of one that is exiting before it takes a fresh one. */
const MEMORY_WAIT_MS = 40;

if (isMainThread) await supervise();
else await (await import("./guest.js")).guest(loadRuntime);

// ---- supervisor ---------------------------------------------------------------------------------

async function supervise(): Promise<void> {
  const { randomFillSync } = await import("node:crypto");
  // Synchronous writes (stdout is a pipe): a payload is in the pipe before the next message is made.
  const send = (m: FromSupervisor) => {
    const [head, payload] = encodeFrame(m);
    process.stdout.write(head);
    if (payload) process.stdout.write(payload);
  };
  // Nothing else may write to stdout: it is the protocol channel.
  const silent = () => {};
  for (const k of ["log", "info", "warn", "error", "debug", "trace"] as const) console[k] = silent;
  process.removeAllListeners("warning");
  process.on("warning", silent);

  // The first message is the init; the rest are handled by `receive`, set once the runtime is loaded.
  let receive: ((m: ToSupervisor) => void) | undefined;
  const early: ToSupervisor[] = [];
  const init = await new Promise<SupervisorInit>((resolve) => {
    let first = true;
    const frames = new FrameReader((m) => {
      if (first) {
        first = false;
        resolve(m as SupervisorInit);
      } else if (receive) receive(m as ToSupervisor);
      else early.push(m as ToSupervisor);
    });
    process.stdin.on("data", (chunk: Buffer) => frames.push(chunk));
  });

  let shared: Record<string, unknown> = {};
  let memoryLimits: { initial: number; maximum: number } | undefined;
  let runtime: Runtime;
  try {
    runtime = await loadRuntime(init.runtime);
    shared = (await runtime.processHost?.shared?.(init.options)) ?? {};
    memoryLimits = runtime.processHost?.memory?.(shared, init.memoryBytes);
  } catch (e) {
    send({ t: "fatal", error: toWire(e) });
    process.exit(1);
  }

  // A zeroed memory whose thread has exited, ready for the next interpreter.
  const memories: WebAssembly.Memory[] = [];
  // Threads that hold a memory, were told to end and have not exited yet; and interpreters
  // waiting for one of those memories. A new interpreter starts when one is claimed, a few
  // milliseconds before the claimed one has exited: it waits for that memory (while its thread
  // boots Node, which takes longer) rather than fault in a fresh one (~60 ms of CPU here).
  let exiting = 0;
  const waiting: ((memory: WebAssembly.Memory) => void)[] = [];
  const fresh = () => new WebAssembly.Memory({ ...memoryLimits!, shared: true });
  const withMemory = (give: (memory: WebAssembly.Memory | undefined) => void) => {
    if (!memoryLimits) return give(undefined);
    const kept = memories.pop();
    if (kept || exiting <= waiting.length) return give(kept ?? fresh());
    const handOver = (memory: WebAssembly.Memory) => {
      clearTimeout(timer);
      give(memory);
    };
    const timer = setTimeout(() => {
      waiting.splice(waiting.indexOf(handOver), 1);
      give(fresh());
    }, MEMORY_WAIT_MS);
    waiting.push(handOver);
  };
  // A memory not kept is freed only when this thread's heap is collected, and this thread
  // allocates too little for that to happen soon (each one held ~30 MB resident meanwhile).
  // V8's `gc` is taken for this thread alone: the flag is off again before any thread starts.
  const collect = await supervisorGc();
  let collecting = false;
  const recycle = (memory: WebAssembly.Memory | undefined) => {
    if (!memory) return;
    // Only a memory that kept its initial size: a thread given a memory that another one grew
    // sees its initial size (V8 clones the buffer's first length), while the wasm code sees the
    // grown one, and Emscripten's views would miss the difference. As many are kept as interpreters
    // are kept ready: when several jobs end together, their replacements start together.
    if (memory.buffer.byteLength === memoryLimits!.initial * 65536 && (waiting.length > 0 || memories.length < Math.max(1, init.ready))) {
      // In 8-byte words: on a shared memory V8 fills byte by byte with atomic stores (9 ms for 30 MB, against 1.2).
      new BigUint64Array(memory.buffer).fill(0n);
      const next = waiting.shift();
      if (next) next(memory);
      else memories.push(memory);
    } else if (collect && !collecting) {
      collecting = true;
      // After this turn, once the exited slot's closures (which hold the memory) are let go of.
      setImmediate(() => {
        collecting = false;
        collect();
      });
    }
  };

  interface Slot {
    worker: Worker;
    /** Ends the thread (its memory is recycled once it has exited). */
    terminate(): void;
    loaded: boolean;
    id?: number;
    finished: boolean;
    /** Interactive executions: the guest's input buffer, filled from the executor's "stdin" lines. */
    stdin?: StdinWriter;
  }
  const unclaimed: Slot[] = [];
  const byId = new Map<number, Slot>();
  // Interpreter threads start from the bundled guest (guest.ts) when the build made it,
  // through its loader (which compiles it with the code cache in `shared.guestCache`, once the
  // first interpreter has contributed one).
  const loader = new URL("./guest-loader.cjs", import.meta.url);
  const entry = existsSync(loader) && existsSync(new URL("./guest.cjs", import.meta.url)) ? loader : new URL(import.meta.url);
  // The interpreter asked to contribute to `shared` (the first one; another if it fails first).
  let contributor: Slot | undefined;
  let contributed = false;

  const startSlot = (): Slot => {
    // Bytes in shared memory are passed as they are (the adapter reads them while it loads and
    // keeps no reference the guest could reach); any other bytes are copied for each guest, so
    // nothing one guest can write is seen by another. They go in a message, not in workerData,
    // which stays reachable through node:worker_threads for the thread's whole life.
    const data: Record<string, unknown> = {};
    const transfer: ArrayBuffer[] = [];
    for (const [k, v] of Object.entries(shared)) {
      if (v instanceof Uint8Array && !(v.buffer instanceof SharedArrayBuffer)) {
        const copy = v.slice();
        data[k] = copy;
        transfer.push(copy.buffer);
      } else data[k] = v;
    }
    // Fresh entropy for this interpreter alone: one restored from a snapshot must not reuse the
    // snapshot's PRNG state, and loading Node's crypto in each interpreter thread costs tens of ms.
    const entropy = randomFillSync(new Uint8Array(ENTROPY_BYTES));
    data.entropy = entropy;
    transfer.push(entropy.buffer);
    const contribute = !contributed && contributor === undefined;
    const worker = new Worker(entry, {
      workerData: { init, contribute },
      env: {},
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: 512, stackSizeMb: 8 },
    });
    worker.stdout.resume();
    worker.stderr.resume();
    const slot: Slot = { worker, loaded: false, finished: false, terminate: () => terminate() };
    let memory: WebAssembly.Memory | undefined;
    let exited = false;
    // Counted in `exiting` from when it is told to end, if it holds a memory, until it exits.
    let ending = false;
    const terminate = () => {
      if (memory && !ending && !exited) {
        ending = true;
        exiting++;
      }
      void worker.terminate();
    };
    withMemory((given) => {
      if (exited) return recycle(given);
      memory = given;
      if (memory) data.memory = memory;
      worker.postMessage({ shared: data }, transfer);
    });
    if (contribute) contributor = slot;
    const end = (reason: string, outOfMemory: boolean) => {
      if (slot.finished) return;
      slot.finished = true;
      if (contributor === slot) contributor = undefined;
      const i = unclaimed.indexOf(slot);
      if (i >= 0) unclaimed.splice(i, 1);
      if (slot.id !== undefined) {
        byId.delete(slot.id);
        send({ t: "crashed", id: slot.id, reason, outOfMemory });
      }
      terminate();
      topUp();
    };
    worker.on("message", (m: FromGuest) => {
      // The guest's thread may be compromised: read only known fields of known shapes.
      if (slot.finished || typeof m !== "object" || m === null) return;
      if (m.t === "shared") {
        // Trusted only before "ready": no job (no guest code) reaches a thread before that.
        if (contributor !== slot || slot.loaded || contributed) return;
        contributed = true;
        contributor = undefined;
        accept(m.data);
        refineWanted = true;
        topUp();
      } else if (m.t === "ready") {
        slot.loaded = true;
        if (slot.id !== undefined) send({ t: "ready", id: slot.id });
        if (contributor === slot) contributor = undefined;
        topUp();
      } else if (m.t === "load-error") {
        if (slot.id !== undefined) send({ t: "crashed", id: slot.id, reason: `load failed: ${String(m.error?.message)}`, outOfMemory: false });
        slot.id = undefined;
        end("load failed", false);
      } else if (slot.id === undefined) {
        return;
      } else if (m.t === "out" && (m.fd === 1 || m.fd === 2) && m.data instanceof Uint8Array) {
        // The guest's own copy (transferred): relayed as it is, in payloads of a bounded size.
        for (let at = 0; at < m.data.byteLength; at += FRAME_DATA_BYTES)
          send({ t: "out", id: slot.id, fd: m.fd, data: m.data.subarray(at, at + FRAME_DATA_BYTES) });
      } else if (m.t === "limit" && (m.fd === 1 || m.fd === 2)) {
        send({ t: "limit", id: slot.id, fd: m.fd });
      } else if (m.t === "stdin-room") {
        slot.stdin?.pump();
      } else if (m.t === "done") {
        const id = slot.id;
        slot.finished = true;
        byId.delete(id);
        send({ t: "done", id, exitCode: typeof m.exitCode === "number" ? m.exitCode | 0 : EXIT_SANDBOX_FAILURE, ...(m.report !== undefined && { report: m.report }) });
        // One-shot: the interpreter is never used again.
        terminate();
        refine();
      }
    });
    worker.on("error", (err: Error & { code?: string }) => end(String(err?.message ?? err), err?.code === "ERR_WORKER_OUT_OF_MEMORY"));
    worker.on("exit", (code) => {
      exited = true;
      if (ending) exiting--;
      // The thread is gone: nothing else can touch its memory now.
      recycle(memory);
      end(`the interpreter thread exited (code ${code})`, false);
    });
    return slot;
  };

  // After the first job, not at once: refining (e.g. compiling a rewritten module, ~0.5 s of CPU)
  // beside the first job would slow down the cold first call.
  let refineWanted = false;
  const refine = () => {
    if (!refineWanted) return;
    refineWanted = false;
    void runtime.processHost?.refine?.(shared).then(
      (update) => Object.assign(shared, update),
      () => {},
    );
  };

  const accept = (data: unknown) => {
    if (typeof data !== "object" || data === null) return;
    for (const [k, v] of Object.entries(data)) {
      if (k in shared) continue;
      if (v instanceof Uint8Array) {
        const copy = new Uint8Array(new SharedArrayBuffer(v.byteLength));
        copy.set(v);
        shared[k] = copy;
      } else if (v instanceof Map && [...v.values()].every((x) => x instanceof WebAssembly.Module)) {
        shared[k] = new Map(v);
      } else if (v instanceof WebAssembly.Module) {
        shared[k] = v;
      }
    }
  };

  // Interpreters ahead of demand boot one at a time, so that boots do not crowd out the running
  // jobs (several host processes share the cores). While the first interpreter boots (and makes
  // what later ones reuse), it is the only one: on a cold start it gets the whole CPU.
  const topUp = () => {
    if (contributor === undefined && unclaimed.length < init.ready && unclaimed.every((s) => s.loaded)) unclaimed.push(startSlot());
  };

  receive = (m) => {
    if (m?.t === "claim") {
      // Prefer an interpreter that is already loaded, else the one that started first.
      const i = unclaimed.findIndex((s) => s.loaded);
      const slot = i >= 0 ? unclaimed.splice(i, 1)[0]! : (unclaimed.shift() ?? startSlot());
      slot.id = m.id;
      byId.set(m.id, slot);
      if (slot.loaded) send({ t: "ready", id: m.id });
      topUp();
    } else if (m.t === "run") {
      const slot = byId.get(m.id);
      if (!slot) return;
      if (m.interactive === true) {
        slot.stdin = new StdinWriter();
        slot.stdin.attach();
      }
      // A copy of its own: the payload is a view of a read that may hold other messages, and a
      // posted view takes its whole buffer along.
      const stdin = m.data instanceof Uint8Array ? new Uint8Array(m.data) : new Uint8Array(0);
      slot.worker.postMessage({ job: jobFromWire(m.job), stdin, ...(slot.stdin && { live: { stdin: slot.stdin.sab } }) });
    } else if (m.t === "stdin") {
      if (m.data instanceof Uint8Array) byId.get(m.id)?.stdin?.write(m.data);
    } else if (m.t === "stdin-end") {
      byId.get(m.id)?.stdin?.end();
    } else if (m.t === "kill") {
      const slot = byId.get(m.id);
      if (slot) {
        slot.finished = true;
        byId.delete(m.id);
        slot.terminate();
      }
      // Acknowledged after every output line of this job, so the executor keeps all of it.
      send({ t: "crashed", id: m.id, reason: "terminated", outOfMemory: false });
    }
  };
  for (const m of early.splice(0)) receive(m);
  // The executor's end closes our stdin: nothing here outlives it.
  process.stdin.on("end", () => process.exit(0));
  process.stdin.on("close", () => process.exit(0));
  topUp();
  send({ t: "up" });
}

/**
 * V8's `gc()` for the supervisor: the flag that exposes it is set, a new context hands it over,
 * and the flag is cleared, before any interpreter thread starts (`--expose-gc` would give every
 * thread a `gc` global that cannot be deleted).
 */
async function supervisorGc(): Promise<(() => void) | undefined> {
  try {
    const [{ default: v8 }, { default: vm }] = await Promise.all([import("node:v8"), import("node:vm")]);
    v8.setFlagsFromString("--expose-gc");
    try {
      return vm.runInNewContext("gc") as () => void;
    } finally {
      v8.setFlagsFromString("--no-expose-gc");
    }
  } catch {
    return undefined;
  }
}

