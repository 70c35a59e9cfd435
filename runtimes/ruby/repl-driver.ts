/** The program of a Ruby REPL context (protocol: src/session/context.ts): cells are evaluated in one binding. */
export const RUBY_REPL_DRIVER = String.raw`require "json"
require "stringio"
module WasmboxRepl
  MARKER = "\x01wasmbox:" + ARGV[0] + ":"
  ROOT = Dir.pwd
  DRIVER = File.basename(__FILE__)
  STDIN_IO = STDIN.binmode
  OUT = $stdout
  ERR = $stderr
  BIND = TOPLEVEL_BINDING.eval("binding")
  KNOWN = {}
  begin
    require "digest"
    def self.digest(data) = Digest::SHA256.digest(data)
  rescue LoadError
    def self.digest(data) = data.dup
  end

  def self.walk
    found = {}
    Dir.glob("**/*", File::FNM_DOTMATCH, base: ROOT).sort.each do |rel|
      full = File.join(ROOT, rel)
      found[rel] = full if File.file?(full) && !File.symlink?(full)
    end
    found
  end

  def self.mkdir_p(dir)
    return if Dir.exist?(dir)
    mkdir_p(File.dirname(dir))
    Dir.mkdir(dir)
  end

  def self.apply(writes, deletes)
    deletes.each do |rel|
      begin
        File.delete(File.join(ROOT, rel))
      rescue SystemCallError
      end
      KNOWN.delete(rel)
    end
    writes.each do |rel, b64|
      full = File.join(ROOT, rel)
      mkdir_p(File.dirname(full))
      data = b64.unpack1("m0")
      File.binwrite(full, data)
      KNOWN[rel] = digest(data)
    end
  end

  def self.changes
    writes = {}
    now = {}
    walk.each do |rel, full|
      data = File.binread(full) rescue next
      h = digest(data)
      now[rel] = h
      writes[rel] = [data].pack("m0") if KNOWN[rel] != h
    end
    deletes = KNOWN.keys.reject { |rel| now.key?(rel) }
    KNOWN.replace(now)
    [writes, deletes]
  end

  def self.describe(e)
    bt = (e.backtrace || []).reject { |l| l.include?(DRIVER) }
    e.set_backtrace(bt) rescue nil
    { "type" => e.class.name, "message" => e.message.to_s, "traceback" => e.full_message(highlight: false, order: :top) }
  end

  def self.run(n, cell)
    v = BIND.eval(cell, "(cell #{n})", 1)
    v.nil? ? {} : { "value" => v.inspect }
  rescue StandardError, ScriptError => e
    { "error" => describe(e) }
  end

  def self.send_result(result)
    ERR.write(MARKER + "\n")
    ERR.flush
    OUT.write(MARKER + JSON.generate(result) + "\n")
    OUT.flush
  end

  def self.main
    File.delete(File.join(ROOT, DRIVER)) rescue nil
    ARGV.clear
    send_result({})
    while (head = STDIN_IO.gets)
      frame = JSON.parse(STDIN_IO.read(head.to_i).force_encoding("UTF-8"))
      apply(frame["writes"] || {}, frame["deletes"] || [])
      # A cell that reads stdin sees an empty one: the protocol is not its to read.
      $stdin = StringIO.new("")
      result = run(frame["n"], frame["cell"])
      ($stdout.flush; $stderr.flush) rescue nil
      $stdout, $stderr = OUT, ERR
      files = begin
        changes
      rescue StandardError
        [{}, []]
      end
      result["writes"], result["deletes"] = files
      send_result(result)
    end
  end
end
WasmboxRepl.main
`;
