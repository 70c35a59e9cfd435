/**
 * Finding a compiler on this machine that can target WASI preview 1.
 *
 * Order: the executor option `toolchains: { go, rustc }` (or WASMBOX_GO / WASMBOX_RUSTC, which the
 * executor folds into the same option), then PATH and the usual install places. An explicit path
 * is used as given or refused; among discovered ones the newest suitable toolchain wins.
 * Discovery runs trusted commands (`go env`, `rustc --print sysroot`) with the host environment,
 * so that rustup proxies work; user code is never compiled that way (see jail.ts).
 */
import { execFile } from "node:child_process";
import { access, readdir, readFile, realpath, stat } from "node:fs/promises";
import { constants } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface Toolchain {
  /** Absolute path of the executable compilations run. */
  command: string;
  /** Full version string ("go1.23.5", "rustc 1.96.0 (ac68faa20 2026-05-25)", plus the stamps of a std and libc stubs setup-toolchains.sh built): part of cache keys. */
  version: string;
  /** Numeric version, for choosing the newest and for version checks. */
  semver: [number, number, number];
  /** Directories the compiler needs to read (GOROOT, the rustc sysroot); the jail binds them and what they load. */
  roots: string[];
  /** Executables a compilation runs (the compiler, its tools, a system wasm-ld): the jail binds what they load. */
  binaries: string[];
  /** Environment the compiler itself needs (never anything of the user's). */
  env: Record<string, string>;
  /** Compiler target, e.g. "wasm32-wasip1" or, for older rustc, "wasm32-wasi". */
  target: string;
  /** Extra compiler flags this particular toolchain needs (a linker path). */
  flags: string[];
}

/** Where scripts/setup-toolchains.sh unpacks rustc-web; keep in sync with it. */
export const RUST_WEB_DIR = process.env.WASMBOX_RUST_WEB_DIR ?? "/opt/wasmbox/rust-web";

const DISCOVERY_TIMEOUT_MS = 15_000;

