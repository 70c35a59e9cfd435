/**
 * The slice of php-wasm's Emscripten module this adapter uses. @php-wasm/node-8-3 ships the
 * loader (`init(runtimeName, moduleOptions)`) and the wasm file, but no types.
 */

import type { FsWithMemfs } from "./file-quota.js";

/** An Emscripten device's stream operations (chunked, unlike `FS.createDevice`'s per-byte callbacks). */
export interface DeviceOps {
  open(stream: unknown): void;
  close(stream: unknown): void;
  read(stream: unknown, buffer: Uint8Array, offset: number, length: number, position: number): number;
  write(stream: unknown, buffer: Uint8Array, offset: number, length: number, position: number): number;
}

export interface EmscriptenFS extends FsWithMemfs {
  mkdir(path: string): void;
  mkdirTree(path: string): void;
  writeFile(path: string, data: string | Uint8Array): void;
  unlink(path: string): void;
  chdir(path: string): void;
  makedev(major: number, minor: number): number;
  registerDevice(dev: number, ops: DeviceOps): void;
  mkdev(path: string, dev: number): void;
  streams: ({ stream_ops: DeviceOps } | null)[];
}

export interface PhpModule {
  FS: EmscriptenFS;
  HEAPU8: Uint8Array;
  ccall(name: string, returnType: "number" | null, argTypes: string[], args: unknown[], opts?: { async?: boolean }): unknown;
}

/** Options the loader reads from the object passed to `init()` (it becomes the module). */
export interface PhpModuleOptions {
  ENV: Record<string, string | undefined>;
  noInitialRun: true;
  locateFile(path: string): string;
  quit(status: number, toThrow: unknown): never;
  onAbort(reason: unknown): void;
  /** Where the glue's `err()` goes (abort messages). */
  printErr(text: string): void;
  instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void): object;
  onRuntimeInitialized(): void;
  onStdout(chunk: Uint8Array): void;
  onStderr(chunk: Uint8Array): void;
  onHeaders(chunk: Uint8Array): void;
  stdin(): number | null;
  stdout(byte: number): void;
  stderr(byte: number): void;
  spawnProcess(): never;
  websocket: { url(): string; decorator(ws: unknown): unknown; serverDecorator(server: unknown): unknown };
}

export interface PhpLoader {
  dependencyFilename: string;
  init(runtimeName: "NODE", options: PhpModuleOptions): PhpModule;
}
