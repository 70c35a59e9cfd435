/**
 * Entry of the bundled guest (scripts/build-guest.mjs → guest.cjs). The bundle answers the
 * registry import with the adapters of process-hosted runtimes bundled in; the rest stay ES modules.
 */
import { loadRuntime } from "../registry.js";
import { guest, type GuestStart } from "./guest.js";

// Left by scripts/guest-loader.cjs, which ran this bundle: taken before any guest code runs.
const key = Symbol.for("wasmbox.guest-start");
const start = (globalThis as Record<symbol, unknown>)[key] as GuestStart | undefined;
delete (globalThis as Record<symbol, unknown>)[key];

void guest(loadRuntime, start);
