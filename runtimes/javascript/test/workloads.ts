import { BINARY, type WorkloadPrograms } from "../../../test/reliability/workloads.js";

/** Shared by node and bun: the programs are valid TypeScript and JavaScript alike. */
export const jsWorkloads = (lang: "node" | "bun"): WorkloadPrograms => {
  const prelude = lang === "node" ? 'import { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);\n' : "";
  const p = (body: string) => `${prelude}if (process.env.PRIME) process.exit(0);\n${body}\n`;
  const num = lang === "bun" ? ": number" : "";
  const stdinText = lang === "bun" ? "(): Promise<string> => Bun.stdin.text()" : 'async () => require("fs").readFileSync(0, "utf8")';
  const flood = (s: string) => p(`const c = "x".repeat(65536);\nfor (let i = 0; i < 16384; i++) process.${s}.write(c);`);
  return {
    "cpu-loop": p("for (;;) {}"),
    "sleep-loop": p("setInterval(() => {}, 100);"),
    "deep-recursion": p(`function f(n${num})${num} { return f(n + 1) + 1; }\nf(0);`),
    "thread-bomb": p(
      'try { const { Worker } = require("worker_threads"); for (;;) new Worker("for(;;){}", { eval: true }); } catch (e) {}\nfunction spawn() { setTimeout(spawn, 0); setTimeout(spawn, 0); }\nspawn();',
    ),
    "memory-bomb-fast": p("const a = [];\nfor (;;) a.push(new Uint8Array(10_000_000).fill(1));"),
    "memory-bomb-slow": p('const a = [];\nfor (;;) a.push("x".repeat(65536) + a.length);'),
    "flood-stdout": flood("stdout"),
    "flood-stderr": flood("stderr"),
    "huge-line": p('process.stdout.write("x".repeat(8_000_000));'),
    "binary-output": p(`process.stdout.write(new Uint8Array(${JSON.stringify(BINARY)}));`),
    "close-stdout": p('console.log("before");\nprocess.stdout.end();\nconsole.log("after");\nconsole.error("still here");'),
    "stdin-after-eof": p(
      `const read = ${stdinText};\nconsole.log("got=" + (await read()).trim());\nfor (let i = 0; i < 3; i++) console.log((await read()) === "" ? "EOF" : "MORE");`,
    ),
  };
};

