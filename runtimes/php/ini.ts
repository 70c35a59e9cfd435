/**
 * The php.ini of every execution: the settings of `php main.php` as Debian's php-cli ships it
 * (its /etc/php/<v>/cli/php.ini is php.ini-production): E_DEPRECATED and E_STRICT not
 * reported, display_errors off, log_errors on with no error_log (so the CLI writes
 * `PHP Warning:  ...` to stderr, never to stdout), variables_order "GPCS" ($_ENV empty; getenv()
 * and $_SERVER hold the environment), assertions not compiled, exception arguments left out of
 * stack traces. The CLI SAPI itself forces output_buffering=0, implicit_flush=1,
 * register_argc_argv=1, html_errors=0 and max_execution_time=0 over any php.ini.
 *
 * `runtimeOptions.php.ini` adds or replaces settings; ENFORCED ones are passed as `-d`, which
 * php reads after every ini file (PHP_INI_SCAN_DIR's included), so nothing lifts them.
 */

export type IniSettings = Record<string, string | number | boolean>;

/** Debian's php-cli php.ini (php.ini-production) where it differs from PHP's built-in defaults. */
export const PRODUCTION_INI: IniSettings = {
  error_reporting: "E_ALL & ~E_DEPRECATED & ~E_STRICT",
  display_errors: "Off",
  display_startup_errors: "Off",
  log_errors: "On",
  short_open_tag: "Off",
  variables_order: '"GPCS"',
  request_order: '"GP"',
  "zend.assertions": -1,
  "zend.exception_ignore_args": "On",
  "zend.exception_string_param_max_len": 0,
  "session.gc_probability": 0,
  "session.gc_divisor": 1000,
  "session.sid_length": 26,
  "session.sid_bits_per_character": 5,
  "mail.add_x_header": "Off",
};

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
 * Classes that cannot work in this build: php-wasm has no ucontext, so a Fiber would abort
 * the runtime; disabled, `new Fiber` warns and its methods are undefined, a PHP error.
 */
export const DISABLED_CLASSES = ["Fiber"];

/** Settings that hold whatever the ini files or the options say (the sandbox's first layer). */
export const ENFORCED_INI: IniSettings = {
  disable_functions: DISABLED_FUNCTIONS.join(","),
  disable_classes: DISABLED_CLASSES.join(","),
  enable_dl: "Off",
  allow_url_include: "Off",
};

/** `-d name=value` arguments for ENFORCED_INI. */
export function enforcedArgs(): string[] {
  return Object.entries(ENFORCED_INI).flatMap(([name, value]) => ["-d", `${name}=${value}`]);
}

/** Checks `runtimeOptions.php.ini`; the message names the field and what to do. */
export function userIni(value: unknown): IniSettings {
  if (value === undefined) return {};
  const field = "runtimeOptions.php.ini";
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new TypeError(`${field} must be an object of php.ini settings, e.g. { error_reporting: "E_ALL" }`);
  for (const [name, setting] of Object.entries(value)) {
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name)) throw new TypeError(`${field}: "${name}" is not a php.ini setting name`);
    if (Object.hasOwn(ENFORCED_INI, name)) throw new TypeError(`${field}.${name} cannot be set: wasmbox enforces it to keep the sandbox closed`);
    if (!["string", "number", "boolean"].includes(typeof setting) || /[\r\n\0]/.test(String(setting)))
      throw new TypeError(`${field}.${name} must be a string, number or boolean on one line`);
  }
  return value as IniSettings;
}

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
export const PRELUDE_PATH = "/internal/shared/preload/readline.php";

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

function iniValue(value: string | number | boolean): string {
  return typeof value === "boolean" ? (value ? "On" : "Off") : String(value);
}

export function phpIni(memoryBytes: number, prelude = false, user: IniSettings = {}): string {
  const settings: IniSettings = {
    ...(prelude ? { auto_prepend_file: PRELUDE_PATH } : {}),
    ...PRODUCTION_INI,
    html_errors: "Off",
    error_log: "",
    max_execution_time: 0,
    memory_limit: phpMemoryLimit(memoryBytes),
    "date.timezone": "UTC",
    "opcache.enable_cli": 0,
    ...ENFORCED_INI,
    ...user,
  };
  return Object.entries(settings).map(([name, value]) => `${name} = ${iniValue(value)}\n`).join("");
}
