import type { Programs } from "../../../test/conformance/cases.js";

export const programs: Programs = {
  hello: { code: '<?php\necho "Hello, World!\\n";' },
  unicode: { code: '<?php\necho "héllo wörld ✓ 日本語 🎉\\n";' },
  "stdin-transform": { code: "<?php\nwhile (($line = fgets(STDIN)) !== false) {\n    echo mb_strtoupper(rtrim($line, \"\\n\")), \"\\n\";\n}" },
  "stdin-eof": { code: '<?php\n$data = stream_get_contents(STDIN);\necho "read " . strlen($data) . " bytes\\n";' },
  "exit-code": { code: '<?php\necho "before\\n";\nexit(3);' },
  "uncaught-error": { code: '<?php\nfunction go() {\n    throw new Exception("boom");\n}\ngo();' },
  "stdout-stderr": {
    code: '<?php\nfwrite(STDOUT, "out 1\\n");\nfwrite(STDERR, "err 1\\n");\nfwrite(STDOUT, "out 2\\n");\nfwrite(STDERR, "err 2\\n");',
  },
  env: { code: '<?php\necho getenv("GREETING"), "\\n";\necho getenv("HOME_CANARY") === false ? "unset" : "set", "\\n";' },
  args: { code: '<?php\necho implode("|", array_slice($argv, 1)), "\\n";' },
  "multiple-files": {
    files: {
      "main.php": '<?php\nrequire __DIR__ . "/lib/greeter.php";\necho greet("World"), "\\n";',
      "lib/greeter.php": '<?php\nfunction greet(string $name): string {\n    return "Hello, $name!";\n}',
    },
    entrypoint: "main.php",
  },
  "write-read-file": {
    files: {
      "main.php": '<?php\nfile_put_contents("out.txt", "data 42");\necho file_get_contents("out.txt"), "\\n";\necho file_get_contents("input.txt"), "\\n";',
      "input.txt": "from request",
    },
    entrypoint: "main.php",
  },
  "large-output": { code: '<?php\nfor ($i = 1; $i <= 50000; $i++) {\n    echo "line $i\\n";\n}' },
  recursion: {
    code: "<?php\nfunction fib($n) { return $n < 2 ? $n : fib($n - 1) + fib($n - 2); }\nfunction deep($n) { return $n === 0 ? 0 : 1 + deep($n - 1); }\necho fib(25), \"\\n\";\necho deep(5000), \"\\n\";",
  },
  "stack-frames": {
    code: '<?php\n// The frames `php main.php` reports in f(), innermost first.\nconst EXPECTED = ["f", "g"];\nfunction f() {\n    $frames = array_map(fn ($frame) => $frame["function"], debug_backtrace());\n    echo $frames === EXPECTED ? "ok" : implode(",", $frames), "\\n";\n}\nfunction g() {\n    f();\n}\ng();\n',
  },
  "traceback-location": {
    code: '<?php\nfunction f() {\n    throw new Exception("deep boom"); // @frame\n}\nfunction g() {\n    f(); // @frame\n}\ng(); // @frame\n',
  },
  "warning-location": { code: '<?php\n$x = 1;\ntrigger_error("careful", E_USER_WARNING); // @warn\necho "done\\n";\n' },
};
