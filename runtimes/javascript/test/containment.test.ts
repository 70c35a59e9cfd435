/**
 * Containment and limits of the QuickJS runtimes: nothing of the host is reachable from the
 * guest, timeouts stop even a loop that catches everything, deep recursion is a catchable
 * error, and a memory bomb ends the program (non-zero) while the host keeps serving jobs.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor } from "wasmbox";

const executor = createExecutor({ concurrency: 1, memoryLimit: 64 * 1024 * 1024 });
afterAll(() => executor.close());

const run = (code: string, extra: { timeout?: number; env?: Record<string, string>; runtime?: "node" | "bun" } = {}) =>
  executor.execute({ runtime: extra.runtime ?? "node", code, timeout: extra.timeout ?? 10_000, env: extra.env });

describe("containment: node/bun on QuickJS", () => {
  it("Function constructor escapes yield only the guest's own objects", async () => {
    const r = await run(`
      const viaCtor = this.constructor.constructor("return process")();
      const viaFn = Function("return globalThis")();
      const viaArrow = (() => {}).constructor("return this")();
      console.log(viaCtor === process, viaFn === globalThis, viaArrow === globalThis);
      console.log(typeof viaCtor.binding, typeof viaCtor.mainModule, typeof viaCtor.dlopen);
      try { viaCtor.binding("fs"); } catch (e) { console.log(e.code); }
      console.log(typeof globalThis.__wasmbox_host, typeof WebAssembly, Object.keys(process.env).length);
      console.log(Object.getOwnPropertyNames(globalThis).filter((k) => /host|wasm/i.test(k)).join(","));
    `);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("true true true\nfunction undefined function\nERR_ACCESS_DENIED\nundefined undefined 0\n__wasmbox_v8error,__wasmbox_require,__wasmbox_importMeta\n");
  });

  it("sees only the request's environment and files, never the host's", async () => {
    process.env.WASMBOX_HOST_CANARY = "leak";
    const r = await run(
      `const fs = require("fs");
       console.log(JSON.stringify(process.env));
       console.log(fs.readdirSync("/").join(","));
       for (const p of ["/etc/passwd", "/proc/self/environ", "../../etc/hostname", process.execPath]) {
         try { fs.readFileSync(p); console.log("READ", p); } catch (e) { console.log(e.code); }
       }`,
      { env: { ONLY: "this" } },
    );
    delete process.env.WASMBOX_HOST_CANARY;
    expect(r.stdout).toBe('{"ONLY":"this"}\nmain.js\nENOENT\nENOENT\nENOENT\nENOENT\n');
    expect(r.stdout + r.stderr).not.toContain("leak");
  });

  it("capabilities that cannot exist fail with Node's access error instead of crashing", async () => {
    const r = await run(`
      for (const m of ["child_process", "net", "http", "worker_threads"]) {
        const mod = require(m);
        try { (mod.spawn || mod.createServer || mod.request || mod.Worker)(); } catch (e) { console.log(m, e.code); }
      }
      fetch("http://example.com").catch((e) => console.log("fetch", e.code));
      try { require("not-a-module"); } catch (e) { console.log(e.code); }
    `);
    expect(r.stdout).toBe(
      "child_process ERR_ACCESS_DENIED\nnet ERR_ACCESS_DENIED\nhttp ERR_ACCESS_DENIED\nworker_threads ERR_ACCESS_DENIED\nMODULE_NOT_FOUND\nfetch ERR_ACCESS_DENIED\n",
    );
    expect(r.exitCode).toBe(0);
  });

  it("a busy loop that catches everything still times out, keeping its output", async () => {
    const started = Date.now();
    const r = await run(`console.log("started"); for (;;) { try { while (true) {} } catch (e) {} }`, { timeout: 1000 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBe(124);
    expect(r.stdout).toBe("started\n");
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it("stack overflow is a catchable error, and the program goes on", async () => {
    const r = await run(`function f(n) { return f(n + 1) + 1; }
      try { f(0); } catch (e) { console.log("caught", e instanceof Error, /stack/.test(e.message)); }
      console.log("after");`);
    expect(r.stdout).toBe("caught true true\nafter\n");
    expect(r.exitCode).toBe(0);
  });

  it("uncaught stack overflow reports Node's RangeError text and exits 1", async () => {
    const r = await run(`function f(n) { return f(n + 1) + 1; }\nf(0);`);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("RangeError: Maximum call stack size exceeded");
  });

  it("a memory bomb ends non-zero and the host keeps serving", async () => {
    const bomb = await run(`const keep = []; for (;;) keep.push(new Array(1e6).fill(1.5));`, { timeout: 20_000 });
    expect(bomb.exitCode).not.toBe(0);
    expect(bomb.timedOut).toBe(false);
    const strBomb = await run(`let s = "x"; for (;;) s += s;`, { timeout: 20_000 });
    expect(strBomb.exitCode).not.toBe(0);
    const after = await run(`console.log("alive", [1, 2, 3].map((x) => x * 2));`);
    expect(after.stdout).toBe("alive [ 2, 4, 6 ]\n");
    expect(after.exitCode).toBe(0);
  });

  it("bun: the same guest, with Bun's globals and nothing of the host", async () => {
    const r = await run(`const p: any = ({}).constructor.constructor("return process")();
      console.log(p === process, typeof Bun.spawn, Object.keys(Bun.env).length);
      try { Bun.spawn(["ls"]); } catch (e: any) { console.log(e.code); }`, { runtime: "bun" });
    expect(r.stdout).toBe("true function 0\nERR_ACCESS_DENIED\n");
  });

  it("a job cannot see globals left by the previous job", async () => {
    await run(`globalThis.leftover = 42; Object.prototype.polluted = true;`);
    const r = await run(`console.log(typeof leftover, ({}).polluted);`);
    expect(r.stdout).toBe("undefined undefined\n");
  });
});
