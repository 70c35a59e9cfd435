/**
 * What a PHP program can do must end as `php main.php` would end it: guest-reachable functions
 * never abort the runtime (no wasmbox exit 70, no invented 139), every execution has fresh
 * entropy, no host path is visible, and errors are reported under the settings of the stock
 * php-cli (Debian's php.ini-production), compared with the machine's native `php`.
 */
import { hostname, homedir, tmpdir } from "node:os";
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor, type ExecuteRequest } from "wasmbox";
import { UnsupportedFunction, replaceMissingFunctions } from "../containment.js";
import { PRODUCTION_INI } from "../ini.js";
import { noNativePhp, noStockIni, runNative } from "./native.js";

const KiB = 1024;
const executor = createExecutor({ concurrency: 1, outputLimit: 64 * KiB });
afterAll(() => executor.close());

type Program = Omit<ExecuteRequest, "runtime">;
const run = (p: Program) => executor.execute({ runtime: "php", timeout: 20_000, ...p });

/** The signs of a failure of the runtime rather than of the program. */
function expectProgramsOwnEnding(r: { stdout: string; stderr: string; exitCode: number; timedOut: boolean }) {
  expect(r.exitCode).not.toBe(70);
  expect(r.exitCode).not.toBe(139);
  expect(r.timedOut).toBe(false);
  for (const out of [r.stdout, r.stderr]) expect(out).not.toMatch(/Aborted|missing function|wasmbox|PHP crashed|RuntimeError/);
}

