/**
 * The request schema: one zod schema is the source of the TypeScript types, of validation,
 * and of the JSON Schema in the HTTP server's OpenAPI document.
 */
import picomatch from "picomatch";
import { z } from "zod";
import { InvalidRequestError } from "./errors.js";

export const RUNTIME_NAMES = ["python", "node", "bun", "go", "rust", "ruby", "php"] as const;
export type RuntimeName = (typeof RUNTIME_NAMES)[number];

/** Caps on the request itself; the executor's options may change each of them. */
export interface RequestCaps {
  /** Largest `timeout` a request may ask for, ms. */
  maxTimeoutMs: number;
  /** `timeout` when the request gives none, ms. */
  defaultTimeoutMs: number;
  maxStdinBytes: number;
  maxFileBytes: number;
  maxTotalFileBytes: number;
  maxFiles: number;
  maxArgs: number;
  maxEnvEntries: number;
  /** `returnFiles`: patterns per request, files returned, bytes of one file, bytes of all. */
  maxReturnPatterns: number;
  maxReturnFiles: number;
  maxReturnFileBytes: number;
  maxReturnTotalBytes: number;
  /** Batches: cases per batch, and bytes of all cases' stdin, args, env and expectedStdout together. */
  maxBatchCases: number;
  maxBatchBytes: number;
}

export const DEFAULT_CAPS: RequestCaps = {
  maxTimeoutMs: 300_000,
  defaultTimeoutMs: 30_000,
  maxStdinBytes: 16 * 1024 * 1024,
  maxFileBytes: 4 * 1024 * 1024,
  maxTotalFileBytes: 16 * 1024 * 1024,
  maxFiles: 1000,
  maxArgs: 1000,
  maxEnvEntries: 1000,
  maxReturnPatterns: 100,
  maxReturnFiles: 100,
  maxReturnFileBytes: 1024 * 1024,
  maxReturnTotalBytes: 8 * 1024 * 1024,
  maxBatchCases: 1000,
  maxBatchBytes: 64 * 1024 * 1024,
};

/** What a request may ask to have reported beyond the five fields (`report`). */
export const REPORT_NAMES = ["usage", "compile"] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

const KNOWN_LIST = ["runtime", "code", "files", "entrypoint", "stdin", "timeout", "env", "args", "compileTimeout", "report", "returnFiles"];
const KNOWN_FIELDS = new Set(KNOWN_LIST);
const CASE_FIELDS = ["stdin", "args", "env", "expectedStdout"];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why a file path is refused, or undefined when it is a clean relative POSIX path. */
export function filePathProblem(path: string): string | undefined {
  if (path.length === 0) return "is empty; give a relative path such as \"main.py\"";
  if (path.includes("\0")) return "contains a NUL character";
  if (path.length > 1024) return "is longer than 1024 characters";
  if (path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path))
    return "is absolute; give a path relative to the working directory, such as \"lib/util.py\"";
  if (path.includes("\\")) return "contains a backslash; use \"/\" to separate directories";
  const parts = path.split("/");
  if (parts.includes("..")) return "contains \"..\"; files cannot climb out of the working directory";
  if (parts.some((p) => p === "" || p === "."))
    return "has an empty or \".\" segment; write it without \"./\", \"//\" or a trailing \"/\"";
  return undefined;
}

const utf8 = new TextEncoder();
const byteLength = (s: string): number => (s.length * 3 <= 1024 ? utf8.encode(s).length : Buffer.byteLength(s, "utf8"));

function fieldPath(path: PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (out === "files" || out === "env") out += `[${JSON.stringify(String(seg))}]`;
    else out += (out ? "." : "") + String(seg);
  }
  return out;
}

/** A short description of an untrusted value for an error message (never serializes a deep object). */
function describeValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.slice(0, 40));
  if (v === null || typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : typeof v;
}

