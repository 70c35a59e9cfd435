/**
 * The wasmbox playground: pick a runtime, edit the program (CodeMirror 6), give stdin and args,
 * Run; the result's five fields are shown. It uses the prebuilt browser bundle exactly as a
 * site would after `npx wasmbox assets <dir>`: served under /wasmbox/ (see vite.config.ts).
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

async function run(): Promise<void> {
  const runtime = select.value as RuntimeName;
  runButton.disabled = true;
  status.textContent = `running ${runtime}…`;
  for (const id of ["stdout", "stderr", "exit-code", "time", "timed-out"]) $(id).textContent = "";
  try {
    const r = await executor.execute({
      runtime,
      code: editor.state.doc.toString(),
      stdin: stdin.value,
      args: args.value.split(/\s+/).filter(Boolean),
      // The first Go run fetches Go's compiler and compiles in the page; later ones hit its cache.
      timeout: runtime === "go" ? 90_000 : 20_000,
    });
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
    runButton.disabled = false;
  }
}

// Rust needs the page's compile hook (rustc has no WebAssembly build here): not offered.
for (const name of wasmbox.RUNTIME_NAMES) if (name !== "rust") select.add(new Option(name, name));
select.value = new URLSearchParams(location.search).get("runtime") ?? "python";
select.addEventListener("change", () => show(select.value as RuntimeName));
runButton.addEventListener("click", () => void run());
editor.dom.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void run();
});
show(select.value as RuntimeName);
runButton.disabled = false;
status.textContent = "ready";
document.body.dataset.ready = "true";