describe("php: guest-reachable functions never abort the runtime", () => {
  // Each call runs, then the program goes on: a warning, false or a PHP error, never an abort.
  const calls = [
    'file_get_contents("php://fd/3")',
    'fopen("php://fd/0", "r")',
    'fopen("php://fd/1", "w")',
    'fopen("php://fd/2", "w")',
    'fopen("php://fd/99", "r")',
    'fopen("php://fd/5000", "r")',
    'fopen("php://fd/-1", "r")',
    'file_get_contents("php://input")',
    'file_put_contents("php://output", "")',
    'file_get_contents("php://filter/read=string.toupper/resource=php://memory")',
    'fopen("php://temp/maxmemory:1", "w+")',
    'fopen("php://nope", "r")',
    'file_get_contents("compress.zlib://nope.gz")',
    'file_get_contents("phar://nope.phar/x")',
    'fsockopen("127.0.0.1", 1, $e, $s, 1)',
    'pfsockopen("127.0.0.1", 1, $e, $s, 1)',
    'stream_socket_client("tcp://127.0.0.1:1", $e, $s, 1)',
    'stream_socket_client("udp://127.0.0.1:9", $e, $s, 1)',
    'stream_socket_client("unix:///tmp/x.sock", $e, $s, 1)',
    'stream_socket_server("tcp://127.0.0.1:0", $e, $s)',
    'stream_socket_server("unix:///tmp/s.sock", $e, $s)',
    "stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0)",
    "(function () { $r = [STDIN]; $w = [STDOUT]; $x = null; return stream_select($r, $w, $x, 0); })()",
    'gethostbyname("example.com")',
    'dns_get_record("example.com")',
    "net_get_interfaces()",
    "getmypid()",
    "getmyuid()",
    "get_current_user()",
    "getrusage()",
    "sys_getloadavg()",
    'touch("a")',
    'symlink("a", "b")',
    'link("a", "c")',
    'chmod("a", 0600)',
    'chown("a", 0)',
    'chroot("/tmp")',
    "umask(077)",
    "tmpfile()",
    'tempnam("/tmp", "x")',
    'flock(fopen("f", "w"), LOCK_EX | LOCK_NB)',
    'openlog("x", LOG_PID, LOG_USER)',
    'syslog(LOG_ERR, "x")',
    'error_log("x", 1, "a@example.com")',
    'cli_set_process_title("x")',
    "set_time_limit(5)",
    "ignore_user_abort(true)",
    "session_start()",
    'curl_exec(curl_init("http://127.0.0.1:1/"))',
    'disk_free_space("/nope")',
    'mkdir("/proc/x")',
    'file_get_contents("/dev/random", false, null, 0, 4)',
    'scandir("/proc/self/fd")',
    'new Fiber(function () {})',
    'touch("x", PHP_INT_MAX, PHP_INT_MIN) && filemtime("x") && fileatime("x") && stat("x")',
    'touch("x", -PHP_INT_MAX) && lstat("x")',
  ];
  it.each(calls)("%s", async (call) => {
    const r = await run({ code: `<?php\n$r = @${call};\necho "survived\\n";` });
    expectProgramsOwnEnding(r);
    expect(r.stdout).toBe("survived\n");
    expect(r.exitCode).toBe(0);
  });

  it("functions that would start a process or load code are undefined, a PHP error (255)", async () => {
    for (const fn of ["exec", "system", "passthru", "shell_exec", "popen", "proc_open", "pcntl_fork", "pcntl_exec", "posix_kill", "mail", "dl"]) {
      const r = await run({ code: `<?php\n${fn}("x");` });
      expectProgramsOwnEnding(r);
      expect(r.stderr).toContain(`PHP Fatal error:  Uncaught Error: Call to undefined function ${fn}()`);
      expect(r.exitCode).toBe(255);
    }
  });

  it("a sleep longer than a JavaScript timer holds still sleeps (until the timeout), as natively", async () => {
    for (const call of ["sleep(PHP_INT_MAX)", "sleep(3000000)", "usleep(PHP_INT_MAX)"]) {
      const r = await run({ code: `<?php\necho "start\\n";\n${call};\necho "woke\\n";`, timeout: 1500 });
      expect({ call, stdout: r.stdout, timedOut: r.timedOut }).toEqual({ call, stdout: "start\n", timedOut: true });
    }
  });

  it("php://fd/N past the descriptor table, or not open, fails with php's warning and false", async () => {
    const code = '<?php\nvar_dump(fopen("php://fd/99", "r"));\nvar_dump(fopen("php://fd/-1", "r"));\necho "after\\n";';
    const r = await run({ code });
    expectProgramsOwnEnding(r);
    expect(r.stdout).toBe("bool(false)\nbool(false)\nafter\n");
    expect(r.exitCode).toBe(0);
    // The table's size and errno numbers are the platform's (Emscripten's), the wording php's.
    const shape = (s: string) => s.replace(/\[\d+\]/g, "[N]").replace(/smaller than \d+/, "smaller than N");
    expect(shape(r.stderr)).toBe(
      "PHP Warning:  fopen(php://fd/99): Failed to open stream: Error duping file descriptor 99; possibly it doesn't exist: [N]: Bad file descriptor in /app/main.php on line 2\n" +
        "PHP Warning:  fopen(php://fd/-1): Failed to open stream: The file descriptors must be non-negative numbers smaller than N in /app/main.php on line 3\n",
    );
    if (!noNativePhp) expect(shape(r.stderr)).toBe(shape(runNative({ files: { "main.php": code } }).stderr));
  });

  it("a Fiber, which this build cannot run, ends as a PHP error (255), not an abort", async () => {
    const r = await run({ code: '<?php\n$f = new Fiber(function () { Fiber::suspend(1); });\n$f->start();\necho "not reached";' });
    expectProgramsOwnEnding(r);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "PHP Warning:  Fiber() has been disabled for security reasons in /app/main.php on line 2\n" +
        "PHP Fatal error:  Uncaught Error: Call to undefined method Fiber::start() in /app/main.php:3\nStack trace:\n#0 {main}\n  thrown in /app/main.php on line 3\n",
    );
    expect(r.exitCode).toBe(255);
  });

  it("any other of Emscripten's aborting stubs becomes a PHP-style fatal error, not an abort", () => {
    // Emscripten's stub for a libc function the build lacks, as the loader defines it.
    const imports = { env: { swapcontext: () => ((): never => { throw new Error("Aborted(missing function: ${name})"); })(), other: () => 1 } };
    replaceMissingFunctions(imports as unknown as WebAssembly.Imports);
    expect(() => (imports.env.swapcontext as () => void)()).toThrow(UnsupportedFunction);
    expect(() => (imports.env.swapcontext as () => void)()).toThrow("swapcontext() is not available in this PHP build");
    expect(imports.env.other()).toBe(1);
    expect((imports.env as Record<string, () => number>).getdtablesize!()).toBeGreaterThan(2);
  });
});

