/**
 * Runs a request with the machine's native `php` CLI, configured as the adapter configures
 * PHP (php.ini-production's settings, as Debian's php-cli ships them; no extension loaded), in a temporary directory whose path is then
 * shown as /app, the adapter's working directory. Used to compare outputs byte for byte.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PRODUCTION_INI } from "../ini.js";

function findPhp(): string | undefined {
  try {
    return execFileSync("sh", ["-c", "command -v php"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export const nativePhp = findPhp();
export const noNativePhp = nativePhp ? undefined : "native `php` is not installed (apt-get install php-cli)";

export const NATIVE_FLAGS = [
  "-n",
  ...Object.entries(PRODUCTION_INI).flatMap(([name, value]) => ["-d", `${name}=${value}`]),
  "-d", "error_log=",
  "-d", "html_errors=0",
];

/**
 * The php.ini the machine's `php` loads by default (Debian: /etc/php/<v>/cli/php.ini, a copy
 * of php.ini-production), or undefined when it loads none.
 */
export const stockIni = (() => {
  if (!nativePhp) return undefined;
  const r = spawnSync(nativePhp, ["-r", "echo php_ini_loaded_file();"], { encoding: "utf8", env: {} });
  return r.stdout.trim() || undefined;
})();
export const noStockIni = noNativePhp ?? (stockIni ? undefined : "native `php` loads no php.ini (Debian's php-cli ships php.ini-production)");

export interface NativeRun {
  files: Record<string, string>;
  entrypoint?: string;
  args?: string[];
  env?: Record<string, string>;
  stdin?: string;
  /** Run as `php main.php` with the machine's stock php.ini instead of NATIVE_FLAGS. */
  stock?: boolean;
}

export function runNative(req: NativeRun): { stdout: string; stderr: string; exitCode: number } {
  if (!nativePhp) throw new Error(noNativePhp);
  const dir = mkdtempSync(join(tmpdir(), "wasmbox-php-native-"));
  try {
    for (const [path, content] of Object.entries(req.files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    const r = spawnSync(nativePhp, [...(req.stock ? [] : NATIVE_FLAGS), req.entrypoint ?? "main.php", ...(req.args ?? [])], {
      cwd: dir,
      env: req.env ?? {},
      input: req.stdin ?? "",
      encoding: "utf8",
      timeout: 20_000,
    });
    const show = (s: string) => s.split(dir).join("/app");
    return { stdout: show(r.stdout), stderr: show(r.stderr), exitCode: r.status ?? -1 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
