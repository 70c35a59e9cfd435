/**
 * rustc reads host files while it compiles: `include_str!("/etc/hostname")` embeds a file,
 * `env!("HOME")` the compiler's environment, `#[path = "/etc/passwd"] mod x;` parses any file,
 * `#[link(name = "@/etc/passwd")]` makes the linker read a file as a response file and print
 * it, `#[debugger_visualizer]` embeds one. This check refuses those constructs on the token
 * stream, before any compiler sees the source, as an early error that names them: written out,
 * inside `cfg_attr`, through `use` renames, and the plain metavariable forms (`$m!(..)` or
 * `#[$m]` when the file also names a host macro or attribute for them to receive).
 *
 * It cannot see what macros build (token trees reassembled in any order), and it does not try:
 * the guarantee is the compiler's jail (runtimes/compiled/jail.ts), where no host file exists.
 * So it stays narrow enough never to refuse ordinary macro code (index expressions `$v[$i]`,
 * `$(#[$meta])*` on generated items, callbacks `$cb!(..)`).
 */

interface Token {
  kind: "ident" | "punct" | "literal";
  text: string;
  line: number;
  col: number;
}

/** Built-in macros that read the host at compile time. */
const HOST_MACROS = new Set(["include", "include_str", "include_bytes", "env", "option_env"]);
/** Attributes that make rustc or the linker read a file, or unlock unstable features. */
const HOST_ATTRIBUTES = new Map([
  ["path", "`#[path]` makes rustc read a file chosen by the source"],
  ["link", "`#[link]` passes names to the linker (`@file` reads a host file)"],
  ["link_args", "`#[link_args]` passes arguments to the linker"],
  ["debugger_visualizer", "`#[debugger_visualizer]` embeds a host file"],
  ["feature", "`#![feature]` enables unstable compiler features"],
]);

