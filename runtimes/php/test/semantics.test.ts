/**
 * `php main.php` semantics: each program runs through execute() and, where the machine has a
 * native `php`, the result must equal the native CLI's (stdout, stderr, exit code), with the
 * native temporary directory shown as /app. Fixed expectations hold without native php too.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor, type ExecuteRequest } from "wasmbox";
import { noNativePhp, runNative } from "./native.js";

const executor = createExecutor({ concurrency: 1 });
afterAll(() => executor.close());

type Program = Omit<ExecuteRequest, "runtime" | "files"> & { files?: Record<string, string> };

async function runBoth(p: Program) {
  const files = p.files ?? { "main.php": p.code! };
  const wasm = await executor.execute({ runtime: "php", ...p, ...(p.files ? { files, entrypoint: p.entrypoint ?? "main.php" } : {}) });
  const native = noNativePhp ? undefined : runNative({ files, entrypoint: p.entrypoint, args: p.args, env: p.env, stdin: p.stdin });
  return { wasm, native };
}

interface Case {
  name: string;
  program: Program;
  expect: (r: { stdout: string; stderr: string; exitCode: number }) => void;
}

const cases: Case[] = [
  {
    name: "$argv and $argc hold the script name and the request's args",
    program: { code: "<?php\nvar_dump($argv, $argc, $_SERVER['argc']);", args: ["a", "b c", "-x", "--", "ünï"] },
    expect: (r) => {
      expect(r.stdout).toContain('string(8) "main.php"');
      expect(r.stdout).toContain('string(5) "ünï"');
      expect(r.stdout).toContain('string(2) "--"');
      expect(r.stdout).toContain("int(6)");
    },
  },
  {
    name: "getenv() and $_SERVER see the request's env and nothing else ($_ENV is empty, as php-cli's variables_order GPCS)",
    program: {
      code: "<?php\nvar_dump(getenv(), $_ENV, getenv('GREETING'), getenv('HOME'), getenv('PATH'));\n$s = $_SERVER; unset($s['REQUEST_TIME'], $s['REQUEST_TIME_FLOAT']); var_dump($s);",
      env: { GREETING: "hi there", EMPTY: "", UNI: "ü" },
    },
    expect: (r) => {
      expect(r.stdout).toContain('["GREETING"]=>\n  string(8) "hi there"');
      expect(r.stdout).not.toMatch(/web_user|HOME"|PATH"|"_"|\/tmp|node/);
      expect(r.stdout).toContain('["SCRIPT_FILENAME"]=>\n  string(8) "main.php"');
    },
  },
  {
    name: "STDIN: fgets to EOF, stream_get_contents, php://stdin, feof",
    program: {
      code: "<?php\nvar_dump(fgets(STDIN));\nvar_dump(stream_get_contents(STDIN));\nvar_dump(fgets(STDIN), feof(STDIN));\nvar_dump(file_get_contents('php://stdin'));",
      stdin: "first\nsecond\nno newline",
    },
    expect: (r) => {
      expect(r.stdout).toBe('string(6) "first\n"\nstring(17) "second\nno newline"\nbool(false)\nbool(true)\nstring(0) ""\n');
    },
  },
  {
    name: "php://stdin read whole, then EOF; fscanf and stream_get_line",
    program: { code: "<?php\n$all = file_get_contents('php://stdin');\necho strlen($all), ':', strtoupper($all);", stdin: "abc\ndef\n" },
    expect: (r) => expect(r.stdout).toBe("8:ABC\nDEF\n"),
  },
  {
    name: "empty stdin is EOF at once",
    program: { code: "<?php\nvar_dump(fgets(STDIN), stream_get_contents(STDIN));" },
    expect: (r) => expect(r.stdout).toBe("bool(false)\nstring(0) \"\"\n"),
  },
  {
    name: "exit(3) gives 3",
    program: { code: '<?php\necho "before\\n";\nexit(3);\necho "after";' },
    expect: (r) => {
      expect(r.stdout).toBe("before\n");
      expect(r.exitCode).toBe(3);
    },
  },
  {
    name: "exit('message') prints it and gives 0",
    program: { code: "<?php\nexit(\"bye\\n\");" },
    expect: (r) => {
      expect(r.stdout).toBe("bye\n");
      expect(r.exitCode).toBe(0);
    },
  },
  ...(
    [
      ["exit(256);", 0],
      ["exit(-1);", 255],
      ['register_shutdown_function(function () { echo "shutdown\\n"; exit(4); });\necho "main\\n";', 4],
    ] as const
  ).map(([code, status]) => ({
    name: `${code.split("\n")[0]} gives ${status}`,
    program: { code: `<?php\n${code}` },
    expect: (r: { exitCode: number }) => expect(r.exitCode).toBe(status),
  })),
  {
    name: "an uncaught exception is a PHP Fatal error on stderr, exit 255",
    program: { code: '<?php\nfunction go() {\n    throw new Exception("boom");\n}\ngo();\n' },
    expect: (r) => {
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(
        "PHP Fatal error:  Uncaught Exception: boom in /app/main.php:3\nStack trace:\n#0 /app/main.php(5): go()\n#1 {main}\n  thrown in /app/main.php on line 3\n",
      );
      expect(r.exitCode).toBe(255);
    },
  },
  {
    name: "a parse error is a PHP Parse error, exit 255",
    program: { code: "<?php\necho 'a'\necho 'b';\n" },
    expect: (r) => {
      expect(r.stderr).toMatch(/^PHP Parse error:  syntax error, unexpected .* in \/app\/main\.php on line 3\n$/);
      expect(r.exitCode).toBe(255);
    },
  },
  {
    name: "warnings, notices and deprecations go to stderr, the program goes on",
    program: { code: '<?php\necho $undefined;\n$a = [];\necho $a["k"];\ntrigger_error("note", E_USER_NOTICE);\ntrigger_error("old", E_USER_DEPRECATED);\necho "still here\\n";' },
    expect: (r) => {
      expect(r.stdout).toBe("still here\n");
      expect(r.stderr).toBe(
        "PHP Warning:  Undefined variable $undefined in /app/main.php on line 2\n" +
          'PHP Warning:  Undefined array key "k" in /app/main.php on line 4\n' +
          "PHP Notice:  note in /app/main.php on line 5\n" +
          "PHP Deprecated:  old in /app/main.php on line 6\n",
      );
      expect(r.exitCode).toBe(0);
    },
  },
  {
    name: "no CGI headers: header() and http_response_code() print nothing",
    program: { code: '<?php\nheader("X-Test: 1");\nhttp_response_code(404);\necho "body\\n";\nvar_dump(headers_sent());' },
    expect: (r) => expect(r.stdout).toBe("body\nbool(true)\n"),
  },
  {
    name: "php://stdout, php://stderr, php://output, STDOUT and STDERR",
    program: {
      code: '<?php\necho "echo\\n";\nfwrite(STDOUT, "STDOUT\\n");\nfile_put_contents("php://stdout", "php-stdout\\n");\n$o = fopen("php://output", "w"); fwrite($o, "php-output\\n");\nfwrite(STDERR, "STDERR\\n");\nfile_put_contents("php://stderr", "php-stderr\\n");\nerror_log("logged");',
    },
    expect: (r) => {
      expect(r.stdout).toBe("echo\nSTDOUT\nphp-stdout\nphp-output\n");
      expect(r.stderr).toBe("STDERR\nphp-stderr\nlogged\n");
    },
  },
  {
    name: "require/include across the request's files, relative to the script and to the cwd",
    program: {
      files: {
        "main.php": '<?php\nrequire "lib/a.php";\nrequire_once __DIR__ . "/lib/b.php";\ninclude "lib/a.php";\necho a(), b(), "\\n";\nvar_dump(@include "missing.php");',
        "lib/a.php": '<?php\nif (!function_exists("a")) { function a() { return "A" . c(); } require __DIR__ . "/c.php"; }',
        "lib/b.php": '<?php\nfunction b() { return "B"; }',
        "lib/c.php": '<?php\nfunction c() { return "C"; }',
      },
    },
    expect: (r) => {
      expect(r.stdout).toBe("ACB\nbool(false)\n");
      expect(r.exitCode).toBe(0);
    },
  },
  {
    name: "an entrypoint in a sub-directory runs from the working directory",
    program: {
      files: { "src/app.php": '<?php\necho __FILE__, "\\n", __DIR__, "\\n", getcwd(), "\\n", $argv[0], "\\n";\necho file_get_contents("data.txt");', "data.txt": "root data\n" },
      entrypoint: "src/app.php",
    },
    expect: (r) => expect(r.stdout).toBe("/app/src/app.php\n/app/src\n/app\nsrc/app.php\nroot data\n"),
  },
  {
    name: "files the program writes can be read back; the working directory lists only the request's files",
    program: { files: { "main.php": '<?php\nfile_put_contents("out.txt", "42");\necho file_get_contents("out.txt"), "\\n";\n$f = scandir("."); sort($f); echo implode(",", $f), "\\n";', "in.txt": "x" } },
    expect: (r) => expect(r.stdout).toBe("42\n.,..,in.txt,main.php,out.txt\n"),
  },
];

describe("php: php main.php semantics", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { wasm, native } = await runBoth(c.program);
      c.expect(wasm);
      if (native) expect({ stdout: wasm.stdout, stderr: wasm.stderr, exitCode: wasm.exitCode }).toEqual(native);
    });
  }

  it.skipIf(!!noNativePhp)(`the native comparison itself can fail (${noNativePhp ?? "native php present"})`, () => {
    const native = runNative({ files: { "main.php": "<?php echo PHP_SAPI;" } });
    expect(native.stdout).toBe("cli");
    expect(runNative({ files: { "main.php": "<?php exit(7);" } }).exitCode).toBe(7);
  });
});

// php-wasm has no readline extension; wasmbox gives readline() as php-cli (libedit) behaves with
// stdin not a terminal. Not compared with the native run above, which uses -n (no extensions).
describe("php: readline()", () => {
  it("reads lines without their newline, shows no prompt, returns false at EOF", async () => {
    const r = await executor.execute({
      runtime: "php",
      code: '<?php\n$n = (int)readline();\n$sum = 0;\nfor ($i = 0; $i < $n; $i++) { $sum += (int)readline("num: "); }\necho "sum=$sum\\n";\nvar_dump(readline(), readline());',
      stdin: "2\n10\r\n20\nlast",
    });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe('sum=30\nstring(4) "last"\nbool(false)\n');
  });
});
