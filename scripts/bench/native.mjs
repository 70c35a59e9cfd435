/**
 * The native contenders: the same programs run by the machine's own tools, spawned from Node the
 * way a server without wasmbox would run them (from a small helper process: see spawnerProcess).
 * Go and Rust are compiled for the host with the toolchains wasmbox itself discovered, and the
 * binary is what gets spawned.
 */
import { execFile, execFileSync, fork } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PROGRAMS, matches } from "./programs.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** A command resolved to its real binary: a pyenv/rbenv shim would add a shell to every spawn. */
function realExecutable(cmd, probe) {
  try {
    return execFileSync(cmd, probe, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function version(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).split("\n")[0].trim();
  } catch {
    return "unknown";
  }
}

/**
 * The native contenders are spawned from a small helper process rather than from this one.
 * Node's spawn forks the calling process, and after a fork every page the parent writes again
 * takes a copy-on-write fault (~16 µs each on a VM: a 64 MiB buffer took 270 ms to touch after
 * one spawn of /bin/true). wasmbox's sandbox hosts are threads of this process, so each native
 * spawn from here slowed the wasmbox call after it by several ms, and forking this large process
 * slowed the native spawn itself.
 */
let spawner;
let nextId = 0;
const waiting = new Map();

function spawnerProcess() {
  if (spawner) return spawner;
  spawner = fork(fileURLToPath(new URL("./spawner.mjs", import.meta.url)), [], { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv: [] });
  spawner.on("message", (m) => {
    waiting.get(m.id)?.(m);
    waiting.delete(m.id);
    // Idle, the helper must not keep the benchmark alive.
    if (waiting.size === 0) spawner.channel?.unref();
  });
  spawner.on("exit", () => {
    spawner = undefined;
    for (const [id, done] of waiting) done({ id, error: "the spawner process exited" });
    waiting.clear();
  });
  spawner.unref();
  return spawner;
}

/** The pid of the helper process that spawns the native tools (started if it is not running). */
export function spawnerPid() {
  return spawnerProcess().pid;
}

/**
 * Spawns `cmd args` and resolves to the wall time in ms; rejects when the output is not
 * `expected`. `stdouts`, when given, collects the output.
 */
export function spawnTimed({ cmd, args, cwd }, expected, stdouts) {
  return new Promise((resolve, reject) => {
    const helper = spawnerProcess();
    const id = nextId++;
    waiting.set(id, ({ ms, stdout, stderr, error }) => {
      if (error) return reject(new Error(`${cmd} ${args.join(" ")} failed: ${stderr || error}`));
      if (expected !== undefined && !matches(stdout, expected))
        return reject(new Error(`${cmd} printed ${JSON.stringify(stdout)}, expected ${String(expected)}`));
      stdouts?.push(stdout);
      resolve(ms);
    });
    helper.channel?.ref();
    helper.send({ id, cmd, args, cwd });
  });
}

function writeProgram(dir, name, file, source) {
  const d = path.join(dir, name);
  mkdirSync(d, { recursive: true });
  writeFileSync(path.join(d, file), source);
  return d;
}

/**
 * Prepares the native contender(s) of a runtime in `dir`. Resolves to
 * `{ tool, version, run: { hello, primes, fib }, extra?: [{ tool, run }] }` (each run a spawn spec),
 * or `{ unavailable: reason }`.
 * `toolchains` is `{ go, rustc }` as wasmbox discovered them (runtimes/compiled/toolchain.ts);
 * `kinds` the programs needed (each Go or Rust one is a native build).
 */
export async function prepareNative(runtime, dir, toolchains, kinds = ["hello", "primes", "fib"]) {
  const prog = PROGRAMS[runtime];
  const interpreted = (tool, cmd, flags = []) => {
    const run = {};
    for (const kind of kinds) {
      const cwd = writeProgram(dir, kind, prog.file, prog[kind]);
      run[kind] = { cmd, args: [...flags, prog.file], cwd };
    }
    return { tool, run };
  };
  switch (runtime) {
    case "python": {
      const py = realExecutable("python3", ["-c", "import sys; print(sys.executable)"]);
      if (!py) return { unavailable: "python3 is not installed" };
      return { ...interpreted("python3", py), version: version(py, ["--version"]) };
    }
    case "node": {
      const n = interpreted("node", process.execPath);
      const jitless = interpreted("node --jitless", process.execPath, ["--jitless"]);
      return { ...n, version: process.version, extra: [jitless] };
    }
    case "bun": {
      const bun = path.join(root, "node_modules", ".bin", "bun");
      if (!existsSync(bun)) return { unavailable: "the npm package bun is not installed" };
      return { ...interpreted("bun", bun), version: `bun ${version(bun, ["--version"])}` };
    }
    case "ruby": {
      const ruby = realExecutable("ruby", ["-e", "print RbConfig.ruby"]);
      if (!ruby) return { unavailable: "ruby is not installed" };
      return { ...interpreted("ruby", ruby), version: version(ruby, ["--version"]) };
    }
    case "php": {
      const php = realExecutable("php", ["-r", "echo PHP_BINARY;"]);
      if (!php) return { unavailable: "php is not installed" };
      return { ...interpreted("php", php), version: version(php, ["--version"]) };
    }
    case "go":
    case "rust": {
      const tc = runtime === "go" ? toolchains.go : toolchains.rustc;
      if (!tc) return { unavailable: `no ${runtime} toolchain` };
      const run = {};
      for (const kind of kinds) {
        const cwd = writeProgram(dir, kind, prog.file, prog[kind]);
        const bin = path.join(cwd, "native");
        await compileNative(runtime, tc.command, cwd, bin);
        run[kind] = { cmd: bin, args: [], cwd };
      }
      return { tool: `${runtime} (native binary)`, version: tc.version, run };
    }
    default:
      return { unavailable: `no native tool for ${runtime}` };
  }
}

/** Same optimisation flags as the wasm build (runtimes/go, runtimes/rust), host target. */
function compileNative(runtime, compiler, cwd, bin) {
  return new Promise((resolve, reject) => {
    let args;
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };
    if (runtime === "go") {
      writeFileSync(path.join(cwd, "go.mod"), "module main\n\ngo 1.21\n");
      Object.assign(env, { GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod", GOWORK: "off", GOPROXY: "off", CGO_ENABLED: "0" });
      args = ["build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", bin, "."];
    } else {
      args = ["--edition=2021", "--crate-type=bin", "--crate-name=main", "-Copt-level=2", "-Cdebuginfo=0", "-Cstrip=symbols", "-o", bin, "main.rs"];
    }
    execFile(compiler, args, { cwd, env }, (err, _out, stderr) =>
      err ? reject(new Error(`native ${runtime} build failed: ${stderr || err.message}`)) : resolve(),
    );
  });
}
