/**
 * What a PHP program must not reach: the host's files, the network (a local HTTP server must
 * see no request), processes, the JavaScript bridge, more memory than the cap, or anything a
 * previous execution left behind. Each attempt must fail fast, not hang.
 */
import { createServer, type Server } from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExecutor } from "wasmbox";

const MiB = 1024 * 1024;
const executor = createExecutor({ concurrency: 1, memoryLimit: 256 * MiB });
const run = (code: string, extra: { timeout?: number; stdin?: string } = {}) => executor.execute({ runtime: "php", code, timeout: 20_000, ...extra });

let server: Server;
let port = 0;
const seen: string[] = [];
const canaryDir = mkdtempSync(join(tmpdir(), "wasmbox-php-canary-"));
const canary = join(canaryDir, "canary.txt");

beforeAll(async () => {
  writeFileSync(canary, "HOST-CANARY-SECRET");
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.end("reached the host");
  });
  server.on("upgrade", (req, socket) => {
    seen.push(`upgrade ${req.url}`);
    socket.destroy();
  });
  server.on("connection", () => seen.push("tcp connection"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  await executor.close();
  server.close();
  rmSync(canaryDir, { recursive: true, force: true });
});

describe("php containment: host file system", () => {
  it("cannot read /etc/hostname, /etc/passwd or a host file by absolute path", async () => {
    const r = await run(`<?php
foreach (["/etc/hostname", "/etc/passwd", ${JSON.stringify(canary)}, "/proc/self/environ"] as $f) {
  var_dump(file_exists($f), @file_get_contents($f));
}`);
    expect(r.stdout).not.toContain("HOST-CANARY-SECRET");
    expect(r.stdout).toBe("bool(false)\nbool(false)\n".repeat(4));
    expect(r.exitCode).toBe(0);
  });

  it("cannot climb out of the working directory with ../", async () => {
    const r = await run(`<?php
$climb = str_repeat("../", 12);
var_dump(@file_get_contents($climb . "etc/hostname"), @file_get_contents($climb . ltrim(${JSON.stringify(canary)}, "/")));
var_dump(realpath($climb));
$root = scandir($climb); sort($root); echo implode(",", $root), "\\n";`);
    expect(r.stdout).not.toContain("HOST-CANARY-SECRET");
    expect(r.stdout).toContain('bool(false)\nbool(false)\nstring(1) "/"\n');
    // The root holds the in-memory tree of this instance only: no etc, usr, proc of the host.
    const root = r.stdout.trim().split("\n").at(-1)!.split(",");
    expect(root).toContain("app");
    for (const hostDir of ["etc", "usr", "bin", "root", "work", "var"]) expect(root).not.toContain(hostDir);
  });

  it("does not read the host's standard input or terminal", async () => {
    const started = Date.now();
    const r = await run(`<?php var_dump(@file_get_contents("/dev/tty"), @fopen("/dev/tty1", "r"), stream_get_contents(STDIN));`);
    expect(r.stdout).toBe('bool(false)\nbool(false)\nstring(0) ""\n');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe("php containment: network", () => {
  it("file_get_contents, fsockopen, stream_socket_client and curl fail fast and reach nothing", async () => {
    const url = `http://127.0.0.1:${port}/from-php`;
    const r = await run(`<?php
$t = microtime(true);
var_dump(file_get_contents(${JSON.stringify(url)}));
var_dump(fsockopen("127.0.0.1", ${port}, $errno, $errstr, 5));
var_dump(stream_socket_client("tcp://127.0.0.1:${port}", $errno, $errstr, 5));
$c = curl_init(${JSON.stringify(url)});
curl_setopt($c, CURLOPT_RETURNTRANSFER, true);
curl_setopt($c, CURLOPT_CONNECTTIMEOUT, 5);
var_dump(curl_exec($c));
var_dump(@file_get_contents("https://example.com/"));
var_dump(@stream_socket_server("tcp://127.0.0.1:0"));
$u = @stream_socket_client("udp://127.0.0.1:${port}"); var_dump($u === false || @fwrite($u, "x") === false || @fwrite($u, "x") === 1);
fwrite(STDERR, sprintf("elapsed %.1f\\n", microtime(true) - $t));`);
    expect(r.stdout).toBe("bool(false)\n".repeat(6) + "bool(true)\n");
    expect(r.stderr).toContain(`PHP Warning:  file_get_contents(${url}): Failed to open stream: Connection refused`);
    expect(r.stderr).toContain(`PHP Warning:  fsockopen(): Unable to connect to 127.0.0.1:${port} (Connection refused)`);
    expect(r.stderr).toContain(`PHP Warning:  stream_socket_client(): Unable to connect to tcp://127.0.0.1:${port} (Connection refused)`);
    expect(Number(/elapsed ([\d.]+)/.exec(r.stderr)![1])).toBeLessThan(3);
    expect(r.exitCode).toBe(0);
    expect(seen).toEqual([]);
  });

  it("the test server does see a request made from the host (the check above can fail)", async () => {
    const before = seen.length;
    await fetch(`http://127.0.0.1:${port}/from-host`).then((res) => res.text());
    expect(seen.slice(before)).toContain("GET /from-host");
    seen.length = before;
  });
});

describe("php containment: processes and bridges", () => {
  for (const [fn, call] of [
    ["exec", 'exec("id")'],
    ["shell_exec", 'shell_exec("id")'],
    ["system", 'system("id")'],
    ["passthru", 'passthru("id")'],
    ["popen", 'popen("id", "r")'],
    ["proc_open", 'proc_open("id", [], $pipes)'],
    ["shell_exec", "`id`"],
    ["pcntl_exec", 'pcntl_exec("/bin/sh")'],
    ["dl", 'dl("x.so")'],
    ["post_message_to_js", 'post_message_to_js("hi")'],
  ] as const) {
    it(`${call} is refused at once`, async () => {
      const started = Date.now();
      const r = await run(`<?php\nvar_dump(function_exists("${fn}"));\n${call};\necho "not reached";`);
      expect(r.stdout).toBe("bool(false)\n");
      expect(r.stderr).toContain(`PHP Fatal error:  Uncaught Error: Call to undefined function ${fn}()`);
      expect(r.exitCode).toBe(255);
      expect(Date.now() - started).toBeLessThan(10_000);
    });
  }

  it("disable_functions cannot be lifted at run time", async () => {
    const r = await run('<?php\nvar_dump(ini_set("disable_functions", ""), function_exists("exec"));');
    expect(r.stdout).toBe("bool(false)\nbool(false)\n");
  });
});

describe("php containment: memory", () => {
  it("memory_limit comes from the executor's memory cap", async () => {
    const r = await run('<?php echo ini_get("memory_limit");');
    const limit = Number(r.stdout);
    expect(limit).toBeGreaterThan(64 * MiB);
    expect(limit).toBeLessThan(256 * MiB);
  });

  it("a memory bomb ends with PHP's own fatal error, and the next execution runs", async () => {
    const r = await run('<?php\n$a = [];\nwhile (true) { $a[] = str_repeat("x", 1 << 20); }');
    expect(r.stderr).toMatch(/^PHP Fatal error:  Allowed memory size of \d+ bytes exhausted/);
    expect(r.exitCode).toBe(255);
    const limit = Number(/Allowed memory size of (\d+)/.exec(r.stderr)![1]);
    expect(limit).toBeLessThan(256 * MiB);
    const next = await run('<?php echo "fine";');
    expect(next).toMatchObject({ stdout: "fine", exitCode: 0 });
  });

  it("raising memory_limit at run time still stops at the wasm memory cap", async () => {
    const r = await run('<?php\nini_set("memory_limit", "-1");\n$a = [];\nwhile (true) { $a[] = str_repeat("x", 1 << 20); }');
    expect(r.stderr).toMatch(/PHP Fatal error:  (Out of memory|Allowed memory size)/);
    expect(r.exitCode).toBe(255);
    expect(r.timedOut).toBe(false);
  });
});

describe("php containment: output", () => {
  it("an endless writer is stopped at the output cap (153) with what it printed kept", async () => {
    const capped = createExecutor({ concurrency: 1, outputLimit: 64 * 1024 });
    try {
      const r = await capped.execute({ runtime: "php", code: '<?php\nwhile (true) { echo str_repeat("x", 999), "\\n"; fwrite(STDERR, "e"); }' });
      expect(r.exitCode).toBe(153);
      expect(r.stdout.length).toBe(64 * 1024);
      expect(r.stdout.startsWith("x".repeat(999) + "\n")).toBe(true);
      expect(r.timedOut).toBe(false);
    } finally {
      await capped.close();
    }
  });
});

describe("php containment: files written", () => {
  it("written files are capped (they live in host memory, outside the wasm cap): ENOSPC, not host growth", async () => {
    const r = await run(`<?php
$s = str_repeat("x", 8 << 20);
for ($i = 0; $i < 100; $i++) { if (@file_put_contents("/tmp/f$i", $s) === false) break; }
echo $i, "\\n";
for ($j = 0; $j < $i; $j++) unlink("/tmp/f$j");
for ($k = 0; $k < 40; $k++) { if (file_put_contents("/tmp/again", $s) === false) break; unlink("/tmp/again"); }
echo $k, "\\n";`);
    const [written, rewritten] = r.stdout.trim().split("\n").map(Number);
    // 256 MiB cap: half of it for files, 16 files of 8 MiB.
    expect(written).toBe(16);
    expect(rewritten).toBe(40);
    expect(r.exitCode).toBe(0);
  });
});

describe("php containment: no state carried over", () => {
  it("files, environment, ini settings and functions of one execution are gone in the next", async () => {
    const first = await run(`<?php
file_put_contents("/tmp/left-behind", "x");
file_put_contents("left.txt", "x");
putenv("LEFT=1");
ini_set("precision", "3");
function left_behind() {}
echo "written";`);
    expect(first.stdout).toBe("written");
    const second = await run(`<?php
var_dump(file_exists("/tmp/left-behind"), file_exists("left.txt"), getenv("LEFT"), ini_get("precision"), function_exists("left_behind"));`);
    expect(second.stdout).toBe('bool(false)\nbool(false)\nbool(false)\nstring(2) "14"\nbool(false)\n');
  });

  it("a C-level infinite recursion crashes the interpreter as native php segfaults (139); the next execution runs", async () => {
    const r = await run('<?php\necho "x\\n";\nfunction f($n) { return array_map("f", [$n + 1]); }\nf(0);');
    expect(r.stdout).toBe("x\n");
    expect(r.stderr).toContain("PHP crashed");
    expect(r.exitCode).toBe(139);
    const next = await run('<?php echo "after";');
    expect(next).toMatchObject({ stdout: "after", exitCode: 0 });
  });

  it("an execution stopped by its timeout leaves the next one a working runtime", async () => {
    const stuck = await run('<?php echo "start\\n"; while (true) {}', { timeout: 1500 });
    expect(stuck).toMatchObject({ stdout: "start\n", timedOut: true });
    const next = await run('<?php echo "after";');
    expect(next).toMatchObject({ stdout: "after", exitCode: 0 });
  });
});
