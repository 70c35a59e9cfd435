/**
 * QuickJS words its own errors differently from V8 (`cannot read property 'x' of null` where
 * Node says `Cannot read properties of null (reading 'x')`) and has no hook where errors are
 * made, so the guest translates an error where a program can first see it. One such place is a
 * catch clause: `catch (e) {` becomes `catch (e) { e = __wasmbox_v8error(e);`, on the same line,
 * so line numbers hold; the inserted lengths are kept (`Shift`) so that stack-trace columns can
 * be mapped back to the file as written.
 */

/** `length` characters were inserted at 1-based `column` of `line` (both in the rewritten text). */
export type Shift = [line: number, column: number, length: number];

const TRANSLATE = "__wasmbox_v8error";
/** Keywords after which a `/` starts a regular expression rather than a division. */
const BEFORE_REGEX = new Set(["return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await"]);

function isIdent(c: string | undefined): boolean {
  return c !== undefined && /[\w$\u0080-\uffff]/.test(c);
}

/**
 * Rewrites the catch clauses of a program, and its `import.meta` when it is the module
 * `importMetaOf`. A small tokenizer skips strings, template literals
 * (with their `${}` nesting), comments and regular expression literals; only a plain identifier
 * or a one-line destructuring pattern is handled as the binding.
 */
export function rewriteCatches(source: string, importMetaOf?: string): { code: string; shifts: Shift[] } {
  if (!source.includes("catch") && !(importMetaOf !== undefined && source.includes("import"))) return { code: source, shifts: [] };
  const out: string[] = [];
  const shifts: Shift[] = [];
  let last = 0; // source index copied up to
  let line = 1;
  let lineStart = 0; // source index where the current line starts
  let added = 0; // characters inserted so far on the current line
  let prev = ""; // previous significant token: an identifier/keyword, or a punctuator
  const braces: boolean[] = []; // true: the `{` opened a template substitution
  const n = source.length;
  let i = 0;
  const newline = (at: number) => {
    line++;
    lineStart = at + 1;
    added = 0;
  };
  const skipTo = (end: number) => {
    for (let k = i; k < end; k++) if (source.charCodeAt(k) === 10) newline(k);
    i = end;
  };
  const template = (): void => {
    // i is just after a backtick or a closing `}` of a substitution.
    while (i < n) {
      const c = source[i];
      if (c === "\\") {
        if (source[i + 1] === "\n") newline(i + 1);
        i += 2;
      } else if (c === "`") {
        i++;
        return;
      } else if (c === "$" && source[i + 1] === "{") {
        i += 2;
        braces.push(true);
        return;
      } else {
        if (c === "\n") newline(i);
        i++;
      }
    }
  };
  while (i < n) {
    const c = source[i]!;
    if (c === "\n") {
      newline(i);
      i++;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "/" && source[i + 1] === "/") {
      const e = source.indexOf("\n", i);
      i = e < 0 ? n : e;
      continue;
    }
    if (c === "/" && source[i + 1] === "*") {
      const e = source.indexOf("*/", i + 2);
      skipTo(e < 0 ? n : e + 2);
      continue;
    }
    if (c === "'" || c === '"') {
      let k = i + 1;
      while (k < n && source[k] !== c && source[k] !== "\n") k += source[k] === "\\" ? 2 : 1;
      skipTo(Math.min(n, k + 1));
      prev = "str";
      continue;
    }
    if (c === "`") {
      i++;
      template();
      prev = "str";
      continue;
    }
    if (c === "/") {
      const regex = prev === "" || (!isIdent(prev[0]) && prev !== ")" && prev !== "]" && prev !== "str") || BEFORE_REGEX.has(prev);
      if (regex) {
        let k = i + 1;
        let cls = false;
        while (k < n && source[k] !== "\n") {
          const d = source[k];
          if (d === "\\") k++;
          else if (d === "[") cls = true;
          else if (d === "]") cls = false;
          else if (d === "/" && !cls) break;
          k++;
        }
        k++;
        while (k < n && isIdent(source[k])) k++;
        i = Math.min(k, n);
        prev = "str";
        continue;
      }
      i++;
      prev = "/";
      continue;
    }
    if (c === "{") {
      braces.push(false);
      i++;
      prev = "{";
      continue;
    }
    if (c === "}") {
      i++;
      if (braces.pop()) {
        template();
        prev = "str";
      } else prev = "}";
      continue;
    }
    if (isIdent(c)) {
      let k = i + 1;
      while (k < n && isIdent(source[k])) k++;
      const word = source.slice(i, k);
      const afterDot = prev === ".";
      const start = i;
      i = k;
      prev = word;
      const meta = word === "import" && importMetaOf !== undefined && !afterDot && /^[ \t]*\.[ \t]*meta\b/.exec(source.slice(k, k + 64));
      if (meta) {
        // A module's `import.meta` becomes a call the prelude answers (QuickJS gives no url).
        const end = k + meta[0].length;
        const call = `__wasmbox_importMeta(${JSON.stringify(importMetaOf)})`;
        out.push(source.slice(last, start), call);
        const grown = call.length - (end - start);
        shifts.push([line, start - lineStart + added + call.length + 1, grown]);
        added += grown;
        last = end;
        i = end;
        prev = ")";
        continue;
      }
      if (word !== "catch" || afterDot) continue;
      // catch (binding) {
      const m = /^\s*\(\s*([A-Za-z_$][\w$]*|\{[^\n{}]*\}|\[[^\n[\]]*\])\s*\)\s*\{/.exec(source.slice(k, k + 400));
      if (!m || m[0].includes("\n")) continue;
      const binding = m[1]!;
      const braceAt = k + m[0].length; // just after `{`
      const simple = /^[A-Za-z_$]/.test(binding);
      let text: string;
      if (simple) text = `${source.slice(last, braceAt)} ${binding} = ${TRANSLATE}(${binding});`;
      else text = `${source.slice(last, k)} (__wasmbox_caught) {let ${binding} = ${TRANSLATE}(__wasmbox_caught);`;
      const grown = text.length - (braceAt - last);
      out.push(text);
      // Columns after the `{` move right by `grown`.
      shifts.push([line, braceAt - lineStart + added + 1, grown]);
      added += grown;
      last = braceAt;
      i = braceAt;
      braces.push(false);
      prev = "{";
      continue;
    }
    i++;
    prev = c;
  }
  if (shifts.length === 0) return { code: source, shifts };
  out.push(source.slice(last));
  return { code: out.join(""), shifts };
}
