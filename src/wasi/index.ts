/**
 * WASI preview 1 over @bjorn3/browser_wasi_shim: the request's files as an in-memory tree
 * preopened as "/", stdin as a read-only file that ends in EOF, stdout/stderr into the
 * execution's Io (non-TTY), args and env passed through, `proc_exit` mapped to the exit code.
 */
import { WASI, WASIProcExit, Fd, File, Directory, OpenDirectory, OpenFile, wasi as defs } from "@bjorn3/browser_wasi_shim";
import type { Io, WorkFile } from "../runtime.js";

export { limitModuleMemory, MemoryLimitError } from "../wasm/memory-limit.js";
export { WASIProcExit };

/**
 * A directory fd with the POSIX answers the shim gets wrong: creating a directory that exists is
 * EEXIST, not success; reading a directory is EISDIR, not EBADF (Go, Rust and Ruby print these as
 * `file exists` / `is a directory`). The shim's Directory inodes open plain OpenDirectory fds,
 * so every directory fd opened through one of these is made one of these too.
 */
class WasiDirectory extends OpenDirectory {
  override path_open(...args: Parameters<OpenDirectory["path_open"]>): ReturnType<OpenDirectory["path_open"]> {
    const r = super.path_open(...args);
    if (r.fd_obj instanceof OpenDirectory && !(r.fd_obj instanceof WasiDirectory)) return { ret: r.ret, fd_obj: new WasiDirectory(r.fd_obj.dir) };
    return r;
  }
  override path_create_directory(path: string): number {
    return this.path_open(0, path, defs.OFLAGS_CREAT | defs.OFLAGS_DIRECTORY | defs.OFLAGS_EXCL, 0n, 0n, 0).ret;
  }
  override fd_read(): { ret: number; data: Uint8Array } {
    return { ret: defs.ERRNO_ISDIR, data: new Uint8Array() };
  }
  override fd_pread(): { ret: number; data: Uint8Array } {
    return { ret: defs.ERRNO_ISDIR, data: new Uint8Array() };
  }
}

/** The preopened root, "/": the shim's PreopenDirectory, on WasiDirectory. */
class WasiPreopen extends WasiDirectory {
  constructor(
    private readonly prestatName: string,
    contents: Map<string, File | Directory>,
  ) {
    super(new Directory(contents));
  }
  override fd_prestat_get(): { ret: number; prestat: defs.Prestat } {
    return { ret: 0, prestat: defs.Prestat.dir(this.prestatName) };
  }
}

/** stdout/stderr: bytes go to the execution's Io. Reported as a non-TTY, like a pipe. */
class OutputFd extends Fd {
  constructor(
    private readonly io: Io,
    private readonly fd: 1 | 2,
  ) {
    super();
  }
  override fd_write(data: Uint8Array): { ret: number; nwritten: number } {
    this.io.write(this.fd, data);
    return { ret: defs.ERRNO_SUCCESS, nwritten: data.byteLength };
  }
  override fd_fdstat_get(): { ret: number; fdstat: InstanceType<typeof defs.Fdstat> | null } {
    // wasi-libc's isatty() is true only for a character device without seek rights;
    // FILETYPE_UNKNOWN makes stdio fully buffered and keeps Ruby from colouring errors.
    const fdstat = new defs.Fdstat(defs.FILETYPE_UNKNOWN, 0);
    fdstat.fs_rights_base = BigInt(defs.RIGHTS_FD_WRITE);
    return { ret: 0, fdstat };
  }
  override fd_filestat_get(): { ret: number; filestat: InstanceType<typeof defs.Filestat> } {
    return { ret: 0, filestat: new defs.Filestat(0n, defs.FILETYPE_UNKNOWN, 0n) };
  }
}

/**
 * Interactive stdin: reads block until the caller sends data or ends its input. Only the first
 * read of an `fd_read` call may block (the shim reads each iovec separately; a later one that
 * found nothing buffered would wait for input the program has not asked for yet).
 */
class LiveStdinFd extends Fd {
  private held = new Uint8Array(0);
  private readonly scratch = new Uint8Array(64 * 1024);
  /** Set by the fd_read import before each call: this read may block. */
  mayBlock = false;
  constructor(private readonly io: Io & { readWithin: NonNullable<Io["readWithin"]> }) {
    super();
  }
  override fd_read(size: number): { ret: number; data: Uint8Array } {
    if (this.held.byteLength === 0 && size > 0) {
      const n = this.mayBlock ? this.io.read(this.scratch) : (this.io.readWithin(this.scratch, 0) ?? 0);
      this.held = this.scratch.slice(0, n);
    }
    this.mayBlock = false;
    const data = this.held.subarray(0, size);
    this.held = this.held.subarray(data.byteLength);
    return { ret: defs.ERRNO_SUCCESS, data: data.slice() };
  }
  override fd_fdstat_get(): { ret: number; fdstat: InstanceType<typeof defs.Fdstat> | null } {
    // A pipe, as for stdout (see OutputFd).
    const fdstat = new defs.Fdstat(defs.FILETYPE_UNKNOWN, 0);
    fdstat.fs_rights_base = BigInt(defs.RIGHTS_FD_READ);
    return { ret: 0, fdstat };
  }
  override fd_filestat_get(): { ret: number; filestat: InstanceType<typeof defs.Filestat> } {
    return { ret: 0, filestat: new defs.Filestat(0n, defs.FILETYPE_UNKNOWN, 0n) };
  }
}

