/**
 * One fresh PHP runtime: a new wasm instance (on a fresh or zeroed linear memory) and a new
 * Emscripten module (fresh in-memory file system, fresh JavaScript state), booted before its job
 * is known and used for exactly one job.
 */
import type { Io } from "../../src/runtime.js";
import { clampFileTimes, closedWebsocket, closeNetworkAndNativeCode, freshPid, keepLongSleeps, refuseSpawn, replaceMissingFunctions } from "./containment.js";
import type { DeviceOps, EmscriptenFS, PhpLoader, PhpModule } from "./emscripten.js";
import { Environ } from "./environ.js";
import { recordLink, replayLink, type LinkRecord } from "./link-replay.js";

/** Where the job's standard streams go; the job's `Io` is attached once it is known. */
class Stdio {
  io: Io | undefined;

  write(fd: 1 | 2, buffer: ArrayBufferView, offset = 0, length = buffer.byteLength): void {
    // Emscripten hands out views of HEAP8 (signed); Io.write copies before returning.
    this.io?.write(fd, new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length));
  }

  read(buffer: Int8Array | Uint8Array, offset: number, length: number): number {
    // Blocks on an interactive execution's input until the caller sends data or ends it.
    return this.io ? this.io.read(new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length)) : 0;
  }
}

export interface PhpInstance {
  module: PhpModule;
  stdio: Stdio;
  environ: Environ;
  /** The memory given to `bootPhp`, if one was. */
  memory?: WebAssembly.Memory;
  /** What the glue's linking did, when it linked this instance itself (see link-replay.ts). */
  link?: LinkRecord;
  /**
   * Ends the runtime for good once its program returned: Emscripten then drops every callback
   * still scheduled (a timer, a wake-up), so none can run this instance's code on a memory
   * handed to the next instance. True when it ended so.
   */
  seal(): boolean;
}

/**
 * Replaces /dev/stdin, /dev/stdout, /dev/stderr (and the already open fds 0-2) with devices
 * backed by the job's Io, and removes /dev/tty*: Emscripten's tty reads the host's fd 0 and
 * writes to the host's console.
 */
function attachStdio(FS: EmscriptenFS, stdio: Stdio): void {
  const device = (op: Partial<DeviceOps>): DeviceOps => ({
    open() {},
    close() {},
    read: () => 0,
    write: (_s, _b, _o, length) => length,
    ...op,
  });
  const ops: DeviceOps[] = [
    device({ read: (_s, buffer, offset, length) => stdio.read(buffer, offset, length) }),
    device({ write: (_s, buffer, offset, length) => (stdio.write(1, buffer, offset, length), length) }),
    device({ write: (_s, buffer, offset, length) => (stdio.write(2, buffer, offset, length), length) }),
  ];
  const names = ["stdin", "stdout", "stderr"];
  for (const path of ["/dev/tty", "/dev/tty1", "/dev/stdin", "/dev/stdout", "/dev/stderr"]) FS.unlink(path);
  ops.forEach((op, fd) => {
    const dev = FS.makedev(70 + fd, 0);
    FS.registerDevice(dev, op);
    FS.mkdev(`/dev/${names[fd]}`, dev);
    const stream = FS.streams[fd];
    if (stream) stream.stream_ops = op;
  });
}

/**
 * /dev/random and /dev/urandom as on Linux: endless random bytes, writes accepted. Emscripten
 * numbers /dev/random's device 64, the number php-wasm then gives its /request/stdout device,
 * so /dev/random read as empty and wrote to the program's stdout.
 */
