/**
 * What the CLI shows on a terminal while slow one-time work runs (the executor's load events):
 * a spinner on stderr naming the runtime, the phase and the seconds spent, erased before the
 * program's output. Nothing when stderr is not a terminal, so output and --json stay clean.
 */
import yoctoSpinner from "yocto-spinner";
import type { LoadEvent } from "../executor/pool-options.js";

/** Quick loads (a warm cache) show nothing: the spinner appears only after this, ms. */
const SHOW_AFTER_MS = 300;

const PHASE_TEXT: Record<LoadEvent["phase"], (runtime: string) => string> = {
  runtime: (r) => (r === "python" ? "preparing python (its first use builds a boot snapshot)" : `loading the ${r} runtime`),
  host: (r) => `starting the ${r} sandbox (compiling the runtime)`,
  compile: (r) => `compiling the ${r} program`,
};

export interface Progress {
  /** Feed it the executor's load events. */
  onLoad(event: LoadEvent): void;
  /** Erases the line and forgets what was under way; call before the program's output is written. */
  stop(): void;
}

export function progress(stream: NodeJS.WriteStream = process.stderr): Progress {
  // As the spinner library itself: CI logs get no spinner frames.
  if (!stream.isTTY || process.env.TERM === "dumb" || "CI" in process.env) return { onLoad() {}, stop() {} };
  const active = new Map<string, { text: string; since: number }>();
  let spinner: ReturnType<typeof yoctoSpinner> | undefined;
  let showTimer: ReturnType<typeof setTimeout> | undefined;
  let tick: ReturnType<typeof setInterval> | undefined;

  const text = () => {
    const now = performance.now();
    return [...active.values()].map((a) => `${a.text}… ${Math.floor((now - a.since) / 1000)}s`).join("; ");
  };
  const show = () => {
    if (active.size === 0) return;
    if (!spinner) {
      // While it spins, Ctrl+C stops it (showing the cursor again) and exits 130.
      spinner = yoctoSpinner({ stream, text: `wasmbox: ${text()}` }).start();
      tick = setInterval(() => spinner && (spinner.text = `wasmbox: ${text()}`), 1000);
      tick.unref();
    } else spinner.text = `wasmbox: ${text()}`;
  };
  const hide = () => {
    clearTimeout(showTimer);
    showTimer = undefined;
    clearInterval(tick);
    spinner?.stop();
    spinner = undefined;
  };

  return {
    onLoad(e) {
      const key = `${e.runtime}:${e.phase}`;
      if (!e.done) {
        active.set(key, { text: PHASE_TEXT[e.phase](e.runtime), since: performance.now() });
        if (spinner) show();
        else showTimer ??= setTimeout(show, SHOW_AFTER_MS);
      } else {
        active.delete(key);
        if (active.size === 0) hide();
        else if (spinner) show();
      }
    },
    stop() {
      active.clear();
      hide();
    },
  };
}