/** The in-memory tree of the request's files (relative POSIX paths, validated upstream); bytes as given. */
export function buildTree(files: Record<string, string | Uint8Array>): Map<string, File | Directory> {
  type Node = { [name: string]: Node | string | Uint8Array };
  const root: Node = Object.create(null);
  for (const [path, content] of Object.entries(files)) {
    const parts = path.split("/");
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      if (typeof dir[part] !== "object" || dir[part] instanceof Uint8Array) dir[part] = Object.create(null) as Node;
      dir = dir[part] as Node;
    }
    dir[parts[parts.length - 1]!] = content;
  }
  const enc = new TextEncoder();
  // Built bottom-up: Directory's constructor links the children it is given to itself.
  const toMap = (node: Node): Map<string, File | Directory> =>
    new Map(
      Object.entries(node).map(([name, child]) => [
        name,
        typeof child === "string" ? new File(enc.encode(child)) : child instanceof Uint8Array ? new File(child) : new Directory(toMap(child)),
      ]),
    );
  return toMap(root);
}

/** The regular files of a WASI tree (the preopened "/", the working directory), for `returnFiles`. */
export function* wasiFiles(root: Directory): Iterable<WorkFile> {
  const stack: [Directory, string][] = [[root, ""]];
  while (stack.length > 0) {
    const [dir, rel] = stack.pop()!;
    for (const [name, node] of dir.contents) {
      if (node instanceof Directory) stack.push([node, `${rel}${name}/`]);
      else if (node instanceof File) yield { path: `${rel}${name}`, read: () => node.data };
    }
  }
}

export interface WasiOptions {
  /** argv, including argv[0]. */
  args: string[];
  env: Record<string, string>;
  /** Text files, or bytes (Go's compiler reads its archives from here). */
  files: Record<string, string | Uint8Array>;
  io: Io;
}

