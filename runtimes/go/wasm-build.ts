/**
 * `go build` for Go's compiler and linker compiled to WebAssembly (scripts/build-go-wasm.mjs):
 * what cmd/go does for a request, without cmd/go. The request's packages are found from its files
 * (build constraints for wasip1/wasm, imports, //go:embed), compiled in dependency order with
 * compile.wasm and linked with link.wasm against the pre-built standard library. Each tool runs
 * on a fresh instance through the shared WASI layer with a file tree in memory holding only the
 * request's sources and the archives it imports: nothing of the host is reachable by construction.
 *
 * Platform-neutral (Node worker thread or Web Worker); diagnostics read as `go build`'s.
 */
import { createWasi, WASIProcExit } from "../../src/wasi/index.js";
import type { BuildResult } from "../compiled/cache.js";

export interface GoStdPackage {
  file: string;
  size: number;
  /** Transitive dependencies (import paths), without "unsafe". */
  deps: string[];
}

/** scripts/build-go-wasm.mjs's manifest.json. */
export interface GoWasmManifest {
  format: number;
  stamp: string;
  goVersion: string;
  overlay: boolean;
  compile: { file: string; size: number };
  link: { file: string; size: number };
  packages: Record<string, GoStdPackage>;
}

export interface GoTools {
  compile: WebAssembly.Module;
  link: WebAssembly.Module;
}

/** A package of the request, compiled from the files under `dir`. */
export interface LocalPackage {
  importPath: string;
  dir: string;
  name: string;
  files: string[];
  /** Import paths this package imports (local and std), as written. */
  imports: string[];
  embed?: { Patterns: Record<string, string[]>; Files: Record<string, string> };
}

export interface GoBuildPlan {
  modulePath: string;
  /** Dependencies first; the main package last. */
  packages: LocalPackage[];
  /** Standard library packages the link needs (transitive). */
  std: string[];
}

/** Bump when runGoBuild's output for the same sources changes: part of the compiled-module cache keys. */
export const WASM_BUILD_VERSION = 2;

const GOOS = "wasip1";
const GOARCH = "wasm";
const KNOWN_OS = new Set("aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris wasip1 windows zos".split(" "));
const KNOWN_ARCH = new Set(
  "386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm".split(" "),
);
/** Where src/wasi's tree puts things for the tools. */
const SRC = "/src";
const PKG = "/pkg";
const OUT = "/out";

// ---- reading Go sources ----------------------------------------------------------------------------

type Token = { kind: "ident" | "string" | "punct"; value: string; line: number; col: number };

/** Tokens of a Go file's header (package clause and imports), with the comments' directives. */
function scanHeader(src: string): { tokens: Token[]; directives: { text: string; line: number; col: number }[] } {
  const tokens: Token[] = [];
  const directives: { text: string; line: number; col: number }[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === "\n") {
      line++;
      i++;
      lineStart = i;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r" || c === ";") {
      i++;
      continue;
    }
    if (src.startsWith("//", i)) {
      const end = src.indexOf("\n", i);
      const text = src.slice(i, end < 0 ? n : end);
      if (text.startsWith("//go:")) directives.push({ text, line, col: i - lineStart + 1 });
      i = end < 0 ? n : end;
      continue;
    }
    if (src.startsWith("/*", i)) {
      const end = src.indexOf("*/", i + 2);
      const body = src.slice(i, end < 0 ? n : end + 2);
      for (let k = 0; k < body.length; k++) if (body[k] === "\n") {
        line++;
        lineStart = i + k + 1;
      }
      i = end < 0 ? n : end + 2;
      continue;
    }
    const col = i - lineStart + 1;
    if (c === '"' || c === "`") {
      let j = i + 1;
      let value = "";
      if (c === "`") {
        const end = src.indexOf("`", j);
        value = src.slice(j, end < 0 ? n : end);
        j = end < 0 ? n : end + 1;
      } else {
        while (j < n && src[j] !== '"' && src[j] !== "\n") {
          if (src[j] === "\\") j++;
          j++;
        }
        try {
          value = JSON.parse(src.slice(i, j + 1)) as string;
        } catch {
          value = src.slice(i + 1, j);
        }
        j++;
      }
      tokens.push({ kind: "string", value, line, col });
      i = j;
      continue;
    }
    if (/[\p{L}_]/u.test(c)) {
      let j = i + 1;
      while (j < n && /[\p{L}\p{N}_]/u.test(src[j]!)) j++;
      tokens.push({ kind: "ident", value: src.slice(i, j), line, col });
      i = j;
      continue;
    }
    tokens.push({ kind: "punct", value: c, line, col });
    i++;
    // The header ends at the first declaration after the imports; the rest is only searched for directives.
    if (c === "{" || c === "=") break;
  }
  // //go:embed lines anywhere in the file.
  if (i < n) {
    const rest = src.slice(i);
    let offset = i;
    for (const l of rest.split("\n")) {
      const t = l.trimStart();
      if (t.startsWith("//go:embed")) {
        const before = src.slice(0, offset);
        directives.push({ text: t, line: before.split("\n").length, col: l.length - t.length + 1 });
      }
      offset += l.length + 1;
    }
  }
  return { tokens, directives };
}

