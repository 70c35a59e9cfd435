/**
 * `wasmbox setup`: installs what the Go and Rust runtimes need (and bubblewrap) with the
 * package's own scripts/setup-toolchains.sh, wherever the package is installed; `--check`
 * only reports what is there and exits 1 when something setup promises is missing.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { defaultCacheDir } from "../cache-dir.js";
import { createExecutor } from "../executor/executor.js";
import { RUNTIME_NAMES } from "../request.js";
import { UsageError } from "./usage.js";

export const SETUP_HELP = `Usage: wasmbox setup [options]

Installs, on Debian bookworm, what the go and rust runtimes need: Go 1.23, rustc-web 1.96 with
a wasm32-wasip1 standard library (built once, about a minute), and bubblewrap, which jails the
compilers and the Python host processes. Everything comes from Debian's archive. Runs the
package's scripts/setup-toolchains.sh, through sudo when not run as root. A second run checks
what is installed and takes a second or two. python, node, bun, ruby and php need nothing
beyond the npm packages.

Options:
      --check             report what is installed; exit 1 when something setup installs is
                          missing (nothing is installed)
      --with-test-tools   also install ruby, php-cli and chromium (wasmbox's own tests use them)
  -h, --help              show this help
`;

/** The package's root: dist/src/cli/setup.js is three levels below it. */
const PACKAGE_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const SETUP_SCRIPT = path.join(PACKAGE_ROOT, "scripts", "setup-toolchains.sh");

interface Line {
  name: string;
  ok: boolean;
  detail: string;
  /** Something setup installs: missing means `--check` fails. */
  promised: boolean;
}

async function check(): Promise<Line[]> {
  const lines: Line[] = [];
  const { bubblewrap } = await import("../host-process/jail.js");
  const bwrap = await bubblewrap();
  lines.push({
    name: "bubblewrap",
    ok: !!bwrap,
    detail: bwrap ?? "not usable (install the bubblewrap package; unprivileged user namespaces must be allowed)",
    promised: true,
  });
  const executor = createExecutor({ concurrency: 1, warmHosts: 0, onWarning: () => {} });
  try {
    for (const name of RUNTIME_NAMES) {
      const promised = name === "go" || name === "rust";
      try {
        if (name === "python") {
          // Its check would build the boot snapshot (~15 s): here, only whether Pyodide is there
          // and whether a snapshot of its version was made (runtimes/python/assets.ts names them).
          const { version } = createRequire(import.meta.url)("pyodide/package.json") as { version: string };
          const cacheDir = executor.options.runtimeOptions("python").cacheDir;
          const dir = typeof cacheDir === "string" ? path.join(cacheDir, "python") : undefined;
          const made = dir !== undefined && existsSync(dir) && readdirSync(dir).some((f) => f.startsWith(`pyodide-${version}-`) && f.endsWith(".snapshot"));
          lines.push({ name, ok: true, detail: `Pyodide ${version}; ${made ? `boot snapshot in ${dir}` : "boot snapshot not built yet (first use builds it, ~15 s; or: wasmbox prepare python)"}`, promised });
          continue;
        }
        const rt = await executor.runtime(name);
        const version = rt.version ? await rt.version({ options: executor.options.runtimeOptions(name), toolchains: executor.options.toolchains }) : "";
        lines.push({ name, ok: true, detail: version ? `${rt.language} ${version}` : rt.language, promised });
      } catch (e) {
        lines.push({ name, ok: false, detail: (e as Error).message, promised });
      }
    }
  } finally {
    await executor.close();
  }
  return lines;
}

function report(lines: Line[]): number {
  const width = Math.max(...lines.map((l) => l.name.length));
  for (const l of lines) process.stdout.write(`${l.name.padEnd(width)}  ${l.ok ? "ok     " : "MISSING"}  ${l.detail}\n`);
  process.stdout.write(`cache directory: ${defaultCacheDir()}\n`);
  const missing = lines.filter((l) => !l.ok);
  if (missing.length === 0) return 0;
  process.stderr.write(`wasmbox setup: missing: ${missing.map((l) => l.name).join(", ")}${missing.some((l) => l.promised) ? "; run `npx wasmbox setup` (Debian) to install them" : ""}\n`);
  return 1;
}

function runScript(args: string[]): Promise<number> {
  if (!existsSync(SETUP_SCRIPT)) throw new Error(`${SETUP_SCRIPT} is missing from the installed package; reinstall wasmbox`);
  return new Promise((resolve, reject) => {
    // The script itself re-runs through sudo when not root.
    const child = spawn("bash", [SETUP_SCRIPT, ...args], { stdio: "inherit" });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

export async function setup(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      check: { type: "boolean" },
      "with-test-tools": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(SETUP_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`, "setup");
  if (values.check) return report(await check());
  if (process.platform !== "linux") throw new Error("wasmbox setup installs Debian packages; on other systems install Go >= 1.21 and a rustc with the wasm32-wasip1 target yourself (see README)");
  const status = await runScript(values["with-test-tools"] ? [] : ["--no-test-tools"]);
  if (status !== 0) {
    process.stderr.write(`wasmbox setup: ${SETUP_SCRIPT} exited ${status}; what is installed now:\n`);
    report(await check());
    return status;
  }
  return report(await check());
}
