/**
 * The jail of a contained host process (see process-host.ts): the command line that starts the
 * supervisor (supervisor.ts) with nothing worth reaching:
 *   - bubblewrap (when usable): new user/pid/net/ipc/uts namespaces, an empty environment,
 *     uid 65534, no capabilities, and a file system holding only node, its libraries and the
 *     runtime's own assets, read-only; it dies with the executor;
 *   - Node's permission model: reads only of those assets, no writes, no child processes, no
 *     addons, no inspector (workers are allowed: they hold the interpreters);
 *   - no code generation from strings (`eval`, `Function`), so a guest cannot author new
 *     JavaScript (e.g. a dynamic `import()`), only call what its realm holds;
 *   - each interpreter's realm is locked before guest code runs (guest.ts);
 *   - a data rlimit and a wasm memory maximum.
 * Without bubblewrap the other layers remain (weaker: no network namespace): the executor warns
 * once, or the runtime refuses with isolation "strict".
 */
import { execFile } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { mkdir, rename, rm, symlink } from "node:fs/promises";
import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { RuntimeUnavailableError } from "../errors.js";
import type { HostFactoryOptions } from "../executor/host.js";
import { loadRuntime } from "../registry.js";

const entry = fileURLToPath(new URL("./supervisor.js", import.meta.url));
const distDir = path.resolve(path.dirname(entry), "../..");
const packageRoot = path.dirname(distDir);

/** A process-hosted runtime under isolation "strict" where bubblewrap cannot jail its host process. */
export function strictIsolationUnavailable(runtime: string): RuntimeUnavailableError {
  return new RuntimeUnavailableError(
    runtime,
    'isolation "strict" needs bubblewrap (`bwrap`) with unprivileged user namespaces, which is not usable here; install the `bubblewrap` package or use isolation "best-effort"',
  );
}

let bwrapProbe: Promise<string | undefined> | undefined;

/**
 * The bubblewrap binary when it is installed and unprivileged user namespaces work here;
 * undefined otherwise, or when disabled (`runtimeOptions.<rt>.bubblewrap: false` or WASMBOX_BUBBLEWRAP=0).
 */
export function bubblewrap(options: Record<string, unknown> = {}): Promise<string | undefined> {
  if (options.bubblewrap === false || process.env.WASMBOX_BUBBLEWRAP === "0") return Promise.resolve(undefined);
  const bin = typeof options.bubblewrap === "string" ? options.bubblewrap : "bwrap";
  if (bin !== "bwrap") return probe(bin);
  return (bwrapProbe ??= probe(bin));
}

function probe(bin: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(bin, ["--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "true"], { timeout: 10_000, env: {} }, (err) =>
      resolve(err ? undefined : bin),
    );
  });
}

