/**
 * The playground's notebook mode: cells of one runtime that share one REPL context of one
 * session, so a variable or function defined in a cell is there for the next. A cell runs with
 * Shift+Enter (then the next cell is focused, as in Jupyter) or Ctrl+Enter (stays); its output
 * streams in, and below it the value of its last expression or the error it raised. Restart
 * forgets every variable (the session's files stay); the files panel lists the session's files.
 */
import { EditorView, basicSetup } from "codemirror";
import { Prec, type Extension } from "@codemirror/state";
import { keymap } from "@codemirror/view";
import type * as Wasmbox from "../src/browser/index.js";
import type { RuntimeName } from "../src/request.js";

/** The runtimes that have REPL contexts (Go and Rust sessions keep files only). */
export const NOTEBOOK_RUNTIMES: readonly RuntimeName[] = ["python", "node", "bun", "ruby", "php"];

type Context = Wasmbox.ReplContext;
type Session = Wasmbox.Session;

/** What a new notebook of a runtime starts with: state, a function, a file. */
const STARTERS: Record<string, string[]> = {
  python: ["import math\nradius = 2", "def area(r):\n    return math.pi * r ** 2\n\narea(radius)", `with open("notes.txt", "w") as f:\n    f.write(f"area={area(radius):.2f}\\n")\nprint(open("notes.txt").read())`],
  node: ["const radius = 2;", "function area(r) {\n  return Math.PI * r ** 2;\n}\narea(radius)", `const fs = require("fs");\nfs.writeFileSync("notes.txt", \`area=\${area(radius).toFixed(2)}\\n\`);\nconsole.log(fs.readFileSync("notes.txt", "utf8"));`],
  bun: ["const radius: number = 2;", "function area(r: number): number {\n  return Math.PI * r ** 2;\n}\narea(radius)", `const fs = require("fs");\nfs.writeFileSync("notes.txt", \`area=\${area(radius).toFixed(2)}\\n\`);\nconsole.log(fs.readFileSync("notes.txt", "utf8"));`],
  ruby: ["radius = 2", "def area(r)\n  Math::PI * r ** 2\nend\n\narea(radius)", `File.write("notes.txt", "area=#{area(radius).round(2)}\\n")\nputs File.read("notes.txt")`],
  php: ["$radius = 2;", "// PHP has no expression value to show: echo it.\nfunction area($r) {\n  return M_PI * $r ** 2;\n}\necho area($radius), \"\\n\";", `file_put_contents("notes.txt", sprintf("area=%.2f\\n", area($radius)));\necho file_get_contents("notes.txt");`],
};

export interface NotebookOptions {
  executor: Wasmbox.BrowserExecutor;
  /** The runtimes this page can run (the notebook offers those that have contexts). */
  usable: readonly RuntimeName[];
  languages: Record<RuntimeName, () => Extension>;
  root: HTMLElement;
  runtime?: RuntimeName;
  /** Each cell's timeout, ms. */
  timeout: () => number | undefined;
}

interface Cell {
  el: HTMLElement;
  editor: EditorView;
  count: HTMLElement;
  output: HTMLElement;
  value: HTMLElement;
  error: HTMLElement;
  note: HTMLElement;
}

