/**
 * Runs a compiler on untrusted source: an empty environment (only what the compiler needs),
 * an address-space and file-size limit (prlimit), a deadline, and, where bubblewrap is
 * installed, a jail built for the toolchain: its own files, the shared libraries and helpers its
 * executables load (found with ldd, not /usr wholesale), the workspace at a fixed path
 * (`/build`) and the compiler's writable caches. No /etc, no home, no network, and no /proc,
 * whose mount table and `self` entries would name host paths. Whatever the source makes the
 * compiler read (macros can assemble any construct a token filter refuses), only these files exist.
 */
import { execFile, spawn } from "node:child_process";
import { access, open, readdir, readlink, realpath } from "node:fs/promises";
import { constants, lstatSync } from "node:fs";
import path from "node:path";
import { SandboxFailureError } from "../../src/errors.js";

export interface CompileCommand {
  /** argv, env and cwd may name paths under `workspace`: in the jail they become JAIL_WORKSPACE. */
  argv: string[];
  /** Working directory: the directory holding the user's files. */
  cwd: string;
  env: Record<string, string>;
  /** The build directory (read-write). */
  workspace: string;
  /** The toolchain: its directories, and the executables the compilation runs (in them or not). */
  toolchain: { roots: string[]; binaries?: string[] };
  /** Other writable directories, visible at their own paths (the Go build cache). */
  writable: string[];
  signal: AbortSignal;
  timeoutMs: number;
  /** Address-space limit of the compiler, bytes. */
  memoryBytes: number;
}

export interface CompileOutcome {
  /** Exit status; null when the compiler was killed. */
  exitCode: number | null;
  /** stdout and stderr, interleaved, capped. */
  output: string;
  killed?: "timeout" | "abort" | "memory";
}

/** Where the workspace appears inside the jail: no host temp path reaches the compiler. */
export const JAIL_WORKSPACE = "/build";

const OUTPUT_CAP = 256 * 1024;
const FILE_SIZE_LIMIT = 1 << 30;

