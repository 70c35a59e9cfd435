/**
 * Sessions in `wasmbox/browser`, driven in Chromium: a file written by one execution is read by
 * the next (across runtimes), the files API, snapshot/restore and fork, and two sessions never
 * see each other's files; a session's REPL contexts share its files and keep their own variables.
 */
import path from "node:path";
import { existsSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExecuteRequest, ExecuteResult } from "../../src/request.js";
import { goWasmDir } from "../../src/cache-dir.js";
import { chromiumMissing, openWasmboxPage, type WasmboxPage } from "./harness.js";

// Sessions live in the page; the test reaches them by id through window.s.
const PAGE = `<!doctype html><meta charset="utf-8"><title>wasmbox session test</title>
<script type="module">
import { createExecutor } from "/wasmbox/browser/index.js";
const box = createExecutor({ assetsBaseUrl: "/wasmbox/", prewarm: ["python", "node", "bun", "ruby", "php"] });
const sessions = new Map();
const fail = (e) => ({ error: { name: e.name, code: e.code, message: e.message } });
const keep = (s) => (sessions.set(s.id, s), s.id);
const get = (id) => sessions.get(id);
const b64 = (bytes) => btoa(String.fromCharCode(...bytes));
window.s = {
  warm: () => Promise.all(["python", "node", "bun", "ruby", "php"].map((r) => box.warm(r))),
  create: (o) => keep(box.createSession(o)),
  execute: (id, req) => get(id).execute(req).catch(fail),
  streamed: async (id, req) => {
    const chunks = [];
    const r = await get(id).execute(req, { onStdout: (t) => chunks.push(t) }).catch(fail);
    return { ...r, chunks };
  },
  readText: (id, p) => get(id).files.readText(p).catch(fail),
  readB64: async (id, p) => b64(await get(id).files.read(p)),
  write: (id, p, text) => get(id).files.write(p, text).then(() => "ok", fail),
  writeBytes: (id, p, list) => get(id).files.write(p, new Uint8Array(list)).then(() => "ok", fail),
  list: (id, dir) => get(id).files.list(dir).catch(fail),
  remove: (id, p) => get(id).files.remove(p).then(() => "ok", fail),
  snapshotRestore: async (id) => keep(box.restoreSession(await get(id).snapshot())),
  fork: async (id) => keep(await get(id).fork()),
  close: async (id) => { await get(id).close(); try { await get(id).execute({ runtime: "node", code: "" }); return "ran"; } catch (e) { return fail(e); } },
  open: () => box.listSessions().map((x) => x.id),
  // REPL contexts of a session, by id.
  context: (id, runtime) => { const c = get(id).createContext(runtime); contexts.set(c.id, c); return c.id; },
  cell: (cid, code) => contexts.get(cid).run(code).catch(fail),
  restart: (cid) => contexts.get(cid).restart().then(() => "ok", fail),
};
const contexts = new Map();
window.ready = true;
</script>`;

type Outcome = ExecuteResult & { error?: { name: string; code: string; message: string }; chunks?: string[] };
type Api = Record<string, (...a: unknown[]) => Promise<unknown>>;

const goWasmMissing = existsSync(path.join(goWasmDir(), "manifest.json")) ? undefined : `Go's compiler in WebAssembly is not built (node scripts/build-go-wasm.mjs)`;

