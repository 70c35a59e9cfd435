/**
 * Page ↔ sandbox worker messages. Jobs and results are the same as for Node's worker hosts
 * (src/sandbox/protocol.ts); a worker is first given its runtime's assets, since it has no network.
 */
import type { Runtime } from "../runtime.js";
import type { HostInit } from "../sandbox/protocol.js";

export interface BrowserHostInit extends HostInit {
  /** Asset path → bytes (transferred). */
  assets: Record<string, Uint8Array>;
  /** URL prefix the assets appear under for engines that fetch their own files. */
  assetsBaseUrl: string;
}

export type ToBrowserHost = { type: "init"; init: BrowserHostInit };

/** Sent once after loading, by runtimes that hand something to their later workers. */
export type SharedData = Record<string, Uint8Array | WebAssembly.Module>;
export type FromBrowserHost = { type: "shared"; data: SharedData };

/**
 * What a runtime may add for the browser (duck-typed, optional): `shared(loaded)` returns bytes
 * that every later worker of this runtime gets in `LoadContext.options` (copied), e.g. a memory
 * snapshot taken by the first worker so the others boot from it.
 */
export interface BrowserRuntime extends Runtime {
  browserHost?: { shared?(loaded: unknown): SharedData | undefined };
}
