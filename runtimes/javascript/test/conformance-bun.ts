import type { Programs } from "../../../test/conformance/cases.js";

export const programs: Programs = {
  hello: { code: 'const greeting: string = "Hello, World!";\nconsole.log(greeting);' },
  unicode: { code: 'console.log("héllo wörld ✓ 日本語 🎉" as string);' },
  "stdin-transform": {
    code: 'const text: string = await Bun.stdin.text();\nconst lines = text.split("\\n");\nfor (const line of lines) if (line !== "") console.log(line.toUpperCase());',
  },
  "stdin-eof": { code: 'const data: string = await Bun.stdin.text();\nconsole.log(`read ${new TextEncoder().encode(data).length} bytes`);' },
  "exit-code": { code: 'console.log("before");\nprocess.exit(3);' },
  "uncaught-error": { code: 'function go(): never {\n  throw new Error("boom");\n}\ngo();' },
  "stdout-stderr": { code: 'console.log("out 1");\nconsole.error("err 1");\nprocess.stdout.write("out 2\\n");\nprocess.stderr.write("err 2\\n");' },
  env: { code: 'console.log(Bun.env.GREETING);\nconsole.log(process.env.HOME_CANARY === undefined ? "unset" : "set");' },
  args: { code: 'const args: string[] = Bun.argv.slice(2);\nconsole.log(args.join("|"));' },
  "multiple-files": {
    files: {
      "main.ts": 'import { greet } from "./lib/greeter";\nconsole.log(greet("World"));',
      "lib/greeter.ts": "export function greet(name: string): string {\n  return `Hello, ${name}!`;\n}",
    },
    entrypoint: "main.ts",
  },
  "write-read-file": {
    files: {
      "main.ts": 'await Bun.write("out.txt", "data 42");\nconsole.log(await Bun.file("out.txt").text());\nconsole.log(await Bun.file("input.txt").text());',
      "input.txt": "from request",
    },
    entrypoint: "main.ts",
  },
  "large-output": { code: "for (let i: number = 1; i <= 50000; i++) console.log(`line ${i}`);" },
  recursion: {
    code: "const fib = (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2));\nconst deep = (n: number): number => (n === 0 ? 0 : 1 + deep(n - 1));\nconsole.log(fib(25));\nconsole.log(deep(5000));",
  },
  "stack-frames": {
    code: [
      "// The frames `bun main.ts` shows for this program: names, and lines in main.ts.",
      'const EXPECTED: string[] = ["f main.ts:4", "g main.ts:8", "<anonymous> main.ts:10"];',
      "function f(): void {",
      '  const frames: string[] = new Error().stack!.split("\\n").slice(1).map((l) => { const m = /^\\s+at (?:(.+?) \\()?(.*?)\\)?$/.exec(l)!; const at = /main\\.ts:(\\d+):\\d+$/.exec(m[2]); return (m[1] ?? "<anonymous>") + (at ? ` main.ts:${at[1]}` : ""); });',
      '  console.log(JSON.stringify(frames) === JSON.stringify(EXPECTED) ? "ok" : frames.join("\\n"));',
      "}",
      "function g(): void {",
      "  f();",
      "}",
      "g();",
    ].join("\n"),
  },
  "traceback-location": {
    code: 'function f(): never {\n  throw new Error("deep boom"); // @frame\n}\nfunction g(): void {\n  f(); // @frame\n}\ng(); // @frame\n',
  },
  // As Node's: Bun prints where a warning was emitted when the program asks.
  "warning-location": {
    code: 'process.traceProcessWarnings = true;\nprocess.emitWarning("careful"); // @warn\nconsole.log("done");\n',
  },
};
