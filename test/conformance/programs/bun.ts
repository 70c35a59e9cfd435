import type { Programs } from "../cases.js";

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
};
