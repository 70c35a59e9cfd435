/**
 * Runs the entry file as `ruby main.rb` would: `$0`/`__FILE__` are the relative path, the top
 * frame is `<main>`, at_exit blocks run, an uncaught exception prints Ruby's own message.
 *
 * The glue is compiled under an `<internal:…>` path, which warn(uplevel:) skips and which marks
 * its frames. Those frames and the ones below the program's `<main>` (the embedder's eval) are
 * cut from every backtrace the program can see: exceptions (and so error reports, full_message,
 * finalizer warnings), caller, caller_locations, Thread.each_caller_location, warn(uplevel:).
 * Not covered: Thread#backtrace, and END {} blocks (registered in C, they never run).
 */
/** A Ruby string literal holding `s`; a lone surrogate (no UTF-8 form) becomes U+FFFD, as on a real command line. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const str = (s: string) => JSON.stringify(s.replace(LONE_SURROGATE, "\uFFFD")).replace(/#/g, "\\#");

export const GLUE_PATH = "<internal:wasmbox>";

/** The glue's own source, compiled under GLUE_PATH. */
/**
 * The glue's definitions, evaluated once at boot, before the snapshot: every job starts from
 * them untouched (an empty at_exit list) without paying for their compilation.
 */
const BOOT_SOURCE = `
handlers = []
iseq_eval = "RubyVM::InstructionSequence#eval"
glue_path = ${str(GLUE_PATH)}
# The frames below the program's <main> belong to the embedder's eval of this glue (the glue's
# own frames, under an <internal:…> path, Ruby leaves out): path "eval", then Kernel.eval.
# The glue's frames are dropped too, should one show.
frame = lambda do |l|
  if l.is_a?(String)
    m = /\\A(.*?)(?::\\d+)?:in '([^']*)'\\z/.match(l)
    m ? [m[1], m[2]] : [l, nil]
  else
    [(l.path rescue nil), (l.label rescue nil)]
  end
end
strip = lambda do |bt|
  return bt unless bt.is_a?(Array)
  info = bt.map { |l| frame.(l) }
  cut = info.index.with_index do |(path, label), i|
    path == "eval" && label == iseq_eval &&
      info[i..].all? { |p, lb| p == "eval" || lb == "Kernel.eval" }
  end
  kept = cut ? bt[0, cut] : bt
  kept.reject.with_index { |_, i| info[i][0] == glue_path }
end
Exception.prepend(Module.new do
  define_method(:backtrace) { strip.(super()) }
  define_method(:backtrace_locations) { strip.(super()) }
end)
Kernel.module_eval do
  define_method(:at_exit) do |&block|
    raise ArgumentError, "called without a block" unless block
    handlers << block
    block
  end
  module_function :at_exit


  orig_locations = instance_method(:caller_locations)
  locations = lambda do |receiver, args|
    orig_locations.bind_call(receiver, *args) # Ruby's own checks of the arguments
    # 3: this lambda, the overriding method and its block frame; then the caller's frame first.
    all = strip.(orig_locations.bind_call(receiver, 3))
    first = args[0]
    next all[first] if first.is_a?(Range)
    start = first.nil? ? 1 : first.to_int
    next nil if start > all.size
    args[1].nil? ? all[start..] : all[start, args[1].to_int]
  end
  define_method(:caller_locations) { |*args| locations.(self, args) }
  define_method(:caller) { |*args| locations.(self, args)&.map(&:to_s) }
  private :caller_locations, :caller
  # warn(uplevel:) counts frames as the program sees them; past its <main>, no location (as ruby).
  orig_warn = instance_method(:warn)
  define_method(:warn) do |*msgs, uplevel: nil, category: nil|
    unless uplevel.nil?
      level = uplevel.to_int
      raise ArgumentError, "negative level (#{level})" if level < 0
      uplevel = level >= locations.(self, [0]).size ? 1 << 30 : level + 2 # skips: the internal Kernel#warn, bind_call and this block
    end
    orig_warn.bind_call(self, *msgs, uplevel: uplevel, category: category)
  end
  private :warn
  Thread.singleton_class.define_method(:each_caller_location) do |&blk|
    raise LocalJumpError, "no block given" unless blk
    locations.(self, [1]).each(&blk)
    nil
  end

  # WASI has no processes; without these Ruby fails with a confusing "string contains null byte".
  %i[\` system spawn exec fork].each do |name|
    define_method(name) { |*| raise NotImplementedError, "#{name}() function is unimplemented on this machine" }
    private name
    module_function name
  end
end
# A plain method over an alias: RubyGems counts the frames named require to place its warnings.
module Kernel
  alias_method :__wasmbox_require, :require
  def require(name)
    if name.to_s == "js" || name.to_s.start_with?("js/")
      raise LoadError, "cannot load such file -- #{name} (the JavaScript bridge is disabled in this sandbox)"
    end
    __wasmbox_require(name)
  end
  private :require, :__wasmbox_require
end
class << Process
  %i[spawn fork exec].each do |name|
    define_method(name) { |*| raise NotImplementedError, "#{name}() function is unimplemented on this machine" }
  end
end
class << IO
  def popen(*) = raise(NotImplementedError, "popen() function is unimplemented on this machine")
end

# Ruby's report of an uncaught exception, as ruby's error_print writes it.
report = lambda do |e|
  $stdout.flush rescue nil
  # syntax_suggest bounds its search with Timeout, which needs threads this build lacks.
  msg = e.full_message(highlight: false, order: :top, syntax_suggest: false) rescue "#{e.message} (#{e.class})\\n"
  # Without frames Ruby prefixes the message with the current position, which is the glue's.
  msg = msg.sub(/\\A[^\\n]*?:in '[^']*': /, "#{$0}: ") if e.backtrace.nil? || e.backtrace.empty?
  $stderr.write(msg) rescue nil
end
# The status ruby exits with for an exception that ended the program.
status_of = lambda do |e|
  case e
  when SystemExit then e.status
  when SignalException
    # ruby re-raises the signal: the status is 128 + its number; a plain SignalException prints nothing.
    report.(e) unless e.instance_of?(SignalException)
    128 + e.signo
  else
    report.(e)
    1
  end
end

Kernel.send(:define_method, :__wasmbox_run) do |file|
  status = begin
    iseq = RubyVM::InstructionSequence.respond_to?(:compile_file_prism) ? RubyVM::InstructionSequence.compile_file_prism(file) : RubyVM::InstructionSequence.compile_file(file)
    iseq.eval
    nil
  rescue Exception => e
    e
  end
  # at_exit blocks run last-registered first, before the error is reported; each one's failure is its own.
  while (blk = handlers.pop)
    begin
      blk.call
    rescue SystemExit => e
      status = e
    rescue Exception => e
      status_of.(e)
      status = 1 if status.nil?
    end
  end
  code = status.is_a?(Exception) ? status_of.(status) : (status || 0)
  $stdout.flush rescue nil
  $stderr.flush rescue nil
  code
end
Kernel.send(:private, :__wasmbox_run)
`;

const compileInternal = (src: string) => `RubyVM::InstructionSequence.compile(${str(src)}, ${str(GLUE_PATH)}, ${str(GLUE_PATH)}, 1).eval`;

/** Ruby source to evaluate with the embedder's eval once, at boot. */
export const bootGlue = (): string => compileInternal(BOOT_SOURCE);

/** Ruby source to evaluate with the embedder's eval for a job: sets its process state, runs the program, returns the exit status. */
export function glue(entrypoint: string, args: string[], env: Record<string, string>): string {
  const file = str(entrypoint);
  const envPairs = Object.entries(env)
    .map(([k, v]) => `${str(k)} => ${str(v)}`)
    .join(", ");
  return compileInternal(`ENV.replace({${envPairs}})
ARGV.replace([${args.map(str).join(", ")}])
srand
$0 = ${file}
__wasmbox_run(${file})`);
}
