/**
 * Before guest code runs, a sandbox worker loses every way to the network and to new scripts:
 * the names are deleted from the global object and from its prototype chain (where `fetch` and
 * `importScripts` live), so neither `fetch` nor `self.fetch` nor `WorkerGlobalScope.prototype.fetch`
 * is left. A guest that can run JavaScript (Python's `js` module) finds nothing to call. The
 * page should also serve the worker script with `Content-Security-Policy: connect-src 'none'`
 * and no 'unsafe-eval' (see playground/vite.config.ts), which holds even if a name slipped through.
 */
export const NETWORK_GLOBALS = [
  "fetch",
  "XMLHttpRequest",
  "WebSocket",
  "WebSocketStream",
  "WebTransport",
  "EventSource",
  "importScripts",
  "Worker",
  "SharedWorker",
  "BroadcastChannel",
  "RTCPeerConnection",
  "RTCDataChannel",
  "indexedDB",
  "caches",
  "CacheStorage",
  "FileSystemHandle",
  "Request",
] as const;

export function sealNetwork(target: object = globalThis): void {
  for (const name of NETWORK_GLOBALS) {
    for (let o: object | null = target; o; o = Object.getPrototypeOf(o)) {
      if (Object.prototype.hasOwnProperty.call(o, name)) {
        try {
          delete (o as Record<string, unknown>)[name];
        } catch {
          /* not configurable: shadowed below */
        }
      }
    }
    if (name in target) {
      try {
        Object.defineProperty(target, name, { value: undefined, writable: false, configurable: false });
      } catch {
        /* nothing more can be done from here; the CSP still applies */
      }
    }
  }
  const nav = (target as { navigator?: Record<string, unknown> }).navigator;
  if (nav) for (const name of ["sendBeacon", "serviceWorker", "storage"]) {
    try {
      Object.defineProperty(nav, name, { value: undefined, configurable: false });
    } catch {
      /* absent in workers */
    }
  }
}