export function createNotebook(o: NotebookOptions): { show(): void } {
  const $ = <T extends HTMLElement>(sel: string) => o.root.querySelector(sel) as T;
  const runtimeSelect = $<HTMLSelectElement>("#nb-runtime");
  const cellsEl = $("#nb-cells");
  const status = $("#nb-status");
  const filesEl = $("#nb-files");
  const fileView = $<HTMLPreElement>("#nb-file-view");
  const stopButton = $<HTMLButtonElement>("#nb-stop");
  const runtimes = NOTEBOOK_RUNTIMES.filter((r) => o.usable.includes(r));
  for (const r of runtimes) runtimeSelect.add(new Option(r, r));
  runtimeSelect.value = o.runtime && runtimes.includes(o.runtime) ? o.runtime : (runtimes[0] ?? "");

  let session: Session | undefined;
  let context: Context | undefined;
  let contextRuntime: RuntimeName | undefined;
  const cells: Cell[] = [];
  let counter = 0;
  let pending = 0;
  const running = new Set<AbortController>();
  let started = false;

  const setStatus = (text: string) => (status.textContent = text);
  const bump = (key: string) => (document.body.dataset[key] = String(Number(document.body.dataset[key] ?? 0) + 1));

  function openSession(): Session {
    // A playground notebook may sit idle for long: its session does not expire.
    session ??= o.executor.createSession({ idleTimeout: 0 });
    return session;
  }

  function currentContext(): Context {
    const runtime = runtimeSelect.value as RuntimeName;
    if (context && contextRuntime === runtime) return context;
    context = openSession().createContext(runtime);
    contextRuntime = runtime;
    return context;
  }

  function addCell(code = "", after?: Cell): Cell {
    const el = document.createElement("div");
    el.className = "cell";
    el.dataset.state = "idle";
    el.innerHTML = `<div class="cell-head"><span class="cell-count">[ ]</span><button type="button" class="cell-run" title="Run (Shift+Enter)">▶</button><button type="button" class="cell-delete" title="Delete cell">✕</button></div>
<div class="cell-editor"></div><pre class="cell-output"></pre><pre class="cell-value" hidden></pre><pre class="cell-error" hidden></pre><div class="cell-note" hidden></div>`;
    const q = (c: string) => el.querySelector(`.${c}`) as HTMLElement;
    let cell!: Cell;
    const keys = Prec.highest(
      keymap.of([
        { key: "Shift-Enter", run: () => (void runAndAdvance(cell), true) },
        { key: "Mod-Enter", run: () => (void runCell(cell), true) },
      ]),
    );
    const editor = new EditorView({ parent: q("cell-editor"), doc: code, extensions: [basicSetup, keys, o.languages[runtimeSelect.value as RuntimeName]()] });
    cell = { el, editor, count: q("cell-count"), output: q("cell-output"), value: q("cell-value"), error: q("cell-error"), note: q("cell-note") };
    q("cell-run").addEventListener("click", () => void runCell(cell));
    q("cell-delete").addEventListener("click", () => {
      const i = cells.indexOf(cell);
      if (i >= 0) cells.splice(i, 1);
      editor.destroy();
      el.remove();
    });
    const at = after ? cells.indexOf(after) + 1 : cells.length;
    cellsEl.insertBefore(el, cells[at]?.el ?? null);
    cells.splice(at, 0, cell);
    return cell;
  }

  function clearOutput(cell: Cell): void {
    cell.output.textContent = "";
    for (const e of [cell.value, cell.error, cell.note]) {
      e.textContent = "";
      e.hidden = true;
    }
  }

  async function runAndAdvance(cell: Cell): Promise<void> {
    const i = cells.indexOf(cell);
    const next = cells[i + 1] ?? addCell("", cell);
    next.editor.focus();
    await runCell(cell);
  }

  async function runCell(cell: Cell): Promise<void> {
    const code = cell.editor.state.doc.toString();
    clearOutput(cell);
    cell.el.dataset.state = "running";
    cell.count.textContent = "[*]";
    const abort = new AbortController();
    running.add(abort);
    stopButton.disabled = false;
    pending++;
    setStatus(`running (${pending})…`);
    const append = (text: string, cls?: string) => {
      if (!cls) return void cell.output.append(text);
      const span = document.createElement("span");
      span.className = cls;
      span.textContent = text;
      cell.output.append(span);
    };
    const note = (text: string) => {
      cell.note.textContent = text;
      cell.note.hidden = false;
    };
    try {
      const timeout = o.timeout();
      const r = await currentContext().run(code, {
        onStdout: (t) => append(t),
        onStderr: (t) => append(t, "err"),
        signal: abort.signal,
        ...(timeout !== undefined && { timeout }),
      });
      const n = ++counter;
      cell.count.textContent = `[${n}]`;
      if (r.value !== undefined) {
        cell.value.textContent = r.value;
        cell.value.dataset.prompt = `Out[${n}]:`;
        cell.value.hidden = false;
      }
      if (r.error) {
        cell.error.textContent = r.error.traceback || `${r.error.type}: ${r.error.message}`;
        cell.error.dataset.type = r.error.type;
        cell.error.hidden = false;
      }
      if (r.ended) {
        counter = 0;
        const why = r.timedOut ? "the cell timed out" : r.exitCode === 130 ? "the cell was stopped" : `the interpreter ended (exit code ${r.exitCode})`;
        note(`${why}: its variables are gone; the next cell starts a fresh interpreter (the files stay)`);
      }
      cell.el.dataset.state = r.error || r.ended ? "error" : "done";
    } catch (e) {
      cell.count.textContent = "[!]";
      cell.error.textContent = `${(e as { code?: string }).code ?? (e as Error).name}: ${(e as Error).message}`;
      cell.error.dataset.type = (e as { code?: string }).code ?? "Error";
      cell.error.hidden = false;
      cell.el.dataset.state = "error";
    } finally {
      running.delete(abort);
      stopButton.disabled = running.size === 0;
      pending--;
      setStatus(pending > 0 ? `running (${pending})…` : "ready");
      await refreshFiles();
      bump("cellsRun");
    }
  }

  async function refreshFiles(): Promise<void> {
    if (!session || session.closed) return;
    const rows: { path: string; size: number }[] = [];
    const walk = async (dir: string) => {
      for (const e of await session!.files.list(dir)) {
        if (e.type === "dir") await walk(e.path);
        else rows.push({ path: e.path, size: e.size });
      }
    };
    try {
      await walk("");
    } catch {
      return;
    }
    filesEl.replaceChildren(
      ...rows.map((f) => {
        const li = document.createElement("li");
        const b = document.createElement("button");
        b.type = "button";
        b.className = "nb-file";
        b.textContent = f.path;
        b.dataset.path = f.path;
        b.addEventListener("click", async () => {
          const text = await session!.files.readText(f.path).catch((e: Error) => `(${e.message})`);
          fileView.textContent = text.length > 65536 ? `${text.slice(0, 65536)}\n…` : text;
          fileView.dataset.path = f.path;
        });
        li.append(b, ` ${f.size} B`);
        return li;
      }),
    );
    if (rows.length === 0) filesEl.innerHTML = `<li class="empty">no files yet</li>`;
  }

  async function restart(): Promise<void> {
    for (const a of running) a.abort();
    setStatus("restarting…");
    await context?.restart().catch(() => {});
    counter = 0;
    for (const c of cells) c.count.textContent = "[ ]";
    setStatus("restarted: variables are gone, the files stay");
    bump("restarts");
  }

  async function changeRuntime(): Promise<void> {
    for (const a of running) a.abort();
    const old = context;
    context = undefined;
    contextRuntime = undefined;
    await old?.close().catch(() => {});
    counter = 0;
    for (const c of cells.splice(0)) {
      c.editor.destroy();
      c.el.remove();
    }
    for (const code of STARTERS[runtimeSelect.value] ?? [""]) addCell(code);
    setStatus(`new ${runtimeSelect.value} notebook (the session's files stay)`);
  }

  $("#nb-add").addEventListener("click", () => addCell().editor.focus());
  $("#nb-run-all").addEventListener("click", async () => {
    for (const c of [...cells]) await runCell(c);
  });
  $("#nb-restart").addEventListener("click", () => void restart());
  stopButton.addEventListener("click", () => {
    for (const a of running) a.abort();
  });
  runtimeSelect.addEventListener("change", () => void changeRuntime());

  return {
    show() {
      if (started) return;
      started = true;
      if (runtimes.length === 0) {
        setStatus("no runtime with REPL contexts can run in this page");
        return;
      }
      for (const code of STARTERS[runtimeSelect.value] ?? [""]) addCell(code);
      setStatus("ready: Shift+Enter runs a cell");
      void refreshFiles();
      document.body.dataset.notebookReady = "true";
    },
  };
}
