import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createExecutor } from "wasmbox";

function runScript(source: string, timeoutMs = 120_000) {
  const started = Date.now();
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", source], { encoding: "utf8", timeout: timeoutMs, cwd: process.cwd() });
  return { ...r, took: Date.now() - started };
}

describe("lifecycle", () => {
  it("execute() does not keep the process alive once idle", () => {
    const r = runScript(`
      import { execute } from "wasmbox";
      const r = await execute({ runtime: "ruby", code: "puts 1 + 1" });
      console.log(JSON.stringify(r));
    `);
    expect(r.status).toBe(0);
    expect(r.signal).toBeNull();
    expect(JSON.parse(r.stdout).stdout).toBe("2\n");
  });

  it("close() leaves no worker, timer or handle behind: the process exits by itself", () => {
    const r = runScript(`
      import { createExecutor } from "wasmbox";
      const ex = createExecutor({ prewarm: ["ruby"], warmHosts: 2 });
      const r = await ex.execute({ runtime: "ruby", code: "puts :hi" });
      const pending = ex.execute({ runtime: "ruby", code: "sleep 30" }).then(() => "resolved", (e) => e.code);
      await new Promise((r) => setTimeout(r, 200));
      await ex.close();
      const err = await pending;
      process.stdout.write(r.stdout + err + "\\n");
      setTimeout(() => { process.stdout.write("still alive\\n"); }, 20_000).unref();
    `);
    expect(r.status).toBe(0);
    // The 20 s timer is unref'd: it prints only if something else still holds the process open.
    expect(r.stdout).toBe("hi\nEXECUTOR_CLOSED\n");
  });

  it("rejects work after close()", async () => {
    const ex = createExecutor();
    await ex.close();
    await expect(ex.execute({ runtime: "ruby", code: "puts 1" })).rejects.toMatchObject({ code: "EXECUTOR_CLOSED" });
  });

  it("close({ graceful: true }) lets running executions finish", async () => {
    const ex = createExecutor();
    const running = ex.execute({ runtime: "ruby", code: "sleep 0.3\nputs :done" });
    await new Promise((r) => setTimeout(r, 100));
    await ex.close({ graceful: true });
    expect((await running).stdout).toBe("done\n");
  });

  it("supports `await using`", async () => {
    let stats;
    {
      await using ex = createExecutor();
      await ex.execute({ runtime: "ruby", code: "puts 1" });
      stats = ex.stats();
    }
    expect(stats.hosts).toBeGreaterThan(0);
  });

  it("rejects bad executor options with a message naming the option", () => {
    expect(() => createExecutor({ concurrency: 0 })).toThrow(/concurrency/);
    expect(() => createExecutor({ memoryLimit: 1000 })).toThrow(/memoryLimit/);
  });
});
