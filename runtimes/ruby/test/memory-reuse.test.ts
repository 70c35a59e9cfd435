/**
 * A Ruby host runs each instance on the memory of the instance before it, reset to the booted
 * snapshot. What that reuse must never carry from one execution to the next: any byte the last
 * program left in memory, and any later call of the last instance's code into the memory (Ruby
 * values handed to JavaScript are dropped in the instance by a finalizer, whenever collected).
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor } from "wasmbox";
import { ruby, type Loaded } from "../../../dist/runtimes/ruby/index.js";
import { restoreSnapshot } from "../../../dist/src/wasm/snapshot.js";
import type { Io, Job } from "../../../dist/src/runtime.js";

const MEMORY = 512 * 1024 * 1024;

const job = (code: string): Job => ({
  runtime: "ruby",
  files: { "main.rb": code },
  entrypoint: "main.rb",
  args: [],
  env: {},
  limits: { timeoutMs: 30_000, memoryBytes: MEMORY, outputBytes: 1 << 20 },
});

function io(): Io & { out: () => string } {
  let out = "";
  const decoder = new TextDecoder();
  return { stdin: new Uint8Array(), read: () => 0, out: () => out, write: (_fd, data) => void (out += typeof data === "string" ? data : decoder.decode(data)) };
}

// Built at run time so that the marker's bytes are in no source the memory also holds.
const leave = 'm = ["WASMBOX", "LEFT", "BEHIND", ""].join("-") * 2_000; $keep = m; puts m.size';
const marker = Buffer.from("WASMBOX-LEFT-BEHIND-WASMBOX-LEFT-BEHIND");

/** The memory a fresh instance restored from the snapshot holds. */
function freshImage(loaded: Loaded): Buffer {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: loaded.shape!.maximum });
  restoreSnapshot(memory, loaded.snapshot);
  return Buffer.from(memory.buffer);
}

/** The collector, for the finalizers of values the last instance handed to JavaScript. */
function collector(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

describe("ruby memory reuse (adapter)", () => {
  it("the next instance runs on the last one's memory, byte for byte as a fresh restore", { timeout: 120_000 }, async () => {
    const loaded: Loaded = await ruby.load({ memoryBytes: MEMORY, options: {} });
    expect(loaded.shape).toBeDefined();
    const first = await loaded.spare!;
    const a = io();
    expect(await ruby.run(loaded, job(leave), a)).toBe(0);
    expect(a.out()).toBe("40000\n");
    const second = await loaded.spare!;
    // The next instance, on that same memory, holds exactly what a fresh one would.
    expect(second.memory).toBe(first.memory);
    const now = Buffer.from(second.memory.buffer);
    expect(now.includes(marker)).toBe(false);
    expect(now.equals(freshImage(loaded))).toBe(true);
    const b = io();
    expect(await ruby.run(loaded, job('puts defined?($keep).inspect'), b)).toBe(0);
    expect(b.out()).toBe("nil\n");
  });

  it("the last instance's code never runs again once its memory is handed on", { timeout: 120_000 }, async () => {
    const gc = collector();
    const loaded: Loaded = await ruby.load({ memoryBytes: MEMORY, options: {} });
    const first = await loaded.spare!;
    // Every call the bindings make into the instance, counted.
    const guest = (first.vm as unknown as { guest: { _exports: Record<string, unknown> } }).guest;
    let calls = 0;
    guest._exports = Object.fromEntries(
      Object.entries(guest._exports).map(([k, v]) => [k, typeof v === "function" ? (...args: unknown[]) => (calls++, (v as (...a: unknown[]) => unknown)(...args)) : v]),
    );
    // Ruby values handed to JavaScript: each is dropped in the instance when collected.
    for (let i = 0; i < 200; i++) first.vm.eval(`"value #${i}"`);
    const a = io();
    expect(await ruby.run(loaded, job('puts "ran"'), a)).toBe(0);
    expect(a.out()).toBe("ran\n");
    const second = await loaded.spare!;
    expect(second.memory).toBe(first.memory);
    const handedOn = calls;
    for (let i = 0; i < 5; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(calls).toBe(handedOn);
    expect(() => first.vm.eval("1")).toThrow();
    expect(Buffer.from(second.memory.buffer).equals(freshImage(loaded))).toBe(true);
  });

  it("an everyday program (a library, a 10,000-entry Hash) leaves the memory reusable", { timeout: 120_000 }, async () => {
    const loaded: Loaded = await ruby.load({ memoryBytes: MEMORY, options: {} });
    for (const code of ['require "json"; puts JSON.generate({ a: [1, 2] })', 'h = {}; 10_000.times { |i| h["k#{i}"] = i }; puts h.size']) {
      const before = await loaded.spare!;
      const a = io();
      expect(await ruby.run(loaded, job(code), a)).toBe(0);
      expect((await loaded.spare!).memory).toBe(before.memory);
    }
  });

  it("recycleMemory: false gives every instance a memory of its own", { timeout: 120_000 }, async () => {
    const loaded: Loaded = await ruby.load({ memoryBytes: MEMORY, options: { recycleMemory: false } });
    const first = await loaded.spare!;
    const a = io();
    expect(await ruby.run(loaded, job('puts "ran"'), a)).toBe(0);
    expect(a.out()).toBe("ran\n");
    const second = await loaded.spare!;
    expect(second.memory).not.toBe(first.memory);
    expect(Buffer.from(second.memory.buffer).equals(freshImage(loaded))).toBe(true);
  });

  it("a memory that grew is not handed on", { timeout: 120_000 }, async () => {
    const loaded: Loaded = await ruby.load({ memoryBytes: MEMORY, options: {} });
    const first = await loaded.spare!;
    const a = io();
    expect(await ruby.run(loaded, job('s = "x" * 200_000_000; puts s.size'), a)).toBe(0);
    expect(a.out()).toBe("200000000\n");
    const second = await loaded.spare!;
    expect(second.memory).not.toBe(first.memory);
    expect(Buffer.from(second.memory.buffer).equals(freshImage(loaded))).toBe(true);
  });
});

describe("ruby memory reuse (executor): nothing of an earlier execution is visible", () => {
  // One host: every execution runs on the memory of the one before it.
  const executor = createExecutor({ concurrency: 1 });
  afterAll(() => executor.close());

  it("globals, constants, methods, ENV, files and object ids start fresh", { timeout: 120_000 }, async () => {
    const left =
      '$left = "secret"; LEFT = 1; ENV["LEFT"] = "1"; class String; def left = 1; end; File.write("/tmp/left.txt", "x") rescue nil; ObjectSpace.each_object(String).count; puts :left';
    const look =
      'puts [defined?($left).inspect, defined?(LEFT).inspect, ENV["LEFT"].inspect, "".respond_to?(:left), File.exist?("/tmp/left.txt"), (t = ["sec", "ret"].join; ObjectSpace.each_object(String).count { |s| s == t && !s.equal?(t) })].join(" ")';
    for (let i = 0; i < 3; i++) {
      const a = await executor.execute({ runtime: "ruby", code: left });
      expect(a).toMatchObject({ exitCode: 0, stdout: "left\n", stderr: "" });
      const b = await executor.execute({ runtime: "ruby", code: look });
      expect(b).toMatchObject({ exitCode: 0, stdout: "nil nil nil false false 0\n", stderr: "" });
    }
    expect(executor.stats().hosts).toBe(1);
  });
});
