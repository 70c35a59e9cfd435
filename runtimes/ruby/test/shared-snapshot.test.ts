/**
 * Ruby boots once per executor: its first host contributes the booted memory image
 * (`workerHost.contribute`), later hosts restore it from shared memory instead of booting.
 * Nothing an execution does may reach that image or another host's executions.
 */
import { createHash } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor } from "wasmbox";
import { ruby } from "../../../dist/runtimes/ruby/index.js";
import type { Io, Job } from "../../../dist/src/runtime.js";

const MEMORY = 512 * 1024 * 1024;

function io(): Io & { out: string[] } {
  const out: string[] = [];
  const decoder = new TextDecoder();
  return { stdin: new Uint8Array(), read: () => 0, out, write: (_fd, data) => void out.push(typeof data === "string" ? data : decoder.decode(data)) };
}

const job = (code: string): Job => ({
  runtime: "ruby",
  files: { "main.rb": code },
  entrypoint: "main.rb",
  args: [],
  env: {},
  limits: { timeoutMs: 30_000, memoryBytes: MEMORY, outputBytes: 1 << 20 },
});

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("ruby: one boot per executor", () => {
  it("a later host starts from the first host's snapshot, which no execution can change", { timeout: 120_000 }, async () => {
    const shared = await ruby.workerHost!.shared!({ memoryBytes: MEMORY, options: {} });
    const first = await ruby.load({ memoryBytes: MEMORY, options: {}, shared });
    const contributed = ruby.workerHost!.contribute!(first)!;
    expect(contributed.snapshot).toBeInstanceOf(Uint8Array);
    // As the executor hands it on: one copy in shared memory.
    const bytes = new Uint8Array(new SharedArrayBuffer(contributed.snapshot!.byteLength));
    bytes.set(contributed.snapshot as Uint8Array);
    const before = sha(bytes);

    const later = await ruby.load({ memoryBytes: MEMORY, options: {}, shared: { ...shared, snapshot: bytes } });
    // It did not boot, so it has nothing to contribute.
    expect(ruby.workerHost!.contribute!(later)).toBeUndefined();

    const leave = 'puts RUBY_VERSION; $left = "secret"; LEFT = 1; ENV["LEFT"] = "1"; String.class_eval { def left = 1 }; puts "left"';
    const look = 'puts [defined?($left).inspect, defined?(LEFT).inspect, ENV["LEFT"].inspect, "".respond_to?(:left)].join(" ")';
    for (const loaded of [later, first, later]) {
      const a = io();
      expect(await ruby.run(loaded, job(leave), a)).toBe(0);
      expect(a.out.join("")).toMatch(/^3\.4\.\d+\nleft\n$/);
      const b = io();
      expect(await ruby.run(loaded, job(look), b)).toBe(0);
      expect(b.out.join("")).toBe("nil nil nil false\n");
    }
    expect(sha(bytes)).toBe(before);
  });
});

describe("ruby: hosts of one executor", () => {
  const executor = createExecutor({ concurrency: 3 });
  afterAll(() => executor.close());

  it("every host runs programs alike and fresh, and PRNGs differ between executions", { timeout: 120_000 }, async () => {
    const code = 'print $seen.inspect, " ", rand(1 << 62), "\\n"; $seen = true';
    const results = await Promise.all(Array.from({ length: 9 }, () => executor.execute({ runtime: "ruby", code })));
    expect(executor.stats().hosts).toBeGreaterThanOrEqual(2);
    const draws = new Set<string>();
    for (const r of results) {
      expect(r).toMatchObject({ exitCode: 0, stderr: "" });
      expect(r.stdout).toMatch(/^nil \d+\n$/);
      draws.add(r.stdout);
    }
    expect(draws.size).toBe(results.length);
  });
});
