/** `wasmbox run` as a child process: output, exit codes, stdin, --json, flags and their errors. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CLI, project, wasmbox } from "./helpers.js";

const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

const dir = project({
  "main.rb": 'require_relative "lib/greet"\nputs greet(STDIN.read.strip)\nwarn "to stderr"\nexit 3\n',
  "lib/greet.rb": 'def greet(name) = "hello #{name}"\n',
  "args.rb": 'puts ARGV.inspect\nputs ENV.to_h.sort.inspect\n',
  "input.txt": "from a file\n",
  "spin.rb": 'puts "started"; $stdout.flush; loop {}\n',
  "notes.txt": "not a program\n",
  "src/app.go": "package main\nfunc main() {}\n",
});

describe("wasmbox run", () => {
  it("prints the program's stdout and stderr to its own and exits with its exit code", async () => {
    const r = await wasmbox(["run", "main.rb", "lib/greet.rb"], { cwd: dir, stdin: "piped\n" });
    expect(r).toEqual({ code: 3, stdout: "hello piped\n", stderr: "to stderr\n" });
  });

  it("exits 0 for a program that succeeds, reads no stdin when none is piped, and shows no progress off a terminal", async () => {
    const r = await wasmbox(["run", "args.rb"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("[]\n[]\n");
    expect(r.stderr).toBe("");
  });

  it("--stdin reads the program's input from a file", async () => {
    const r = await wasmbox(["run", "--stdin", "input.txt", "main.rb", "lib/greet.rb"], { cwd: dir, stdin: "ignored\n" });
    expect(r.stdout).toBe("hello from a file\n");
  });

  it("passes -- args and repeated --env, and nothing of the host's environment", async () => {
    const r = await wasmbox(["run", "--env", "A=1", "--env", "B=x=y", "args.rb", "--", "one", "--two", "three four"], {
      cwd: dir,
      env: { HOST_SECRET: "leak" },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('["one", "--two", "three four"]\n[["A", "1"], ["B", "x=y"]]\n');
  });

  it("--entrypoint picks the file to run; paths are relative to the files' common directory", async () => {
    const r = await wasmbox(["run", `${dir}/lib/greet.rb`, `${dir}/main.rb`, "--entrypoint", `${dir}/main.rb`], { stdin: "abs" });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("hello abs\n");
  });

  it("--json prints the result object instead, and keeps the exit code", async () => {
    const r = await wasmbox(["run", "--json", "main.rb", "lib/greet.rb"], { cwd: dir, stdin: "json" });
    expect(r.code).toBe(3);
    const result = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(result).sort()).toEqual(["executionTime", "exitCode", "stderr", "stdout", "timedOut"]);
    expect(result).toMatchObject({ stdout: "hello json\n", stderr: "to stderr\n", exitCode: 3, timedOut: false });
    expect(r.stderr).toBe("");
  });

  it("--timeout stops the program: exit 124 with its partial output, and says so on stderr", async () => {
    const r = await wasmbox(["run", "--timeout", "1500", "spin.rb"], { cwd: dir });
    expect(r.code).toBe(124);
    expect(r.stdout).toBe("started\n");
    expect(r.stderr).toBe("wasmbox: timed out after 1500 ms (compile + run); the program was stopped. Allow more with --timeout <ms>\n");
  });

  it("--json leaves the timeout to the result's timedOut: nothing is added to stderr", async () => {
    const r = await wasmbox(["run", "--json", "--timeout", "1500", "spin.rb"], { cwd: dir });
    expect(r.code).toBe(124);
    expect(JSON.parse(r.stdout)).toMatchObject({ timedOut: true, stdout: "started\n", exitCode: 124 });
    expect(r.stderr).toBe("");
  });

  it("--runtime overrides the extension", async () => {
    const r = await wasmbox(["run", "--runtime", "ruby", "notes.txt"], { cwd: dir });
    // Ruby parses "not a program" as method calls and fails like the native ruby would.
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/notes\.txt/);
  });

  it("exits 69 with the reason when the runtime cannot run here", async () => {
    const r = await wasmbox(["run", "src/app.go"], { cwd: dir, env: { WASMBOX_GO: "/nonexistent/go" } });
    expect(r.code).toBe(69);
    expect(r.stderr).toMatch(/runtime "go" is unavailable/);
    expect(r.stdout).toBe("");
  });
});

describe("command line errors exit 2 with a clear message", () => {
  it.each([
    [["run", "--bogus", "main.rb"], /^wasmbox run: unknown option "--bogus" \(see wasmbox run --help\)\n$/],
    [["run", "--json=yes", "main.rb"], /^wasmbox run: --json takes no value \(see wasmbox run --help\)\n$/],
    [["run", "--memory-limit", "lots", "main.rb"], /--memory-limit must be a size in bytes, optionally with K, M or G/],
    [["run", "--memory-limit", "8M", "main.rb"], /--memory-limit must be at least 16M/],
    [["run", "--output-limit", "0", "main.rb"], /--output-limit must be a size/],
    [["run", "--max-timeout=-5", "main.rb"], /--max-timeout must be a positive number of milliseconds/],
    [["run", "--max-timeout", "-5", "main.rb"], /^wasmbox run: --max-timeout needs a value \(one that starts with "-" is written --max-timeout=<value>\) \(see wasmbox run --help\)\n$/],
    [["run", "--max-timeout", "1000", "--timeout", "2000", "main.rb"], /--timeout 2000 is above --max-timeout 1000/],
    [["run", "--no-cache", "--cache-dir", "/tmp/x", "main.rb"], /--no-cache and --cache-dir exclude each other/],
    [["run"], /no file to run/],
    [["run", "missing.rb"], /cannot read missing\.rb: no such file/],
    [["run", "notes.txt"], /cannot tell the runtime of "notes\.txt"[\s\S]*--runtime/],
    [["run", "--runtime", "cobol", "main.rb"], /--runtime must be one of/],
    [["run", "--timeout", "soon", "main.rb"], /--timeout must be a positive number/],
    [["run", "--env", "NOEQUALS", "main.rb"], /--env takes KEY=VALUE/],
    [["run", "--entrypoint", "other.rb", "main.rb"], /--entrypoint other\.rb is not one of the files/],
    [["run", "--timeout"], /^wasmbox run: --timeout needs a value \(see wasmbox run --help\)\n$/],
    [["explode"], /unknown command "explode"/],
    [["--frobnicate"], /unknown option "--frobnicate"/],
    [["serve", "--port", "http"], /--port must be an integer/],
    [["serve", "--bogus"], /^wasmbox serve: unknown option "--bogus" \(see wasmbox serve --help\)\n$/],
    [["serve", "--output-limit", "1X"], /--output-limit must be a size/],
    [["setup", "--bogus"], /^wasmbox setup: unknown option "--bogus" \(see wasmbox setup --help\)\n$/],
    [["prepare", "cobol"], /unknown runtime "cobol"/],
  ])("%j", async (args, message) => {
    const r = await wasmbox(args, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe("");
  });

  it("no command prints the usage to stderr", async () => {
    const r = await wasmbox([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Usage:/);
  });
});

describe("help and version", () => {
  it("--version prints the package version", async () => {
    for (const flag of ["--version", "-v"]) expect(await wasmbox([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it.each([["--help"], ["run", "--help"], ["serve", "--help"], ["setup", "--help"], ["prepare", "--help"]])("%s prints usage and exits 0", async (...args) => {
    const r = await wasmbox(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: wasmbox|Usage:\n/);
    expect(r.stderr).toBe("");
  });
});

// util-linux `script` gives the child a pseudo-terminal, which is the only way to see the
// TTY-only progress line from a test.
const hasScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe("progress line", () => {
  // CI logs get no spinner (as the spinner library decides): the pseudo-terminal run leaves CI out.
  const { CI: _ci, ...env } = process.env;
  const onTerminal = (args: string) =>
    execFileSync("script", ["-qec", `"${process.execPath}" "${CLI}" ${args}`, "/dev/null"], { cwd: dir, encoding: "utf8", env });

  it.skipIf(!hasScript)(`is shown on a terminal while the runtime loads, and erased before the output${hasScript ? "" : " (skipped: needs util-linux script for a pseudo-terminal)"}`, () => {
    const out = onTerminal(`run --stdin /dev/null args.rb`);
    expect(out).toMatch(/wasmbox: (loading the ruby runtime|starting the ruby sandbox \(compiling the runtime\))… \d+s/);
    // The last frame is erased (cursor to column 1, clear the line) before the program's output.
    expect(out).toMatch(/\x1b\[0?K\[\]\r?\n/);
    expect(out.slice(out.lastIndexOf("\x1b[0K") + "\x1b[0K".length)).toMatch(/^\[\]\r?\n\[/);
  });

  it.skipIf(!hasScript)(`never reaches stdout: with stderr redirected, a terminal's stdout gets only the output${hasScript ? "" : " (skipped: needs util-linux script)"}`, () => {
    const out = onTerminal(`run --json --stdin /dev/null args.rb 2>/dev/null`);
    expect(out.replace(/\r\n/g, "\n")).toMatch(/^\{"stdout":"\[\]\\n/);
  });
});