interface ParsedFile {
  name: string;
  pkg: string;
  imports: { path: string; line: number; col: number }[];
  embeds: { patterns: string[]; line: number; col: number }[];
  buildExpr?: string;
}

function parseFile(name: string, src: string): ParsedFile | undefined {
  const { tokens, directives } = scanHeader(src);
  let k = 0;
  if (tokens[k]?.value !== "package" || tokens[k + 1]?.kind !== "ident") return undefined;
  const pkg = tokens[k + 1]!.value;
  k += 2;
  const imports: ParsedFile["imports"] = [];
  while (tokens[k]?.value === "import") {
    k++;
    const one = () => {
      // go build names an import spec by where it starts: its name (`_`, `.`, alias) or its path.
      const start = tokens[k];
      if (tokens[k]?.kind === "ident" || tokens[k]?.value === ".") k++;
      const t = tokens[k];
      if (t?.kind === "string") {
        imports.push({ path: t.value, line: start!.line, col: start!.col });
        k++;
        return true;
      }
      return false;
    };
    if (tokens[k]?.value === "(") {
      k++;
      while (tokens[k] && tokens[k]!.value !== ")") if (!one()) k++;
      k++;
    } else one();
  }
  // Only a //go:build line before the package clause constrains the file.
  const pkgLine = tokens[0]!.line;
  const build = directives.find((d) => d.text.startsWith("//go:build") && d.line < pkgLine);
  const embeds = directives
    .filter((d) => d.text.startsWith("//go:embed ") || d.text === "//go:embed")
    .map((d) => ({ patterns: splitPatterns(d.text.slice("//go:embed".length)), line: d.line, col: d.col + "//go:embed ".length }));
  return { name, pkg, imports, embeds, buildExpr: build?.text.slice("//go:build".length).trim() };
}

