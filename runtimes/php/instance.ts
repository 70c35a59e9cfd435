/**
 * One fresh PHP runtime: a new wasm instance (fresh linear memory) and a new Emscripten module
 * (fresh in-memory file system), booted before its job is known and used for exactly one job.
 */
import type { Io } from "../../src/runtime.js";
import { clampFileTimes, closedWebsocket, closeNetworkAndNativeCode, freshPid, keepLongSleeps, refuseSpawn, replaceMissingFunctions } from "./containment.js";
import type { DeviceOps, EmscriptenFS, PhpLoader, PhpModule } from "./emscripten.js";
import { Environ } from "./environ.js";

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

export async function bootPhp(loader: PhpLoader, wasm: WebAssembly.Module): Promise<PhpInstance> {
  const stdio = new Stdio();
  const environ = new Environ();
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
    onAbort: (reason) => failed(reason),
    instantiateWasm(imports, receive) {
      closeNetworkAndNativeCode(imports);
      replaceMissingFunctions(imports);
      freshPid(imports);
      keepLongSleeps(imports);
      clampFileTimes(imports, () => (exports as { memory: WebAssembly.Memory } | undefined)!.memory);
      environ.install(imports, () => exports as never);
      WebAssembly.instantiate(wasm, imports).then((instance) => {
        exports = instance.exports;
        receive(instance, wasm);
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
  return { module, stdio, environ };
}
