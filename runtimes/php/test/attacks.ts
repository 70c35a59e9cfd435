import { SPY_WAIT_MS, type AttackPrograms } from "../../../test/security/attacks.js";

const q = (s: string) => JSON.stringify(s).replace(/\$/g, "\\$");
const show = `<?php
function show($label, $f) {
  try {
    $v = @$f();
    echo $label, "=", $v === false || $v === null ? "ERR" : "OK:" . substr(var_export($v, true), 0, 300), "\\n";
  } catch (Throwable $e) { echo $label, "=ERR\\n"; }
}
`;

export const programs: AttackPrograms = {
  "read-host-files": (c) => ({
    code: `${show}
show("abs", fn() => file_get_contents(${q(c.canaryFile)}));
show("climb", fn() => file_get_contents(${q(c.climb)}));
show("listdir", fn() => scandir(${q(c.canaryDir)}));
show("root", fn() => scandir("/"));
show("environ", fn() => file_get_contents("/proc/self/environ"));
show("cmdline", fn() => file_get_contents("/proc/self/cmdline"));
show("fopen", fn() => fread(fopen(${q(c.canaryFile)}, "r"), 100));
show("file-url", fn() => file_get_contents("file://" . ${q(c.canaryFile)}));
show("glob", fn() => glob(${q(c.canaryDir)} . "/*"));
echo "DONE\\n";`,
  }),
  "write-host-files": (c) => ({
    code: `${show}
show("write-abs", fn() => file_put_contents(${q(c.writeFile)}, "pwned"));
show("write-climb", fn() => file_put_contents(${q(c.writeClimb)}, "pwned"));
show("delete-abs", fn() => unlink(${q(c.victimFile)}));
show("delete-climb", fn() => unlink(${q(c.victimClimb)}));
show("truncate", fn() => ftruncate(fopen(${q(c.victimFile)}, "r+"), 0));
echo "DONE\\n";`,
  }),
  "host-env": (c) => ({
    code: `${show}
show("getenv-all", fn() => getenv());
show("getenv", fn() => getenv(${q(c.envName)}));
show("server", fn() => $_SERVER);
show("env", fn() => $_ENV);
echo "DONE\\n";`,
  }),
  network: (c) => ({
    code: `${show}
show("fsockopen", function () { $s = fsockopen("127.0.0.1", ${c.port}, $no, $err, 2); fwrite($s, "GET / HTTP/1.0\\r\\n\\r\\n"); return fread($s, 100); });
show("http", fn() => file_get_contents("http://127.0.0.1:${c.port}/"));
show("stream-client", fn() => stream_socket_client("tcp://127.0.0.1:${c.port}", $no, $err, 2));
show("socket", function () { $s = socket_create(AF_INET, SOCK_STREAM, SOL_TCP); return socket_connect($s, "127.0.0.1", ${c.port}); });
show("curl", function () { $h = curl_init("http://127.0.0.1:${c.port}/"); curl_setopt($h, CURLOPT_RETURNTRANSFER, true); return curl_exec($h); });
echo "DONE\\n";`,
  }),
  dns: () => ({
    code: `${show}
foreach (["localhost", "example.com"] as $name) {
  $ip = @gethostbyname($name);
  echo $ip !== $name ? "RESOLVED $name $ip\\n" : "dns=ERR\\n";
  $r = @dns_get_record($name, DNS_A);
  echo $r ? "RESOLVED $name records\\n" : "dns=ERR\\n";
  $l = @gethostbynamel($name);
  echo $l ? "RESOLVED $name " . implode(",", $l) . "\\n" : "dns=ERR\\n";
}
echo "DONE\\n";`,
  }),
  "spawn-process": (c) => ({
    // The program's own ini file (PHP_INI_SCAN_DIR, read by php as natively) tries to lift the
    // sandbox's php.ini settings first.
    env: { PHP_INI_SCAN_DIR: "/app/conf", PHPRC: "/app/conf" },
    entrypoint: "main.php",
    files: {
      "conf/lift.ini": "disable_functions =\ndisable_classes =\nenable_dl = On\n",
      "conf/php.ini": "disable_functions =\n",
      "main.php": `${show}
show("lifted", fn() => function_exists("exec") ?: false);
$cmd = "printf %s%s PWN ED; touch ${c.spawnMarker}";
show("shell_exec", fn() => shell_exec($cmd));
show("exec", fn() => exec($cmd));
show("system", fn() => system($cmd));
show("passthru", fn() => passthru($cmd));
show("backticks", fn() => \`$cmd\`);
show("popen", fn() => fread(popen($cmd, "r"), 100));
show("proc_open", fn() => proc_open($cmd, [1 => ["pipe", "w"]], $pipes));
show("pcntl_fork", fn() => pcntl_fork());
show("mail", fn() => mail("a@b.c", "s", "b"));
echo "DONE\\n";`,
    },
  }),
  "host-javascript": (c) => ({
    code: `${show}
show("js-eval", fn() => js_eval("process.env"));
show("vrzno", fn() => vrzno_eval("process.env"));
show("ffi", fn() => FFI::cdef("int getpid(void);")->getpid());
show("dl", fn() => dl("ffi.so"));
show("defined-fns", fn() => array_values(array_filter(get_defined_functions()["internal"], fn($f) => preg_match("/js|vrzno|emscripten/", $f))) ?: false);
show("read-via-include", fn() => include ${q(c.canaryFile)});
show("fiber", fn() => (new Fiber(fn() => 1))->start());
echo "DONE\\n";`,
  }),
  "leave-state": () => ({
    code: `<?php
putenv("LEFT=1");
$_ENV["LEFT"] = 1;
file_put_contents("left.php", "<?php function left_behind() {}");
require "left.php";
file_put_contents("/tmp/left.txt", "x");
ini_set("precision", "3");
define("LEFT_CONST", 1);
echo "DONE\\n";`,
    then: {
      code: `<?php
$found = [
  "env" => getenv("LEFT") !== false || isset($_ENV["LEFT"]), "function" => function_exists("left_behind"), "const" => defined("LEFT_CONST"),
  "cwd-file" => file_exists("left.php"), "tmp-file" => file_exists("/tmp/left.txt"), "ini" => ini_get("precision") === "3",
  "included" => count(get_included_files()) > 1,
];
foreach ($found as $k => $v) if ($v) echo "found:$k\\n";
echo "DONE\\n";`,
    },
  }),
  "spy-on-concurrent": () => ({
    code: `${show}
echo "own=", stream_get_contents(STDIN), "\\n";
usleep(${SPY_WAIT_MS * 1000});
foreach (["/dev/stdin", "/proc/self/fd/0", "/dev/fd/0", "/proc/1/fd/0", "/proc/1/fd/1", "php://stdin", "php://fd/0", "php://fd/3", "php://fd/4", "php://fd/5", "php://fd/6", "php://fd/7"] as $p) show($p, fn() => file_get_contents($p));
show("proc", fn() => scandir("/proc"));
show("tmp", fn() => scandir("/tmp"));
echo "DONE\\n";`,
  }),
};
