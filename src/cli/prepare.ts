/**
 * `wasmbox prepare go`: builds Go's compiler and linker in WebAssembly, and the standard library's
 * wasip1 archives, from the machine's Go (scripts/build-go-wasm.mjs; nothing when already built).
 */
import { parseArgs } from "node:util";
import { UsageError } from "./usage.js";

export const PREPARE_HELP = `Usage: wasmbox prepare go [options]

Builds Go's compiler and linker for WebAssembly (GOOS=wasip1) with the machine's Go, and the
standard library they compile against, into a cache directory: Go then compiles without a host
toolchain (runtimeOptions.go.compiler "wasm") and in the browser (wasmbox assets copies them).
A second run checks its stamp and returns at once.

Options:
      --out <dir>     where to build (default: $WASMBOX_GO_WASM_DIR or ~/.cache/wasmbox/go-wasm)
      --go <path>     the go binary to build with (default: as wasmbox finds Go)
      --force         build again even when up to date
  -q, --quiet         print only the directory
  -h, --help          show this help
`;

export async function prepare(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: "string" },
      go: { type: "string" },
      force: { type: "boolean" },
      quiet: { type: "boolean", short: "q" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(PREPARE_HELP);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== "go")
    throw new UsageError(positionals.length ? `cannot prepare "${positionals.join(" ")}"; only "go" has a compiler to build` : "say what to prepare: wasmbox prepare go", "prepare");
  // Plain JS shipped in the package's scripts/ (also run by scripts/setup-toolchains.sh).
  const script = new URL("../../../scripts/build-go-wasm.mjs", import.meta.url).href;
  const { buildGoWasm } = (await import(script)) as {
    buildGoWasm(o: { out?: string; go?: string; force?: boolean; log?: (m: string) => void }): Promise<{ dir: string; built: boolean; seconds: number }>;
  };
  const log = values.quiet ? () => {} : (m: string) => process.stderr.write(`wasmbox prepare: ${m}\n`);
  const r = await buildGoWasm({ out: values.out, go: values.go, force: values.force, log });
  log(r.built ? `built in ${r.seconds.toFixed(0)} s` : "up to date");
  process.stdout.write(`${r.dir}\n`);
  return 0;
}