/** The structural schema (no caps): what the JSON Schema documents. */
export const ExecuteRequestSchema = z
  .strictObject({
    runtime: z.enum(RUNTIME_NAMES).describe("Runtime: python, node, bun, go, rust, ruby, php"),
    code: z.string().optional().describe("Code to execute (mutually exclusive with files)"),
    files: z
      .record(z.string(), z.string())
      .optional()
      .describe("Multiple files as key-value pairs (relative POSIX path → content)"),
    entrypoint: z.string().optional().describe("Entry file when using files"),
    stdin: z.string().optional().describe("Standard input, then EOF"),
    timeout: z.number().optional().describe("Timeout in milliseconds (compile + run); default 30000"),
    env: z.record(z.string(), z.string()).optional().describe("Environment variables; the host's are never visible"),
    args: z.array(z.string()).optional().describe("Command-line arguments"),
    compileTimeout: z
      .number()
      .optional()
      .describe("Go and Rust: time limit of the compile, ms; when given, the run gets the whole `timeout`. Default: compile and run share `timeout`"),
    report: z
      .array(z.enum(REPORT_NAMES))
      .optional()
      .describe('Extra result fields: "usage" (cpuTime, wallTime, memory, compileTime) and "compile" (Go/Rust compile stage, separate from the run)'),
    returnFiles: z
      .array(z.string())
      .optional()
      .describe("Glob patterns (picomatch) of working-directory files to return when the program created or changed them"),
  })
  .describe("ExecuteRequest");

export type ExecuteRequest = z.input<typeof ExecuteRequestSchema>;

export const UsageSchema = z
  .object({
    cpuTime: z.number().int().nullable().describe("CPU time of the run, ms (null where the platform cannot measure a thread's CPU time, e.g. browsers)"),
    wallTime: z.number().int().describe("Wall time of the run, ms (compile excluded)"),
    memory: z.number().int().describe("Peak linear memory of the guest, bytes"),
    compileTime: z.number().int().optional().describe("Go and Rust: wall time of the compile, ms (near 0 when cached)"),
  })
  .describe("Usage");

export const CompileStageSchema = z
  .object({
    stdout: z.string(),
    stderr: z.string().describe("The compiler's diagnostics"),
    exitCode: z.number().int().describe("0 when it compiled; 124 when it timed out"),
    time: z.number().int().describe("Wall time of the compile, ms"),
    timedOut: z.boolean(),
  })
  .describe("CompileStage");

export const ReturnedFileSchema = z
  .object({
    path: z.string().describe("Relative POSIX path in the working directory"),
    size: z.number().int().describe("Size of the whole file, bytes"),
    encoding: z.enum(["utf8", "base64"]).describe('"utf8" for text (valid UTF-8 without NUL), else "base64"'),
    content: z.string(),
    truncated: z.literal(true).optional().describe("Content was cut at the per-file or total cap"),
  })
  .describe("ReturnedFile");

export const ExecuteResultSchema = z
  .object({
    stdout: z.string().describe("Standard output"),
    stderr: z.string().describe("Standard error"),
    exitCode: z.number().int().describe("Exit code (0 = success)"),
    executionTime: z.number().int().describe("Execution time in milliseconds"),
    timedOut: z.boolean().describe("Whether execution timed out"),
    usage: UsageSchema.optional().describe('With report: ["usage"]'),
    compile: CompileStageSchema.optional().describe('Go and Rust, with report: ["compile"]'),
    files: z.array(ReturnedFileSchema).optional().describe("With returnFiles: matching files the program created or changed, sorted by path"),
  })
  .describe("ExecuteResult");

export type ExecuteResult = z.infer<typeof ExecuteResultSchema>;
export type Usage = z.infer<typeof UsageSchema>;
export type CompileStage = z.infer<typeof CompileStageSchema>;
export type ReturnedFile = z.infer<typeof ReturnedFileSchema>;

export const BatchCaseSchema = z
  .strictObject({
    stdin: z.string().optional().describe("This case's standard input (default: the program's `stdin`)"),
    args: z.array(z.string()).optional().describe("This case's arguments (default: the program's `args`)"),
    env: z.record(z.string(), z.string()).optional().describe("This case's environment (default: the program's `env`)"),
    expectedStdout: z
      .string()
      .optional()
      .describe("When given, the result has `passed`: exit code 0, not timed out, and stdout equal ignoring trailing whitespace of each line and trailing blank lines"),
  })
  .describe("BatchCase");

/** One program and its test cases: the program is compiled (or loaded) once, each case runs on a fresh instance. */
export const BatchRequestSchema = ExecuteRequestSchema.extend({
  cases: z.array(BatchCaseSchema).describe("Test cases, each run on a fresh instance; at most 1000 by default"),
}).describe("BatchRequest");

