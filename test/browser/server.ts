/**
 * A static server for the browser tests: the built browser bundle, the runtimes' assets (the
 * output of `wasmbox assets`), and a test page, with the headers a wasmbox page needs:
 * cross-origin isolation everywhere (SharedArrayBuffer), and a CSP on the sandbox worker
 * scripts that forbids any connection and code from strings.
 */
import { createReadStream, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";

export const WORKER_CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'none'";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".map": "application/json",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".zip": "application/zip",
  ".css": "text/css",
  ".svg": "image/svg+xml",
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `mounts` (URL prefix → directory) and `pages` (URL path → HTML). */
export async function serveStatic(mounts: Record<string, string>, pages: Record<string, string> = {}): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Cross-Origin-Embedder-Policy", "require-corp");
    res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
    res.setHeader("Cache-Control", "no-store");
    const page = pages[url.pathname];
    if (page !== undefined) {
      res.setHeader("Content-Type", TYPES[".html"]!);
      return res.end(page);
    }
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (!url.pathname.startsWith(prefix)) continue;
      const file = path.join(dir, decodeURIComponent(url.pathname.slice(prefix.length)));
      if (!file.startsWith(dir)) break;
      try {
        if (!statSync(file).isFile()) break;
      } catch {
        break;
      }
      res.setHeader("Content-Type", TYPES[path.extname(file)] ?? "application/octet-stream");
      // The sandbox worker and its chunks run guest code: no network, no code from strings.
      if (/\.m?js$/.test(file)) res.setHeader("Content-Security-Policy", WORKER_CSP);
      return void createReadStream(file).pipe(res);
    }
    res.statusCode = 404;
    res.end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
