/**
 * Runs a compiler on untrusted source: an empty environment (only what the compiler needs),
 * an address-space and file-size limit (prlimit), a deadline, and, where bubblewrap is
 * installed, a namespace sandbox in which only /usr, the toolchain, the build directory and
 * the writable caches exist: no /etc, no home, no network.
 */
import { spawn } from "node:child_process";
import { access } from "node:fs/promises";
import { constants, lstatSync } from "node:fs";

export interface CompileCommand {
  argv: string[];
  /** Working directory: the directory holding the user's files. */
  cwd: string;
  env: Record<string, string>;
  /** Visible read-only (toolchain roots). */
  readOnly: string[];
  /** Visible read-write (the build directory, the compiler's own cache). */
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

let tools: Promise<{ bwrap?: string; prlimit?: string }> | undefined;

/** bubblewrap and prlimit, when installed (checked once per process). */
export function sandboxTools(): Promise<{ bwrap?: string; prlimit?: string }> {
  return (tools ??= (async () => {
    const found: { bwrap?: string; prlimit?: string } = {};
    for (const p of ["/usr/bin/bwrap", "/bin/bwrap"])
      if (await executable(p)) {
        found.bwrap = p;
        break;
      }
    if (found.bwrap && !(await bwrapWorks(found.bwrap))) found.bwrap = undefined;
    if (!found.bwrap)
      process.emitWarning(
        "wasmbox: bubblewrap (bwrap) is missing or cannot create namespaces here; Go and Rust compilers run without a namespace sandbox (constructs that read host files are still refused). Install bubblewrap (Debian: apt-get install bubblewrap).",
        { code: "WASMBOX" },
      );
    for (const p of ["/usr/bin/prlimit", "/bin/prlimit"])
      if (await executable(p)) {
        found.prlimit = p;
        break;
      }
    return found;
  })());
}

/** bwrap is installed but may be unusable (no user namespaces in this container). */
function bwrapWorks(bwrap: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(bwrap, [...rootArgs(), "--", "/usr/bin/true"], { stdio: "ignore", env: {} });
    child.on("error", () => resolve(false));
    child.on("exit", (code) => resolve(code === 0));
  });
}

/** The system part of the sandbox: /usr read-only and the merged-/usr symlinks. */
function rootArgs(): string[] {
  const args = ["--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--ro-bind", "/usr", "/usr"];
  for (const dir of ["bin", "sbin", "lib", "lib32", "lib64", "libx32"]) {
    let st;
    try {
      st = lstatSync(`/${dir}`);
    } catch {
      continue;
    }
    if (st.isSymbolicLink()) args.push("--symlink", `usr/${dir}`, `/${dir}`);
    else args.push("--ro-bind", `/${dir}`, `/${dir}`);
  }
  args.push("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp");
  return args;
}

export async function runCompiler(cmd: CompileCommand): Promise<CompileOutcome> {
  const { bwrap, prlimit } = await sandboxTools();
  let argv = cmd.argv;
  if (bwrap) {
    const binds: string[] = [];
    for (const p of cmd.readOnly) binds.push("--ro-bind", p, p);
    for (const p of cmd.writable) binds.push("--bind", p, p);
    argv = [bwrap, ...rootArgs(), ...binds, "--chdir", cmd.cwd, "--", ...argv];
  }
  if (prlimit) argv = [prlimit, `--as=${cmd.memoryBytes}`, `--fsize=${FILE_SIZE_LIMIT}`, "--", ...argv];

  if (cmd.signal.aborted) return { exitCode: null, output: "", killed: "abort" };
  return new Promise<CompileOutcome>((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: cmd.cwd,
      env: cmd.env,
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
      resolve({ exitCode, output: output.slice(0, OUTPUT_CAP), killed });
    };
    child.on("error", (e) => {
      output += String(e.message);
      finish(null);
    });
    child.on("close", (code, signal) => finish(code, signal));
  });
}