describe("php: fresh entropy in every execution", () => {
  const code = `<?php
echo json_encode([
  "mt_rand" => mt_rand(), "rand" => rand(), "random_int" => random_int(0, PHP_INT_MAX),
  "random_bytes" => bin2hex(random_bytes(16)), "uniqid" => uniqid("", true),
  "str_shuffle" => str_shuffle("abcdefghijklmnopqrstuvwxyz"),
  "shuffle" => (function () { $a = range(1, 30); shuffle($a); return implode(",", $a); })(),
  "array_rand" => implode(",", array_rand(range(0, 999), 5)), "lcg_value" => lcg_value(),
  "randomizer" => (new \\Random\\Randomizer())->getInt(0, PHP_INT_MAX),
  "mt19937" => bin2hex((new \\Random\\Engine\\Mt19937())->generate()),
  "xoshiro" => bin2hex((new \\Random\\Engine\\Xoshiro256StarStar())->generate()),
  "session_id" => session_create_id(), "getmypid" => getmypid(),
  "tempnam" => basename(tempnam("/tmp", "x")),
]);`;

  it("two executions get different values wherever two native runs do", async () => {
    const [a, b] = [JSON.parse((await run({ code })).stdout), JSON.parse((await run({ code })).stdout)];
    expect(Object.keys(a).length).toBe(15);
    for (const key of Object.keys(a)) expect({ key, value: b[key] }).not.toEqual({ key, value: a[key] });
    if (!noNativePhp) {
      const native = [0, 1].map(() => JSON.parse(runNative({ files: { "main.php": code } }).stdout));
      for (const key of Object.keys(a)) expect({ key, value: native[1][key] }).not.toEqual({ key, value: native[0][key] });
    }
  });
});

describe("php: /dev/random and /dev/urandom", () => {
  it("give random bytes and take writes, as on Linux (writes never reach stdout)", async () => {
    const code = `<?php
$a = file_get_contents("/dev/random", false, null, 0, 16);
$b = fread(fopen("/dev/urandom", "r"), 16);
var_dump(strlen($a), strlen($b), $a !== $b, file_put_contents("/dev/random", "NOT-ON-STDOUT"), file_put_contents("/dev/urandom", "x"));`;
    const r = await run({ code });
    expect(r.stdout).toBe("int(16)\nint(16)\nbool(true)\nint(13)\nint(1)\n");
    expect(r.exitCode).toBe(0);
    if (!noNativePhp) expect(runNative({ files: { "main.php": code } }).stdout).toBe(r.stdout);
  });
});

