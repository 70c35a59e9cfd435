import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createExecutor, InvalidRequestError } from "wasmbox";
import { homedir } from "node:os";

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

describe("ruby runs the program as `ruby main.rb` would", () => {
  it("shows the program's frames only: caller, caller_locations, Thread.each_caller_location, rescued backtraces", async () => {
    const code = [
      "def f",
      "  p caller_locations(0).map(&:to_s)",
      "  p caller(0), caller(1, 1), caller(5), caller_locations(1..).map(&:lineno)",
      "  Thread.each_caller_location { |l| p [l.path, l.lineno] }",
      "end",
      "def g = f",
      "g",
      'begin; raise "x"; rescue => e; p e.backtrace, e.backtrace_locations.map(&:to_s); end',
      'require "json"',
      'begin; JSON.parse("{"); rescue JSON::ParserError => e; p e.backtrace.count { |l| l.start_with?("main.rb") }, e.backtrace.last; end',
    ].join("\n");
    const r = await rb(code);
    // `ruby main.rb` (3.4) prints exactly these frames.
    expect(r.stdout).toBe(
      [
        `["main.rb:2:in 'Object#f'", "main.rb:6:in 'Object#g'", "main.rb:7:in '<main>'"]`,
        `["main.rb:3:in 'Object#f'", "main.rb:6:in 'Object#g'", "main.rb:7:in '<main>'"]`,
        `["main.rb:6:in 'Object#g'"]`,
        "nil",
        "[6, 7]",
        '["main.rb", 6]',
        '["main.rb", 7]',
        `["main.rb:8:in '<main>'"]`,
        `["main.rb:8:in '<main>'"]`,
        "1",
        `"main.rb:10:in '<main>'"`,
        "",
      ].join("\n"),
    );
    expect(r.stderr).toBe("");
  });
  it("names main.rb and the line in warnings: warn(uplevel:), the parser's own", async () => {
    const r = await rb('def f\n  warn("up", uplevel: 1)\n  warn("zero", uplevel: 0)\nend\nf\nwarn("top", uplevel: 1)\nh = { a: 1, a: 2 }\nputs :done');
    expect(r.stdout).toBe("done\n");
    // As `ruby main.rb` prints them; past the program's <main> a warning has no location.
    expect(r.stderr).toBe("main.rb:7: warning: key :a is duplicated and overwritten on line 7\nmain.rb:5: warning: up\nmain.rb:3: warning: zero\nwarning: top\n");
  });
  it("reports an error raised in an at_exit block, a finalizer, with the program's frames only", async () => {
    const a = await rb('at_exit { puts "h1" }\nat_exit { raise "in2" }\nputs :main');
    expect(a.stdout).toBe("main\nh1\n");
    expect(a.stderr).toBe("main.rb:2:in 'block in <main>': in2 (RuntimeError)\n");
    expect(a.exitCode).toBe(1);
    const f = await rb('ObjectSpace.define_finalizer("x".dup, proc { raise "fin" })\nGC.start\nputs :ok');
    expect(f.stdout).toBe("ok\n");
    expect(f.stderr).not.toMatch(/\beval\b|InstructionSequence|wasmbox/);
  });
  it("ends on a signal exception as ruby does: 128 + the signal's number", async () => {
    const term = await rb("Process.kill(:TERM, Process.pid)\nputs :after");
    expect([term.exitCode, term.stdout, term.stderr]).toEqual([143, "", ""]);
    const int = await rb("raise Interrupt");
    expect(int.exitCode).toBe(130);
    expect(int.stderr).toBe("main.rb:1:in '<main>': Interrupt (Interrupt)\n");
  });
});

