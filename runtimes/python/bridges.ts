/**
 * Pyodide API entry points that reach Node's file system or network for the guest
 * (`import pyodide_js; pyodide_js.mountNodeFS(...)`). The process host is the real boundary;
 * this removes the convenient ways across it before user code runs.
 */
import { createRequire } from "node:module";
import type { PyodideAPI } from "./interpreter.js";

const refuse = (what: string) => () => {
  throw new Error(`wasmbox: ${what} is disabled in this sandbox`);
};

/**
 * Emscripten's system() (os.system, ctypes' libc.system) runs a real shell through
 * child_process.spawnSync when it runs on Node. The permission model refuses the spawn, but the
 * refusal is a JavaScript exception inside a wasm import, which kills the interpreter (exit 70)
 * instead of failing the call. Answer as a shell that does not exist would: status 127. The glue's
 * "no shell" patch (asm-script.ts) does the same without loading child_process; this is for a glue
 * loaded without it.
 */
function closeShell(): void {
  const childProcess = createRequire(import.meta.url)("node:child_process") as Record<string, unknown>;
  const missing = () => ({ status: 127, signal: null, pid: 0, output: [null, null, null], stdout: null, stderr: null });
  for (const name of ["spawnSync", "execSync", "execFileSync"]) childProcess[name] = missing;
}

export function closePyodideBridges(py: PyodideAPI, shellClosed = false): void {
  if (!shellClosed) closeShell();
  const api = py as unknown as Record<string, unknown>;
  for (const name of ["mountNodeFS", "mountNativeFS", "useNodeSockFS", "loadPackage", "loadPackagesFromImports", "registerComlink"])
    api[name] = refuse(`pyodide.${name}`);
  const internal = api._api as Record<string, unknown> | undefined;
  if (internal) for (const name of ["initializeNodeSockFS", "loadBinaryFile", "loadDynlib", "install"]) internal[name] = refuse(name);
  const module = api._module as Record<string, unknown> | undefined;
  if (module) for (const name of ["asyncLoad", "loadDynamicLibrary", "loadWebAssemblyModule"]) module[name] = refuse(name);
  const fs = (module?.FS as { filesystems?: Record<string, unknown> } | undefined)?.filesystems;
  if (fs) for (const name of ["NODEFS", "NODERAWFS", "WORKERFS", "PROXYFS", "IDBFS"]) delete fs[name];
  for (const name of ["NODEFS", "WORKERFS", "PROXYFS", "IDBFS"]) if (module) delete module[name];
}