function splitPatterns(s: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|`([^`]*)`|(\S+)/g;
  for (let m; (m = re.exec(s)); ) out.push(m[1] !== undefined ? (JSON.parse(`"${m[1]}"`) as string) : (m[2] ?? m[3]!));
  return out;
}

// ---- build constraints -----------------------------------------------------------------------------

function tagSatisfied(tag: string, goMinor: number): boolean {
  if (tag === GOOS || tag === GOARCH || tag === "gc") return true;
  const m = /^go1\.(\d+)$/.exec(tag);
  return !!m && Number(m[1]) <= goMinor;
}

/** Evaluates a //go:build expression (||, &&, !, parentheses, tags) for wasip1/wasm. */
export function evalBuildExpr(expr: string, goMinor: number): boolean {
  const toks = expr.match(/\|\||&&|!|\(|\)|[^\s|&!()]+/g) ?? [];
  let i = 0;
  const or = (): boolean => {
    let v = and();
    while (toks[i] === "||") {
      i++;
      v = and() || v;
    }
    return v;
  };
  const and = (): boolean => {
    let v = not();
    while (toks[i] === "&&") {
      i++;
      v = not() && v;
    }
    return v;
  };
  const not = (): boolean => {
    if (toks[i] === "!") {
      i++;
      return !not();
    }
    if (toks[i] === "(") {
      i++;
      const v = or();
      i++;
      return v;
    }
    return tagSatisfied(toks[i++] ?? "", goMinor);
  };
  return or();
}

/** go/build's goodOSArchFile: name_GOOS.go, name_GOARCH.go, name_GOOS_GOARCH.go. */
function goodOSArchFile(file: string): boolean {
  let name = file.replace(/\.go$/, "");
  const i = name.indexOf("_");
  if (i < 0) return true;
  name = name.slice(i);
  const l = name.split("_");
  const n = l.length;
  if (n >= 2 && KNOWN_OS.has(l[n - 2]!) && KNOWN_ARCH.has(l[n - 1]!)) return l[n - 2] === GOOS && l[n - 1] === GOARCH;
  if (n >= 1 && KNOWN_OS.has(l[n - 1]!)) return l[n - 1] === GOOS;
  if (n >= 1 && KNOWN_ARCH.has(l[n - 1]!)) return l[n - 1] === GOARCH;
  return true;
}

// ---- planning --------------------------------------------------------------------------------------

const dirOf = (p: string) => (p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : ".");
const baseOf = (p: string) => p.slice(p.lastIndexOf("/") + 1);

/** The package's files go build would compile, or why it cannot. */
function packageFiles(files: Record<string, string>, dir: string, goMinor: number): { parsed: ParsedFile[]; error?: string } {
  const parsed: ParsedFile[] = [];
  for (const [name, src] of Object.entries(files)) {
    if (dirOf(name) !== dir || !name.endsWith(".go")) continue;
    const base = baseOf(name);
    if (base.startsWith("_") || base.startsWith(".") || base.endsWith("_test.go") || !goodOSArchFile(base)) continue;
    const p = parseFile(name, src);
    if (!p) {
      // cmd/go leaves the syntax error to the compiler when the package clause cannot be read.
      parsed.push({ name, pkg: "", imports: [], embeds: [] });
      continue;
    }
    if (p.buildExpr !== undefined && !evalBuildExpr(p.buildExpr, goMinor)) continue;
    // With cgo off, files that import "C" are not part of the package.
    if (p.imports.some((im) => im.path === "C")) continue;
    parsed.push(p);
  }
  const names = [...new Set(parsed.map((p) => p.pkg).filter((x) => x !== ""))];
  if (names.length > 1) {
    const a = parsed.find((p) => p.pkg === names[0])!;
    const b = parsed.find((p) => p.pkg === names[1])!;
    return { parsed, error: `found packages ${names[0]} (${baseOf(a.name)}) and ${names[1]} (${baseOf(b.name)}) in ${dir === "." ? "." : dir}` };
  }
  return { parsed };
}

function globToRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) throw new Error("invalid pattern syntax");
      let cls = pattern.slice(i + 1, end);
      if (cls.startsWith("^")) cls = "^" + cls.slice(1);
      re += `[${cls.replace(/\\/g, "\\\\")}]`;
      i = end;
    } else if (c === "\\") {
      re += "\\" + (pattern[++i] ?? "");
    } else re += c.replace(/[.+^${}()|]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** embedcfg for the package's //go:embed patterns, or go build's error for one. */
function embedConfig(files: Record<string, string>, dir: string, parsed: ParsedFile[]): { cfg?: LocalPackage["embed"]; error?: string } {
  const patterns: Record<string, string[]> = {};
  const cfgFiles: Record<string, string> = {};
  const prefix = dir === "." ? "" : dir + "/";
  const inPkg = Object.keys(files)
    .filter((f) => f.startsWith(prefix))
    .map((f) => f.slice(prefix.length));
  for (const p of parsed)
    for (const e of p.embeds)
      for (const raw of e.patterns) {
        if (patterns[raw]) continue;
        const all = raw.startsWith("all:");
        const pat = all ? raw.slice(4) : raw;
        const where = `${p.name}:${e.line}:${e.col}`;
        const invalid = pat === "" || pat.startsWith("/") || pat.endsWith("/") || pat.split("/").some((s) => s === "" || s === "." || s === "..") || /[\\:]/.test(pat);
        if (invalid) return { error: `${where}: pattern ${raw}: invalid pattern syntax` };
        let re: RegExp;
        try {
          re = globToRegExp(pat);
        } catch {
          return { error: `${where}: pattern ${raw}: invalid pattern syntax` };
        }
        const matched = new Set<string>();
        for (const f of inPkg) {
          const parts = f.split("/");
          for (let k = 1; k <= parts.length; k++) {
            if (!re.test(parts.slice(0, k).join("/"))) continue;
            // A directory: the files below it, without hidden ones unless all:.
            const below = parts.slice(k, -1).concat(k < parts.length ? [parts[parts.length - 1]!] : []);
            if (k < parts.length && !all && below.some((s) => s.startsWith(".") || s.startsWith("_"))) break;
            matched.add(f);
            break;
          }
        }
        if (matched.size === 0) return { error: `${where}: pattern ${raw}: no matching files found` };
        patterns[raw] = [...matched].sort();
        for (const f of matched) cfgFiles[f] = `${SRC}/${prefix}${f}`;
      }
  return Object.keys(patterns).length ? { cfg: { Patterns: patterns, Files: cfgFiles } } : {};
}

const isStdLike = (p: string) => !p.split("/")[0]!.includes(".");

/**
 * What to compile for the package in `entryDir`, in order, or go build's diagnostics.
 * `goroot` names GOROOT in "is not in std" errors (as the host adapter shows it).
 */
export function planGoBuild(
  files: Record<string, string>,
  entryDir: string,
  modulePath: string,
  manifest: Pick<GoWasmManifest, "packages" | "goVersion">,
): { plan: GoBuildPlan } | { diagnostics: string } {
  const goMinor = Number(/^go1\.(\d+)/.exec(manifest.goVersion)?.[1] ?? 99);
  const local = new Map<string, LocalPackage>();
  const order: LocalPackage[] = [];
  const std = new Set<string>();
  const state = new Map<string, "visiting" | "done">();
  const importPathOf = (dir: string) => (dir === "." ? modulePath : `${modulePath}/${dir}`);

  const visit = (dir: string, stack: string[]): string | undefined => {
    const importPath = importPathOf(dir);
    const s = state.get(dir);
    if (s === "done") return undefined;
    if (s === "visiting") {
      const chain = [...stack, importPath];
      return `package ${chain[0]}\n${chain.slice(1).map((p, i, a) => `\timports ${p}${i === a.length - 1 ? ": import cycle not allowed" : ""}`).join("\n")}\n`;
    }
    state.set(dir, "visiting");
    const { parsed, error } = packageFiles(files, dir, goMinor);
    if (error) return `${error}\n`;
    if (parsed.length === 0) return `no Go files in ${dir}\n`;
    const name = parsed.find((p) => p.pkg)?.pkg ?? "main";
    const pkg: LocalPackage = { importPath, dir, name, files: parsed.map((p) => p.name).sort(), imports: [] };
    const problems: string[] = [];
    for (const p of parsed) {
      for (const im of p.imports) {
        if (pkg.imports.includes(im.path)) continue;
        pkg.imports.push(im.path);
        const where = `${p.name}:${im.line}:${im.col}`;
        if (im.path === "unsafe" || im.path === "C") continue;
        if (im.path === modulePath || im.path.startsWith(modulePath + "/")) {
          const sub = im.path === modulePath ? "." : im.path.slice(modulePath.length + 1);
          const internal = sub.split("/").indexOf("internal");
          if (internal >= 0) {
            const parent = sub.split("/").slice(0, internal).join("/") || ".";
            if (parent !== "." && dir !== parent && !dir.startsWith(parent + "/")) {
              problems.push(`package ${importPath}\n\t${where}: use of internal package ${im.path} not allowed`);
              continue;
            }
          }
          if (!Object.keys(files).some((f) => f.endsWith(".go") && dirOf(f) === sub)) {
            problems.push(`${where}: package ${im.path} is not in std ($GOROOT/src/${im.path})`);
            continue;
          }
          const err = visit(sub, [...stack, importPath]);
          if (err) return err;
          continue;
        }
        const info = manifest.packages[im.path];
        if (info) {
          if (im.path.startsWith("vendor/")) problems.push(`${where}: use of vendored package not allowed`);
          else if (im.path.split("/").includes("internal")) problems.push(`package ${importPath}\n\t${where}: use of internal package ${im.path} not allowed`);
          else {
            std.add(im.path);
            for (const d of info.deps) std.add(d);
          }
        } else if (isStdLike(im.path)) problems.push(`${where}: package ${im.path} is not in std ($GOROOT/src/${im.path})`);
        else problems.push(`go: finding module for package ${im.path}\n${where}: cannot find module providing package ${im.path}: module lookup disabled by GOPROXY=off`);
      }
    }
    if (problems.length) return problems.join("\n") + "\n";
    const embed = embedConfig(files, dir, parsed);
    if (embed.error) return `${embed.error}\n`;
    if (embed.cfg) pkg.embed = embed.cfg;
    state.set(dir, "done");
    local.set(dir, pkg);
    order.push(pkg);
    return undefined;
  };
  const err = visit(entryDir, []);
  if (err) return { diagnostics: err };
  // The linker needs every package the program reaches; the runtime's are always linked.
  for (const base of ["runtime"]) {
    std.add(base);
    for (const d of manifest.packages[base]?.deps ?? []) std.add(d);
  }
  return { plan: { modulePath, packages: order, std: [...std].filter((p) => manifest.packages[p]).sort() } };
}

// ---- running the tools -----------------------------------------------------------------------------

interface ToolRun {
  exitCode: number;
  output: string;
  files: Map<string, Uint8Array>;
}

type Tree = Record<string, string | Uint8Array>;

/** Runs a tool once, on a fresh instance, with `tree` as its whole file system. */
function runTool(module: WebAssembly.Module, args: string[], tree: Tree, cwd: string, read: string[]): ToolRun {
  let output = "";
  const decoder = new TextDecoder();
  const io = {
    stdin: new Uint8Array(0),
    // The tools read no input: end of file at once.
    read: () => 0,
    write(_fd: 1 | 2, data: Uint8Array | string) {
      if (output.length < 256 * 1024) output += typeof data === "string" ? data : decoder.decode(data, { stream: true });
    },
  };
  // Only what the tool needs: no HOME, no user environment. PWD is wasip1's working directory.
  const env = { PWD: cwd, GOOS, GOARCH, GOROOT: "/goroot", GOCACHE: "off", TMPDIR: "/tmp" };
  const ctx = createWasi({ args, env, files: { ...tree, "tmp/.keep": "" }, io });
  const instance = new WebAssembly.Instance(module, ctx.imports);
  let exitCode: number;
  try {
    exitCode = ctx.wasi.start(instance as never);
  } catch (e) {
    if (e instanceof WASIProcExit) exitCode = e.code;
    else if (e instanceof WebAssembly.RuntimeError || e instanceof RangeError) {
      output += `\n${args[0]}: ${e.message}\n`;
      exitCode = 2;
    } else throw e;
  }
  const out = new Map<string, Uint8Array>();
  for (const p of read) {
    let node: unknown = ctx.root;
    for (const part of p.replace(/^\//, "").split("/")) node = (node as { contents?: Map<string, unknown> })?.contents?.get(part);
    const data = (node as { data?: Uint8Array } | undefined)?.data;
    if (data) out.set(p, data);
  }
  return { exitCode, output, files: out };
}

/** The bytes around runtime/debug's build info, as cmd/go writes them (cmd/go/internal/modload). */
const INFO_START = "3077af0c9274080241e1c107e6d618e6";
const INFO_END = "f932433186182072008242104116d8f2";

/** importcfg's `modinfo` line: what `go build -trimpath -buildvcs=false` records for the program. */
function modinfoLine(plan: GoBuildPlan, main: LocalPackage): string {
  const info =
    `path\t${main.importPath}\nmod\t${plan.modulePath}\t(devel)\t\n` +
    ["-buildmode=exe", "-compiler=gc", "-trimpath=true", "CGO_ENABLED=0", `GOARCH=${GOARCH}`, `GOOS=${GOOS}`].map((s) => `build\t${s}\n`).join("");
  const bytes = [...(INFO_START.match(/../g) ?? []).map((h) => parseInt(h, 16)), ...new TextEncoder().encode(info), ...(INFO_END.match(/../g) ?? []).map((h) => parseInt(h, 16))];
  // A Go-quoted string: printable ASCII as is, every other byte as \xNN.
  const quoted = bytes.map((b) => (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`)).join("");
  return `modinfo "${quoted}"`;
}