export type BatchCase = z.input<typeof BatchCaseSchema>;
export type BatchRequest = z.input<typeof BatchRequestSchema>;

export const BatchCaseResultSchema = ExecuteResultSchema.extend({
  passed: z.boolean().optional().describe("With expectedStdout: whether the case passed"),
}).describe("BatchCaseResult");

export const BatchResultSchema = z
  .object({
    compile: CompileStageSchema.optional().describe('Go and Rust, with report: ["compile"]: the one compile of the batch'),
    results: z.array(BatchCaseResultSchema).describe("One result per case, in order"),
    passed: z.number().int().optional().describe("With expectedStdout: how many cases passed"),
  })
  .describe("BatchResult");

export type BatchCaseResult = z.infer<typeof BatchCaseResultSchema>;
export type BatchResult = z.infer<typeof BatchResultSchema>;

/**
 * The documented comparison of `expectedStdout`, as judges compare: trailing spaces, tabs and
 * carriage returns of each line and blank lines at the end are ignored; everything else is exact.
 */
export function sameOutput(actual: string, expected: string): boolean {
  const norm = (s: string) => s.split("\n").map((l) => l.replace(/[ \t\r]+$/, "")).join("\n").replace(/\n+$/, "");
  return norm(actual) === norm(expected);
}

/** A request that passed validation, with defaults applied. */
export interface NormalizedRequest {
  runtime: RuntimeName;
  files: Record<string, string>;
  /** undefined when `code` was given: the runtime's entry file is used. */
  entrypoint: string | undefined;
  fromCode: boolean;
  stdin: string;
  timeoutMs: number;
  env: Record<string, string>;
  args: string[];
  /** What the request asked to have reported beyond the five fields. */
  report: { usage: boolean; compile: boolean };
  /** `compileTimeout`, ms; undefined: compile and run share `timeoutMs`. */
  compileTimeoutMs: number | undefined;
  /** `returnFiles`, each compiled to a RegExp (picomatch), or undefined. */
  returnFiles: { pattern: string; source: string; flags: string }[] | undefined;
}

function fail(field: string, message: string): never {
  throw new InvalidRequestError(field, message);
}

/**
 * A lone surrogate: UTF-16 with no UTF-8 (or OS byte string) form. Refused in `env` values and
 * `args`, which become the guest's OS strings (Python's and Ruby's start-up fail on them).
 * Accepted in `code`, `files` and `stdin`: they are file contents, and every runtime reads what
 * they become as the native tool reads a file holding those bytes (Python: a SyntaxError for
 * non-UTF-8 source), with no host failure (test/core/validation.test.ts).
 */
const LONE_SURROGATE = /\p{Cs}/u;
const SURROGATE_FIX = "contains a lone surrogate (ill-formed UTF-16 such as \"\\uD800\" without its pair), which has no UTF-8 form; send well-formed Unicode text";

const UNREADABLE = "could not be read (a getter or proxy threw); send plain JSON data";

/** Runs a read of untrusted input; anything it throws becomes an InvalidRequestError naming the field. */
function guarded<T>(field: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof InvalidRequestError) throw e;
    fail(field, UNREADABLE);
  }
}

function prototypeName(proto: object): string {
  try {
    const ctor = Reflect.getOwnPropertyDescriptor(proto, "constructor")?.value as { name?: unknown } | undefined;
    const name = typeof ctor === "function" ? Reflect.getOwnPropertyDescriptor(ctor, "name")?.value : undefined;
    if (typeof name === "string" && name !== "") return `a ${name.slice(0, 40)}`;
  } catch {
    // The name is only for the message.
  }
  return "an object with another prototype";
}

/**
 * The own enumerable string-keyed properties of a plain object (prototype Object.prototype or
 * null), each value read exactly once. Inherited properties, class instances, Maps and the like
 * are refused rather than half-read; symbol keys and non-enumerable properties are skipped, as
 * JSON.stringify skips them. Reading once means a getter or proxy cannot show one value to the
 * checks and another to the runtime.
 */
