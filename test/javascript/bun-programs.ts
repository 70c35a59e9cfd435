/** TypeScript programs run under the real `bun` and under wasmbox's `bun` runtime. */
import type { DiffProgram } from "./node-programs.js";

export const BUN_PROGRAMS: DiffProgram[] = [
  { name: "ts-types-and-interfaces", code: `interface User { name: string; age: number }\nconst users: User[] = [{ name: "ann", age: 31 }, { name: "bob", age: 25 }];\nconst names: string[] = users.filter((u: User): boolean => u.age > 26).map((u) => u.name);\nconsole.log(names.join(","), users.length);` },
  { name: "ts-enums-generics", code: `enum Color { Red, Green = "green", Blue = 5 }\nfunction first<T>(xs: T[]): T | undefined { return xs[0]; }\nconsole.log(Color.Red, Color.Green, Color.Blue, Color[0], first<number>([7, 8]), first<string>([]));` },
  { name: "ts-classes", code: `abstract class Shape { abstract area(): number; describe(): string { return \`\${this.constructor.name} with area \${this.area().toFixed(2)}\`; } }\nclass Circle extends Shape { constructor(private readonly r: number) { super(); } area(): number { return Math.PI * this.r ** 2; } }\nclass Square extends Shape { constructor(public side: number) { super(); } area() { return this.side ** 2; } }\nfor (const s of [new Circle(1), new Square(3)] as Shape[]) console.log(s.describe());` },
  { name: "ts-line-numbers", code: `type Pair = [string, number];\n\nfunction check(p: Pair): void {\n  if (p[1] < 0) {\n    const err: Error = new Error("negative");\n    console.log(err.stack!.split("\\n")[1].trim().replace(/\\(.*\\/(main\\.ts:\\d+):\\d+/, "($1"));\n  }\n}\ncheck(["x", -1]);` },
  { name: "bun-stdin-text", stdin: "10 20 30\n", code: `const input: string = await Bun.stdin.text();\nconst nums: number[] = input.trim().split(/\\s+/).map(Number);\nconsole.log(nums.reduce((a: number, b: number) => a + b, 0));` },
  { name: "bun-file-write", files: { "data.json": '{ "items": [1, 2, 3] }' }, code: `const data = await Bun.file("data.json").json() as { items: number[] };\nconsole.log(data.items.length);\nconst n: number = await Bun.write("out.txt", "written by bun");\nconsole.log(n, await Bun.file("out.txt").text(), await Bun.file("nope.txt").exists());` },
  { name: "bun-env-argv", args: ["one", "two"], env: { MODE: "test" }, code: `console.log(Bun.env.MODE, process.env.MODE, Bun.argv.slice(2), typeof Bun.version, import.meta.main);` },
  { name: "ts-imports-across-files", files: { "lib/math.ts": "export const add = (a: number, b: number): number => a + b;\nexport type Num = number;\nexport default class Counter { n: Num = 0; inc(): this { this.n++; return this; } }" }, code: `import Counter, { add, type Num } from "./lib/math";\nconst x: Num = add(2, 3);\nconsole.log(x, new Counter().inc().inc().n);` },
  { name: "ts-async-timers", code: `const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));\nasync function run(): Promise<string[]> {\n  const out: string[] = [];\n  await Promise.all([sleep(20).then(() => out.push("slow")), sleep(5).then(() => out.push("fast"))]);\n  return out;\n}\nconsole.log((await run()).join(" then "));` },
  { name: "ts-arrays-print", code: `const xs: number[] = [1, 2, 3];\nconst words: string[] = ["a", "b"];\nconsole.log(xs, words, [], null, undefined, true, 42n, -0, [1.5, "x", false]);` },
  { name: "ts-exit-code", code: `const code: number = 3;\nconsole.log("exiting");\nprocess.exit(code);` },
  { name: "ts-satisfies-asserts", code: `const cfg = { port: 8080, host: "localhost" } satisfies Record<string, string | number>;\nconst el = cfg.port as unknown as number;\nlet maybe: string | null = null;\nconsole.log(el + 1, maybe ?? "default", cfg.host!.toUpperCase());` },
  { name: "ts-unhandled-rejection", code: "async function main(): Promise<void> {\n  throw new Error(\"boom\");\n}\nconsole.log(\"start\");\nmain();" },
  { name: "ts-unhandled-rejection-primitive", code: "const reason: number = 42;\nnew Promise((_, reject) => reject(reason));" },
  { name: "ts-unhandled-rejection-object", code: "Promise.reject({ a: 1, b: \"x\" });" },
  { name: "ts-rejection-handled-in-time", code: "const p: Promise<never> = Promise.reject(new Error(\"late\"));\nPromise.resolve().then(() => p.catch((e: Error) => console.log(\"caught\", e.message)));\nsetTimeout(() => console.log(\"timer\"), 5);" },
  { name: "ts-throw-primitive", code: "const n: null = null;\nthrow n;" },
  // Bun shows the five lines before the throw, line numbers padded to one width.
  { name: "error-context-lines", code: Array.from({ length: 9 }, (_, i) => `const v${i} = ${i};`).join("\n") + '\nconsole.log(new Error("logged"));\nfunction f() {\n  throw new Error("uncaught");\n}\nf();' },
];
