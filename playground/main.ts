/**
 * The wasmbox playground: pick a runtime, edit the program (CodeMirror 6), give stdin and args,
 * Run; output streams into a terminal (xterm.js) where stdin can be typed, Stop ends the
 * program, and the result's five fields are shown. It uses the prebuilt browser bundle exactly as a
 * site would after `npx wasmbox assets <dir>`: served under /wasmbox/ (see vite.config.ts).
 * The Notebook mode (notebook.ts, `?mode=notebook`) runs cells in one REPL context of a session.
 */
import { EditorView, basicSetup } from "codemirror";
import { Compartment, type Extension } from "@codemirror/state";
import { StreamLanguage } from "@codemirror/language";
import { python } from "@codemirror/lang-python";
import { javascript } from "@codemirror/lang-javascript";
import { php } from "@codemirror/lang-php";
import { rust } from "@codemirror/lang-rust";
import { go } from "@codemirror/lang-go";
import { ruby } from "@codemirror/legacy-modes/mode/ruby";
import type * as Wasmbox from "../src/browser/index.js";
import type { RuntimeName } from "../src/request.js";
import { EXAMPLES } from "./examples.js";
import { createTerminal } from "./terminal.js";
import { createNotebook } from "./notebook.js";

const ASSETS = "/wasmbox/";
// Not bundled by Vite: the page loads the same files `wasmbox assets` ships.
const wasmbox = (await import(/* @vite-ignore */ `${ASSETS}browser/index.js`)) as typeof Wasmbox;

const LANGUAGES: Record<RuntimeName, () => Extension> = {
  python: () => python(),
  node: () => javascript(),
  bun: () => javascript({ typescript: true }),
  ruby: () => StreamLanguage.define(ruby),
  php: () => php({ plain: false }),
  go: () => go(),
  rust: () => rust(),
};

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const select = $<HTMLSelectElement>("runtime");
const runButton = $<HTMLButtonElement>("run");
const status = $<HTMLSpanElement>("status");
const stdin = $<HTMLTextAreaElement>("stdin");
const args = $<HTMLInputElement>("args");
const stopButton = $<HTMLButtonElement>("stop");
const timeoutInput = $<HTMLInputElement>("timeout");
const interactive = $<HTMLInputElement>("interactive");
const terminal = createTerminal($("terminal"));
let stop: (() => void) | undefined;

const executor = wasmbox.createExecutor({ assetsBaseUrl: ASSETS, workerUrl: `${ASSETS}browser/worker.js` });
const language = new Compartment();
const editor = new EditorView({ parent: $("editor"), extensions: [basicSetup, language.of([])] });

function show(runtime: RuntimeName): void {
  const example = EXAMPLES[runtime];
  editor.dispatch({
    changes: { from: 0, to: editor.state.doc.length, insert: example.code },
    effects: language.reconfigure(LANGUAGES[runtime]()),
  });
  stdin.value = example.stdin;
  args.value = example.args;
}

let running: RuntimeName | undefined;
/** What is loading (load events), shown in the status line while a run waits for it. */
const loading = new Map<string, { text: string; since: number }>();
const PHASE_TEXT = { runtime: "loading", host: "starting (compiling the runtime)", compile: "compiling the program" } as const;
let statusTimer: ReturnType<typeof setInterval> | undefined;
function showLoading(): void {
  if (loading.size === 0) return;
  const now = performance.now();
  status.textContent = [...loading.values()].map((l) => `${l.text}… ${Math.floor((now - l.since) / 1000)} s`).join("; ");
}
executor.onLoad((e) => {
  const key = `${e.runtime}:${e.phase}`;
  if (e.done) loading.delete(key);
  else loading.set(key, { text: `${e.runtime}: ${PHASE_TEXT[e.phase]}`, since: performance.now() });
  if (loading.size > 0) {
    showLoading();
    statusTimer ??= setInterval(showLoading, 1000);
  } else {
    clearInterval(statusTimer);
    statusTimer = undefined;
    if (running) status.textContent = `running ${running}…`;
  }
  document.body.dataset.loadEvents = String(Number(document.body.dataset.loadEvents ?? 0) + 1);
});

