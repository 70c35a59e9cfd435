/**
 * Entry of the bundled guest (scripts/build-guest.mjs → process-guest.cjs): the Python adapter is
 * bundled with it; any other runtime is loaded through the registry, as ES modules.
 */
import { guest, type GuestStart } from "./process-guest.js";

// Left by scripts/guest-loader.cjs, which ran this bundle: taken before any guest code runs.
const key = Symbol.for("wasmbox.guest-start");
const start = (globalThis as Record<symbol, unknown>)[key] as GuestStart | undefined;
delete (globalThis as Record<symbol, unknown>)[key];

void guest(
  async (name) =>
    name === "python" ? (await import("../../runtimes/python/index.js")).python : (await import("../runtimes.js")).loadRuntime(name),
  start,
);