/** Shared libraries of the node binary (`ldd`), bound read-only into the sandbox. */
function nodeLibraries(): Promise<string[]> {
  return new Promise((resolve) => {
    execFile("ldd", [process.execPath], { env: {} }, (err, stdout) => {
      if (err) return resolve(["/lib", "/lib64", "/usr/lib"]);
      resolve([...stdout.matchAll(/(\/[^\s]+)\s+\(0x/g)].map((m) => m[1]!));
    });
  });
}

interface Containment {
  /** Runtime assets: path inside the host root → host path. */
  mounts: Record<string, string>;
  memoryBytes: number;
  dataLimitBytes: number;
  bwrap: string | undefined;
  /** Where the host root is assembled from symbolic links when there is no bubblewrap. */
  linkDir: string;
}

/** Inside bubblewrap, everything the host process may read sits under this one directory. */
const SANDBOX_ROOT = "/wasmbox";

/**
 * The host process sees one directory, `<root>/{dist,package.json,<runtime assets>}`, granted to
 * Node's permission model as a single `<root>/*`: Node 20's permission tree mishandles several
 * grants that share a prefix. With bubblewrap the root is assembled from bind mounts; without it,
 * from symbolic links (kept as such by --preserve-symlinks, so the grant matches module paths).
 */
async function command(c: Containment): Promise<JailCommand> {
  const node = realpathSync(process.execPath);
  const major = Number(process.versions.node.split(".")[0]);
  const mounts: Record<string, string> = { dist: distDir, "package.json": path.join(packageRoot, "package.json"), ...c.mounts };
  const root = c.bwrap ? SANDBOX_ROOT : await linkRoot(c.linkDir, mounts);
  const nodeArgs = [
    major >= 22 ? "--permission" : "--experimental-permission",
    `--allow-fs-read=${root}/*`,
    "--allow-worker",
    "--preserve-symlinks",
    "--preserve-symlinks-main",
    "--disallow-code-generation-from-strings",
    `--wasm-max-mem-pages=${Math.max(1, Math.floor(c.memoryBytes / 65536))}`,
    // Booting an interpreter builds ~20 MB of long-lived JavaScript objects; with V8's small
    // initial old space that costs two full collections per (short-lived) interpreter thread,
    // ~15% of its CPU. The per-thread maximum (resourceLimits) is unchanged.
    "--initial-old-space-size=96",
    // Interpreter threads are short-lived and busy booting: helper threads for their collections
    // cost more CPU in hand-offs than they save (measured: ~10% of an execution's CPU).
    "--single-threaded-gc",
    "--no-warnings",
    `${root}/dist/${path.relative(distDir, entry).split(path.sep).join("/")}`,
  ];
  const limit = [`--data=${c.dataLimitBytes}`];
  if (!c.bwrap) return { file: "prlimit", args: [...limit, "--", node, ...nodeArgs], root };
  const binds: string[] = [];
  const bind = (from: string, to: string) => {
    try {
      binds.push("--ro-bind", realpathSync(from), to);
    } catch {
      /* missing: nothing to bind */
    }
  };
  bind(node, node);
  for (const lib of await nodeLibraries()) bind(lib, lib);
  for (const [name, from] of Object.entries(mounts)) bind(from, `${root}/${name}`);
  const bwrapArgs = [
    "--unshare-all",
    "--die-with-parent",
    "--new-session",
    "--clearenv",
    "--cap-drop", "ALL",
    "--uid", "65534",
    "--gid", "65534",
    ...binds,
    "--dev", "/dev",
    "--chdir", "/",
  ];
  if (process.env.WASMBOX_DEBUG_HOSTS === "1") process.stderr.write(`wasmbox: host command: ${[c.bwrap, ...bwrapArgs, node, ...nodeArgs].join(" ")}\n`);
  return { file: "prlimit", args: [...limit, "--", c.bwrap, ...bwrapArgs, node, ...nodeArgs], root };
}

/** A directory of symbolic links to the mounts, made atomically (safe against concurrent makers). */
async function linkRoot(dir: string, mounts: Record<string, string>): Promise<string> {
  const key = createHash("sha256").update(JSON.stringify(mounts)).digest("hex").slice(0, 16);
  const root = path.join(dir, `host-root-${key}`);
  if (existsSync(root)) return root;
  const tmp = `${root}.${process.pid}.${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  for (const [name, from] of Object.entries(mounts)) {
    await mkdir(path.dirname(path.join(tmp, name)), { recursive: true });
    await symlink(path.resolve(from), path.join(tmp, name));
  }
  try {
    await rename(tmp, root);
  } catch {
    await rm(tmp, { recursive: true, force: true });
  }
  return root;
}

export interface JailCommand {
  file: string;
  args: string[];
  /** The host root as the host process sees it (where the runtime's mounts are). */
  root: string;
}

/**
 * The command of a host process for one runtime configuration, keeping `ready` interpreters:
 * jailed by bubblewrap when it is usable; without it, refused under isolation "strict", else
 * warned about once.
 */
export async function jail(opts: HostFactoryOptions, ready: number): Promise<JailCommand> {
  const runtime = await loadRuntime(opts.runtime);
  const bwrap = await bubblewrap(opts.options);
  if (!bwrap) {
    if (opts.options.isolation === "strict") throw strictIsolationUnavailable(opts.runtime);
    warnOnce(opts, `bubblewrap (bwrap) is not usable here, so "${opts.runtime}" runs with the remaining layers only (Node's permission model, a locked realm, no code generation); its guest is not network-isolated. Install bubblewrap, or pass isolation: "strict" to refuse instead.`);
  }
  const dataLimit = opts.options.dataLimitBytes;
  const assets = runtime.processHost?.mounts?.(opts.options) ?? { mounts: {}, linkDir: os.tmpdir() };
  return command({
    ...assets,
    memoryBytes: opts.memoryBytes,
    dataLimitBytes: typeof dataLimit === "number" ? dataLimit : Math.max(4 * 1024 ** 3, (ready + 2) * opts.memoryBytes * 2),
    bwrap,
  });
}

const warned = new WeakSet<object>();
let warnedDefault = false;
function warnOnce(opts: HostFactoryOptions, message: string): void {
  const sink = opts.onWarning;
  if (sink) {
    if (warned.has(sink)) return;
    warned.add(sink);
    sink(message);
  } else if (!warnedDefault) {
    warnedDefault = true;
    process.emitWarning(`wasmbox: ${message}`, { code: "WASMBOX" });
  }
}
