/**
 * The program of a PHP REPL context (protocol: src/session/context.ts). Cells are eval()'d at
 * the global scope, so variables, functions and classes persist; PHP has no expression value
 * to show. A fatal error that is not an exception (a compile error) ends the interpreter.
 */
export const PHP_REPL_DRIVER = String.raw`<?php
$__wasmbox = (function () {
    $marker = "\x01wasmbox:" . $GLOBALS["argv"][1] . ":";
    $root = getcwd();
    $driver = __FILE__;
    @unlink($driver);
    $known = [];
    $walk = function () use ($root) {
        $found = [];
        $it = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($root, FilesystemIterator::SKIP_DOTS));
        foreach ($it as $f) {
            if ($f->isFile() && !$f->isLink()) $found[substr($f->getPathname(), strlen($root) + 1)] = $f->getPathname();
        }
        ksort($found);
        return $found;
    };
    return [
        "marker" => $marker,
        "read" => function () {
            $head = fgets(STDIN);
            if ($head === false) return null;
            $n = (int)$head;
            $body = "";
            while (strlen($body) < $n) {
                $part = fread(STDIN, $n - strlen($body));
                if ($part === false || $part === "") return null;
                $body .= $part;
            }
            return json_decode($body, true);
        },
        "apply" => function ($writes, $deletes) use ($root, &$known) {
            foreach ($deletes as $rel) { @unlink($root . "/" . $rel); unset($known[$rel]); }
            foreach ($writes as $rel => $b64) {
                $full = $root . "/" . $rel;
                if (!is_dir(dirname($full))) mkdir(dirname($full), 0777, true);
                $data = base64_decode($b64);
                file_put_contents($full, $data);
                $known[$rel] = hash("sha256", $data);
            }
        },
        "changes" => function () use ($walk, &$known) {
            $writes = new stdClass();
            $now = [];
            foreach ($walk() as $rel => $full) {
                $data = @file_get_contents($full);
                if ($data === false) continue;
                $h = hash("sha256", $data);
                $now[$rel] = $h;
                if (!isset($known[$rel]) || $known[$rel] !== $h) $writes->{$rel} = base64_encode($data);
            }
            $deletes = array_values(array_diff(array_keys($known), array_keys($now)));
            $known = $now;
            return [$writes, $deletes];
        },
        "describe" => function (Throwable $e, $n) use ($driver) {
            // Where eval() ran is this driver: name the cell instead, as a REPL would.
            $cell = "cell " . $n;
            $text = preg_replace('/' . preg_quote($driver, '/') . '\(\d+\) : eval\(\)\'d code/', $cell, (string)$e);
            $lines = array_filter(explode("\n", $text), fn($l) => strpos($l, $driver) === false);
            $message = $e->getMessage();
            return ["type" => get_class($e), "message" => $message, "traceback" => "PHP Fatal error:  Uncaught " . implode("\n", $lines)];
        },
        "send" => function ($result) use ($marker) {
            fwrite(STDERR, $marker . "\n");
            fwrite(STDOUT, $marker . json_encode($result, JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE) . "\n");
            fflush(STDOUT);
        },
    ];
})();
$__wasmbox["send"](new stdClass());
while (($__wasmbox_frame = $__wasmbox["read"]()) !== null) {
    $__wasmbox["apply"]($__wasmbox_frame["writes"] ?? [], $__wasmbox_frame["deletes"] ?? []);
    $__wasmbox_result = [];
    try {
        $__wasmbox_code = $__wasmbox_frame["cell"];
        eval(preg_match('/^\s*<\?php/', $__wasmbox_code) ? "?>" . $__wasmbox_code : $__wasmbox_code);
    } catch (Throwable $__wasmbox_e) {
        $__wasmbox_result["error"] = $__wasmbox["describe"]($__wasmbox_e, $__wasmbox_frame["n"]);
    }
    if (function_exists("ob_get_level")) while (ob_get_level() > 0) ob_end_flush();
    flush();
    try {
        [$__wasmbox_result["writes"], $__wasmbox_result["deletes"]] = $__wasmbox["changes"]();
    } catch (Throwable $__wasmbox_e) {
        $__wasmbox_result["writes"] = new stdClass();
        $__wasmbox_result["deletes"] = [];
    }
    $__wasmbox["send"]($__wasmbox_result);
}
`;
