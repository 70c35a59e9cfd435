# wasmbox run examples/hello.rb
name = ($stdin.gets || "").strip
name = "World" if name.empty?
squares = (1..5).map { |n| n * n }
puts "Hello, #{name}! From Ruby #{RUBY_VERSION}."
puts "squares: #{squares.inspect} sum: #{squares.sum}"
