import { SPY_WAIT_MS, type AttackContext, type AttackPrograms } from "../../../test/security/attacks.js";

const q = JSON.stringify;
/** Shared by node (main.js) and bun (main.ts, where `any` silences the checker). */
export const show = `import { createRequire } from "node:module";
function show(label: any, f: any) {
  try { const v = f(); console.log(label + "=OK:" + String(JSON.stringify(v === undefined ? "undefined" : v)).slice(0, 300)); }
  catch (e) { console.log(label + "=ERR"); }
}
async function showAsync(label: any, f: any) {
  try { const v = await f(); console.log(label + "=OK:" + String(JSON.stringify(v === undefined ? "undefined" : v)).slice(0, 300)); }
  catch (e) { console.log(label + "=ERR"); }
}
const req: any = createRequire(import.meta.url);
const fs: any = req("fs");
`;
const js = (ts: string) => ts.replace(/: any\b/g, "").replace(/ as any\b/g, "").replace(/<void>/g, "");

export const jsPrograms = (lang: "node" | "bun"): AttackPrograms => {
  const src = (body: string) => ({ code: lang === "node" ? js(`${show}\n${body}`) : `${show}\n${body}` });
  return {
    "read-host-files": (c: AttackContext) =>
      src(`show("abs", () => fs.readFileSync(${q(c.canaryFile)}, "utf8"));
show("climb", () => fs.readFileSync(${q(c.climb)}, "utf8"));
show("listdir", () => fs.readdirSync(${q(c.canaryDir)}));
show("root", () => fs.readdirSync("/"));
show("environ", () => fs.readFileSync("/proc/self/environ", "utf8"));
show("cmdline", () => fs.readFileSync("/proc/self/cmdline", "utf8"));
await showAsync("promises", () => req("fs/promises").readFile(${q(c.canaryFile)}, "utf8"));
${lang === "bun" ? `await showAsync("bun-file", () => (globalThis as any).Bun.file(${q(c.canaryFile)}).text());` : ""}
console.log("DONE");`),
    "write-host-files": (c: AttackContext) =>
      src(`show("write-abs", () => fs.writeFileSync(${q(c.writeFile)}, "pwned"));
show("write-climb", () => fs.writeFileSync(${q(c.writeClimb)}, "pwned"));
show("delete-abs", () => fs.unlinkSync(${q(c.victimFile)}));
show("delete-climb", () => fs.rmSync(${q(c.victimClimb)}, { force: true }));
show("truncate", () => fs.truncateSync(${q(c.victimFile)}, 0));
${lang === "bun" ? `await showAsync("bun-write", () => (globalThis as any).Bun.write(${q(c.writeFile)}, "pwned"));` : ""}
console.log("DONE");`),
    "host-env": (c: AttackContext) =>
      src(`show("env", () => process.env);
show("getenv", () => process.env[${q(c.envName)}]);
show("ctor-env", () => (function () {}).constructor("return process")().env);
${lang === "bun" ? `show("bun-env", () => (globalThis as any).Bun.env);` : ""}
console.log("DONE");`),
    network: (c: AttackContext) =>
      src(`show("net", () => req("net").connect(${c.port}, "127.0.0.1"));
show("http", () => req("http").get("http://127.0.0.1:${c.port}/"));
await showAsync("fetch", async () => (await fetch("http://127.0.0.1:${c.port}/")).text());
show("websocket", () => new (globalThis as any).WebSocket("ws://127.0.0.1:${c.port}/"));
show("xhr", () => new (globalThis as any).XMLHttpRequest());
console.log("DONE");`),
    dns: () =>
      src(`for (const name of ["localhost", "example.com"]) {
  await new Promise<void>((resolve) => {
    try {
      req("dns").lookup(name, (err: any, addr: any) => { console.log(err ? "dns=ERR" : "RESOLVED " + name + " " + addr); resolve(); });
    } catch (e) { console.log("dns=ERR"); resolve(); }
  });
  await showAsync("dns-promises", async () => "RESOLVED " + JSON.stringify(await req("dns").promises.lookup(name)));
}
console.log("DONE");`),
    "spawn-process": (c: AttackContext) =>
      src(`const cmd = "printf %s%s PWN ED; touch ${c.spawnMarker}";
show("execSync", () => req("child_process").execSync(cmd).toString());
show("spawnSync", () => req("child_process").spawnSync("sh", ["-c", cmd]).stdout);
show("fork", () => req("child_process").fork("main.js"));
show("worker", () => new (req("worker_threads").Worker)("require('child_process').execSync(" + JSON.stringify(cmd) + ")", { eval: true }));
${lang === "bun" ? `show("bun-spawn", () => (globalThis as any).Bun.spawnSync(["sh", "-c", cmd]).stdout);` : ""}
console.log("DONE");`),
    "host-javascript": (c: AttackContext) =>
      src(`const read = ${q(c.canaryFile)};
show("ctor-process", () => (function () {}).constructor("return process")().binding("fs"));
show("ctor-this", () => Object.keys((0, eval)("this")).filter((k) => /host|wasm|require/i.test(k)));
show("wasmbox-require", () => (globalThis as any).__wasmbox_require("fs").readFileSync(read, "utf8"));
show("main-module", () => (process as any).mainModule.require("fs").readFileSync(read, "utf8"));
show("dlopen", () => (process as any).dlopen({}, "/lib/x86_64-linux-gnu/libc.so.6"));
show("webassembly", () => typeof (globalThis as any).WebAssembly);
await showAsync("import", async () => (await import("node:fs" as any)).readFileSync(read, "utf8"));
await showAsync("import-data", async () => (await import("data:text/javascript,export default typeof process" as any)).default);
show("pollute", () => { (Object.prototype as any).wasmboxPolluted = "polluted"; (process.env as any).__proto__.wasmboxPolluted = "polluted"; return ({} as any).wasmboxPolluted; });
console.log("DONE");`),
    "leave-state": () => ({
      ...src(`(globalThis as any).LEFT = 1;
(Object.prototype as any).leftBehind = 1;
process.env.LEFT = "1";
fs.writeFileSync("left.js", "module.exports = 1");
req("./left.js");
show("tmp", () => fs.writeFileSync("/tmp/left.txt", "x"));
console.log("DONE");`),
      then: src(`const found: any = {
  global: "LEFT" in globalThis, proto: ({} as any).leftBehind !== undefined, env: "LEFT" in process.env,
  "cwd-file": fs.existsSync("left.js"), "tmp-file": fs.existsSync("/tmp/left.txt"),
  "module-cache": Object.keys(req.cache ?? {}).some((k: any) => k.includes("left")),
};
for (const k of Object.keys(found)) if (found[k]) console.log("found:" + k);
console.log("DONE");`),
    }),
    "spy-on-concurrent": () =>
      src(`console.log("own=" + fs.readFileSync(0, "utf8"));
await new Promise((r) => setTimeout(r, ${SPY_WAIT_MS}));
for (const p of ["/dev/stdin", "/proc/self/fd/0", "/dev/fd/0", "/proc/1/fd/0", "/proc/1/fd/1"]) show(p, () => fs.readFileSync(p, "utf8"));
show("proc", () => fs.readdirSync("/proc"));
show("tmp", () => fs.readdirSync("/tmp"));
console.log("DONE");`),
  };
};

