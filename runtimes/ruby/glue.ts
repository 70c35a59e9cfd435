/**
 * Runs the entry file as `ruby main.rb` would: `$0`/`__FILE__` are the relative path, the top
 * frame is `<main>`, at_exit blocks run, an uncaught exception prints Ruby's own message with
 * the frames of this glue removed. Returns the exit status.
 */
const str = (s: string) => JSON.stringify(s).replace(/#/g, "\\#");

export function glue(entrypoint: string, args: string[], env: Record<string, string>): string {
  const file = str(entrypoint);
  const envPairs = Object.entries(env)
    .map(([k, v]) => `${str(k)} => ${str(v)}`)
    .join(", ");
  return `
ENV.replace({${envPairs}})
ARGV.replace([${args.map(str).join(", ")}])
srand
$0 = ${file}
$__wasmbox_at_exit = []
module Kernel
  def at_exit(&block)
    raise ArgumentError, "called without a block" unless block
    $__wasmbox_at_exit << block
    block
  end
  module_function :at_exit

  alias_method :__wasmbox_require, :require
  def require(name)
    if name.to_s == "js" || name.to_s.start_with?("js/")
      raise LoadError, "cannot load such file -- #{name} (the JavaScript bridge is disabled in this sandbox)"
    end
    __wasmbox_require(name)
  end
  private :require, :__wasmbox_require

  # WASI has no processes; without these Ruby fails with a confusing "string contains null byte".
  %i[\` system spawn exec fork].each do |name|
    define_method(name) { |*| raise NotImplementedError, "#{name}() function is unimplemented on this machine" }
    private name
    module_function name
  end
end
class << Process
  %i[spawn fork exec].each do |name|
    define_method(name) { |*| raise NotImplementedError, "#{name}() function is unimplemented on this machine" }
  end
end
class << IO
  def popen(*) = raise(NotImplementedError, "popen() function is unimplemented on this machine")
end
$__wasmbox_status = begin
  begin
    iseq = RubyVM::InstructionSequence.respond_to?(:compile_file_prism) ? RubyVM::InstructionSequence.compile_file_prism(${file}) : RubyVM::InstructionSequence.compile_file(${file})
    iseq.eval
    0
  ensure
    while (blk = $__wasmbox_at_exit.pop)
      blk.call
    end
  end
rescue SystemExit => e
  e.status
rescue Exception => e
  $stdout.flush rescue nil
  bt = e.backtrace || []
  cut = bt.index { |l| l.include?("RubyVM::InstructionSequence") }
  bt = bt[0...cut] if cut
  bt = bt.reject { |l| l.start_with?("eval:") }
  e.set_backtrace(bt)
  # syntax_suggest bounds its search with Timeout, which needs threads this build lacks.
  msg = e.full_message(highlight: false, order: :top, syntax_suggest: false) rescue "#{e.message} (#{e.class})\\n"
  # Without frames Ruby prefixes the message with the current position, which is this glue's.
  msg = msg.sub(/\\Aeval:\\d+:in '[^']*': /, "#{$0}: ") if bt.empty?
  $stderr.write(msg)
  1
end
$stdout.flush rescue nil
$stderr.flush rescue nil
$__wasmbox_status
`;
}
