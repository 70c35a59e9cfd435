/**
 * php-wasm's ways out of the sandbox, closed below the PHP level (php.ini's disable_functions
 * is the first layer; these hold even if a function slipped through it).
 *
 * - Network: php-wasm's Emscripten sockets open a WebSocket per connection (in Node through
 *   the `ws` package, straight to `ws://host:port` when @php-wasm/node's outbound proxy is not
 *   set up). The socket syscalls that would reach a peer fail with the errno a host without
 *   network gives, and the WebSocket classes throw, so nothing is ever dialled or listened on.
 * - Processes: the imports behind `proc_open`/`popen`/`system` fail, and `spawnProcess` refuses.
 * - Native code: `dlopen` of a side module written by the guest is refused.
 * - Missing libc functions: Emscripten links a function the build lacks as a stub that aborts
 *   the whole runtime (`Aborted(missing function: ...)`); `php://fd/N` reaches one
 *   (getdtablesize), Fibers others (getcontext, makecontext, swapcontext). Those with a
 *   faithful answer get it; any other ends the program as a PHP fatal error would.
 */

// Emscripten's errno numbering (WASI's), returned negated by syscalls.
const EACCES = 2;
const ECONNREFUSED = 14;

function refuse(errno: number) {
  return () => -errno;
}

export function closeNetworkAndNativeCode(imports: WebAssembly.Imports): void {
  const env = imports.env as Record<string, unknown>;
  env.__syscall_connect = refuse(ECONNREFUSED);
  env.__syscall_bind = refuse(EACCES);
  env.__syscall_listen = refuse(EACCES);
  env.__syscall_accept4 = refuse(EACCES);
  env.__syscall_sendto = refuse(EACCES);
  env.__syscall_recvfrom = refuse(EACCES);
  // Socket options have no peer to go to; php-wasm would log the unsupported ones to the host's console.
  env.wasm_setsockopt = () => 0;
  // dlopen() failing is a NULL handle.
  env._dlopen_js = () => 0;
  // The process bridge (behind proc_open, popen, system...) refuses before reaching spawnProcess.
  env.js_open_process = () => -1;
  env.js_popen_to_file = () => -1;
  env._emscripten_system = () => -1;
}

/** A C function this PHP build cannot provide was called: the program ends as on a PHP fatal error. */
export class UnsupportedFunction extends Error {
  constructor(readonly function_: string) {
    super(`${function_}() is not available in this PHP build`);
    this.name = "UnsupportedFunction";
  }
}

/** The size of Emscripten's file descriptor table (FS.MAX_OPEN_FDS), what getdtablesize() reports. */
const MAX_OPEN_FDS = 4096;

function isMissingStub(fn: unknown): boolean {
  return typeof fn === "function" && Function.prototype.toString.call(fn).includes("missing function");
}

export function replaceMissingFunctions(imports: WebAssembly.Imports): void {
  const env = imports.env as Record<string, unknown>;
  for (const [name, fn] of Object.entries(env)) {
    if (!isMissingStub(fn)) continue;
    env[name] = () => {
      throw new UnsupportedFunction(name);
    };
  }
  // php://fd/N checks N against it before dup(), which then fails with EBADF as natively.
  env.getdtablesize = () => MAX_OPEN_FDS;
}

/**
 * getmypid(): php-wasm answers 42 in every instance; a native process gets a new pid each run
 * (programs seed or name temporary files with it). A random pid in Linux's default range.
 */
export function freshPid(imports: WebAssembly.Imports): void {
  const env = imports.env as Record<string, unknown>;
  const pid = 300 + (crypto.getRandomValues(new Uint32Array(1))[0]! % (4_194_304 - 300));
  env.js_getpid = () => pid;
}

/**
 * File times beyond what a JavaScript Date holds (±8.64e12 s) would make every later stat()
 * of the file throw in Emscripten's JavaScript, a failure of the runtime. Linux clamps times
 * to what the file system stores; here they are clamped to the Date range.
 */
const MAX_FILE_TIME_S = 8.64e12 - 1;

export function clampFileTimes(imports: WebAssembly.Imports, memory: () => WebAssembly.Memory): void {
  const env = imports.env as Record<string, unknown>;
  const utimensat = env.__syscall_utimensat as (dirfd: number, path: number, times: number, flags: number) => number;
  env.__syscall_utimensat = (dirfd: number, path: number, times: number, flags: number) => {
    if (times) {
      const view = new DataView(memory().buffer);
      // struct timespec[2]: { int64 tv_sec; int32 tv_nsec; padding } each.
      for (const at of [times, times + 16]) {
        const seconds = view.getBigInt64(at, true);
        if (seconds > BigInt(MAX_FILE_TIME_S)) view.setBigInt64(at, BigInt(MAX_FILE_TIME_S), true);
        else if (seconds < BigInt(-MAX_FILE_TIME_S)) view.setBigInt64(at, BigInt(-MAX_FILE_TIME_S), true);
      }
    }
    return utimensat(dirfd, path, times, flags);
  };
}

/**
 * emscripten_sleep(ms) takes an unsigned int as a signed i32 and hands it to setTimeout, which
 * fires at once for anything past 2^31 - 1 ms: sleep(PHP_INT_MAX) would return immediately
 * where native php sleeps on (until the execution's timeout). Long sleeps stay long.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function keepLongSleeps(imports: WebAssembly.Imports): void {
  const env = imports.env as Record<string, unknown>;
  const sleep = env.emscripten_sleep as ((ms: number) => unknown) | undefined;
  if (!sleep) return;
  env.emscripten_sleep = (ms: number) => sleep(Math.min(ms >>> 0, MAX_TIMER_MS));
}

class NoWebSocket {
  constructor() {
    throw new Error("wasmbox: network access is disabled in the PHP sandbox");
  }
}

export const closedWebsocket = {
  url: () => "ws://0.0.0.0:0/",
  decorator: () => NoWebSocket,
  serverDecorator: () => NoWebSocket,
};

export function refuseSpawn(): never {
  const e = new Error("wasmbox: starting processes is disabled in the PHP sandbox") as Error & { code: string };
  e.code = "SPAWN_UNSUPPORTED";
  throw e;
}