function plainEntries(value: object, field: string, max: number, tooMany: (n: number) => string): [string, unknown][] {
  return guarded(field, () => {
    if (Array.isArray(value)) fail(field, "must be an object, not an array");
    const proto = Reflect.getPrototypeOf(value);
    if (proto !== null && proto !== Object.prototype)
      fail(field, `must be a plain JSON object; got ${prototypeName(proto)} (inherited properties are not read)`);
    const out: [string, unknown][] = [];
    for (const key of Reflect.ownKeys(value)) {
      if (typeof key !== "string") continue;
      const sub = field === "" ? key : `${field}[${JSON.stringify(key)}]`;
      const d = guarded(sub, () => Reflect.getOwnPropertyDescriptor(value, key));
      if (!d?.enumerable) continue;
      if (out.length >= max) fail(field, tooMany(out.length + 1));
      out.push([key, "value" in d ? d.value : guarded(sub, () => d.get?.call(value))]);
    }
    return out;
  });
}

/** The elements of a plain array, each read once; holes and non-arrays are refused. */
function plainArray(value: unknown, field: string, max: number): unknown[] {
  return guarded(field, () => {
    if (value === null || typeof value !== "object" || !Array.isArray(value)) return fail(field, "must be an array of strings");
    const proto = Reflect.getPrototypeOf(value);
    if (proto !== Array.prototype) fail(field, `must be a plain JSON array; got ${proto === null ? "an array without a prototype" : prototypeName(proto)}`);
    const length = Reflect.getOwnPropertyDescriptor(value, "length")?.value as unknown;
    if (typeof length !== "number" || !Number.isSafeInteger(length) || length < 0) fail(field, "must be an array of strings");
    if (length > max) fail(field, `has ${length} entries; at most ${max} are allowed`);
    const out: unknown[] = [];
    for (let i = 0; i < length; i++) {
      const d = guarded(`${field}[${i}]`, () => Reflect.getOwnPropertyDescriptor(value, String(i)));
      if (!d) fail(`${field}[${i}]`, "is missing (a hole in a sparse array); send a dense array of strings");
      out.push("value" in d ? d.value : guarded(`${field}[${i}]`, () => d.get?.call(value)));
    }
    return out;
  });
}

/** A record field (`files`, `env`) copied into a prototype-less object; other values pass through for the type check. */
function plainRecord(value: unknown, field: string, max: number, noun: string): unknown {
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = Object.create(null);
  for (const [k, v] of plainEntries(value, field, max, (n) => `has ${n} or more ${noun}; at most ${max} are allowed`)) out[k] = v;
  return out;
}

/**
 * Untrusted input as plain data read once: the request object, `files`, `env` and `args`.
 * Everything after this works on the copy only.
 */
function snapshot(input: object, caps: RequestCaps): Record<string, unknown> {
  const raw: Record<string, unknown> = Object.create(null);
  let unknown = 0;
  for (const [k, v] of plainEntries(input, "", Infinity, () => "")) {
    // Unknown fields are named by the schema check; a few dozen are enough to name.
    if (!KNOWN_FIELDS.has(k) && ++unknown > 32) continue;
    raw[k] = v;
  }
  if (raw.files !== undefined) raw.files = plainRecord(raw.files, "files", caps.maxFiles, "files");
  if (raw.env !== undefined) raw.env = plainRecord(raw.env, "env", caps.maxEnvEntries, "entries");
  if (raw.args !== undefined && raw.args !== null && typeof raw.args === "object") raw.args = plainArray(raw.args, "args", caps.maxArgs);
  if (raw.report !== undefined && raw.report !== null && typeof raw.report === "object") raw.report = plainArray(raw.report, "report", REPORT_NAMES.length * 4);
  if (raw.returnFiles !== undefined && raw.returnFiles !== null && typeof raw.returnFiles === "object")
    raw.returnFiles = plainArray(raw.returnFiles, "returnFiles", caps.maxReturnPatterns);
  return raw;
}

/**
 * Validate untrusted input. Throws InvalidRequestError naming the field and the fix;
 * returns a normalized request otherwise. Nothing here executes anything.
 */
