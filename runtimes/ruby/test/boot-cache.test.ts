/**
 * Ruby's boot kept in the cache directory (runtimes/ruby/boot-cache.ts): an executor with a cache
 * directory boots Ruby once for the machine; later executors read the module and the booted memory
 * from the file. A file that is damaged is ignored and made again; nothing a program does reaches it.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor } from "wasmbox";
import { ruby } from "../index.js";

const MEMORY = 512 * 1024 * 1024;
const dir = mkdtempSync(path.join(os.tmpdir(), "wasmbox-ruby-boot-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files = (cacheDir: string) => {
  try {
    return readdirSync(path.join(cacheDir, "ruby"));
  } catch {
    return [];
  }
};
const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

const LEAVE = '$left = "secret"; LEFT = 1; ENV["LEFT"] = "1"; String.class_eval { def left = 1 }; puts RUBY_VERSION';
const LOOK = 'puts [defined?($left).inspect, defined?(LEFT).inspect, ENV["LEFT"].inspect, "".respond_to?(:left), [3, 4].sum].join(" ")';

async function runTwice(cacheDir: string | false): Promise<string[]> {
  const executor = createExecutor({ cacheDir, warmHosts: 0, hostProcess: false });
  try {
    const out: string[] = [];
    for (const code of [LEAVE, LOOK]) {
      const r = await executor.execute({ runtime: "ruby", code, timeout: 120_000 });
      expect(r.stderr).toBe("");
      expect(r.exitCode).toBe(0);
      out.push(r.stdout);
    }
    return out;
  } finally {
    await executor.close();
  }
}

describe("ruby: the boot in the cache directory", () => {
  it("the first executor writes it, a later one starts from it and boots nothing, and programs never change it", { timeout: 240_000 }, async () => {
    const cacheDir = path.join(dir, "a");
    expect(files(cacheDir)).toEqual([]);
    const booted = await runTwice(cacheDir);
    const written = files(cacheDir);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^boot-[0-9a-f]{32}\.bin$/);
    const file = path.join(cacheDir, "ruby", written[0]!);
    const before = sha(file);

    // What a later executor's hosts are given: the module and the booted memory, nothing to boot or write.
    const shared = await ruby.workerHost!.shared!({ memoryBytes: MEMORY, options: { cacheDir } });
    expect(shared.run).toBeInstanceOf(WebAssembly.Module);
    expect(shared.snapshot).toBeInstanceOf(Uint8Array);
    expect(shared.bootCache).toBeUndefined();

    const restored = await runTwice(cacheDir);
    expect(restored).toEqual(booted);
    expect(restored[0]).toMatch(/^3\.4\.\d+\n$/);
    expect(restored[1]).toBe("nil nil nil false 7\n");
    expect(files(cacheDir)).toEqual(written);
    expect(sha(file)).toBe(before);
  });

  it("is one file per memory cap, and none without a cache directory", { timeout: 60_000 }, async () => {
    const cacheDir = path.join(dir, "b");
    const a = await ruby.workerHost!.shared!({ memoryBytes: MEMORY, options: { cacheDir } });
    const b = await ruby.workerHost!.shared!({ memoryBytes: MEMORY / 2, options: { cacheDir } });
    const name = (s: Record<string, unknown>) => new TextDecoder().decode(s.bootCache as Uint8Array);
    expect(name(a)).not.toBe(name(b));
    expect(path.dirname(name(a))).toBe(path.join(cacheDir, "ruby"));
    const none = await ruby.workerHost!.shared!({ memoryBytes: MEMORY, options: {} });
    expect(none.bootCache).toBeUndefined();
    expect(none.snapshot).toBeUndefined();
  });

  it("a damaged file is ignored and written again whole", { timeout: 240_000 }, async () => {
    const cacheDir = path.join(dir, "c");
    const expected = await runTwice(cacheDir);
    const [name] = files(cacheDir);
    const file = path.join(cacheDir, "ruby", name!);
    const size = readFileSync(file).byteLength;

    truncateSync(file, Math.floor(size / 2));
    expect((await ruby.workerHost!.shared!({ memoryBytes: MEMORY, options: { cacheDir } })).snapshot).toBeUndefined();
    expect(await runTwice(cacheDir)).toEqual(expected);
    // Written again whole: it decodes. (Not byte for byte the first: each boot draws its own hash
    // key, so its tables, and the snapshot's size, differ a little.)
    expect((await ruby.workerHost!.shared!({ memoryBytes: MEMORY, options: { cacheDir } })).snapshot).toBeInstanceOf(Uint8Array);

    // Not a boot file at all.
    writeFileSync(file, Buffer.alloc(size, 7));
    expect(await runTwice(cacheDir)).toEqual(expected);
    expect(files(cacheDir)).toEqual([name]);
    expect((await ruby.workerHost!.shared!({ memoryBytes: MEMORY, options: { cacheDir } })).snapshot).toBeInstanceOf(Uint8Array);
  });

  it("keeps the newest few boot files and drops what a killed writer left", { timeout: 240_000 }, async () => {
    const cacheDir = path.join(dir, "d");
    const folder = path.join(cacheDir, "ruby");
    mkdirSync(folder, { recursive: true });
    const dayAgo = (days: number) => Date.now() / 1000 - days * 86_400;
    const plant = (name: string, at: number) => {
      writeFileSync(path.join(folder, name), "x");
      utimesSync(path.join(folder, name), at, at);
    };
    for (let i = 0; i < 5; i++) plant(`boot-old${i}.bin`, dayAgo(10 - i));
    plant("boot-a.bin.1.x.tmp", dayAgo(1));
    plant("boot-b.bin.2.y.tmp", dayAgo(0));
    await runTwice(cacheDir);
    const left = files(cacheDir).sort();
    const made = left.filter((n) => /^boot-[0-9a-f]{32}\.bin$/.test(n));
    expect(made).toHaveLength(1);
    expect(left.filter((n) => n.endsWith(".bin")).sort()).toEqual(["boot-old2.bin", "boot-old3.bin", "boot-old4.bin", made[0]!].sort());
    // A temporary file of a writer that may still be writing stays.
    expect(left.filter((n) => n.endsWith(".tmp"))).toEqual(["boot-b.bin.2.y.tmp"]);
  });
});
