/**
 * Inside a sandbox worker: the runtime's assets, handed over by the page before the runtime
 * loads. The worker itself never goes to the network: its `fetch` (while loading, for engines
 * that fetch their own files) and the node shims read from here.
 */
const store = new Map<string, Uint8Array>();

export function putAssets(assets: Record<string, Uint8Array>): void {
  for (const [path, bytes] of Object.entries(assets)) store.set(path, bytes);
}

/** Bytes of `path` (a node_modules path such as "pyodide/python_stdlib.zip"), or undefined. */
export function getAsset(path: string): Uint8Array | undefined {
  const clean = path.replace(/^\/+/, "").replace(/^node_modules\//, "");
  return store.get(clean);
}

/** Drops the bytes the runtime has taken in (compiled, unpacked): they are not needed again. */
export function clearAssets(): void {
  store.clear();
}

const MIME: Record<string, string> = { wasm: "application/wasm", json: "application/json", zip: "application/zip" };

/**
 * A `fetch` that answers only `<base><asset path>` from the store: engines that fetch their own
 * files (Pyodide) find them; anything else is refused as the sandbox has no network.
 */
export function assetFetch(base: string): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const path = url.startsWith(base) ? url.slice(base.length).split(/[?#]/)[0]! : undefined;
    const bytes = path === undefined ? undefined : getAsset(path);
    if (!bytes) throw new TypeError(`wasmbox: the sandbox has no network; "${url}" is not one of the runtime's assets`);
    const ext = path!.slice(path!.lastIndexOf(".") + 1);
    return new Response(bytes.slice(), { status: 200, headers: { "Content-Type": MIME[ext] ?? "application/octet-stream" } });
  }) as typeof fetch;
}