function run(command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: DISCOVERY_TIMEOUT_MS, env: env ?? process.env, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} ${args.join(" ")} failed: ${(stderr || err.message).trim()}`));
      else resolve(stdout.trim());
    });
  });
}

async function isExecutable(p: string): Promise<boolean> {
  try {
    await access(p, constants.X_OK);
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

/** Every `name` on PATH, in PATH order. */
async function onPath(name: string): Promise<string[]> {
  const found: string[] = [];
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    if (await isExecutable(p)) found.push(p);
  }
  return found;
}

async function globDirs(parent: string, pattern: RegExp): Promise<string[]> {
  try {
    return (await readdir(parent)).filter((n) => pattern.test(n)).map((n) => path.join(parent, n));
  } catch {
    return [];
  }
}

export function parseSemver(text: string): [number, number, number] | undefined {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

function compareSemver(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The newest of the candidates that probe successfully; the reasons of the others if none does. */
async function newest(candidates: string[], probe: (p: string) => Promise<Toolchain>): Promise<{ toolchain?: Toolchain; reasons: string[] }> {
  const seen = new Set<string>();
  const reasons: string[] = [];
  let best: Toolchain | undefined;
  for (const c of candidates) {
    const key = await realpath(c).catch(() => c);
    if (seen.has(key)) continue;
    seen.add(key);
    try {
      const t = await probe(c);
      if (!best || compareSemver(t.semver, best.semver) > 0) best = t;
    } catch (e) {
      reasons.push((e as Error).message);
    }
  }
  return { toolchain: best, reasons };
}

// ---- Go ------------------------------------------------------------------------------------------

export async function probeGo(command: string): Promise<Toolchain> {
  if (!(await isExecutable(command))) throw new Error(`${command} is not an executable file`);
  // GOTOOLCHAIN=local: never let `go` download another toolchain while we ask about this one.
  const [version, goroot] = (await run(command, ["env", "GOVERSION", "GOROOT"], { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "" })).split("\n");
  const semver = parseSemver(version ?? "");
  if (!version || !goroot || !semver) throw new Error(`${command}: cannot tell its version`);
  if (compareSemver(semver, [1, 21, 0]) < 0) throw new Error(`${command} is ${version}; GOOS=wasip1 needs Go >= 1.21`);
  const bin = path.join(goroot, "bin", "go");
  // `go build` runs compile, asm and link from GOROOT/pkg/tool/<host>.
  const toolDir = await run(command, ["env", "GOTOOLDIR"], { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "" }).catch(() => "");
  const tools = toolDir ? (await readdir(toolDir).catch(() => [] as string[])).map((n) => path.join(toolDir, n)) : [];
  return {
    command: (await isExecutable(bin)) ? bin : command,
    version,
    semver,
    roots: [goroot],
    binaries: [(await isExecutable(bin)) ? bin : command, ...tools],
    env: { GOROOT: goroot },
    target: "wasip1/wasm",
    flags: [],
  };
}

export async function findGo(explicit?: string): Promise<Toolchain> {
  if (explicit) {
    try {
      return await probeGo(explicit);
    } catch (e) {
      throw new Error(`the Go toolchain given (toolchains.go / WASMBOX_GO = ${explicit}) cannot be used: ${(e as Error).message}`);
    }
  }
  const candidates = [
    ...(await onPath("go")),
    ...(await globDirs("/usr/lib", /^go-1\.\d+$/)).map((d) => path.join(d, "bin", "go")),
    "/usr/local/go/bin/go",
    path.join(os.homedir(), "go", "bin", "go"),
    ...(await globDirs(path.join(os.homedir(), "sdk"), /^go1\./)).map((d) => path.join(d, "bin", "go")),
  ];
  const { toolchain, reasons } = await newest(candidates.filter((c, i) => candidates.indexOf(c) === i), probeGo);
  if (toolchain) return toolchain;
  throw new Error(
    `no Go >= 1.21 found (looked on PATH, /usr/lib/go-1.*, /usr/local/go)${reasons.length ? ` [${reasons.join("; ")}]` : ""}. ` +
      "Install it with `npx wasmbox setup` (Debian: apt-get install -t bookworm-backports golang-1.23-go) " +
      "or point toolchains.go / WASMBOX_GO at a go binary",
  );
}

// ---- Rust ----------------------------------------------------------------------------------------

const WASM_LINKERS = ["wasm-ld", ...Array.from({ length: 10 }, (_, i) => `wasm-ld-${22 - i}`)];

async function findWasmLd(): Promise<string | undefined> {
  for (const name of WASM_LINKERS) {
    const found = await onPath(name);
    if (found[0]) return found[0];
    if (await isExecutable(`/usr/bin/${name}`)) return `/usr/bin/${name}`;
  }
  return undefined;
}

export async function probeRustc(command: string): Promise<Toolchain> {
  if (!(await isExecutable(command))) throw new Error(`${command} is not an executable file`);
  const version = await run(command, ["--version"]);
  const sysroot = await run(command, ["--print", "sysroot"]);
  const semver = parseSemver(version);
  if (!semver) throw new Error(`${command}: cannot tell its version from "${version}"`);
  let target: string | undefined;
  for (const t of ["wasm32-wasip1", "wasm32-wasi"]) {
    const lib = path.join(sysroot, "lib", "rustlib", t, "lib");
    const names = await readdir(lib).catch(() => [] as string[]);
    if (names.some((n) => /^libstd-.*\.rlib$/.test(n))) {
      target = t;
      break;
    }
  }
  if (!target)
    throw new Error(`${command} (${version}) has no std for wasm32-wasip1 or wasm32-wasi in ${sysroot}/lib/rustlib`);
  // The std setup-toolchains.sh builds, and the libc stubs it adds, decide what a program links
  // and prints: a rebuild of either must not find modules (or link failures) cached before it.
  const stamp = async (file: string) => (await readFile(path.join(sysroot, "lib", "rustlib", target, "lib", file), "utf8").catch(() => "")).trim();
  const stamps = [`std-build ${await stamp(".wasmbox-std-build")}`, `wasi-libc-stubs ${await stamp("self-contained/.wasmbox-stubs")}`].filter((s) => !s.endsWith(" "));

  // A rustup proxy needs the user's HOME and settings; the toolchain's own binary does not.
  let real = command;
  const resolved = await realpath(command).catch(() => command);
  if (path.basename(resolved).startsWith("rustup")) real = path.join(sysroot, "bin", "rustc");

  const host = (/host: (\S+)/.exec(await run(command, ["-vV"])) ?? [])[1] ?? "x86_64-unknown-linux-gnu";
  const flags: string[] = [];
  const binaries: string[] = [];
  if (!(await exists(path.join(sysroot, "lib", "rustlib", host, "bin", "rust-lld")))) {
    // Debian's rustc ships no rust-lld: link with the system's wasm-ld.
    const ld = await findWasmLd();
    if (!ld) throw new Error(`${command} has no rust-lld and no wasm-ld is installed (Debian: apt-get install lld-16)`);
    flags.push("-C", `linker=${ld}`);
    binaries.push(ld);
  }
  // rustc, and the linker it runs (rust-lld and its gcc-ld wrappers) where it has one.
  const hostBin = path.join(sysroot, "lib", "rustlib", host, "bin");
  const hostTools = async (dir: string): Promise<string[]> =>
    (await Promise.all((await readdir(dir, { withFileTypes: true }).catch(() => [])).map(async (e) => (e.isDirectory() ? hostTools(path.join(dir, e.name)) : [path.join(dir, e.name)])))).flat();
  // `real` is what runs (rustc-web's wrapper script execs the sysroot's rustc); never the rustup proxy.
  const sysrootRustc = path.join(sysroot, "bin", "rustc");
  binaries.unshift(real, ...(real !== sysrootRustc && (await isExecutable(sysrootRustc)) ? [sysrootRustc] : []), ...(await hostTools(hostBin)));
  // A system rustc (Debian: sysroot /usr) needs only its rustlib; rustc and its libraries come as binaries.
  const roots = ["/", "/usr", "/usr/local"].includes(sysroot) ? [path.join(sysroot, "lib", "rustlib")] : [sysroot];
  // The rustc-web wrapper lives outside its sysroot (…/rust-web/bin/rustc → …/rust-web/usr).
  const wrapperRoot = path.dirname(path.dirname(real));
  if (!real.startsWith(sysroot + path.sep)) roots.push(wrapperRoot);
  return { command: real, version: [version, ...stamps].join(" +"), semver, roots, binaries, env: {}, target, flags };
}

export async function findRustc(explicit?: string): Promise<Toolchain> {
  if (explicit) {
    try {
      return await probeRustc(explicit);
    } catch (e) {
      throw new Error(`the Rust toolchain given (toolchains.rustc / WASMBOX_RUSTC = ${explicit}) cannot be used: ${(e as Error).message}`);
    }
  }
  const candidates = [
    path.join(RUST_WEB_DIR, "bin", "rustc"),
    ...(await onPath("rustc")),
    path.join(process.env.CARGO_HOME ?? path.join(os.homedir(), ".cargo"), "bin", "rustc"),
    "/usr/bin/rustc",
  ];
  const { toolchain, reasons } = await newest(candidates.filter((c, i) => candidates.indexOf(c) === i), probeRustc);
  if (toolchain) return toolchain;
  throw new Error(
    `no rustc with a wasm32-wasip1 (or wasm32-wasi) std found${reasons.length ? ` [${reasons.join("; ")}]` : ""}. ` +
      "Install one with `npx wasmbox setup` (Debian: rustc-web 1.96 into /opt/wasmbox/rust-web), " +
      "or `rustup target add wasm32-wasip1`, or point toolchains.rustc / WASMBOX_RUSTC at a rustc",
  );
}