export function validateRequest(input: unknown, caps: RequestCaps = DEFAULT_CAPS): NormalizedRequest {
  if (input === null || typeof input !== "object" || guarded("", () => Array.isArray(input)))
    fail("", "must be a JSON object such as {\"runtime\":\"python\",\"code\":\"print(1)\"}");
  const raw = snapshot(input, caps);
  // Checked before zod so the message lists the choices.
  if (!("runtime" in raw) || raw.runtime === undefined)
    fail("runtime", `is required; one of ${RUNTIME_NAMES.join(", ")}`);
  if (typeof raw.runtime !== "string" || !(RUNTIME_NAMES as readonly string[]).includes(raw.runtime))
    fail("runtime", `must be one of ${RUNTIME_NAMES.join(", ")}; got ${describeValue(raw.runtime)}`);

  const parsed = guarded("", () => ExecuteRequestSchema.safeParse(raw));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = fieldPath(issue.path);
    if (issue.code === "unrecognized_keys")
      fail(
        issue.keys.map((k) => (field ? `${field}.${k}` : k)).join(", "),
        `is not a known field; known fields are ${KNOWN_LIST.join(", ")}`,
      );
    if (issue.code === "invalid_value" && field.startsWith("report"))
      fail(field, `must be one of ${REPORT_NAMES.map((n) => JSON.stringify(n)).join(", ")}; got ${describeValue((raw.report as unknown[])[issue.path[1] as number])}`);
    if (issue.code === "invalid_type") fail(field, `must be ${issue.expected === "record" ? "an object" : `a ${issue.expected}`}`);
    fail(field, issue.message);
  }
  const req = parsed.data;

  const hasCode = req.code !== undefined;
  const hasFiles = req.files !== undefined;
  if (hasCode && hasFiles) fail("code", "and `files` are mutually exclusive; send one of them");
  if (!hasCode && !hasFiles) fail("code", "or `files` is required: send the program as `code`, or as `files` with an `entrypoint`");

  let files: Record<string, string> = Object.create(null);
  let total = 0;
  if (hasFiles) {
    // From the raw input: zod's output object would turn a "__proto__" key into a prototype.
    const entries = Object.entries(raw.files as Record<string, string>);
    if (entries.length === 0) fail("files", "is empty; give at least the entrypoint file");
    if (entries.length > caps.maxFiles) fail("files", `has ${entries.length} files; at most ${caps.maxFiles} are allowed`);
    const dirs = new Set<string>();
    for (const [path, content] of entries) {
      const problem = filePathProblem(path);
      if (problem) fail(`files[${JSON.stringify(path)}]`, `path ${problem}`);
      // zod's record skips a "__proto__" key, so its value is checked here.
      if (typeof content !== "string") fail(`files[${JSON.stringify(path)}]`, "must be a string");
      const size = byteLength(content);
      if (size > caps.maxFileBytes)
        fail(`files[${JSON.stringify(path)}]`, `is ${size} bytes; each file may be at most ${caps.maxFileBytes} bytes`);
      total += size;
      const parts = path.split("/");
      for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
      files[path] = content;
    }
    for (const path of Object.keys(files))
      if (dirs.has(path)) fail(`files[${JSON.stringify(path)}]`, "is both a file and a directory of other files");
    if (total > caps.maxTotalFileBytes)
      fail("files", `hold ${total} bytes in all; at most ${caps.maxTotalFileBytes} bytes are allowed`);
    if (req.entrypoint !== undefined) {
      const problem = filePathProblem(req.entrypoint);
      if (problem) fail("entrypoint", `path ${problem}`);
      if (!(req.entrypoint in files))
        fail("entrypoint", `"${req.entrypoint}" is not one of the files (${Object.keys(files).slice(0, 10).join(", ")})`);
    }
  } else {
    const size = byteLength(req.code!);
    if (size > caps.maxFileBytes) fail("code", `is ${size} bytes; at most ${caps.maxFileBytes} bytes are allowed`);
    if (req.entrypoint !== undefined) {
      const problem = filePathProblem(req.entrypoint);
      if (problem) fail("entrypoint", `path ${problem}`);
    }
  }

  const stdin = req.stdin ?? "";
  if (stdin.length > caps.maxStdinBytes || byteLength(stdin) > caps.maxStdinBytes)
    fail("stdin", `is over ${caps.maxStdinBytes} bytes; send less input`);

  let timeoutMs = caps.defaultTimeoutMs;
  if (req.timeout !== undefined) {
    if (!Number.isInteger(req.timeout) || req.timeout <= 0)
      fail("timeout", `must be a positive integer number of milliseconds; got ${req.timeout}`);
    if (req.timeout > caps.maxTimeoutMs)
      fail("timeout", `is ${req.timeout} ms; this executor allows at most ${caps.maxTimeoutMs} ms`);
    timeoutMs = req.timeout;
  }

  const env: Record<string, string> = Object.create(null);
  const envEntries = Object.entries((raw.env as Record<string, string> | undefined) ?? {});
  if (envEntries.length > caps.maxEnvEntries) fail("env", `has ${envEntries.length} entries; at most ${caps.maxEnvEntries} are allowed`);
  for (const [name, value] of envEntries) {
    if (!ENV_NAME.test(name))
      fail(`env[${JSON.stringify(name)}]`, "is not a valid variable name; use letters, digits and _, not starting with a digit");
    if (typeof value !== "string") fail(`env[${JSON.stringify(name)}]`, "must be a string");
    if (value.includes("\0")) fail(`env[${JSON.stringify(name)}]`, "contains a NUL character");
    // The runtimes hand env and args to the guest as OS byte strings (UTF-8): a lone surrogate
    // has no such form, and Python's and Ruby's start-up cannot decode what it would become.
    if (LONE_SURROGATE.test(value)) fail(`env[${JSON.stringify(name)}]`, SURROGATE_FIX);
    env[name] = value;
  }

  const args = req.args ?? [];
  if (args.length > caps.maxArgs) fail("args", `has ${args.length} entries; at most ${caps.maxArgs} are allowed`);
  args.forEach((a, i) => {
    if (a.includes("\0")) fail(`args[${i}]`, "contains a NUL character");
    if (LONE_SURROGATE.test(a)) fail(`args[${i}]`, SURROGATE_FIX);
  });

  let compileTimeoutMs: number | undefined;
  if (req.compileTimeout !== undefined) {
    if (!Number.isInteger(req.compileTimeout) || req.compileTimeout <= 0)
      fail("compileTimeout", `must be a positive integer number of milliseconds; got ${req.compileTimeout}`);
    if (req.compileTimeout > caps.maxTimeoutMs)
      fail("compileTimeout", `is ${req.compileTimeout} ms; this executor allows at most ${caps.maxTimeoutMs} ms`);
    compileTimeoutMs = req.compileTimeout;
  }

  let returnFiles: NormalizedRequest["returnFiles"];
  if (req.returnFiles !== undefined) {
    returnFiles = req.returnFiles.map((pattern, i) => {
      const field = `returnFiles[${i}]`;
      if (pattern === "") fail(field, 'is empty; give a glob pattern such as "out/**" or "*.txt"');
      if (pattern.length > 1024) fail(field, "is longer than 1024 characters");
      if (pattern.includes("\0")) fail(field, "contains a NUL character");
      if (pattern.startsWith("/") || pattern.startsWith("./") || pattern.split("/").includes(".."))
        fail(field, 'must be relative to the working directory, without "/", "./" or ".." at its start (e.g. "out/*.txt")');
      let re: RegExp;
      try {
        re = picomatch.makeRe(pattern, { strictBrackets: true });
      } catch (e) {
        fail(field, `is not a valid glob pattern (${(e as Error).message}); see picomatch's syntax`);
      }
      return { pattern, source: re.source, flags: re.flags };
    });
  }
  const report = { usage: false, compile: false };
  for (const name of req.report ?? []) report[name] = true;

  if (hasCode) files = Object.assign(Object.create(null), { __code__: req.code! });
  return {
    runtime: req.runtime,
    files,
    entrypoint: hasFiles ? req.entrypoint : req.entrypoint,
    fromCode: hasCode,
    stdin,
    timeoutMs,
    env,
    args: [...args],
    report,
    compileTimeoutMs,
    returnFiles,
  };
}