function attachRandom(FS: EmscriptenFS): void {
  const ops: DeviceOps = {
    open() {},
    close() {},
    read(_s, buffer, offset, length) {
      // getRandomValues fills at most 65536 bytes per call.
      for (let at = 0; at < length; at += 65536)
        crypto.getRandomValues(new Uint8Array(buffer.buffer, buffer.byteOffset + offset + at, Math.min(65536, length - at)));
      return length;
    },
    write: (_s, _b, _o, length) => length,
  };
  const dev = FS.makedev(73, 0);
  FS.registerDevice(dev, ops);
  for (const name of ["random", "urandom"]) {
    FS.unlink(`/dev/${name}`);
    FS.mkdev(`/dev/${name}`, dev);
  }
}

/** Where a module rewritten to import its memory (src/wasm/memory-import.ts) finds it. */
export const MEMORY_IMPORT = { module: "wasmbox", name: "memory" } as const;

/**
 * `memory`: for a module that imports its memory, the memory to give it, all zeros (a memory
 * kept from an earlier instance, see index.ts). Otherwise the module makes a fresh one.
 */
export async function bootPhp(loader: PhpLoader, wasm: WebAssembly.Module, memory?: WebAssembly.Memory, link?: LinkRecord): Promise<PhpInstance> {
  const stdio = new Stdio();
  const environ = new Environ();
  let recorded: LinkRecord | undefined;
  let abortRuntime: (() => void) | undefined;
  let sealing = false;
  let aborted = false;
  let exports: WebAssembly.Exports | undefined;
  let ready!: () => void;
  let failed!: (reason: unknown) => void;
  const booted = new Promise<void>((resolve, reject) => {
    ready = resolve;
    failed = reject;
  });
  const module = loader.init("NODE", {
    ENV: {},
    noInitialRun: true,
    locateFile: (path) => path,
    // Emscripten would set process.exitCode; the exit status is the job's, not the host's.
    quit(_status, toThrow) {
      throw toThrow;
    },
    onAbort: (reason) => {
      aborted = true;
      if (!sealing) failed(reason);
    },
    // abort() reports here; the job's failures are reported by runCli, never on the host's console.
    printErr: () => {},
    instantiateWasm(imports, receive) {
      closeNetworkAndNativeCode(imports);
      replaceMissingFunctions(imports);
      freshPid(imports);
      keepLongSleeps(imports);
      clampFileTimes(imports, () => (exports as { memory: WebAssembly.Memory } | undefined)!.memory);
      environ.install(imports, () => exports as never);
      abortRuntime = (imports.env as Record<string, unknown>)._abort_js as (() => void) | undefined;
      if (memory) imports[MEMORY_IMPORT.module] = { [MEMORY_IMPORT.name]: memory };
      WebAssembly.instantiate(wasm, imports).then((instance) => {
        exports = instance.exports;
        const replayed = link !== undefined && replayLink(link, instance, imports);
        const tableBefore = (instance.exports.__indirect_function_table as WebAssembly.Table | undefined)?.length ?? 0;
        receive(instance, wasm);
        if (!replayed) recorded = recordLink(wasm, instance, imports, tableBefore);
      }, failed);
      return {};
    },
    onRuntimeInitialized: () => ready(),
    onStdout: (chunk) => stdio.write(1, chunk),
    onStderr: (chunk) => stdio.write(2, chunk),
    onHeaders: () => {},
    stdin: () => null,
    stdout: (byte) => stdio.write(1, Uint8Array.of(byte)),
    stderr: (byte) => stdio.write(2, Uint8Array.of(byte)),
    spawnProcess: refuseSpawn,
    websocket: closedWebsocket,
  });
  await booted;
  attachStdio(module.FS, stdio);
  attachRandom(module.FS);
  // Emscripten's abort() is the one way to end the runtime for good from outside: it sets the
  // glue's ABORT flag, which every scheduled callback (timers, Asyncify wake-ups) checks first.
  const seal = (): boolean => {
    sealing = true;
    try {
      abortRuntime?.();
    } catch {
      // abort() throws a RuntimeError once the flag is set.
    }
    return aborted;
  };
  return { module, stdio, environ, seal, ...(memory && { memory }), ...(recorded && { link: recorded }) };
}
