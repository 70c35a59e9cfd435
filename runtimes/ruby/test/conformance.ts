import type { Programs } from "../../../test/conformance/cases.js";

export const programs: Programs = {
  hello: { code: 'puts "Hello, World!"' },
  unicode: { code: 'puts "héllo wörld ✓ 日本語 🎉"' },
  "stdin-transform": { code: "while (line = gets)\n  puts line.chomp.upcase\nend" },
  "stdin-eof": { code: 'data = $stdin.read\nputs "read #{data.bytesize} bytes"' },
  "exit-code": { code: 'puts "before"\nexit 3' },
  "uncaught-error": { code: 'def go\n  raise "boom"\nend\ngo' },
  "stdout-stderr": { code: '$stdout.puts "out 1"\n$stderr.puts "err 1"\n$stdout.puts "out 2"\n$stderr.puts "err 2"' },
  env: { code: 'puts ENV["GREETING"]\nputs ENV.key?("HOME_CANARY") ? "set" : "unset"' },
  args: { code: 'puts ARGV.join("|")' },
  "multiple-files": {
    files: {
      "main.rb": 'require_relative "lib/greeter"\nputs Greeter.greet("World")',
      "lib/greeter.rb": 'module Greeter\n  def self.greet(name) = "Hello, #{name}!"\nend',
    },
    entrypoint: "main.rb",
  },
  "write-read-file": {
    files: {
      "main.rb": 'File.write("out.txt", "data 42")\nputs File.read("out.txt")\nputs File.read("input.txt")',
      "input.txt": "from request",
    },
    entrypoint: "main.rb",
  },
  "large-output": { code: '(1..50000).each { |i| puts "line #{i}" }' },
  recursion: {
    code: "def fib(n) = n < 2 ? n : fib(n - 1) + fib(n - 2)\ndef deep(n) = n == 0 ? 0 : 1 + deep(n - 1)\nputs fib(25)\nputs deep(5000)",
  },
  "stack-frames": {
    code: [
      "# What `ruby main.rb` shows for this program: file and method of each frame, innermost first.",
      'EXPECTED = [["main.rb", "f"], ["main.rb", "g"], ["main.rb", "<main>"]]',
      "def f",
      "  frames = caller_locations(0).map { |l| [l.path, l.base_label] }",
      '  puts frames == EXPECTED ? "ok" : frames.inspect',
      "end",
      "def g = f",
      "g",
    ].join("\n"),
  },
  "traceback-location": {
    code: ["def f", '  raise "deep boom" # @frame', "end", "", "def g", "  f # @frame", "end", "", "g # @frame"].join("\n"),
  },
  "warning-location": {
    code: ['warn("careful", uplevel: 0) # @warn', 'puts "done"'].join("\n"),
  },
};
