/**
 * A PHP host gives each new instance the linear memory of the instance before it (zeroed), and
 * every instance starts from one module compiled per executor. What that sharing must never
 * carry from one execution to the next: the bytes the last program left in memory, its PHP
 * state (globals, statics, constants, functions, ini, environment, output buffers, shutdown
 * functions, sessions, files) or its random state.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor } from "wasmbox";
import { php, type Loaded } from "../../../dist/runtimes/php/index.js";
import { bootPhp } from "../../../dist/runtimes/php/instance.js";
import type { Io, Job } from "../../../dist/src/runtime.js";

const MiB = 2 ** 20;

describe("php memory reuse (adapter)", () => {
  const job = (code: string): Job => ({
    runtime: "php",
    files: { "main.php": code },
    entrypoint: "main.php",
    args: [],
    env: {},
    limits: { timeoutMs: 20_000, memoryBytes: 256 * MiB, outputBytes: MiB },
  });
  const collect = () => {
    let stdout = "";
    const io: Io = { stdin: new Uint8Array(), write: (fd, d) => void (fd === 1 && (stdout += typeof d === "string" ? d : new TextDecoder().decode(d))) };
    return { io, out: () => stdout };
  };
  const find = (memory: WebAssembly.Memory, marker: string): boolean => Buffer.from(memory.buffer).includes(Buffer.from(marker));
  // Built at run time so that the marker's bytes are not in the PHP source the instance also holds.
  const program = '<?php $s = str_repeat(implode("-", ["WASMBOX", "LEFT", "BEHIND", ""]), 200000); echo strlen($s), " ", memory_get_usage() > 1000000 ? "big" : "small";';
  const marker = "WASMBOX-LEFT-BEHIND-WASMBOX-LEFT-BEHIND";

  it("the next instance runs on the last one's memory, with none of its bytes left", { timeout: 60_000 }, async () => {
    const loaded: Loaded = await php.load({ memoryBytes: 256 * MiB, options: {} });
    const first = await loaded.next!;
    expect(first.memory).toBeInstanceOf(WebAssembly.Memory);
    const a = collect();
    expect(await php.run(loaded, job(program), a.io)).toBe(0);
    expect(a.out()).toBe("4000000 big");
    // The program's data is still in the memory it ran on (so the search below can find it)...
    expect(find(first.memory!, marker)).toBe(true);
    // ...and the next instance, booted on that same memory, holds none of it.
    await new Promise((r) => setImmediate(r));
    const second = await loaded.next!;
    expect(second.memory).toBe(first.memory);
    expect(find(second.memory!, marker)).toBe(false);
    const b = collect();
    expect(await php.run(loaded, job('<?php echo isset($s) ? "seen" : "clean";'), b.io)).toBe(0);
    expect(b.out()).toBe("clean");
    expect(find(second.memory!, marker)).toBe(false);
  });

  it("a callback the last runtime still had scheduled never runs once its memory is handed on", { timeout: 60_000 }, async () => {
    const loaded: Loaded = await php.load({ memoryBytes: 256 * MiB, options: {} });
    const changedBy = async (seal: boolean) => {
      const instance = await bootPhp(loaded.loader, loaded.wasm, loaded.memory!.reuse.take(loaded.memory!.shape), loaded.link);
      const exports = (instance.module as unknown as { wasmExports: { zend_set_timeout(s: bigint, reset: number): void } }).wasmExports;
      // PHP's time limit: a JavaScript timer that calls back into the instance a second later.
      exports.zend_set_timeout(1n, 0);
      const before = new Uint8Array(instance.memory!.buffer).slice();
      if (seal) expect(instance.seal()).toBe(true);
      await new Promise((r) => setTimeout(r, 1600));
      const after = new Uint8Array(instance.memory!.buffer);
      let changed = 0;
      for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) changed++;
      return changed;
    };
    // Unsealed, the timer runs the instance's code on its memory: what a reused memory must never see.
    expect(await changedBy(false)).toBeGreaterThan(0);
    expect(await changedBy(true)).toBe(0);
  });

  it("an execution that crashed does not hand its memory on", { timeout: 60_000 }, async () => {
    const loaded: Loaded = await php.load({ memoryBytes: 256 * MiB, options: {} });
    const first = await loaded.next!;
    const a = collect();
    expect(await php.run(loaded, job('<?php function f($n) { return array_map("f", [$n + 1]); } f(0);'), a.io)).toBe(139);
    await new Promise((r) => setImmediate(r));
    const second = await loaded.next!;
    expect(second.memory).toBeInstanceOf(WebAssembly.Memory);
    expect(second.memory).not.toBe(first.memory);
    const b = collect();
    expect(await php.run(loaded, job('<?php echo "after";'), b.io)).toBe(0);
    expect(b.out()).toBe("after");
  });
});

describe("php memory reuse (executor): nothing of an earlier execution is visible", () => {
  // One host: every execution runs on the memory of the one before it.
  const executor = createExecutor({ concurrency: 1, memoryLimit: 256 * MiB });
  afterAll(() => executor.close());
  const run = (code: string, env: Record<string, string> = {}) => executor.execute({ runtime: "php", code, env, timeout: 20_000 });

  const leave = `<?php
$GLOBALS["left"] = "secret";
define("LEFT_CONST", 1);
function left_fn() { static $n = 0; return ++$n; }
left_fn(); left_fn();
class LeftClass { public static $v = "class-static"; }
ini_set("precision", "3");
ini_set("memory_limit", "-1");
putenv("LEFT_ENV=1");
$_ENV["LEFT"] = 1; $_SERVER["LEFT"] = 1;
date_default_timezone_set("Asia/Tokyo");
setlocale(LC_ALL, "C.UTF-8");
file_put_contents("/tmp/left.txt", "left");
file_put_contents("left.txt", "left");
@mkdir("/internal/left");
session_start(); $_SESSION["left"] = "session-secret"; session_write_close();
mt_srand(42); srand(42);
register_shutdown_function(function () { echo "SHUTDOWN-OF-THE-FIRST\\n"; });
set_error_handler(function () { echo "HANDLER-OF-THE-FIRST\\n"; return true; });
set_exception_handler(function () { echo "EXCEPTION-HANDLER-OF-THE-FIRST\\n"; });
spl_autoload_register(function ($c) { echo "AUTOLOAD-OF-THE-FIRST\\n"; });
header("X-Left: 1");
ob_start(); echo "buffered-and-left-open\\n";
echo session_id(), "\\n";`;

  const look = `<?php
echo json_encode([
  "global" => isset($GLOBALS["left"]),
  "const" => defined("LEFT_CONST"),
  "fn" => function_exists("left_fn"),
  "class" => class_exists("LeftClass", false),
  "precision" => ini_get("precision"),
  "memory_limit" => ini_get("memory_limit"),
  "env" => getenv("LEFT_ENV"),
  "_ENV" => isset($_ENV["LEFT"]),
  "_SERVER" => isset($_SERVER["LEFT"]),
  "tz" => date_default_timezone_get(),
  "tmp" => file_exists("/tmp/left.txt"),
  "app" => file_exists("left.txt"),
  "internal" => file_exists("/internal/left"),
  "sessions" => glob(session_save_path() . "/sess_*") ?: glob("/tmp/sess_*"),
  "ob_level" => ob_get_level(),
  "headers" => headers_list(),
  "autoload" => count(spl_autoload_functions()),
  "error_handler" => set_error_handler(null) !== null,
  "exception_handler" => set_exception_handler(null) !== null,
  "mt_rand" => mt_rand(), "rand" => rand(),
  "random_bytes" => bin2hex(random_bytes(8)),
]), "\\n";
echo @$undefined_variable;
class_exists("NoSuchClass");`;

  it("globals, statics, ini, env, files, sessions, buffers, handlers and seeds stay with their execution", { timeout: 120_000 }, async () => {
    const first = await run(leave);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain("SHUTDOWN-OF-THE-FIRST");
    expect(first.stdout).toContain("buffered-and-left-open");
    const sessionId = first.stdout.trim().split("\n").find((l) => /^[a-z0-9,-]{20,}$/i.test(l));
    expect(sessionId).toBeTruthy();

    const seen = [await run(look), await run(look)];
    for (const r of seen) {
      expect(r.exitCode).toBe(0);
      expect(r.stdout).not.toMatch(/OF-THE-FIRST/);
      const state = JSON.parse(r.stdout.split("\n")[0]!);
      expect(state).toMatchObject({
        global: false,
        const: false,
        fn: false,
        class: false,
        precision: "14",
        memory_limit: expect.not.stringMatching(/^-1$/),
        env: false,
        _ENV: false,
        _SERVER: false,
        tz: "UTC",
        tmp: false,
        app: false,
        internal: false,
        sessions: [],
        ob_level: 0,
        headers: [],
        autoload: 0,
        error_handler: false,
        exception_handler: false,
      });
    }
    const [a, b] = seen.map((r) => JSON.parse(r.stdout.split("\n")[0]!));
    // Seeded with 42 in the first execution: neither later one continues that sequence, nor repeats the other.
    const seeded = await run("<?php mt_srand(42); srand(42); echo mt_rand(), ' ', rand();");
    const [mt, r] = seeded.stdout.split(" ").map(Number);
    for (const s of [a, b]) expect([s.mt_rand, s.rand]).not.toEqual([mt, r]);
    for (const key of ["mt_rand", "rand", "random_bytes"]) expect({ key, value: b[key] }).not.toEqual({ key, value: a[key] });
  });

  it("the environment of one execution is not in the next", async () => {
    const first = await run('<?php echo getenv("SECRET_OF_THE_FIRST");', { SECRET_OF_THE_FIRST: "s3cret" });
    expect(first.stdout).toBe("s3cret");
    const next = await run('<?php var_dump(getenv("SECRET_OF_THE_FIRST"), count(getenv()));');
    expect(next.stdout).toBe("bool(false)\nint(0)\n");
  });
});
