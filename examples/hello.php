<?php
// wasmbox run examples/hello.php
$name = trim((string) fgets(STDIN));
if ($name === '') $name = 'World';
$squares = array_map(fn($n) => $n * $n, range(1, 5));
echo "Hello, $name! From PHP " . PHP_MAJOR_VERSION . "." . PHP_MINOR_VERSION . ".\n";
echo "squares: [" . implode(", ", $squares) . "] sum: " . array_sum($squares) . "\n";