describe("php: nothing of the host's paths is visible", () => {
  const code = `<?php
ob_start(); phpinfo(); $info = ob_get_clean();
// Paths of the machine php-wasm was built on, compiled into the binary: not this host's.
$info = implode("\n", preg_grep('/^(Configure Command|Openssl default config) =>/', explode("\n", $info), PREG_GREP_INVERT));
ob_start(); debug_print_backtrace(); $bt = ob_get_clean();
echo json_encode([
  __FILE__, __DIR__, $argv[0], PHP_BINARY, php_ini_loaded_file(), php_ini_scanned_files(),
  get_include_path(), sys_get_temp_dir(), getcwd(), realpath("."), get_included_files(),
  $_SERVER, $_ENV, getenv(), ini_get_all(null, false), $info, $bt,
  error_get_last(), @file_get_contents("/nope") === false ? error_get_last() : null,
  (new Exception("e"))->getTraceAsString(), (new Exception("e"))->getFile(),
  stream_get_meta_data(STDIN), stream_get_meta_data(tmpfile()), glob("/*"), scandir("/internal"),
], JSON_UNESCAPED_SLASHES | JSON_PRETTY_PRINT);
include "missing.php";`;

  it("paths, $_SERVER, ini values, phpinfo() and error messages name only /app and the instance's own tree", async () => {
    const r = await run({ code, env: { GREETING: "hi" } });
    expect(r.exitCode).toBe(0);
    const out = r.stdout + r.stderr;
    // The instance has a /tmp of its own (tmpfile(), sys_get_temp_dir()), as every Linux does.
    const hostTmp = tmpdir() === "/tmp" ? [] : [tmpdir()];
    for (const host of [process.cwd(), "/work", "node_modules", homedir(), ...hostTmp, hostname(), "wasmbox", process.execPath, "/usr/bin/node"])
      expect({ host, seen: out.includes(host) }).toEqual({ host, seen: false });
    const [file, dir, argv0] = JSON.parse(r.stdout);
    expect([file, dir, argv0]).toEqual(["/app/main.php", "/app", "main.php"]);
    expect(r.stderr).toContain("PHP Warning:  include(missing.php): Failed to open stream: No such file or directory in /app/main.php on line 16");
  });
});

/**
 * `php main.php` as php-cli ships (Debian: /etc/php/<v>/cli/php.ini = php.ini-production),
 * compared with the machine's native php run with that very file.
 */
describe("php: errors are reported as the stock php-cli reports them", () => {
  const programs: Record<string, Program> = {
    "deprecations are not reported; warnings and notices are, on stderr": {
      code: '<?php\n$x = null;\necho strlen($x), "\\n";\nclass P {}\n$p = new P;\n$p->dyn = 1;\n$s = "a";\necho "${s}\\n";\necho $undefined;\n$a = [];\necho $a["k"];\necho array_pop(explode(",", "a,b")), "\\n";\ntrigger_error("note", E_USER_NOTICE);\ntrigger_error("warn", E_USER_WARNING);\ntrigger_error("dep", E_USER_DEPRECATED);\necho error_reporting(), "\\n";',
    },
    "an error handler is not called for what error_reporting leaves out": {
      code: '<?php\nset_error_handler(function ($no, $str) { echo "handled $no: $str\\n"; return true; });\nstrlen(null);\necho $undefined;\necho "done\\n";',
    },
    "an uncaught exception's trace leaves out the arguments (zend.exception_ignore_args)": {
      code: '<?php\nfunction f(string $secret, int $n) {\n    throw new RuntimeException("boom");\n}\nfunction g($a) { f("password", 42); }\ng([1, 2]);\n',
    },
    "getTraceAsString() and debug_print_backtrace() leave out the arguments too": {
      code: '<?php\nfunction f($x) { debug_print_backtrace(); echo (new Exception)->getTraceAsString(), "\\n"; }\nf("arg");\n',
    },
    "a TypeError from an internal function is fatal (255)": { code: "<?php\necho strlen([]);\n" },
    "an undefined function is fatal (255)": { code: '<?php\necho "before\\n";\nnope();\n' },
    "assert() is not compiled (zend.assertions = -1)": { code: '<?php\nassert(false);\nassert(1 === 2, "never");\necho "after\\n";\n' },
    "short open tags are not code (short_open_tag = Off)": { code: "<?php echo 1; ?>\n<? echo 'short'; ?>\nend\n" },
    "$_ENV is empty (variables_order = GPCS); getenv() and $_SERVER hold the environment": {
      code: '<?php\nvar_dump($_ENV, getenv("GREETING"), $_SERVER["GREETING"]);',
      env: { GREETING: "hi" },
    },
    "a warning in an included file names that file": {
      files: { "main.php": '<?php\nrequire "lib/util.php";\nutil();\n', "lib/util.php": "<?php\nfunction util() {\n    echo $nothing;\n    return 1 % 0;\n}\n" },
      entrypoint: "main.php",
    },
    "a parse error is fatal (255)": { code: "<?php\necho 'a'\necho 'b';\n" },
    "session ids are 26 characters of 5 bits (php.ini-production)": {
      code: '<?php\n$id = session_create_id();\nvar_dump(strlen($id), (bool) preg_match("/^[0-9a-v]+$/", $id));',
    },
  };

  for (const [name, p] of Object.entries(programs)) {
    it.skipIf(!!noStockIni)(name, async () => {
      const r = await run(p);
      const files = p.files ?? { "main.php": p.code! };
      const native = runNative({ files, entrypoint: p.entrypoint, env: p.env, stock: true });
      expect({ stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode }).toEqual(native);
    });
  }

  it("a program emitting many deprecation notices is not killed at the output cap: it works as natively", async () => {
    const code = '<?php\n$n = 0;\nfor ($i = 0; $i < 5000; $i++) { $n += strlen(null); }\necho "done $n\\n";';
    const r = await run({ code });
    expect({ stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode }).toEqual({ stdout: "done 0\n", stderr: "", exitCode: 0 });
    if (!noStockIni) expect(runNative({ files: { "main.php": code }, stock: true })).toEqual({ stdout: "done 0\n", stderr: "", exitCode: 0 });
  });

  it.skipIf(!!noStockIni)("the settings wasmbox takes from php.ini-production are the stock php.ini's", async () => {
    const code = `<?php echo json_encode(array_map(fn ($k) => ini_get($k), ${JSON.stringify(Object.keys(PRODUCTION_INI))}));`;
    const r = await run({ code });
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(runNative({ files: { "main.php": code }, stock: true }).stdout));
  });
});