describe("ruby failures are the program's own, never the sandbox's (exit 70)", () => {
  it("exit! ends with its status and prints nothing of the VM", async () => {
    const r = await rb('at_exit { puts "not run" }\n$stdout.flush\nexit! 6');
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([6, "", ""]);
  });
  it("an uncaught error with stderr closed is exit 1", async () => {
    const r = await rb('STDERR.close\nraise "x"');
    expect([r.exitCode, r.stderr]).toEqual([1, ""]);
  });
  it("reaching ruby.wasm's JavaScript bridge (js.so is linked in) ends the program in Ruby's words", async () => {
    const r = await rb('require "js.so"\nputs :loaded\n$stdout.flush\nJS.global');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("loaded\n");
    expect(r.stderr).toBe("main.rb: the JavaScript bridge is disabled in this sandbox (NotImplementedError)\n");
  });
  it("a lone surrogate in args or env is refused or stands as U+FFFD, never glue source", async () => {
    for (const extra of [{ args: ["a\uD800b"] }, { env: { K: "\uDC00" } }]) {
      let r;
      try {
        r = await rb('puts ARGV, ENV.values', extra);
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidRequestError);
        continue;
      }
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(/\uFFFD/);
    }
  });
});

describe("ruby shows nothing of the host", () => {
  it("paths, config, environment and loaded files name only the guest's own tree", async () => {
    const code = [
      'require "rbconfig"',
      'require "json"',
      'require "set"',
      "begin; JSON.parse(\"{\"); rescue => e; bt = e.backtrace; end",
      "strings = [$0, __FILE__, __dir__, Dir.pwd, RbConfig.ruby, Gem.dir, *Gem.path, *$LOAD_PATH, *$LOADED_FEATURES, *RbConfig::CONFIG.values, *ENV.to_a.flatten, *bt, *caller_locations(0).map(&:to_s)]",
      "strings += ObjectSpace.each_object(String).to_a",
      "puts strings.uniq.join(\"\\n\")",
    ].join("\n");
    const r = await rb(code);
    expect(r.exitCode).toBe(0);
    for (const hostPath of [`${process.cwd()}/`, `${homedir()}/`, dir, "node_modules"]) {
      expect(r.stdout.split("\n").filter((l) => l.includes(hostPath))).toEqual([]);
    }
    expect(r.stdout).toContain("/usr/local/lib/ruby/3.4.0");
  });
});

describe("ruby gives every execution fresh entropy", () => {
  it("Kernel#rand, Random, SecureRandom and shuffle differ between two executions", async () => {
    const code = 'require "securerandom"\np rand, Random.rand, Random.new_seed, Random.seed, SecureRandom.hex(8), (1..20).to_a.shuffle, Random.new.rand';
    const [a, b] = [await rb(code), await rb(code)];
    expect(a.exitCode).toBe(0);
    const la = a.stdout.split("\n");
    const lb = b.stdout.split("\n");
    la.slice(0, 7).forEach((v, i) => expect(v, `value ${i}`).not.toBe(lb[i]));
  });
});