export interface WasiContext {
  wasi: WASI;
  /** The preopened "/" directory: read back files the guest wrote, if needed. */
  root: Directory;
  imports: WebAssembly.Imports;
  /**
   * Points this context at another job's args, env, files and stdio. An instance can be made
   * (and its memory restored) before its job is known, then bound to the job when it arrives.
   */
  bind(opts: WasiOptions): void;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const noIo: Io = { stdin: new Uint8Array(0), read: () => 0, write() {} };

export function createWasi(opts: WasiOptions = { args: [], env: {}, files: {}, io: noIo }): WasiContext {
  const wasi = new WASI([], [], [], { debug: false });
  const imports = wasi.wasiImport as Record<string, (...args: never[]) => unknown>;
  imports.poll_oneoff = pollOneoff(wasi) as never;
  // The shim sizes the argv buffer in UTF-16 units while args_get writes UTF-8: a non-ASCII
  // argument overflows the guest's buffer (Go's runtime panics in goenvs).
  imports.args_sizes_get = ((argcPtr: number, bufSizePtr: number): number => {
    const view = new DataView((wasi.inst.exports.memory as WebAssembly.Memory).buffer);
    const enc = new TextEncoder();
    // wasi.args, not opts.args: bind() may have pointed this context at another job since.
    const args = wasi.args;
    view.setUint32(argcPtr, args.length, true);
    view.setUint32(bufSizePtr, args.reduce((n, a) => n + enc.encode(a).length + 1, 0), true);
    return defs.ERRNO_SUCCESS;
  }) as never;
  imports.proc_raise = ((sig: number) => {
    throw new WASIProcExit(128 + sig);
  }) as never;
  for (const name of ["sock_recv", "sock_send", "sock_shutdown", "sock_accept"])
    imports[name] = (() => defs.ERRNO_NOTSUP) as never;
  const fdRead = imports.fd_read as unknown as (fd: number, ...rest: number[]) => number;
  imports.fd_read = ((fd: number, ...rest: number[]): number => {
    const f = wasi.fds[fd];
    if (f instanceof LiveStdinFd) f.mayBlock = true;
    return fdRead(fd, ...rest);
  }) as never;
  const ctx: WasiContext = {
    wasi,
    root: undefined as unknown as Directory,
    imports: { wasi_snapshot_preview1: wasi.wasiImport },
    bind(o) {
      const preopen = new WasiPreopen("/", buildTree(o.files));
      wasi.args = [...o.args];
      wasi.env = Object.entries(o.env).map(([k, v]) => `${k}=${v}`);
      const { io } = o;
      wasi.fds = [
        io.readWithin ? new LiveStdinFd(io as Io & { readWithin: NonNullable<Io["readWithin"]> }) : new OpenFile(new File(io.stdin, { readonly: true })),
        new OutputFd(o.io, 1),
        new OutputFd(o.io, 2),
        preopen,
      ];
      ctx.root = preopen.dir;
    },
  };
  ctx.bind(opts);
  return ctx;
}

/**
 * The shim's poll_oneoff spins the CPU on a sleep and takes one subscription only.
 * Here: clock subscriptions sleep with Atomics.wait (the host can still terminate us);
 * fd subscriptions are ready at once (stdin is a file, stdout never blocks).
 */
function pollOneoff(wasi: WASI) {
  return (inPtr: number, outPtr: number, nsubscriptions: number, neventsPtr: number): number => {
    if (nsubscriptions === 0) return defs.ERRNO_INVAL;
    const memory = (wasi.inst.exports.memory as WebAssembly.Memory).buffer;
    const view = new DataView(memory);
    let minTimeout = Infinity;
    const ready: { userdata: bigint; type: number }[] = [];
    let clockUserdata: bigint | undefined;
    for (let i = 0; i < nsubscriptions; i++) {
      const base = inPtr + i * 48;
      const userdata = view.getBigUint64(base, true);
      const type = view.getUint8(base + 8);
      if (type === defs.EVENTTYPE_CLOCK) {
        const timeout = view.getBigUint64(base + 24, true);
        const flags = view.getUint16(base + 40, true);
        let ns = Number(timeout);
        if (flags & defs.SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME) {
          const clock = view.getUint32(base + 16, true);
          const now = clock === defs.CLOCKID_REALTIME ? Date.now() * 1e6 : performance.now() * 1e6;
          ns = ns - now;
        }
        if (ns < minTimeout) {
          minTimeout = ns;
          clockUserdata = userdata;
        }
      } else {
        ready.push({ userdata, type });
      }
    }
    let n = 0;
    const writeEvent = (userdata: bigint, type: number) => {
      const base = outPtr + n * 32;
      view.setBigUint64(base, userdata, true);
      view.setUint16(base + 8, 0, true);
      view.setUint8(base + 10, type);
      view.setBigUint64(base + 16, 0n, true);
      view.setUint16(base + 24, 0, true);
      n++;
    };
    if (ready.length > 0) {
      for (const r of ready) writeEvent(r.userdata, r.type);
    } else if (clockUserdata !== undefined) {
      const ms = minTimeout / 1e6;
      if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
      writeEvent(clockUserdata, defs.EVENTTYPE_CLOCK);
    }
    view.setUint32(neventsPtr, n, true);
    return defs.ERRNO_SUCCESS;
  };
}

/**
 * The stderr message for a module that imports functions the sandbox does not give it
 * (`//go:wasmimport env f`, `#[link(wasm_import_module = "env")]`), or undefined when it imports
 * only what `imports` holds. Such a module is the program's error (exit 1, as wasmtime's "unknown
 * import"), not a failure of the sandbox: check before instantiating.
 */
export function unprovidedImports(module: WebAssembly.Module, imports: WebAssembly.Imports): string | undefined {
  const missing = WebAssembly.Module.imports(module).filter((i) => (imports[i.module] as Record<string, unknown> | undefined)?.[i.name] === undefined);
  if (missing.length === 0) return undefined;
  const names = missing.slice(0, 5).map((i) => `${i.module}.${i.name}`).join(", ");
  return `wasmbox: the program imports ${names}, which this sandbox does not provide (only WASI preview 1 is available)\n`;
}

/**
 * Run a WASI command module (one exporting `_start`) on a fresh instance.
 * Resolves to the exit code: `proc_exit(n)` → n, returning from main → 0.
 */
export async function runWasiCommand(module: WebAssembly.Module, opts: WasiOptions): Promise<number> {
  const ctx = createWasi(opts);
  const missing = unprovidedImports(module, ctx.imports);
  if (missing) {
    opts.io.write(2, missing);
    return 1;
  }
  const instance = await WebAssembly.instantiate(module, ctx.imports);
  // What a session (its files) or a usage report reads after the run.
  const memory = instance.exports.memory;
  opts.io.inspect?.({ ...(memory instanceof WebAssembly.Memory && { memoryBytes: () => memory.buffer.byteLength }), files: () => wasiFiles(ctx.root) });
  try {
    return ctx.wasi.start(instance as never);
  } catch (e) {
    if (e instanceof WASIProcExit) return e.code;
    throw e;
  }
}