/** Rewrites the compiler's `./file.go` positions as go build shows them (relative to the module root). */
function showOutput(pkg: LocalPackage, output: string): string {
  let text = output.split("\n").filter((l) => l !== "").join("\n");
  if (pkg.dir !== ".") text = text.replace(/(^|[\s(])\.\//gm, `$1${pkg.dir}/`);
  return `# ${pkg.importPath}\n${text}\n`;
}

/**
 * Compiles and links the plan. `archives` holds every std archive the plan names (by import path).
 * Synchronous work in a worker; the caller's deadline ends it by ending the worker.
 */
export function runGoBuild(
  plan: GoBuildPlan,
  files: Record<string, string>,
  tools: GoTools,
  archives: Record<string, Uint8Array>,
  manifest: Pick<GoWasmManifest, "goVersion">,
): BuildResult {
  const tree: Tree = {};
  const stdCfg: string[] = [];
  for (const ip of plan.std) {
    const data = archives[ip];
    if (!data) throw new Error(`the Go standard library archive of ${ip} is missing`);
    tree[`${PKG.slice(1)}/${ip}.a`] = data;
    stdCfg.push(`packagefile ${ip}=${PKG}/${ip}.a`);
  }
  // The request's sources (and files //go:embed names) under /src; nothing else of it.
  for (const [name, content] of Object.entries(files)) tree[`${SRC.slice(1)}/${name}`] = content;
  const localCfg: string[] = [];
  const lang = /^go1\.\d+/.exec(manifest.goVersion)?.[0] ?? "go1.23";
  for (const [n, pkg] of plan.packages.entries()) {
    const isMain = pkg === plan.packages[plan.packages.length - 1];
    const archive = `${OUT}/p${n}.a`;
    const cfg = `${OUT}/importcfg${n}`;
    tree[cfg.slice(1)] = [...stdCfg, ...localCfg].join("\n") + "\n";
    const cwd = pkg.dir === "." ? SRC : `${SRC}/${pkg.dir}`;
    const args = [
      "compile",
      "-o", archive,
      "-trimpath", `${SRC}=>${plan.modulePath}`,
      "-p", isMain && pkg.name === "main" ? "main" : pkg.importPath,
      `-lang=${lang}`,
      "-complete",
      "-dwarf=false",
      "-goversion", manifest.goVersion,
      "-c=1",
      "-nolocalimports",
      "-importcfg", cfg,
    ];
    if (pkg.embed) {
      const embedcfg = `${OUT}/embedcfg${n}`;
      tree[embedcfg.slice(1)] = JSON.stringify(pkg.embed);
      args.push("-embedcfg", embedcfg);
    }
    args.push("-pack", ...pkg.files.map((f) => `./${baseOf(f)}`));
    const r = runTool(tools.compile, args, tree, cwd, [archive]);
    const out = r.files.get(archive);
    if (r.exitCode !== 0 || !out) return { ok: false, diagnostics: showOutput(pkg, r.output || `compile exited with status ${r.exitCode}`) };
    tree[archive.slice(1)] = out;
    localCfg.push(`packagefile ${isMain && pkg.name === "main" ? "main" : pkg.importPath}=${archive}`);
  }
  const main = plan.packages[plan.packages.length - 1]!;
  if (main.name !== "main") return { ok: false, diagnostics: "" }; // a library: go build checks it compiles and writes nothing
  const linkCfg = `${OUT}/importcfg.link`;
  tree[linkCfg.slice(1)] = [...stdCfg, ...localCfg, modinfoLine(plan, main)].join("\n") + "\n";
  const exe = `${OUT}/main.wasm`;
  const r = runTool(tools.link, ["link", "-o", exe, "-importcfg", linkCfg, "-buildmode=exe", "-s", "-w", `${OUT}/p${plan.packages.length - 1}.a`], tree, SRC, [exe]);
  const wasm = r.files.get(exe);
  if (r.exitCode !== 0 || !wasm) return { ok: false, diagnostics: showOutput(main, r.output || `link exited with status ${r.exitCode}`) };
  const copy = new Uint8Array(new ArrayBuffer(wasm.byteLength));
  copy.set(wasm);
  return { ok: true, wasm: copy };
}
