/**
 * Unhandled promise rejections, at the engine level: QuickJS's rejection tracker is installed
 * by writing into its JSRuntime struct (runtimes/javascript/rejection-tracker.ts), so check that
 * it reports what Node reports, keeps quiet about rejections handled in time, and leaks nothing:
 * a leaked QuickJS handle makes the runtime's dispose abort, which drops the module instance.
 */
import { describe, expect, it } from "vitest";
import { loadEngine, runJob } from "../../../dist/runtimes/javascript/engine.js";
import type { Io, Job } from "../../../dist/src/runtime.js";

function job(code: string, entrypoint = "main.js"): Job {
  return {
    runtime: "node",
    files: { [entrypoint]: code },
    entrypoint,
    args: [],
    env: {},
    limits: { timeoutMs: 10_000, memoryBytes: 256 * 1024 * 1024, outputBytes: 1 << 20 },
  };
}

async function run(engine: Awaited<ReturnType<typeof loadEngine>>, code: string, entrypoint?: string) {
  const out = { stdout: "", stderr: "" };
  const io: Io = {
    stdin: new Uint8Array(),
    write(fd, data) {
      const s = typeof data === "string" ? data : new TextDecoder().decode(data);
      if (fd === 1) out.stdout += s;
      else out.stderr += s;
    },
  };
  const exitCode = await runJob(engine, job(code, entrypoint), io);
  return { ...out, exitCode };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe("unhandled rejections (QuickJS rejection tracker)", () => {
  it("reports them, ignores those handled in time, and keeps the module instance alive", { timeout: 60_000 }, async () => {
    const engine = await loadEngine("node", 256 * 1024 * 1024);
    await settle();
    const instance = engine.instance;
    expect(instance?.tracker).toBeDefined();
    for (let i = 0; i < 25; i++) {
      const unhandled = await run(engine, `async function main() { throw new Error("boom ${i}"); }\nmain();`);
      expect(unhandled.exitCode).toBe(1);
      expect(unhandled.stderr).toContain(`Error: boom ${i}\n    at main (/main.js:1:`);
      const primitive = await run(engine, `Promise.reject(${i});`);
      expect(primitive.exitCode).toBe(1);
      expect(primitive.stderr).toContain(`The promise rejected with the reason "${i}".`);
      // Several pending at the end of a job (the first one stops it): their handles are freed.
      const many = await run(engine, `for (let k = 0; k < 5; k++) Promise.reject(new Error("r" + k));`);
      expect(many.exitCode).toBe(1);
      // Still pending when the program exits: freed with the context.
      const exited = await run(engine, `Promise.reject(new Error("pending"));\nprocess.exit(3);`);
      expect(exited).toEqual({ stdout: "", stderr: "", exitCode: 3 });
      const handled = await run(engine, `const p = Promise.reject(new Error("x"));\nqueueMicrotask(() => p.catch(() => console.log("caught")));`);
      expect(handled).toEqual({ stdout: "caught\n", stderr: "", exitCode: 0 });
      const listened = await run(engine, `process.on("unhandledRejection", (r) => console.log("seen", r));\nPromise.reject(1);\nPromise.reject(2);`);
      expect(listened).toEqual({ stdout: "seen 1\nseen 2\n", stderr: "", exitCode: 0 });
      await settle();
      // Had a dispose failed, the engine would have dropped this instance for a new one.
      expect(engine.instance).toBe(instance);
    }
  });
});