const IDENT_START = /[\p{XID_Start}_]/u;
const IDENT_CONTINUE = /[\p{XID_Continue}]/u;

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = (j: number) => src[j] ?? "";
  const push = (kind: Token["kind"], text: string, start: number) => tokens.push({ kind, text, line, col: start - lineStart + 1 });
  const advanceTo = (end: number) => {
    for (let j = i; j < end && j < src.length; j++)
      if (src[j] === "\n") {
        line++;
        lineStart = j + 1;
      }
    i = end;
  };
  /** End of a quoted literal starting at `open` (the quote), honouring backslash escapes. */
  const quotedEnd = (open: number, quote: string) => {
    let j = open + 1;
    while (j < src.length && src[j] !== quote) j += src[j] === "\\" ? 2 : 1;
    return j + 1;
  };
  const rawEnd = (hashStart: number) => {
    let j = hashStart;
    let hashes = 0;
    while (src[j] === "#") {
      hashes++;
      j++;
    }
    if (src[j] !== '"') return undefined;
    const close = src.indexOf('"' + "#".repeat(hashes), j + 1);
    return close < 0 ? src.length : close + 1 + hashes;
  };

  while (i < src.length) {
    const c = src[i]!;
    const start = i;
    const line0 = line;
    const col0 = i - lineStart + 1;
    if (/\s/.test(c)) {
      advanceTo(i + 1);
    } else if (c === "/" && at(i + 1) === "/") {
      const nl = src.indexOf("\n", i);
      advanceTo(nl < 0 ? src.length : nl);
    } else if (c === "/" && at(i + 1) === "*") {
      let depth = 0;
      let j = i;
      while (j < src.length) {
        if (src[j] === "/" && at(j + 1) === "*") {
          depth++;
          j += 2;
        } else if (src[j] === "*" && at(j + 1) === "/") {
          depth--;
          j += 2;
          if (depth === 0) break;
        } else j++;
      }
      advanceTo(j);
    } else if (
      (c === "r" && (at(i + 1) === '"' || at(i + 1) === "#")) ||
      ((c === "b" || c === "c") && (at(i + 1) === '"' || (at(i + 1) === "r" && /["#]/.test(at(i + 2))))) ||
      (c === "b" && at(i + 1) === "'")
    ) {
      // b"..", c"..", r".." r#".."#, br".." cr"..", b'x', or a raw identifier r#name
      let j = i + 1;
      if (at(j) === "r") j++;
      const raw = c === "r" || at(i + 1) === "r";
      if (at(j) === "'") {
        advanceTo(quotedEnd(j, "'"));
        tokens.push({ kind: "literal", text: src.slice(start, i), line: line0, col: col0 });
      } else if (raw && at(j) === "#" && IDENT_START.test(at(j + 1)) && c === "r") {
        let k = j + 1;
        while (k < src.length && IDENT_CONTINUE.test(src[k]!)) k++;
        tokens.push({ kind: "ident", text: src.slice(j + 1, k), line: line0, col: col0 });
        advanceTo(k);
      } else if (raw) {
        const end = rawEnd(j);
        if (end === undefined) {
          // `r` followed by `#` but not a raw string: an identifier starting with r
          let k = i + 1;
          while (k < src.length && IDENT_CONTINUE.test(src[k]!)) k++;
          tokens.push({ kind: "ident", text: src.slice(i, k), line: line0, col: col0 });
          advanceTo(k);
        } else {
          advanceTo(end);
          tokens.push({ kind: "literal", text: src.slice(start, end), line: line0, col: col0 });
        }
      } else {
        advanceTo(quotedEnd(j, '"'));
        tokens.push({ kind: "literal", text: src.slice(start, i), line: line0, col: col0 });
      }
    } else if (c === '"') {
      advanceTo(quotedEnd(i, '"'));
      tokens.push({ kind: "literal", text: src.slice(start, i), line: line0, col: col0 });
    } else if (c === "'") {
      // a char literal ('a', '\n', '\u{1F600}') or a lifetime / label ('a, 'static)
      const cp = src.codePointAt(i + 1);
      const width = cp !== undefined && cp > 0xffff ? 2 : 1;
      if (at(i + 1) === "\\") advanceTo(quotedEnd(i, "'"));
      else if (at(i + 1 + width) === "'") advanceTo(i + 2 + width);
      else {
        let k = i + 1;
        while (k < src.length && IDENT_CONTINUE.test(src[k]!)) k++;
        advanceTo(k);
      }
      tokens.push({ kind: "literal", text: src.slice(start, i), line: line0, col: col0 });
    } else if (IDENT_START.test(c)) {
      let k = i + 1;
      while (k < src.length && IDENT_CONTINUE.test(src[k]!)) k++;
      push("ident", src.slice(i, k), i);
      advanceTo(k);
    } else if (/[0-9]/.test(c)) {
      let k = i + 1;
      while (k < src.length && /[0-9A-Za-z_]/.test(src[k]!)) k++;
      push("literal", src.slice(i, k), i);
      advanceTo(k);
    } else {
      const two = src.slice(i, i + 2);
      const text = two === "!=" || two === "::" ? two : c;
      push("punct", text, i);
      advanceTo(i + text.length);
    }
  }
  return tokens;
}

export interface Refusal {
  file: string;
  line: number;
  col: number;
  message: string;
}

/** Index of the token closing the bracket opened at `open`. */
function closing(tokens: Token[], open: number): number {
  const pairs: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
  let depth = 0;
  for (let j = open; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (t.kind !== "punct") continue;
    if (t.text in pairs) depth++;
    else if (t.text === ")" || t.text === "]" || t.text === "}") {
      depth--;
      if (depth === 0) return j;
    }
  }
  return tokens.length;
}

/** Meta items of an attribute body (`path = ".."`, `cfg_attr(pred, a, b)`, `unsafe(link(..))`). */
function checkMeta(tokens: Token[], from: number, to: number, report: (t: Token, message: string) => void): void {
  // split at top-level commas
  let start = from;
  for (let j = from; j <= to; j++) {
    const t = tokens[j];
    const atEnd = j === to;
    if (!atEnd && t?.kind === "punct" && (t.text === "(" || t.text === "[" || t.text === "{")) {
      j = closing(tokens, j);
      continue;
    }
    if (atEnd || (t?.kind === "punct" && t.text === ",")) {
      checkMetaItem(tokens, start, j, report);
      start = j + 1;
    }
  }
}

function checkMetaItem(tokens: Token[], from: number, to: number, report: (t: Token, message: string) => void): void {
  if (from >= to) return;
  const path: string[] = [];
  let j = from;
  while (j < to && (tokens[j]!.kind === "ident" || tokens[j]!.text === "::")) {
    if (tokens[j]!.kind === "ident") path.push(tokens[j]!.text);
    j++;
  }
  const name = path.join("::");
  const reason = HOST_ATTRIBUTES.get(name);
  if (reason) report(tokens[from]!, reason);
  const next = tokens[j];
  if (next?.kind === "punct" && next.text === "(") {
    const close = closing(tokens, j);
    if (name === "cfg_attr") {
      // cfg_attr(predicate, attr, attr...): the predicate is not an attribute
      let k = j + 1;
      for (; k < close; k++) {
        const t = tokens[k]!;
        if (t.kind === "punct" && (t.text === "(" || t.text === "[")) k = closing(tokens, k);
        else if (t.kind === "punct" && t.text === ",") break;
      }
      checkMeta(tokens, k + 1, close, report);
    } else if (name === "unsafe") {
      checkMeta(tokens, j + 1, close, report);
    }
  }
}

/** Names of host macros and attributes that the file mentions where a macro could receive them. */
interface Mentions {
  /** A host macro name as a bare token (`call!(env)`), not a path segment, field, binding or `use` item. */
  hostMacro: boolean;
  /** A host attribute written as a meta item outside an attribute (`m!(path = "..")`, `m!(link(..))`). */
  hostMeta: boolean;
}

const BINDING_WORDS = new Set(["let", "mut", "fn", "struct", "enum", "mod", "const", "static", "type", "ref"]);

function mentions(tokens: Token[]): Mentions {
  const m: Mentions = { hostMacro: false, hostMeta: false };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== "ident") continue;
    if (t.text === "use") {
      // `use std::env;` names a module, not a macro handed to another macro
      while (i < tokens.length && tokens[i]!.text !== ";") i++;
      continue;
    }
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const after = tokens[i + 2];
    const bound = prev?.text === "." || (prev?.kind === "ident" && BINDING_WORDS.has(prev.text)) || prev?.text === "'";
    if (HOST_MACROS.has(t.text) && !bound && ![".", "::", ":", "="].includes(next?.text ?? "")) m.hostMacro = true;
    // as a meta item: `path = "<string>"`, `link(name = ..)`; not `path = other` or a call `link(1)`
    const assignedString = next?.text === "=" && after?.kind === "literal" && after.text.includes('"');
    if (!bound && (t.text === "path" || t.text === "link_args") && assignedString) m.hostMeta = true;
    if (!bound && prev?.text !== "::" && next?.text === "(" && (t.text === "link" ? after?.text === "name" : ["debugger_visualizer", "feature"].includes(t.text)))
      m.hostMeta = true;
  }
  return m;
}

/**
 * Fragment specifiers of the metavariables the file's macro_rules! declare (`$x:expr`). A name
 * declared `tt` anywhere, or used without a declaration (a repetition), may be any token.
 */
function fragments(tokens: Token[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (let i = 0; i + 3 < tokens.length; i++)
    if (tokens[i]!.text === "$" && tokens[i + 1]!.kind === "ident" && tokens[i + 2]!.text === ":" && tokens[i + 3]!.kind === "ident") {
      const name = tokens[i + 1]!.text;
      if (!out.has(name)) out.set(name, new Set());
      out.get(name)!.add(tokens[i + 3]!.text);
    }
  return out;
}

/** The attribute whose `[` is at `open`: a named host attribute, or one built from metavariables that could receive one. */
function checkAttribute(tokens: Token[], open: number, seen: Mentions, report: (t: Token, message: string) => void): void {
  const close = closing(tokens, open);
  const dollar = tokens.slice(open + 1, close).find((t) => t.text === "$");
  if (dollar && seen.hostMeta) report(dollar, "an attribute built from `macro_rules!` metavariables, in a file that passes `path`, `link` or `feature` to a macro");
  checkMeta(tokens, open + 1, close, report);
}

export function findHostAccess(file: string, source: string): Refusal[] {
  const tokens = tokenize(source);
  const found: Refusal[] = [];
  const report = (t: Token, message: string) => found.push({ file, line: t.line, col: t.col, message });
  const seen = mentions(tokens);
  const frags = fragments(tokens);
  /** Could `$name` stand for any token (a `#` or a macro name)? Not when declared as an expression, type, ... only. */
  const anyToken = (name: string) => {
    const f = frags.get(name);
    return !f || f.has("tt") || f.has("ident") || f.has("path");
  };
  const mayBeHash = (name: string) => {
    const f = frags.get(name);
    return !f || f.has("tt");
  };
  // Brackets opened by `$(`: a repetition in a macro_rules! body.
  const dollarGroups = new Set<number>();
  const closesDollarGroup = new Set<number>();
  const stack: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    if (t.kind === "punct") {
      if (t.text === "(" || t.text === "[" || t.text === "{") {
        stack.push(i);
        if (t.text === "(" && prev?.text === "$") dollarGroups.add(i);
      } else if (t.text === ")" || t.text === "]" || t.text === "}") {
        const open = stack.pop();
        if (open !== undefined && dollarGroups.has(open)) closesDollarGroup.add(i);
      }
    }
    if (t.kind === "ident" && HOST_MACROS.has(t.text)) {
      if (next?.text === "!") report(t, `\`${t.text}!\` reads the host at compile time`);
      else if (next?.kind === "ident" && next.text === "as") report(t, `renaming \`${t.text}\` (a macro that reads the host at compile time)`);
    }
    // Tokens a macro_rules! body pastes in front of `!` or `[`: `$m!(..)`, `$($t)* !(..)`, `$h [path = ..]`.
    const p2 = tokens[i - 2];
    const metavariable = prev?.kind === "ident" && p2?.text === "$" ? prev.text : undefined;
    const afterRepetition =
      closesDollarGroup.has(i - 1) || (!!prev && /^[*+?]$/.test(prev.text) && [i - 2, i - 3].some((k) => closesDollarGroup.has(k)));
    if (t.kind === "punct" && t.text === "!" && seen.hostMacro && (afterRepetition || (metavariable !== undefined && anyToken(metavariable))))
      report(t, "a macro invoked through a `macro_rules!` metavariable, in a file that passes `include_str`, `env` or the like to a macro");
    if (t.kind === "punct" && t.text === "[" && (afterRepetition || (metavariable !== undefined && mayBeHash(metavariable))))
      checkAttribute(tokens, i, seen, report);
    if (t.kind === "punct" && t.text === "#") {
      let open = i + 1;
      if (tokens[open]?.text === "!") open++;
      if (tokens[open]?.text === "[") checkAttribute(tokens, open, seen, report);
    }
  }
  return found;
}

/** A compile-error style report of every refused construct, or undefined when there is none. */
export function refuseHostAccess(files: Record<string, string>): string | undefined {
  const all: Refusal[] = [];
  for (const [name, content] of Object.entries(files)) if (name.endsWith(".rs")) all.push(...findHostAccess(name, content));
  if (all.length === 0) return undefined;
  const lines = all
    .slice(0, 20)
    .map((r) => `error: ${r.message}; wasmbox does not compile it\n --> ${r.file}:${r.line}:${r.col}\n`);
  const what = all.length === 1 ? "a construct that reads" : `${all.length} constructs that read`;
  return `${lines.join("\n")}\nerror: aborting: the program uses ${what} files or the environment of the host at compile time\n`;
}
