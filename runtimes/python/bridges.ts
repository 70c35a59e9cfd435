/**
 * Pyodide API entry points that reach Node's file system or network for the guest
 * (`import pyodide_js; pyodide_js.mountNodeFS(...)`). The process host is the real boundary;
 * this removes the convenient ways across it before user code runs.
 */
import type { PyodideAPI } from "./interpreter.js";

const refuse = (what: string) => () => {
  throw new Error(`wasmbox: ${what} is disabled in this sandbox`);
};

export function closePyodideBridges(py: PyodideAPI): void {
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