async function executable(p: string): Promise<boolean> {
  try {
    await access(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface SandboxTools {
  bwrap?: string;
  prlimit?: string;
}

let tools: Promise<SandboxTools> | undefined;

/** bubblewrap and prlimit, when installed and working (checked once per process). */
export function sandboxTools(): Promise<SandboxTools> {
  return (tools ??= (async () => {
    const found: SandboxTools = {};
    for (const p of ["/usr/bin/bwrap", "/bin/bwrap"])
      if (await executable(p)) {
        found.bwrap = p;
        break;
      }
    if (found.bwrap && !(await bwrapWorks(found.bwrap))) found.bwrap = undefined;
    for (const p of ["/usr/bin/prlimit", "/bin/prlimit"])
      if (await executable(p)) {
        found.prlimit = p;
        break;
      }
    return found;
  })());
}

/**
 * Tests only: pretend these tools were found (e.g. no bubblewrap), or undo it with undefined.
 * Never called by wasmbox itself.
 */
export function overrideSandboxToolsForTests(override: SandboxTools | undefined): void {
  tools = override ? Promise.resolve(override) : undefined;
}

/** bwrap is installed but may be unusable (no user namespaces in this container). */
function bwrapWorks(bwrap: string): Promise<boolean> {
  return new Promise((resolve) => {
    // The probe is ours: it may see /usr.
    const args = [...baseArgs(), "--ro-bind", "/usr", "/usr", "--", "/usr/bin/true"];
    const child = spawn(bwrap, args, { stdio: "ignore", env: {} });
    child.on("error", () => resolve(false));
    child.on("exit", (code) => resolve(code === 0));
  });
}

/** Namespaces, and the merged-/usr symlinks (/lib64 → usr/lib64 for the dynamic loader's path). */
function baseArgs(): string[] {
  const args = ["--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--clearenv"];
  for (const dir of ["bin", "sbin", "lib", "lib32", "lib64", "libx32"]) {
    let st;
    try {
      st = lstatSync(`/${dir}`);
    } catch {
      continue;
    }
    if (st.isSymbolicLink()) args.push("--symlink", `usr/${dir}`, `/${dir}`);
  }
  args.push("--dev", "/dev", "--tmpfs", "/tmp");
  return args;
}

// ---- the toolchain's files -----------------------------------------------------------------------

/** A read-only bind: host file or directory `src` appears at `dest`. */
interface Bind {
  src: string;
  dest: string;
}

const closures = new Map<string, Promise<Bind[]>>();

/** The binds that make a toolchain work in the jail, computed once per toolchain. */
export function toolchainBinds(tc: { roots: string[]; binaries?: string[] }): Promise<Bind[]> {
  const key = JSON.stringify([tc.roots, tc.binaries ?? []]);
  let p = closures.get(key);
  if (!p) {
    p = collectBinds(tc.roots, tc.binaries ?? []);
    p.catch(() => closures.delete(key));
    closures.set(key, p);
  }
  return p;
}

/** `p` with its directory resolved (the jail has no symlinked directories but /bin, /lib...). */
async function canonicalDest(p: string): Promise<string> {
  return path.join(await realpath(path.dirname(p)).catch(() => path.dirname(p)), path.basename(p));
}

function ldd(file: string): Promise<string[]> {
  return new Promise((resolve) => {
    execFile("ldd", [file], { env: { PATH: "/usr/bin:/bin" }, timeout: 15_000 }, (err, stdout) => {
      if (err) return resolve([]); // static executables: "not a dynamic executable"
      const libs: string[] = [];
      for (const line of stdout.split("\n")) {
        const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
        if (m) libs.push(m[1]!);
      }
      resolve(libs);
    });
  });
}

/** "elf", "script:<interpreter>" or undefined. */
async function kindOf(file: string): Promise<string | undefined> {
  let fh;
  try {
    fh = await open(file, "r");
    const buf = Buffer.alloc(256);
    const { bytesRead } = await fh.read(buf, 0, 256, 0);
    const head = buf.subarray(0, bytesRead);
    if (head[0] === 0x7f && head.toString("latin1", 1, 4) === "ELF") {
      // 64-bit little-endian without a PT_DYNAMIC program header: static (Go's tools), no ldd needed.
      if (head[4] === 2 && head[5] === 1 && bytesRead >= 64) {
        const phoff = Number(head.readBigUInt64LE(32));
        const phentsize = head.readUInt16LE(54);
        const phnum = head.readUInt16LE(56);
        const table = Buffer.alloc(phentsize * phnum);
        await fh.read(table, 0, table.length, phoff);
        for (let i = 0; i < phnum; i++) if (table.readUInt32LE(i * phentsize) === 2) return "elf";
        return "static-elf";
      }
      return "elf";
    }
    if (head.toString("latin1", 0, 2) === "#!") {
      const interp = head.toString("latin1", 2).split("\n")[0]!.trim().split(/\s+/)[0];
      if (interp?.startsWith("/")) return `script:${interp}`;
    }
  } catch {
    /* unreadable: the compiler cannot use it either */
  } finally {
    await fh?.close();
  }
  return undefined;
}

async function collectBinds(roots: string[], binaries: string[]): Promise<Bind[]> {
  const binds = new Map<string, Bind>();
  const programs: string[] = [];
  const covered = (p: string) => [...binds.values()].some((b) => p === b.dest || p.startsWith(b.dest + path.sep));
  const bind = async (p: string) => {
    const dest = await canonicalDest(p);
    if (covered(dest)) return;
    const src = await realpath(p).catch(() => undefined);
    if (src) binds.set(dest, { src, dest });
  };
  /** Each hop of a symlink chain exists in the jail where the link names it (rust-lld → /usr/lib/llvm-16/bin/lld). */
  const follow = async (p: string) => {
    for (let hops = 0; hops < 40; hops++) {
      const target = await readlink(p).catch(() => undefined);
      if (target === undefined) return;
      p = await canonicalDest(path.resolve(path.dirname(p), target));
      await bind(p);
    }
  };
  for (const r of roots) await bind(r);
  // Symlinks in the roots that leave them (GOROOT/src → /usr/share/go-1.23/src, rust-lld) are bound
  // where they point; shared libraries are noted (ldd of rustc-web's rustc cannot find its
  // librustc_driver: its wrapper sets LD_LIBRARY_PATH). Directories reached through a symlink are
  // not walked: a toolchain's links point at its own parts.
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isSymbolicLink()) await follow(p);
      else if (e.isDirectory()) {
        if (e.name !== "testdata") await walk(p);
      } else if (e.isFile() && /\.so(\.[\d.]+)?$/.test(e.name)) programs.push(p);
    }
  };
  for (const r of roots) await walk(await realpath(r).catch(() => r));
  for (const b of binaries) {
    await bind(b);
    await follow(await canonicalDest(b));
    programs.push(await realpath(b).catch(() => b));
  }

  // What each program loads: its interpreter (scripts) and shared libraries (ldd).
  const seen = new Set<string>();
  for (let i = 0; i < programs.length; i++) {
    const file = programs[i]!;
    if (seen.has(file)) continue;
    seen.add(file);
    const kind = await kindOf(file);
    if (kind?.startsWith("script:")) {
      const interp = kind.slice("script:".length);
      await bind(interp);
      await follow(await canonicalDest(interp));
      programs.push(await realpath(interp).catch(() => interp));
    } else if (kind === "elf") {
      for (const lib of await ldd(file)) {
        const dest = await canonicalDest(lib);
        if (!covered(dest)) {
          const src = await realpath(lib).catch(() => undefined);
          if (src) binds.set(dest, { src, dest });
        }
      }
    }
  }
  // Parents before children: a directory bound later would hide the files bound inside it.
  return [...binds.values()].sort((a, b) => a.dest.split(path.sep).length - b.dest.split(path.sep).length);
}

