/**
 * `wasmbox prepare [runtime...]`: does ahead of time the slow work of first runs — Python's boot
 * snapshot, Ruby's boot, Go's standard library for wasip1, Go's compiler in WebAssembly, a compiled hello world
 * per compiled runtime — in the cache directory, by running a small program on each runtime.
 */
import { parseArgs } from "node:util";
import { createExecutor } from "../executor/executor.js";
import { RUNTIME_NAMES, type RuntimeName } from "../request.js";
import { LIMIT_FLAGS, limitOptions } from "./flags.js";
import { progress } from "./progress.js";
import { LIMIT_HELP, UsageError } from "./usage.js";

export const PREPARE_HELP = `Usage: wasmbox prepare [options] [runtime...]

Builds the caches first runs would otherwise build: Python's boot snapshot, Ruby's booted memory,
Go's standard library for wasip1, and loads each runtime once, by running a one-line program on it. Without runtimes:
every runtime that can run here (the others are listed as skipped). For go it first builds Go's
compiler and linker in WebAssembly with the machine's Go (scripts/build-go-wasm.mjs), so that Go
then compiles without a host toolchain (runtimeOptions.go.compiler "wasm") and in the browser
(wasmbox assets copies them); a second run checks its stamp and returns at once.

Options:
      --go-wasm-dir <dir>  where Go's compiler in WebAssembly is built (default:
                           $WASMBOX_GO_WASM_DIR or ~/.cache/wasmbox/go-wasm)
      --force              build Go's compiler in WebAssembly again even when up to date
${LIMIT_HELP}  -h, --help              show this help
`;

/** A one-line program per runtime, printing "ok". */
export const PROBE: Record<RuntimeName, string> = {
  python: 'print("ok")',
  node: 'console.log("ok")',
  bun: 'const s: string = "ok"; console.log(s)',
  go: 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("ok") }\n',
  rust: 'fn main() { println!("ok"); }\n',
  ruby: 'puts "ok"',
  php: '<?php echo "ok\\n";',
};

export async function prepare(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: { ...LIMIT_FLAGS, "go-wasm-dir": { type: "string" }, force: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    process.stdout.write(PREPARE_HELP);
    return 0;
  }
  for (const r of positionals)
    if (!(RUNTIME_NAMES as readonly string[]).includes(r)) throw new UsageError(`unknown runtime "${r}"; one of ${RUNTIME_NAMES.join(", ")}`, "prepare");
  const asked = positionals.length > 0;
  const runtimes = (asked ? positionals : RUNTIME_NAMES) as RuntimeName[];
  const shown = progress();
  const executor = createExecutor({
    concurrency: 1,
    warmHosts: 0,
    // A process that ends after its work gives all memory back anyway: a hosts process would
    // only add its start to the wait.
    hostProcess: false,
    ...limitOptions("prepare", values),
    onWarning: (m) => process.stderr.write(`wasmbox: warning: ${m}\n`),
    onLoad: shown.onLoad,
  });
  let failed = 0;
  try {
    for (const runtime of runtimes) {
      const started = performance.now();
      let line: string;
      try {
        if (runtime === "go") {
          const built = await buildGoCompiler({ out: values["go-wasm-dir"], force: values.force });
          shown.stop();
          process.stdout.write(`go: compiler in WebAssembly ${built.built ? `built in ${built.seconds.toFixed(0)} s` : "up to date"}: ${built.dir}\n`);
        }
        const r = await executor.execute({ runtime, code: PROBE[runtime], timeout: 300_000 });
        if (r.exitCode !== 0 || r.stdout !== "ok\n") throw new Error(`the probe program exited ${r.exitCode}: ${r.stderr.trim().split("\n").at(-1) ?? ""}`);
        line = `${runtime}: ready (${((performance.now() - started) / 1000).toFixed(1)} s)`;
      } catch (e) {
        const unavailable = (e as { code?: string }).code === "RUNTIME_UNAVAILABLE";
        if (asked || !unavailable) failed++;
        line = `${runtime}: ${!asked && unavailable ? "skipped" : "FAILED"}: ${(e as Error).message}`;
      }
      shown.stop();
      process.stdout.write(`${line}\n`);
    }
  } finally {
    shown.stop();
    await executor.close();
  }
  return failed > 0 ? 1 : 0;
}

/** Go's compiler and linker in WebAssembly (plain JS shipped in the package's scripts/, also run by setup-toolchains.sh). */
async function buildGoCompiler(o: { out?: string; force?: boolean }): Promise<{ dir: string; built: boolean; seconds: number }> {
  const script = new URL("../../../scripts/build-go-wasm.mjs", import.meta.url).href;
  const { buildGoWasm } = (await import(script)) as {
    buildGoWasm(o: { out?: string; go?: string; force?: boolean; log?: (m: string) => void }): Promise<{ dir: string; built: boolean; seconds: number }>;
  };
  return buildGoWasm({ ...o, log: (m) => process.stderr.write(`wasmbox prepare: ${m}\n`) });
}