describe("php: changing php.ini settings", () => {
  it("runtimeOptions.php.ini adds settings to every execution", async () => {
    const custom = createExecutor({ concurrency: 1, runtimeOptions: { php: { ini: { error_reporting: "E_ALL", precision: 5, "zend.assertions": 1 } } } });
    try {
      const r = await custom.execute({ runtime: "php", code: '<?php\necho 1 / 3, "\\n";\nstrlen(null);\nassert(false);' });
      expect(r.stdout).toBe("0.33333\n");
      expect(r.stderr).toContain("PHP Deprecated:  strlen(): Passing null to parameter #1 ($string) of type string is deprecated in /app/main.php on line 3");
      expect(r.stderr).toContain("PHP Fatal error:  Uncaught AssertionError: assert(false) in /app/main.php:4");
      expect(r.exitCode).toBe(255);
    } finally {
      await custom.close();
    }
  });

  it("runtimeOptions.php.ini cannot lift the sandbox's settings, and says so", async () => {
    for (const ini of [{ disable_functions: "" }, { enable_dl: true }, { "bad name": 1 }, { x: "a\nb" }, "error_reporting=E_ALL"]) {
      const bad = createExecutor({ concurrency: 1, runtimeOptions: { php: { ini } } });
      try {
        await expect(bad.execute({ runtime: "php", code: "<?php echo 1;" })).rejects.toThrow(/runtimeOptions\.php\.ini/);
      } finally {
        await bad.close();
      }
    }
  });

  it("a request's own ini files (PHP_INI_SCAN_DIR, as natively) apply, but cannot lift disable_functions or disable_classes", async () => {
    const r = await run({
      files: {
        "main.php": '<?php\necho 1 / 3, "\\n";\nvar_dump(function_exists("exec"), ini_get("disable_classes"), php_ini_scanned_files());',
        "conf/app.ini": "precision = 4\ndisable_functions =\ndisable_classes =\n",
      },
      entrypoint: "main.php",
      env: { PHP_INI_SCAN_DIR: "/app/conf", PHPRC: "/app/conf" },
    });
    expect(r.stdout).toBe('0.3333\nbool(false)\nstring(5) "Fiber"\nstring(18) "/app/conf/app.ini\n"\n');
    expect(r.exitCode).toBe(0);
  });
});
