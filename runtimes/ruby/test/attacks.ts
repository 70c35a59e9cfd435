import { SPY_WAIT_MS, type AttackPrograms } from "../../../test/security/attacks.js";

const q = JSON.stringify;
const show = `def show(label)
  v = yield
  puts "#{label}=OK:#{v.inspect[0, 300]}"
rescue Exception
  puts "#{label}=ERR"
end
`;

export const programs: AttackPrograms = {
  "read-host-files": (c) => ({
    code: `${show}
show("abs") { File.read(${q(c.canaryFile)}) }
show("climb") { File.read(${q(c.climb)}) }
show("listdir") { Dir.children(${q(c.canaryDir)}) }
show("root") { Dir.children("/") }
show("environ") { File.binread("/proc/self/environ") }
show("cmdline") { File.binread("/proc/self/cmdline") }
show("io-sysopen") { IO.read(IO.sysopen(${q(c.canaryFile)})) }
puts "DONE"`,
  }),
  "write-host-files": (c) => ({
    code: `${show}
show("write-abs") { File.write(${q(c.writeFile)}, "pwned") }
show("write-climb") { File.write(${q(c.writeClimb)}, "pwned") }
show("delete-abs") { File.delete(${q(c.victimFile)}) }
show("delete-climb") { File.delete(${q(c.victimClimb)}) }
show("truncate") { File.truncate(${q(c.victimFile)}, 0) }
puts "DONE"`,
  }),
  "host-env": (c) => ({
    code: `${show}
show("env") { ENV.to_h }
show("getenv") { ENV[${q(c.envName)}] }
show("js-env") { require "js"; JS.global[:process][:env].to_s }
puts "DONE"`,
  }),
  network: (c) => ({
    code: `${show}
show("socket") { require "socket"; s = TCPSocket.new("127.0.0.1", ${c.port}); s.write("GET / HTTP/1.0\\r\\n\\r\\n"); s.read(100) }
show("http") { require "net/http"; Net::HTTP.get(URI("http://127.0.0.1:${c.port}/")) }
show("open-uri") { require "open-uri"; URI.open("http://127.0.0.1:${c.port}/").read }
show("js-fetch") { require "js"; JS.global.fetch("http://127.0.0.1:${c.port}/") }
puts "DONE"`,
  }),
  dns: () => ({
    code: `${show}
["localhost", "example.com"].each do |name|
  begin
    require "socket"
    puts "RESOLVED #{name} #{Addrinfo.getaddrinfo(name, 80).first.inspect}"
  rescue Exception
    puts "dns=ERR"
  end
  begin
    require "resolv"
    puts "RESOLVED #{name} #{Resolv.getaddress(name)}"
  rescue Exception
    puts "dns=ERR"
  end
end
puts "DONE"`,
  }),
  "spawn-process": (c) => ({
    code: `${show}
cmd = "printf %s%s PWN ED; touch ${c.spawnMarker}"
show("backticks") { \`#{cmd}\` }
show("system") { system(cmd) }
show("spawn") { Process.spawn(cmd) }
show("popen") { IO.popen(cmd).read }
show("exec") { exec(cmd) }
show("fork") { fork }
show("open-pipe") { open("|" + cmd).read }
puts "DONE"`,
  }),
  "host-javascript": (c) => ({
    code: `${show}
show("require-js") { require "js"; JS.eval("return process.env").to_s }
show("js-global") { require "js"; JS.global[:process][:mainModule].call(:require, "fs").call(:readFileSync, ${q(c.canaryFile)}, "utf8").to_s }
show("pollute") { require "js"; JS.eval("Object.prototype.wasmboxPolluted = 'polluted'") }
show("fiddle") { require "fiddle" }
puts "DONE"`,
  }),
  "leave-state": () => ({
    code: `$LEFT = 1
LEFT_CONST = 1
class Object; def left_behind = 1; end
ENV["LEFT"] = "1"
File.write("left.rb", "X = 1")
require_relative "left"
begin; File.write("/tmp/left.txt", "x"); rescue SystemCallError; end
puts "DONE"`,
    then: {
      code: `found = {
  "global" => !$LEFT.nil?, "const" => Object.const_defined?(:LEFT_CONST), "monkey-patch" => Object.method_defined?(:left_behind),
  "env" => ENV.key?("LEFT"), "cwd-file" => File.exist?("left.rb"), "tmp-file" => File.exist?("/tmp/left.txt"),
  "loaded" => $LOADED_FEATURES.any? { |f| f.include?("left") },
}
found.each { |k, v| puts "found:#{k}" if v }
puts "DONE"`,
    },
  }),
  "spy-on-concurrent": () => ({
    code: `${show}
puts "own=" + $stdin.read
sleep ${SPY_WAIT_MS / 1000}
["/dev/stdin", "/proc/self/fd/0", "/dev/fd/0", "/proc/1/fd/0", "/proc/1/fd/1"].each { |p| show(p) { File.read(p) } }
show("proc") { Dir.children("/proc") }
show("tmp") { Dir.children("/tmp") }
puts "DONE"`,
  }),
};
