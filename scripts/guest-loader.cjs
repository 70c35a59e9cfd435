"use strict";
/**
 * Entry of every interpreter thread of a Python host process (copied next to the bundled guest,
 * dist/src/host-process/guest.cjs, by scripts/build-guest.mjs). It runs the bundle as Node's
 * CommonJS loader would, but compiled with a V8 code cache when the supervisor has one: the first
 * interpreter of a host process makes it after it has loaded, before any guest code ran
 * (guest.ts, `contribute`), so later threads neither parse the bundle nor compile the
 * functions their start-up runs.
 *
 * The supervisor's first message carries the cache (in `shared.guestCache`, shared memory, which
 * no guest may reach): it is taken out before the guest sees the message.
 */
const { parentPort } = require("node:worker_threads");
const Module = require("node:module");
const { readFileSync } = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const file = path.join(__dirname, "guest.cjs");
parentPort.once("message", (first) => {
  const shared = first && typeof first === "object" ? first.shared : undefined;
  const cache = shared && shared.guestCache instanceof Uint8Array ? shared.guestCache : undefined;
  if (shared) delete shared.guestCache;
  const script = new vm.Script(Module.wrap(readFileSync(file, "utf8")), { filename: file, cachedData: cache });
  const bundle = new Module(file, module);
  bundle.filename = file;
  bundle.paths = Module._nodeModulePaths(__dirname);
  globalThis[Symbol.for("wasmbox.guest-start")] = { first, codeCache: () => script.createCachedData() };
  script.runInThisContext().call(bundle.exports, bundle.exports, Module.createRequire(file), bundle, file, __dirname);
});
