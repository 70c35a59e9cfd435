/**
 * The C environment (`environ`) of a PHP instance, set per job although the instance boots
 * before its job is known.
 *
 * Emscripten's libc builds `environ` once, in a constructor that runs at boot: it asks the
 * host for the count (`environ_sizes_get`), allocates `count + 1` pointers, and has the host
 * fill them (`environ_get`). Here the host answers with SLOTS empty slots and a NULL in the
 * first one (an empty environment), and keeps the array's address; the job's variables are
 * then written into it before PHP starts. Emscripten's own defaults (USER, HOME, PATH, `_`
 * holding the host's script path) are never shown to the guest.
 */
const SLOTS = 4096;

interface Exports {
  memory: WebAssembly.Memory;
  malloc(size: number): number;
}

export class Environ {
  private exports: Exports | undefined;
  private array = 0;

  /** Wraps the WASI environment imports; `exports` is read once the instance exists. */
  install(imports: WebAssembly.Imports, exports: () => Exports | undefined): void {
    const wasi = imports.wasi_snapshot_preview1 as Record<string, unknown>;
    wasi.environ_sizes_get = (countPtr: number, sizePtr: number) => {
      const view = new DataView(exports()!.memory.buffer);
      view.setUint32(countPtr, SLOTS, true);
      view.setUint32(sizePtr, 1, true);
      return 0;
    };
    wasi.environ_get = (environPtr: number, bufPtr: number) => {
      this.exports = exports()!;
      const view = new DataView(this.exports.memory.buffer);
      view.setUint8(bufPtr, 0);
      for (let i = 0; i < SLOTS; i++) view.setUint32(environPtr + 4 * i, bufPtr, true);
      view.setUint32(environPtr, 0, true);
      this.array = environPtr;
      return 0;
    };
  }

  set(env: Record<string, string>): void {
    const entries = Object.entries(env);
    if (!this.exports || !this.array) throw new Error("wasmbox: the PHP runtime did not set up its environment");
    if (entries.length >= SLOTS)
      throw new Error(`wasmbox: php takes at most ${SLOTS - 1} environment variables; got ${entries.length}`);
    const { memory, malloc } = this.exports;
    const encoder = new TextEncoder();
    entries.forEach(([name, value], i) => {
      const bytes = encoder.encode(`${name}=${value}\0`);
      const ptr = malloc(bytes.length);
      if (!ptr) throw new RangeError("wasmbox: out of memory while setting the PHP environment");
      new Uint8Array(memory.buffer, ptr, bytes.length).set(bytes);
      new DataView(memory.buffer).setUint32(this.array + 4 * i, ptr, true);
    });
    new DataView(memory.buffer).setUint32(this.array + 4 * entries.length, 0, true);
  }
}
