/**
 * `npm run playground`: the playground page, plus the files `wasmbox assets` would copy, served
 * under /wasmbox/ straight from node_modules and dist/browser. Every response carries the
 * cross-origin isolation headers wasmbox needs; the sandbox worker scripts also carry a CSP
 * that forbids any connection and code from strings (the guest's worker has no network).
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
export const WORKER_CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'none'";
const ISOLATION = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };
const TYPES: Record<string, string> = { ".js": "text/javascript", ".map": "application/json", ".json": "application/json", ".wasm": "application/wasm", ".zip": "application/zip" };

/** The file behind /wasmbox/<path>: the browser bundle, or a runtime asset from node_modules. */
async function wasmboxFile(rel: string): Promise<string | undefined> {
  if (rel.startsWith("browser/")) return path.join(root, "dist", rel);
  // Go's compiler in WebAssembly, as `wasmbox assets` copies it (scripts/build-go-wasm.mjs builds it).
  if (rel.startsWith("go-wasm/")) {
    const { goWasmDir } = await import(path.join(root, "dist/runtimes/go/wasm-compiler.js"));
    return path.join(goWasmDir() as string, rel.slice("go-wasm/".length));
  }
  const { RUNTIME_ASSETS } = await import(path.join(root, "dist/src/browser/assets.js"));
  const known = new Set(Object.values(RUNTIME_ASSETS as Record<string, string[]>).flat());
  if (!known.has(rel)) return undefined;
  const { resolveAssetPath } = await import(path.join(root, "dist/src/cli/assets.js"));
  return resolveAssetPath(rel) as string;
}

function wasmboxAssets(): Plugin {
  const serve: Plugin["configureServer"] = (server) => {
    server.middlewares.use(async (req, res, next) => {
      for (const [k, v] of Object.entries(ISOLATION)) res.setHeader(k, v);
      const url = new URL(req.url ?? "/", "http://x");
      if (!url.pathname.startsWith("/wasmbox/")) return next();
      const file = await wasmboxFile(decodeURIComponent(url.pathname.slice("/wasmbox/".length))).catch(() => undefined);
      if (!file || file.includes("..") || !existsSync(file) || !statSync(file).isFile()) {
        res.statusCode = 404;
        return res.end(existsSync(path.join(root, "dist/browser")) ? "not found" : "not found: run `npm run build` first");
      }
      res.setHeader("Content-Type", TYPES[path.extname(file)] ?? "application/octet-stream");
      res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
      if (file.endsWith(".js")) res.setHeader("Content-Security-Policy", WORKER_CSP);
      createReadStream(file).pipe(res);
    });
  };
  return { name: "wasmbox-assets", configureServer: serve, configurePreviewServer: serve as Plugin["configurePreviewServer"] };
}

export default defineConfig({
  root: here,
  plugins: [wasmboxAssets()],
  server: { headers: ISOLATION, port: 5173 },
  preview: { headers: ISOLATION },
  build: { target: "es2022", outDir: path.join(root, "dist/playground"), emptyOutDir: true },
  // Quiet when driven by tests; `npm run playground` passes --logLevel info, which prints the URL.
  logLevel: "warn",
});
