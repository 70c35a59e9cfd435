/**
 * The php.ini of every execution. Errors are reported as a distribution's `php main.php`
 * does (Debian's php-cli: display_errors off, log_errors on with no error_log, so the CLI
 * writes `PHP Fatal error:  ...` to stderr once, never to stdout).
 */

/** Functions that would start a process, load native code, or reach JavaScript. */
export const DISABLED_FUNCTIONS = [
  "exec",
  "shell_exec",
  "system",
  "passthru",
  "popen",
  "proc_open",
  "proc_close",
  "proc_get_status",
  "proc_nice",
  "proc_terminate",
  "pcntl_exec",
  "pcntl_fork",
  "mail",
  "dl",
  "post_message_to_js",
];

/**
 * PHP's own memory_limit, from the wasm memory cap. php-wasm's mmap() hands Zend's allocator
 * 2 MiB-aligned 2 MiB chunks out of malloc, which costs about twice their size in linear
 * memory (measured: a 256 MiB cap holds ~124 MB of PHP allocations). Half the cap, less the
 * interpreter's own ~24 MiB, makes PHP's "Allowed memory size ... exhausted" the limit a
 * program meets, before the wasm memory runs out.
 */
export function phpMemoryLimit(memoryBytes: number): number {
  const MiB = 1024 * 1024;
  return Math.max(8 * MiB, Math.floor((memoryBytes - 24 * MiB) / 2 / MiB) * MiB);
}

/** Where the prelude (below) is written in every instance, outside the program's /app. */
export const PRELUDE_PATH = "/internal/wasmbox/prelude.php";

/**
 * Run before the program (auto_prepend_file) when one of its files mentions readline, so that
 * other programs see exactly their own get_included_files(): what `php` on Linux has and this
 * build lacks.
 * readline is not compiled into php-wasm; with stdin not a terminal, native readline() (libedit)
 * shows no prompt, reads one line and returns it without its newline, or false at EOF.
 */
export const PRELUDE = `<?php
if (!function_exists('readline')) {
    function readline(?string $prompt = null): string|false {
        $line = fgets(STDIN);
        return $line === false ? false : rtrim($line, "\\r\\n");
    }
    function readline_add_history(string $prompt): bool { return true; }
}
`;

/** Whether a job needs the prelude: a word of it appears in one of the job's files. */
export function needsPrelude(files: Record<string, string>): boolean {
  return Object.values(files).some((source) => source.includes("readline"));
}

export function phpIni(memoryBytes: number, prelude = false): string {
  return [
    ...(prelude ? [`auto_prepend_file = ${PRELUDE_PATH}`] : []),
    "error_reporting = E_ALL",
    "display_errors = Off",
    "display_startup_errors = Off",
    "log_errors = On",
    "html_errors = Off",
    "error_log =",
    "variables_order = EGPCS",
    "register_argc_argv = On",
    "output_buffering = 0",
    "implicit_flush = On",
    "max_execution_time = 0",
    `memory_limit = ${phpMemoryLimit(memoryBytes)}`,
    `disable_functions = ${DISABLED_FUNCTIONS.join(",")}`,
    "enable_dl = Off",
    "allow_url_include = Off",
    "date.timezone = UTC",
    "opcache.enable_cli = 0",
    "",
  ].join("\n");
}
