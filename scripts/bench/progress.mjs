/**
 * A progress display on stderr, so stdout keeps only the results. On a terminal one status line
 * is rewritten in place; elsewhere (CI logs, tests) each phase gets one line.
 */
export function createProgress(stream = process.stderr) {
  const tty = Boolean(stream.isTTY);
  const started = performance.now();
  let label = "";
  let last = "";
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s`;
  const write = (text) => {
    if (tty) {
      const line = `${elapsed()}  ${text}`.slice(0, (stream.columns ?? 100) - 1);
      stream.write(`\r\x1b[K${line}`);
    }
    last = text;
  };
  return {
    /** A new phase: printed on its own line when not on a terminal. */
    phase(text) {
      label = text;
      if (tty) write(text);
      else stream.write(`${elapsed()}  ${text}\n`);
    },
    /** Progress within the phase (only shown on a terminal). */
    tick(detail) {
      if (tty && `${label} ${detail}` !== last) write(`${label}  ${detail}`);
    },
    /** A line that must stay visible (a skipped runtime, a failure). */
    note(text) {
      stream.write(`${tty ? "\r\x1b[K" : ""}${elapsed()}  ${text}\n`);
      if (tty && label) write(label);
    },
    done() {
      if (tty) stream.write("\r\x1b[K");
      stream.write(`${elapsed()}  done\n`);
    },
  };
}