/** A batch that passed validation: the program, and each case's own stdin, args and env (the program's where it gives none). */
export interface NormalizedBatch {
  program: NormalizedRequest;
  cases: { stdin: string; args: string[]; env: Record<string, string>; expectedStdout: string | undefined }[];
}

/**
 * Validate an untrusted batch (`BatchRequestSchema`): the program as validateRequest() checks a
 * request, then each case, its fields named `cases[i].…`, within the batch's caps.
 */
export function validateBatch(input: unknown, caps: RequestCaps = DEFAULT_CAPS): NormalizedBatch {
  if (input === null || typeof input !== "object" || guarded("", () => Array.isArray(input)))
    fail("", 'must be a JSON object such as {"runtime":"python","code":"print(input())","cases":[{"stdin":"1"}]}');
  const program: Record<string, unknown> = Object.create(null);
  for (const [k, v] of plainEntries(input, "", Infinity, () => "")) program[k] = v;
  const cases = program.cases;
  delete program.cases;
  const req = validateRequest(program, caps);
  if (cases === undefined) fail("cases", 'is required: an array of test cases such as [{"stdin":"1 2"}]');
  if (cases === null || typeof cases !== "object" || !guarded("cases", () => Array.isArray(cases)))
    fail("cases", 'must be an array of test cases such as [{"stdin":"1 2"}]');
  const length = guarded("cases", () => (cases as unknown[]).length);
  if (length === 0) fail("cases", "is empty; give at least one test case");
  if (length > caps.maxBatchCases) fail("cases", `has ${length} cases; this executor allows at most ${caps.maxBatchCases} per batch`);
  const list = plainArray(cases, "cases", caps.maxBatchCases);
  let total = 0;
  const out: NormalizedBatch["cases"] = list.map((c, i) => {
    const field = `cases[${i}]`;
    if (c === null || typeof c !== "object" || Array.isArray(c)) fail(field, 'must be an object such as {"stdin":"1 2","expectedStdout":"3"}');
    const fields: Record<string, unknown> = Object.create(null);
    for (const [k, v] of plainEntries(c, field, CASE_FIELDS.length + 1, () => `has unknown fields; known fields of a case are ${CASE_FIELDS.join(", ")}`)) {
      if (!CASE_FIELDS.includes(k)) fail(`${field}.${k}`, `is not a known field; known fields of a case are ${CASE_FIELDS.join(", ")}`);
      fields[k] = v;
    }
    if (fields.expectedStdout !== undefined && typeof fields.expectedStdout !== "string") fail(`${field}.expectedStdout`, "must be a string");
    let one: NormalizedRequest;
    try {
      one = validateRequest(
        {
          runtime: req.runtime,
          code: "",
          ...((fields.stdin ?? program.stdin) !== undefined && { stdin: fields.stdin ?? program.stdin }),
          ...((fields.args ?? program.args) !== undefined && { args: fields.args ?? program.args }),
          ...((fields.env ?? program.env) !== undefined && { env: fields.env ?? program.env }),
        },
        caps,
      );
    } catch (e) {
      if (e instanceof InvalidRequestError) fail(`${field}.${e.field}`, e.detail);
      throw e;
    }
    const expected = fields.expectedStdout as string | undefined;
    total += byteLength(one.stdin) + (expected === undefined ? 0 : byteLength(expected));
    for (const a of one.args) total += byteLength(a);
    for (const [k, v] of Object.entries(one.env)) total += k.length + byteLength(v);
    if (total > caps.maxBatchBytes)
      fail("cases", `hold more than ${caps.maxBatchBytes} bytes of stdin, args, env and expectedStdout in all; send fewer or smaller cases`);
    return { stdin: one.stdin, args: one.args, env: one.env, expectedStdout: expected };
  });
  return { program: req, cases: out };
}

/** Place `code` in the runtime's entry file, or find the entrypoint among `files`. */
export function resolveEntrypoint(req: NormalizedRequest, entryFile: string): { files: Record<string, string>; entrypoint: string } {
  if (req.fromCode) {
    const entrypoint = req.entrypoint ?? entryFile;
    return { files: { [entrypoint]: req.files.__code__! }, entrypoint };
  }
  const files = { ...req.files };
  if (req.entrypoint !== undefined) return { files, entrypoint: req.entrypoint };
  if (entryFile in files) return { files, entrypoint: entryFile };
  const names = Object.keys(files);
  if (names.length === 1) return { files, entrypoint: names[0]! };
  fail("entrypoint", `is required with several files and no "${entryFile}"; name the file to run`);
}
