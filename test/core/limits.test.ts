import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExecutor, EXIT_OUTPUT_LIMIT, EXIT_TIMEOUT } from "wasmbox";

const executor = createExecutor({ concurrency: 2, outputLimit: 64 * 1024, memoryLimit: 256 * 1024 * 1024, prewarm: ["ruby"] });
afterAll(() => executor.close());
// The timeouts below are the programs' own: a host still loading when one starts would spend it
// waiting (a cold wait ends at the deadline), so the tests start from a loaded runtime.
beforeAll(() => executor.warm("ruby"), 300_000);

describe("limits (ruby)", () => {
  it("stops an infinite loop at the timeout and keeps the output so far", async () => {
    const r = await executor.execute({ runtime: "ruby", code: 'puts "started"\n$stdout.flush\n$stderr.puts "e"\nloop {}', timeout: 3000 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBe(EXIT_TIMEOUT);
    expect(r.stdout).toBe("started\n");
    expect(r.stderr).toBe("e\n");
    // executionTime excludes waiting for a host; it must end within the timeout plus 1 s.
    expect(r.executionTime).toBeGreaterThanOrEqual(2900);
    expect(r.executionTime).toBeLessThan(3000 + 1000);
  });

  it("stops a program that only sleeps", async () => {
    const r = await executor.execute({ runtime: "ruby", code: "loop { sleep 1 }", timeout: 1000 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBe(EXIT_TIMEOUT);
  });

  it("runs again after a timeout", async () => {
    const r = await executor.execute({ runtime: "ruby", code: "puts 6 * 7" });
    expect(r).toMatchObject({ stdout: "42\n", exitCode: 0, timedOut: false });
  });

  it("caps an output flood, keeps output up to the cap and says so on stderr", async () => {
    const r = await executor.execute({ runtime: "ruby", code: 'loop { print "x" * 1000 }', timeout: 20_000 });
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).toBe(EXIT_OUTPUT_LIMIT);
    expect(r.stdout.length).toBe(64 * 1024);
    expect(r.stdout).toMatch(/^x+$/);
    expect(r.stderr).toMatch(/stdout exceeded the 65536-byte limit/);
  });

  it("caps a flood on stderr too", async () => {
    const r = await executor.execute({ runtime: "ruby", code: 'loop { $stderr.print "y" * 5000 }', timeout: 20_000 });
    expect(r.exitCode).toBe(EXIT_OUTPUT_LIMIT);
    expect(r.stderr.startsWith("y".repeat(64 * 1024))).toBe(true);
    expect(r.stderr).toMatch(/stderr exceeded/);
  });

  it("ends a memory bomb with an out-of-memory error while the host stays small", async () => {
    const before = process.memoryUsage().rss;
    const r = await executor.execute({ runtime: "ruby", code: 'a = []\nloop { a << ("x" * 10_000_000) }', timeout: 30_000 });
    expect(r.timedOut).toBe(false);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/NoMemoryError|memory/i);
    // The guest (a thread of this process) was capped at 256 MiB of wasm memory: the process
    // grew by at most that, not by the gigabytes the program asked for.
    expect(process.memoryUsage().rss - before).toBeLessThan((256 + 200) * 1024 * 1024);
    const again = await executor.execute({ runtime: "ruby", code: "puts :ok" });
    expect(again.stdout).toBe("ok\n");
  });

  it("returns the right result to each of 50 concurrent executions", async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        executor.execute({ runtime: "ruby", code: `n = gets.to_i\nputs n * 2\n$stderr.puts "#{n}"`, stdin: `${i}\n` }),
      ),
    );
    results.forEach((r, i) => {
      expect(r.stdout).toBe(`${i * 2}\n`);
      expect(r.stderr).toBe(`${i}\n`);
      expect(r.exitCode).toBe(0);
    });
  });

  it("handles 10 MB of stdin", async () => {
    const stdin = "abcdefghi\n".repeat(1024 * 1024);
    const r = await executor.execute({ runtime: "ruby", code: "s = $stdin.read\nputs s.bytesize\nputs s.count(\"\\n\")", stdin });
    expect(r.stdout).toBe(`${stdin.length}\n${1024 * 1024}\n`);
  });

  it("refuses work over the queue limit with QUEUE_FULL", async () => {
    const small = createExecutor({ concurrency: 1, maxQueue: 1 });
    try {
      const first = small.execute({ runtime: "ruby", code: "sleep 0.5" });
      const second = small.execute({ runtime: "ruby", code: "puts 1" });
      await expect(small.execute({ runtime: "ruby", code: "puts 1" })).rejects.toMatchObject({ code: "QUEUE_FULL" });
      await Promise.all([first, second]);
    } finally {
      await small.close();
    }
  });
});
