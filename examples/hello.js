// wasmbox run examples/hello.js  (runs on QuickJS with a Node 20 API)
const fs = require("node:fs");

const input = fs.readFileSync(0, "utf8").trim();
const name = input || "World";
const squares = [1, 2, 3, 4, 5].map((n) => n * n);
console.log(`Hello, ${name}! From Node ${process.version}.`);
console.log("squares:", squares, "sum:", squares.reduce((a, b) => a + b, 0));