async function run(): Promise<void> {
  const runtime = select.value as RuntimeName;
  runButton.disabled = true;
  running = runtime;
  status.textContent = `running ${runtime}…`;
  showLoading();
  for (const id of ["stdout", "stderr", "exit-code", "time", "timed-out"]) $(id).textContent = "";
  terminal.clear();
  const timeout = Number(timeoutInput.value);
  const handle = executor.spawn({
    runtime,
    code: editor.state.doc.toString(),
    stdin: stdin.value,
    args: args.value.split(/\s+/).filter(Boolean),
    // The first Go run fetches Go's compiler and compiles in the page (later ones hit its cache):
    // it gets at least 90 s.
    ...(Number.isFinite(timeout) && timeout > 0 && { timeout: runtime === "go" ? Math.max(90_000, Math.round(timeout)) : Math.round(timeout) }),
  });
  // Without interactive stdin the program reads the text above, then end of input.
  if (!interactive.checked) handle.stdin.end();
  else terminal.term.focus();
  const detach = terminal.attach({
    write: (t) => terminal.term.write(t),
    input: interactive.checked ? { line: (t) => handle.stdin.write(t), end: () => handle.stdin.end(), interrupt: () => handle.kill() } : undefined,
  });
  stop = () => handle.kill();
  stopButton.disabled = false;
  const pump = async (stream: ReadableStream<string>, style: string) => {
    const reader = stream.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      terminal.term.write(style ? `${style}${value}\x1b[0m` : value);
    }
  };
  try {
    const [r] = await Promise.all([handle.result, pump(handle.stdout, ""), pump(handle.stderr, "\x1b[31m")]);
    $("stdout").textContent = r.stdout;
    $("stderr").textContent = r.stderr;
    $("exit-code").textContent = String(r.exitCode);
    $("time").textContent = `${r.executionTime} ms`;
    $("timed-out").textContent = String(r.timedOut);
    status.textContent = "done";
  } catch (e) {
    $("stderr").textContent = (e as Error).message;
    status.textContent = `error: ${(e as { code?: string }).code ?? "failed"}`;
  } finally {
    running = undefined;
    detach();
    stop = undefined;
    stopButton.disabled = true;
    runButton.disabled = false;
    document.body.dataset.runs = String(Number(document.body.dataset.runs ?? 0) + 1);
  }
}

// Only the runtimes that can run in this page (rust needs a compile hook, which the playground
// has not; go compiles in the page): the others are listed below the selector with the reason.
const usable: RuntimeName[] = [];
const unusable: string[] = [];
for (const name of wasmbox.RUNTIME_NAMES) {
  try {
    await executor.runtime(name);
    usable.push(name);
    select.add(new Option(name, name));
  } catch (e) {
    unusable.push(`${name}: ${(e as Error).message}`);
  }
}
select.title = unusable.length ? `Not available here:\n${unusable.join("\n")}` : "";
const asked = new URLSearchParams(location.search).get("runtime") as RuntimeName | null;
select.value = asked && usable.includes(asked) ? asked : usable.includes("python") ? "python" : (usable[0] ?? "");
select.addEventListener("change", () => show(select.value as RuntimeName));
runButton.addEventListener("click", () => void run());
stopButton.addEventListener("click", () => stop?.());
editor.dom.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void run();
});
show(select.value as RuntimeName);

const notebook = createNotebook({
  executor,
  usable,
  languages: LANGUAGES,
  root: document.body,
  ...(asked && { runtime: asked }),
  timeout: () => {
    const t = Number(timeoutInput.value);
    return Number.isFinite(t) && t > 0 ? Math.round(t) : undefined;
  },
});
function setMode(mode: "editor" | "notebook"): void {
  document.body.dataset.mode = mode;
  $("mode-editor").setAttribute("aria-pressed", String(mode === "editor"));
  $("mode-notebook").setAttribute("aria-pressed", String(mode === "notebook"));
  // Cells are made when the notebook is first shown: the editor mode's page stays as it was.
  if (mode === "notebook") notebook.show();
  const u = new URL(location.href);
  if (mode === "notebook") u.searchParams.set("mode", "notebook");
  else u.searchParams.delete("mode");
  history.replaceState(null, "", u);
}
$("mode-editor").addEventListener("click", () => setMode("editor"));
$("mode-notebook").addEventListener("click", () => setMode("notebook"));
setMode(new URLSearchParams(location.search).get("mode") === "notebook" ? "notebook" : "editor");
runButton.disabled = false;
status.textContent = "ready";
document.body.dataset.ready = "true";
