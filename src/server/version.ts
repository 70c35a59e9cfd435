import { createRequire } from "node:module";

/** The version of the installed wasmbox package (a self-reference, so it works from dist/ or node_modules). */
export function packageVersion(): string {
  try {
    return (createRequire(import.meta.url)("wasmbox/package.json") as { version: string }).version;
  } catch {
    return "0.0.0";
  }
}