describe("ruby default and bundled gems", () => {
  // Each line's output as `ruby main.rb` prints it (checked against the native ruby).
  const uses: [string, string][] = [
    ["require \"prime\"; p Prime.first(5)", "[2, 3, 5, 7, 11]"],
    ["require \"matrix\"; p Matrix[[1, 2], [3, 4]].determinant", "-2"],
    ["require \"csv\"; p CSV.parse_line('a,b,\"c,d\"')", "[\"a\", \"b\", \"c,d\"]"],
    ["require \"base64\"; p Base64.strict_encode64(\"hi\")", "\"aGk=\""],
    ["require \"abbrev\"; p Abbrev.abbrev(%w[car cone]).size", "5"],
    ["require \"getoptlong\"; p GetoptLong::NO_ARGUMENT", "0"],
    ["require \"observer\"; p Class.new { include Observable }.new.count_observers", "0"],
    ["require \"ostruct\"; p OpenStruct.new(a: 1).a", "1"],
    ["require \"rexml/document\"; p REXML::Document.new(\"<a>x</a>\").root.text", "\"x\""],
    ["require \"logger\"; p Logger::INFO", "1"],
    ["require \"benchmark\"; p Benchmark.respond_to?(:measure)", "true"],
    ["require \"tsort\"; h = { 1 => [2], 2 => [] }; p TSort.tsort(->(&b) { h.each_key(&b) }, ->(n, &b) { h[n].each(&b) })", "[2, 1]"],
    ["require \"yaml\"; p YAML.dump({ \"a\" => 1 })", "\"---\\na: 1\\n\""],
    ["require \"digest\"; p Digest::SHA256.hexdigest(\"x\")[0, 8]", "\"2d711642\""],
    ["require \"zlib\"; p Zlib.crc32(\"x\")", "2363233923"],
    ["require \"openssl\"; p OpenSSL::Digest::MD5.hexdigest(\"x\")", "\"9dd4e461268c8034f5c8564e155c67a6\""],
    ["require \"ripper\"; p Ripper.lex(\"a\")[0][1]", ":on_ident"],
    ["require \"strscan\"; p StringScanner.new(\"ab\").scan(/a/)", "\"a\""],
    ["require \"date\"; p Date.new(2024, 2, 29).next_year.to_s", "\"2025-02-28\""],
    ["require \"time\"; p Time.iso8601(\"2020-01-01T00:00:00Z\").year", "2020"],
    ["require \"erb\"; p ERB.new(\"<%= 1 + 1 %>\").result", "\"2\""],
    ["require \"cgi\"; p CGI.escape(\"a b\")", "\"a+b\""],
    ["require \"uri\"; p URI(\"http://x/y\").path", "\"/y\""],
    ["require \"shellwords\"; p \"a 'b c'\".shellsplit", "[\"a\", \"b c\"]"],
    ["require \"pathname\"; p Pathname(\"a/b\").basename.to_s", "\"b\""],
    ["require \"set\"; p Set[3, 1].sort", "[1, 3]"],
    ["require \"mutex_m\"; p Class.new { include Mutex_m }.new.mu_locked?", "false"],
    ["require \"pstore\"; p PStore.name", "\"PStore\""],
    ["require \"rss\"; p RSS::Rss.name", "\"RSS::Rss\""],
    ["require \"minitest\"; p Minitest.respond_to?(:run)", "true"],
    ["require \"power_assert\"; p PowerAssert.respond_to?(:start)", "true"],
    ["require \"rake\"; p Rake::FileList.name", "\"Rake::FileList\""],
    ["require \"optparse\"; o = {}; OptionParser.new { |x| x.on(\"-v\") { o[:v] = true } }.parse!(%w[-v]); p o[:v]", "true"],
  ];
  it("load with require and work as natively", { timeout: 240_000 }, async () => {
    for (let i = 0; i < uses.length; i += 12) {
      const chunk = uses.slice(i, i + 12);
      const r = await rb(chunk.map(([code]) => code).join("\n"), { timeout: 60_000 });
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe(chunk.map(([, out]) => `${out}\n`).join(""));
    }
    const r = await rb("require \"weakref\"; require \"singleton\"; require \"forwardable\"; require \"delegate\"; require \"find\"; require \"English\"; require \"fileutils\"; require \"tmpdir\"; require \"stringio\"; require \"objspace\"; require \"monitor\"; require \"pp\"; require \"prettyprint\"; require \"securerandom\"; require \"json\"; require \"etc\"; require \"fcntl\"; require \"coverage\"; require \"open3\"; require \"un\"" + "\nputs :ok", { timeout: 60_000 });
    expect([r.stdout, r.stderr]).toEqual(["ok\n", ""]);
  });
  it("those that need a C extension or sockets this build lacks fail to load with LoadError (see README)", { timeout: 120_000 }, async () => {
    const missing = ["bigdecimal", "bigdecimal/util", "nkf", "kconv", "racc/parser", "drb", "syslog", "fiddle", "io/console", "socket", "ipaddr", "resolv", "net/http"];
    const r = await rb(`${JSON.stringify(missing)}.each { |f| begin; require f; puts "loaded #{f}"; rescue LoadError; puts "missing #{f}"; end }`, { timeout: 60_000 });
    expect(r.stdout).toBe(missing.map((f) => `missing ${f}\n`).join(""));
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
