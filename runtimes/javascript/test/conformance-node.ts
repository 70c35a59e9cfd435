import type { Programs } from "../../../test/conformance/cases.js";

export const programs: Programs = {
  hello: { code: 'console.log("Hello, World!");' },
  unicode: { code: 'console.log("héllo wörld ✓ 日本語 🎉");' },
  "stdin-transform": {
    code: 'const rl = require("readline").createInterface({ input: process.stdin });\nrl.on("line", (line) => console.log(line.toUpperCase()));',
  },
  "stdin-eof": { code: 'const data = require("fs").readFileSync(0);\nconsole.log(`read ${data.length} bytes`);' },
  "exit-code": { code: 'console.log("before");\nprocess.exit(3);\nconsole.log("after");' },
  "uncaught-error": { code: 'function go() {\n  throw new Error("boom");\n}\ngo();' },
  "stdout-stderr": { code: 'console.log("out 1");\nconsole.error("err 1");\nprocess.stdout.write("out 2\\n");\nprocess.stderr.write("err 2\\n");' },
  env: { code: 'console.log(process.env.GREETING);\nconsole.log("HOME_CANARY" in process.env ? "set" : "unset");' },
  args: { code: 'console.log(process.argv.slice(2).join("|"));' },
  "multiple-files": {
    files: {
      "main.js": 'const { greet } = require("./lib/greeter");\nconsole.log(greet("World"));',
      "lib/greeter.js": "exports.greet = (name) => `Hello, ${name}!`;",
    },
    entrypoint: "main.js",
  },
  "write-read-file": {
    files: {
      "main.js": 'const fs = require("fs");\nfs.writeFileSync("out.txt", "data 42");\nconsole.log(fs.readFileSync("out.txt", "utf8"));\nconsole.log(fs.readFileSync("input.txt", "utf8"));',
      "input.txt": "from request",
    },
    entrypoint: "main.js",
  },
  "large-output": { code: "for (let i = 1; i <= 50000; i++) console.log(`line ${i}`);" },
  recursion: {
    code: "const fib = (n) => (n < 2 ? n : fib(n - 1) + fib(n - 2));\nconst deep = (n) => (n === 0 ? 0 : 1 + deep(n - 1));\nconsole.log(fib(25));\nconsole.log(deep(5000));",
  },
  "stack-frames": {
    code: [
      "// The frames `node main.js` (Node 20) shows for this program: names, and lines in main.js.",
      'const EXPECTED = ["f main.js:4", "g main.js:8", "Object.<anonymous> main.js:10", "Module._compile", "Module._extensions..js", "Module.load", "Module._load", "Function.executeUserEntryPoint [as runMain]", "<anonymous>"];',
      "function f() {",
      '  const frames = new Error().stack.split("\\n").slice(1).map((l) => { const m = /^\\s+at (?:(.+?) \\()?(.*?)\\)?$/.exec(l); const at = /main\\.js:(\\d+):\\d+$/.exec(m[2]); return (m[1] ?? "<anonymous>") + (at ? ` main.js:${at[1]}` : ""); });',
      '  console.log(JSON.stringify(frames) === JSON.stringify(EXPECTED) ? "ok" : frames.join("\\n"));',
      "}",
      "function g() {",
      "  f();",
      "}",
      "g();",
    ].join("\n"),
  },
  "traceback-location": {
    code: 'function f() {\n  throw new Error("deep boom"); // @frame\n}\nfunction g() {\n  f(); // @frame\n}\ng(); // @frame\n',
  },
  // Node prints where a warning was emitted when the program asks (or under --trace-warnings).
  "warning-location": {
    code: 'process.traceProcessWarnings = true;\nprocess.emitWarning("careful"); // @warn\nconsole.log("done");\n',
  },
};
