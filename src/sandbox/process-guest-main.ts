/**
 * Entry of the bundled guest (scripts/build-guest.mjs → process-guest.cjs): the Python adapter is
 * bundled with it; any other runtime is loaded through the registry, as ES modules.
 */
import { guest } from "./process-guest.js";

void guest(async (name) =>
  name === "python" ? (await import("../../runtimes/python/index.js")).python : (await import("../runtimes.js")).loadRuntime(name),
);
