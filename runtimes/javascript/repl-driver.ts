/**
 * The program of a node or bun REPL context (protocol: src/session/context.ts). Cells run as
 * global scripts (vm.runInThisContext), so top-level let/const/class/function persist between
 * cells as between a page's <script>s; bun's cells are TypeScript (the file name says so).
 */
export function jsReplDriver(ext: "js" | "ts"): string {
  return String.raw`"use strict";
(function () {
  const vm = require("vm"), util = require("util"), fs = require("fs"), path = require("path"), crypto = require("crypto");
  const marker = "\x01wasmbox:" + process.argv[2] + ":";
  const root = process.cwd();
  // Bun loads this file as a module (no __filename): its name is known.
  const self = ".wasmbox-repl.js";
  try { fs.unlinkSync(path.join(root, self)); } catch {}
  globalThis.require = require;
  const known = new Map();
  const digest = (bytes) => crypto.createHash("sha256").update(bytes).digest("hex");
  function walk(dir, rel, found) {
    for (const d of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, d.name), r = rel ? rel + "/" + d.name : d.name;
      if (d.isDirectory()) walk(full, r, found);
      else if (d.isFile()) found.set(r, full);
    }
    return found;
  }
  function apply(writes, deletes) {
    for (const rel of deletes) { try { fs.unlinkSync(path.join(root, rel)); } catch {} known.delete(rel); }
    for (const rel of Object.keys(writes)) {
      const full = path.join(root, rel);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      const data = Buffer.from(writes[rel], "base64");
      fs.writeFileSync(full, data);
      known.set(rel, digest(data));
    }
  }
  function changes() {
    const writes = {}, now = new Map();
    for (const [rel, full] of walk(root, "", new Map())) {
      let data;
      try { data = fs.readFileSync(full); } catch { continue; }
      const h = digest(data);
      now.set(rel, h);
      if (known.get(rel) !== h) writes[rel] = Buffer.from(data).toString("base64");
    }
    const deletes = [...known.keys()].filter((rel) => !now.has(rel));
    known.clear();
    for (const [k, v] of now) known.set(k, v);
    return { writes, deletes };
  }
  const translate = typeof globalThis.__wasmbox_v8error === "function" ? globalThis.__wasmbox_v8error : (e) => e;
  function describe(e) {
    e = translate(e);
    if (e instanceof Error || (e && typeof e === "object" && typeof e.stack === "string" && "message" in e)) {
      const stack = String(e.stack || (e.name + ": " + e.message)).split("\n");
      // Frames of this driver are not the cell's.
      const own = stack.filter((line) => !line.includes(self) && !/^\s+at (Object\.runInThisContext|runInThisContext|run|onData|Socket\.|emit|addChunk)\b/.test(line));
      return { type: String(e.name || (e.constructor && e.constructor.name) || "Error"), message: String(e.message), traceback: own.join("\n") };
    }
    const shown = util.inspect(e);
    return { type: e === null ? "null" : typeof e, message: shown, traceback: "Uncaught " + shown };
  }
  const shown = (v) => (v === undefined ? {} : { value: util.inspect(v) });
  // A cell whose value is a promise (e.g. import("./x.mjs")) ends when it settles, as a notebook's does.
  function run(n, cell) {
    let v;
    try {
      v = vm.runInThisContext(cell, { filename: "cell " + n + ".${ext}" });
    } catch (e) {
      return { error: describe(e) };
    }
    if (v !== null && (typeof v === "object" || typeof v === "function") && typeof v.then === "function")
      return Promise.resolve(v).then(shown, (e) => ({ error: describe(e) }));
    return shown(v);
  }
  function send(result) {
    process.stderr.write(marker + "\n");
    process.stdout.write(marker + JSON.stringify(result) + "\n");
  }
  let pending = Buffer.alloc(0), busy = false;
  function finish(result) {
    let files = { writes: {}, deletes: [] };
    try { files = changes(); } catch {}
    send(Object.assign(result, files));
  }
  function onData(chunk) {
    pending = Buffer.concat([pending, Buffer.from(chunk)]);
    while (!busy) {
      const nl = pending.indexOf(10);
      if (nl < 0) return;
      const size = Number(pending.subarray(0, nl).toString("latin1"));
      if (pending.length < nl + 1 + size) return;
      const frame = JSON.parse(pending.subarray(nl + 1, nl + 1 + size).toString("utf8"));
      pending = pending.subarray(nl + 1 + size);
      apply(frame.writes || {}, frame.deletes || []);
      const result = run(frame.n, frame.cell);
      if (typeof result.then === "function") {
        busy = true;
        result.then((r) => {
          finish(r);
          busy = false;
          onData(Buffer.alloc(0));
        });
      } else finish(result);
    }
  }
  process.stdin.on("data", onData);
  send({});
})();
`;
}
