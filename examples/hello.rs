// wasmbox run examples/hello.rs  (needs rustc with a wasm32-wasip1 std: npx wasmbox setup)
use std::io::BufRead;

fn main() {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).unwrap();
    let name = match line.trim() {
        "" => "World",
        n => n,
    };
    let squares: Vec<u32> = (1..=5).map(|n| n * n).collect();
    println!("Hello, {}! From Rust.", name);
    println!("squares: {:?} sum: {}", squares, squares.iter().sum::<u32>());
}
