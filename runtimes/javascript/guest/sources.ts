/**
 * Turns the guest modules (plain functions written in this folder) into the source text
 * QuickJS evaluates. The text is made once per process and shared by every job.
 */
import { bootstrapSource as composeBootstrap } from "./bootstrap.js";
import { inspectModule } from "./inspect.js";
import { inspectBunModule } from "./inspect-bun.js";
import { intlModule } from "./intl.js";
import { coreBuiltins } from "./builtins-core.js";
import { bufferBuiltins } from "./builtins-buffer.js";
import { ioBuiltins } from "./builtins-io.js";
import { miscBuiltins } from "./builtins-misc.js";
import { v8ErrorsModule } from "./v8-errors.js";
import { consoleTableModule } from "./console-table.js";

export type Flavor = "node" | "bun";

type Factory = (...args: never[]) => unknown;
const factories: Record<string, Factory> = {
  ...coreBuiltins,
  ...bufferBuiltins,
  ...ioBuiltins,
  ...miscBuiltins,
  "internal/inspect": inspectModule,
  "internal/inspect-bun": inspectBunModule,
  "internal/intl": intlModule,
  "internal/v8-errors": v8ErrorsModule,
  "internal/console-table": consoleTableModule,
};

/** Names `require` and `import` accept (with or without `node:`). */
export const BUILTIN_NAMES = new Set<string>([
  ...Object.keys(factories),
  "child_process", "cluster", "worker_threads", "net", "http", "https", "http2", "tls", "dgram", "dns", "inspector", "vm", "v8", "repl", "tty",
]);

const cache = new Map<string, string>();

export function builtinSource(_flavor: Flavor, name: string): string | undefined {
  const f = factories[name];
  if (!f) return undefined;
  let s = cache.get(name);
  if (s === undefined) {
    s = `(${f.toString()})`;
    cache.set(name, s);
  }
  return s;
}

const bootstrapSource = composeBootstrap();

export function guestSources(): { bootstrap: string } {
  return { bootstrap: bootstrapSource };
}
