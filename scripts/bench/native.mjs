/**
 * The native contenders: the same programs run by the machine's own tools, spawned from Node the
 * way a server without wasmbox would run them. Go and Rust are compiled for the host with the
 * toolchains wasmbox itself discovered, and the binary is what gets spawned.
 */
import { execFile, execFileSync } from "node:child_process";
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
 * Spawns `cmd args` and resolves to the wall time in ms; rejects when the output is not
 * `expected`. `stdouts`, when given, collects the output.
 */
export function spawnTimed({ cmd, args, cwd }, expected, stdouts) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    execFile(cmd, args, { cwd, encoding: "utf8", env: { PATH: process.env.PATH, HOME: process.env.HOME }, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      const ms = performance.now() - t;
      if (err) return reject(new Error(`${cmd} ${args.join(" ")} failed: ${stderr || err.message}`));
      if (expected !== undefined && !matches(stdout, expected))
        return reject(new Error(`${cmd} printed ${JSON.stringify(stdout)}, expected ${String(expected)}`));
      stdouts?.push(stdout);
      resolve(ms);
    });
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
 * `toolchains` is `{ go, rustc }` as wasmbox discovered them (runtimes/compiled/toolchain.ts).
 */
export async function prepareNative(runtime, dir, toolchains) {
  const prog = PROGRAMS[runtime];
  const interpreted = (tool, cmd, flags = []) => {
    const run = {};
    for (const kind of ["hello", "primes", "fib"]) {
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
      for (const kind of ["hello", "primes", "fib"]) {
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