// ---- running -------------------------------------------------------------------------------------

const inJail = (p: string, workspace: string) =>
  p === workspace ? JAIL_WORKSPACE : p.startsWith(workspace + path.sep) ? JAIL_WORKSPACE + p.slice(workspace.length) : p;

/** The compiler's argv, environment and working directory inside the jail (paths of the workspace mapped). */
function jailed(cmd: CompileCommand, bwrap: string, binds: Bind[]): string[] {
  const map = (s: string) => s.split(cmd.workspace).join(JAIL_WORKSPACE);
  const args = [bwrap, ...baseArgs()];
  for (const b of binds) args.push("--ro-bind", b.src, b.dest);
  args.push("--bind", cmd.workspace, JAIL_WORKSPACE);
  for (const p of cmd.writable) args.push("--bind", p, p);
  for (const [k, v] of Object.entries(cmd.env)) args.push("--setenv", k, map(v));
  args.push("--chdir", inJail(cmd.cwd, cmd.workspace), "--", ...cmd.argv.map(map));
  return args;
}

export async function runCompiler(cmd: CompileCommand): Promise<CompileOutcome> {
  const { bwrap, prlimit } = await sandboxTools();
  let argv = cmd.argv;
  if (bwrap) argv = jailed(cmd, bwrap, await toolchainBinds(cmd.toolchain));
  if (prlimit) argv = [prlimit, `--as=${cmd.memoryBytes}`, `--fsize=${FILE_SIZE_LIMIT}`, "--", ...argv];

  if (cmd.signal.aborted) return { exitCode: null, output: "", killed: "abort" };
  return new Promise<CompileOutcome>((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: cmd.cwd,
      // In the jail the environment is set by --setenv (mapped paths); bwrap itself needs none.
      env: bwrap ? {} : cmd.env,
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so that a kill reaches the compiler's children too.
      detached: true,
    });
    let output = "";
    let killed: CompileOutcome["killed"];
    const collect = (chunk: Buffer) => {
      if (output.length < OUTPUT_CAP) output += chunk.toString("utf8");
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const kill = (why: NonNullable<CompileOutcome["killed"]>) => {
      killed ??= why;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => kill("timeout"), cmd.timeoutMs);
    const onAbort = () => kill("abort");
    cmd.signal.addEventListener("abort", onAbort, { once: true });
    const finish = (exitCode: number | null, signal?: NodeJS.Signals | null) => {
      clearTimeout(timer);
      cmd.signal.removeEventListener("abort", onAbort);
      // Past RLIMIT_AS the compiler usually dies of an allocation failure (SIGABRT/SIGSEGV).
      if (!killed && (signal === "SIGABRT" || signal === "SIGSEGV" || /^(fatal error: runtime: out of memory|memory allocation of \d+ bytes failed)/m.test(output)))
        killed = "memory";
      // The jail lacks a library the toolchain loads: wasmbox's failure, not the program's.
      if (bwrap && /^[^\n]*: error while loading shared libraries: /m.test(output))
        reject(new SandboxFailureError(`the compiler's jail lacks a library its toolchain needs: ${output.trim().slice(0, 500)}`));
      else resolve({ exitCode, output: output.slice(0, OUTPUT_CAP), killed });
    };
    child.on("error", (e) => {
      output += String(e.message);
      finish(null);
    });
    child.on("close", (code, signal) => finish(code, signal));
  });
}
