import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createExecutor } from "wasmbox";

const executor = createExecutor({ prewarm: ["ruby"] });
const dir = mkdtempSync(join(tmpdir(), "wasmbox-canary-"));
const canary = join(dir, "canary.txt");
beforeAll(() => {
  writeFileSync(canary, "CANARY-CONTENT");
  process.env.WASMBOX_HOST_CANARY = "HOST-SECRET";
});
afterAll(async () => {
  await executor.close();
  rmSync(dir, { recursive: true, force: true });
});
const rb = (code: string, extra = {}) => executor.execute({ runtime: "ruby", code, ...extra });

describe("ruby semantics", () => {
  it("prints Ruby's own message and backtrace for an uncaught exception, without glue frames", async () => {
    const r = await rb('def a = b\ndef b = raise("bad")\na');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("main.rb:2:in 'Object#b': bad (RuntimeError)\n\tfrom main.rb:1:in 'Object#a'\n\tfrom main.rb:3:in '<main>'\n");
  });
  it("runs at_exit blocks and keeps $0 == __FILE__", async () => {
    const r = await rb('at_exit { puts "bye" }\nputs $0 == __FILE__\nputs __FILE__');
    expect(r.stdout).toBe("true\nmain.rb\nbye\n");
  });
  it("exit with a status, exit! and abort", async () => {
    expect((await rb("exit 7")).exitCode).toBe(7);
    expect((await rb("exit false")).exitCode).toBe(1);
    const a = await rb('abort "fatal"');
    expect(a.exitCode).toBe(1);
    expect(a.stderr).toBe("fatal\n");
  });
  it("reports a syntax error with exit 1", async () => {
    const r = await rb("puts(");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/main\.rb:1: syntax error/);
  });
  it("does not colour errors (stderr is not a TTY)", async () => {
    const r = await rb("puts $stdout.tty?, $stderr.tty?\nnil.foo");
    expect(r.stdout).toBe("false\nfalse\n");
    expect(r.stderr).not.toMatch(/\u001b\[/);
  });
  it("loads the standard library", async () => {
    const r = await rb('require "json"\nrequire "set"\nputs JSON.generate({ "a" => Set[1, 2].to_a })');
    expect(r.stdout).toBe('{"a":[1,2]}\n');
  });
  it("gives each execution a fresh random seed", async () => {
    const [a, b] = await Promise.all([rb("p rand(1 << 60)"), rb("p rand(1 << 60)")]);
    expect(a.stdout).not.toBe(b.stdout);
  });
});

describe("ruby containment", () => {
  it("cannot read host files", async () => {
    for (const path of ["/etc/hostname", "/etc/passwd", canary, `../../..${canary}`]) {
      const r = await rb(`begin\n  puts File.read(${JSON.stringify(path)})\nrescue SystemCallError => e\n  puts "denied #{e.class}"\nend`);
      expect(r.stdout).toMatch(/^denied Errno::/);
      expect(r.stdout).not.toContain("CANARY");
    }
  });
  it("sees only the request's files at /", async () => {
    const r = await rb('p Dir.children("/").sort');
    expect(r.stdout).toBe('["main.rb"]\n');
  });
  it('cannot reach JavaScript with require "js"', async () => {
    const r = await rb('begin\n  require "js"\n  p JS.global\nrescue LoadError => e\n  puts "no js"\nend');
    expect(r.stdout).toBe("no js\n");
  });
  it("cannot reach JavaScript by loading the js gem's files directly", async () => {
    const r = await rb('Dir.glob("/bundle/gems/js-*/lib/js.rb").each { |f| load f }\nputs JS.global[:process]');
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout).toBe("");
    // and the executor keeps working
    expect((await rb("puts :alive")).stdout).toBe("alive\n");
  });
  it("does not see the host's environment", async () => {
    const r = await rb('p ENV.to_h', { env: { ONLY: "this" } });
    expect(r.stdout).toBe('{"ONLY" => "this"}\n');
  });
  it("starts every execution from a clean slate", async () => {
    await rb('File.write("left.txt", "x")\n$leak = 1\nENV["LEAK"] = "1"\nclass String; def leaked = 1; end');
    const r = await rb('p File.exist?("left.txt"), defined?($leak) && $leak, ENV["LEAK"], "".respond_to?(:leaked)');
    expect(r.stdout).toBe("false\nnil\nnil\nfalse\n");
  });
  it("cannot start processes", async () => {
    for (const call of ["`ls /`", 'system("ls")', 'spawn("ls")', 'exec("ls")', "fork", 'IO.popen("ls")', 'Process.spawn("ls")']) {
      const r = await rb(`begin\n  p(${call})\nrescue NotImplementedError => e\n  puts "no: #{e.message}"\nend`);
      expect(r.stdout).toMatch(/^no: \S+\(\) function is unimplemented on this machine\n$/);
    }
  });
});
