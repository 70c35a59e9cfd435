/**
 * `node:module` in a sandbox worker. `createRequire(...).resolve("pkg/file")` answers the
 * package path itself, which is the key of that file among the assets (../assets.ts).
 */
import { getAsset } from "../asset-store.js";

export function createRequire(_from: string | URL) {
  const require = (spec: string): unknown => {
    const bytes = getAsset(spec);
    if (bytes && spec.endsWith(".json")) return JSON.parse(new TextDecoder().decode(bytes));
    // Node built-ins an adapter patches defensively (child_process) exist here as empty objects.
    if (spec.startsWith("node:")) return {};
    throw new Error(`wasmbox: require("${spec}") is not available in the browser`);
  };
  require.resolve = (spec: string): string => spec;
  return require;
}

export default { createRequire };
