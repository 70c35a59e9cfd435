/**
 * Page ↔ sandbox worker messages. Jobs and results are the same as for Node's worker hosts
 * (src/sandbox/protocol.ts); a worker is first given its runtime's assets, since it has no network.
 */
import type { SharedData } from "../runtime.js";
import type { HostInit } from "../sandbox/protocol.js";

export interface BrowserHostInit extends HostInit {
  /** Asset path → bytes (transferred). */
  assets: Record<string, Uint8Array>;
  /** URL prefix the assets appear under for engines that fetch their own files. */
  assetsBaseUrl: string;
}

export type ToBrowserHost = { type: "init"; init: BrowserHostInit };

export type { SharedData };
/** Sent once after loading, by runtimes that hand something to their later workers. */
export type FromBrowserHost = { type: "shared"; data: SharedData };
