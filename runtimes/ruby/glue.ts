/**
 * Runs the entry file as `ruby main.rb` would: `$0`/`__FILE__` are the relative path, the top
 * frame is `<main>`, at_exit blocks run, an uncaught exception prints Ruby's own message with
 * the frames of this glue removed. Returns the exit status.
 */
export function glue(entrypoint: string): string {
  const file = JSON.stringify(entrypoint);
  return `
$0 = ${file}
$PROGRAM_NAME = ${file}
$__wasmbox_at_exit = []
module Kernel
  def at_exit(&block)
    raise ArgumentError, "called without a block" unless block
    $__wasmbox_at_exit << block
    block
  end
  module_function :at_exit
end
$__wasmbox_status = begin
  begin
    RubyVM::InstructionSequence.compile_file(${file}).eval
    0
  ensure
    while (blk = $__wasmbox_at_exit.pop)
      begin
        blk.call
      rescue SystemExit => e
        raise e
      end
    end
  end
rescue SystemExit => e
  e.status
rescue Exception => e
  $stdout.flush rescue nil
  bt = e.backtrace
  if bt
    cut = bt.index { |l| l.include?("RubyVM::InstructionSequence#eval") || l.start_with?("eval:") || l.start_with?("eval at ") }
    e.set_backtrace(bt[0...cut]) if cut
  end
  msg = e.full_message(highlight: false, order: :top)
  $stderr.write(msg)
  1
end
$stdout.flush rescue nil
$stderr.flush rescue nil
$__wasmbox_status
`;
}