describe.skipIf(chromiumMissing)("sessions in the browser build (Chromium)", () => {
  let page: Page;
  let opened: WasmboxPage | undefined;
  const errors: string[] = [];

  beforeAll(async () => {
    opened = await openWasmboxPage(PAGE, { readyFlag: "ready", onPageError: (m) => errors.push(m) });
    page = opened.page;
    await call("warm");
  }, 300_000);

  afterAll(() => opened?.close());

  async function call<T = unknown>(fn: string, ...args: unknown[]): Promise<T> {
    try {
      return (await page.evaluate(([f, a]) => (window as unknown as { s: Api }).s[f as string]!(...(a as unknown[])), [fn, args] as const)) as T;
    } catch (e) {
      // The page's stack names page URLs, which vitest would try to read as files.
      throw new Error(`${fn}(): ${(e as Error).message.split("\n")[0]}`);
    }
  }
  const exec = (id: string, req: ExecuteRequest) => call<Outcome>("execute", id, req);

  // Each runtime writes a file the next one reads, appending its own line: every pair of the
  // interpreted runtimes the page offers is crossed once along the chain.
  const writers: Record<string, (input: string | undefined, line: string) => string> = {
    python: (i, l) => `import os\nold = open("${i}").read() if ${i ? "True" : "False"} else ""\nos.makedirs("data", exist_ok=True)\nopen("data/py.txt", "w").write(old + "${l}\\n")\nprint("python wrote")`,
    node: (i, l) => `const fs = require("fs");\nconst old = ${i ? `fs.readFileSync("${i}", "utf8")` : `""`};\nfs.writeFileSync("node.txt", old + "${l}\\n");\nconsole.log("node wrote");`,
    bun: (i, l) => `const fs = require("fs");\nconst old: string = ${i ? `fs.readFileSync("${i}", "utf8")` : `""`};\nfs.writeFileSync("bun.txt", old + "${l}\\n");\nconsole.log("bun wrote");`,
    ruby: (i, l) => `old = ${i ? `File.read("${i}")` : `""`}\nFile.write("ruby.txt", old + "${l}\\n")\nputs "ruby wrote"`,
    php: (i, l) => `<?php\n$old = ${i ? `file_get_contents("${i}")` : `""`};\nfile_put_contents("php.txt", $old . "${l}\\n");\necho "php wrote\\n";`,
  };
  const outFile: Record<string, string> = { python: "data/py.txt", node: "node.txt", bun: "bun.txt", ruby: "ruby.txt", php: "php.txt" };

  it("a file written by one execution is read by the next, across python, node, bun, ruby and php", async () => {
    const id = await call<string>("create");
    let input: string | undefined;
    const lines: string[] = [];
    for (const runtime of ["python", "node", "bun", "ruby", "php", "python"]) {
      const line = `${runtime}-${lines.length}`;
      const r = await exec(id, { runtime: runtime as ExecuteRequest["runtime"], code: writers[runtime]!(input, line) });
      expect(r.error, runtime).toBeUndefined();
      expect(r, runtime).toMatchObject({ stdout: `${runtime} wrote\n`, stderr: "", exitCode: 0 });
      lines.push(line);
      input = outFile[runtime];
      expect(await call("readText", id, input), runtime).toBe(lines.map((l) => `${l}\n`).join(""));
    }
    const names = (await call<{ name: string; type: string }[]>("list", id)).map((e) => `${e.name}:${e.type}`);
    // The programs (`code`) ran as main.* without being kept; only the files they wrote stay.
    expect(names).toEqual(["bun.txt:file", "data:dir", "node.txt:file", "php.txt:file", "ruby.txt:file"]);
  }, 240_000);

  it("deletions and renames by a program are taken into the session; output streams", async () => {
    const id = await call<string>("create");
    expect(await call("write", id, "a.txt", "alpha")).toBe("ok");
    expect(await call("write", id, "gone.txt", "x")).toBe("ok");
    const r = await call<Outcome>("streamed", id, { runtime: "ruby", code: `File.rename("a.txt", "b.txt")\nFile.delete("gone.txt")\nputs Dir.children(".").sort.inspect` });
    expect(r.error).toBeUndefined();
    expect(r.stdout).toBe(`["b.txt", "main.rb"]\n`);
    expect(r.chunks!.join("")).toBe(r.stdout);
    expect((await call<{ name: string }[]>("list", id)).map((e) => e.name)).toEqual(["b.txt"]);
    expect(await call("readText", id, "b.txt")).toBe("alpha");
  }, 120_000);

  it("files API: write text and bytes, list a directory, read, remove; bad paths and missing files are coded errors", async () => {
    const id = await call<string>("create");
    expect(await call("write", id, "dir/t.txt", "héllo")).toBe("ok");
    expect(await call("writeBytes", id, "dir/b.bin", [0, 255, 10, 128])).toBe("ok");
    expect(await call("list", id, "dir")).toEqual([
      { name: "b.bin", path: "dir/b.bin", type: "file", size: 4 },
      { name: "t.txt", path: "dir/t.txt", type: "file", size: 6 },
    ]);
    expect(await call("readB64", id, "dir/b.bin")).toBe(Buffer.from([0, 255, 10, 128]).toString("base64"));
    // A program sees the bytes as written, and its own binary output comes back as bytes.
    const r = await exec(id, { runtime: "python", code: `d = open("dir/b.bin", "rb").read()\nprint(list(d))\nopen("out.bin", "wb").write(bytes([200, 0, 1]))` });
    expect(r).toMatchObject({ stdout: "[0, 255, 10, 128]\n", exitCode: 0 });
    expect(await call("readB64", id, "out.bin")).toBe(Buffer.from([200, 0, 1]).toString("base64"));
    expect(await call("remove", id, "dir")).toBe("ok");
    expect(await call<{ name: string }[]>("list", id)).toEqual([{ name: "out.bin", path: "out.bin", type: "file", size: 3 }]);
    expect(await call("readText", id, "dir/t.txt")).toMatchObject({ error: { code: "FILE_NOT_FOUND" } });
    expect(await call("write", id, "../escape.txt", "x")).toMatchObject({ error: { code: "INVALID_REQUEST" } });
    expect(await call("write", id, "/abs.txt", "x")).toMatchObject({ error: { code: "INVALID_REQUEST" } });
  }, 120_000);

  it("two sessions do not see each other's files, also when they run at once", async () => {
    const a = await call<string>("create");
    const b = await call<string>("create");
    const secret = `secret-${Math.random().toString(36).slice(2)}`;
    expect(await call("write", a, "secret.txt", secret)).toBe("ok");
    const look = `import os\nprint(sorted(os.listdir(".")))\nprint(open("secret.txt").read() if os.path.exists("secret.txt") else "none")`;
    const [ra, rb, rn] = await Promise.all([
      exec(a, { runtime: "python", code: look }),
      exec(b, { runtime: "python", code: look }),
      exec(b, { runtime: "node", code: `const fs = require("fs"); console.log(fs.readdirSync(".").join(","), fs.existsSync("secret.txt"))` }),
    ]);
    expect(ra.stdout).toBe(`['main.py', 'secret.txt']\n${secret}\n`);
    expect(rb.stdout).toBe(`['main.py']\nnone\n`);
    expect(rn.stdout).toBe("main.js false\n");
    expect(await call("list", b)).toEqual([]);
    expect(await call("readText", b, "secret.txt")).toMatchObject({ error: { code: "FILE_NOT_FOUND" } });
  }, 120_000);

  it("snapshot and restore bring the files back; a fork diverges from its parent; a closed session refuses calls", async () => {
    const id = await call<string>("create");
    await exec(id, { runtime: "php", code: `<?php file_put_contents("n.txt", "1");` });
    const restored = await call<string>("snapshotRestore", id);
    expect(restored).not.toBe(id);
    expect(await call("readText", restored, "n.txt")).toBe("1");
    const fork = await call<string>("fork", id);
    await exec(fork, { runtime: "node", code: `require("fs").writeFileSync("n.txt", "2")` });
    expect(await call("readText", fork, "n.txt")).toBe("2");
    expect(await call("readText", id, "n.txt")).toBe("1");
    expect(await call("readText", restored, "n.txt")).toBe("1");
    expect(await call("close", id)).toMatchObject({ error: { code: "SESSION_CLOSED" } });
    expect(await call<string[]>("open")).not.toContain(id);
    expect(errors).toEqual([]);
  }, 120_000);

  type CellOutcome = Outcome & { value?: string; error?: { type: string; message: string; code?: string } };
  const cellRun = (cid: string, code: string) => call<CellOutcome>("cell", cid, code);

  it("a context's cells keep variables; the files a cell writes are the session's, and the session's files are the cell's", async () => {
    const id = await call<string>("create");
    const py = await call<string>("context", id, "python");
    expect(await cellRun(py, `data = [3, 1, 2]\nopen("cell.txt", "w").write(str(sorted(data)))`)).toMatchObject({ exitCode: 0 });
    expect(await cellRun(py, "len(data)")).toMatchObject({ value: "3", exitCode: 0 });
    expect(await call("readText", id, "cell.txt")).toBe("[1, 2, 3]");
    // An execution of another runtime in the same session reads it.
    const r = await exec(id, { runtime: "node", code: `console.log(require("fs").readFileSync("cell.txt", "utf8"))` });
    expect(r.stdout).toBe("[1, 2, 3]\n");
    // A file written through the files API is there for the next cell; a node context sees it too.
    expect(await call("write", id, "api.txt", "from the api")).toBe("ok");
    expect(await cellRun(py, `open("api.txt").read()`)).toMatchObject({ value: "'from the api'" });
    const js = await call<string>("context", id, "node");
    expect(await cellRun(js, `require("fs").readFileSync("api.txt", "utf8")`)).toMatchObject({ value: "'from the api'" });
    // An error is a result, and the context goes on.
    const e = await cellRun(py, "data[10]");
    expect(e).toMatchObject({ exitCode: 1, error: { type: "IndexError" } });
    expect(await cellRun(py, "data[0]")).toMatchObject({ value: "3" });
    // Restart forgets the variables, not the files.
    expect(await call("restart", py)).toBe("ok");
    expect(await cellRun(py, "data")).toMatchObject({ exitCode: 1, error: { type: "NameError" } });
    expect(await cellRun(py, `open("cell.txt").read()`)).toMatchObject({ value: "'[1, 2, 3]'" });
  }, 240_000);

  it("two sessions' contexts share neither variables nor files", async () => {
    const a = await call<string>("create");
    const b = await call<string>("create");
    const secret = `secret-${Math.random().toString(36).slice(2)}`;
    for (const runtime of ["python", "ruby"]) {
      const ca = await call<string>("context", a, runtime);
      const cb = await call<string>("context", b, runtime);
      const set = runtime === "python" ? `secret = "${secret}"\nopen("s.txt", "w").write(secret)` : `$secret = "${secret}"\nFile.write("s.txt", $secret)`;
      const look = runtime === "python" ? `import os\n(globals().get("secret"), os.path.exists("s.txt"))` : `[defined?($secret) ? $secret : nil, File.exist?("s.txt")]`;
      expect(await cellRun(ca, set), runtime).toMatchObject({ exitCode: 0 });
      expect((await cellRun(cb, look)).value, runtime).toBe(runtime === "python" ? "(None, False)" : "[nil, false]");
      expect((await cellRun(ca, look)).value, runtime).toBe(runtime === "python" ? `('${secret}', True)` : `["${secret}", true]`);
    }
    expect(await call("list", b)).toEqual([]);
  }, 240_000);

  it.skipIf(!!goWasmMissing)(`go (compiled in the page) reads and writes the session's files${goWasmMissing ? ` (skipped: ${goWasmMissing})` : ""}`, async () => {
    const id = await call<string>("create");
    expect(await call("write", id, "in.txt", "from the session")).toBe("ok");
    const code = `package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc main() {\n\tb, _ := os.ReadFile("in.txt")\n\tfmt.Println(string(b))\n\tos.WriteFile("go.txt", []byte("from go"), 0o644)\n}\n`;
    const r = await exec(id, { runtime: "go", code, timeout: 180_000 });
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ stdout: "from the session\n", exitCode: 0 });
    expect(await call("readText", id, "go.txt")).toBe("from go");
  }, 240_000);
});
