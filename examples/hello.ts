// wasmbox run examples/hello.ts  (the bun runtime: TypeScript on QuickJS with a Bun API)
const input: string = (await Bun.stdin.text()).trim();
const name: string = input || "World";
const squares: number[] = [1, 2, 3, 4, 5].map((n: number) => n * n);
console.log(`Hello, ${name}! From Bun ${Bun.version}.`);
console.log("squares:", squares, "sum:", squares.reduce((a, b) => a + b, 0));
