/**
 * The escape matrix (test/security/escape-suite.ts) with every program run as a cell of a REPL
 * context of its own session: each must be contained the same way, and the context must still
 * run a cell afterwards.
 */
import { randomBytes } from "node:crypto";
import type { ExecuteRequest, RuntimeName } from "wasmbox";
import { escapeMatrix } from "../security/escape-suite.js";

const HELLO: Partial<Record<RuntimeName, [code: string, expected: string]>> = {
  python: ["6 * 7", "42"],
  node: ["6 * 7", "42"],
  bun: ["6 * 7", "42"],
  ruby: ["6 * 7", "42"],
  php: ["echo 6 * 7;", "42"],
};

await escapeMatrix({
  title: " (REPL cells)",
  runtimes: ["python", "node", "bun", "ruby", "php"],
  skip: { "spy-on-concurrent": "a cell reads no stdin; two contexts at once with secrets are in context.test.ts" },
  async run(executor, request) {
    const { runtime } = request as ExecuteRequest & { runtime: RuntimeName };
    const session = executor.createSession();
    try {
      // The program's other files go into the session; JavaScript programs are modules, which the cell imports.
      const files = request.files ?? {};
      for (const [name, text] of Object.entries(files)) if (name !== request.entrypoint) await session.files.write(name, text);
      let cell = request.code ?? files[request.entrypoint!]!;
      if (runtime === "node" || runtime === "bun") {
        const name = `attack-${randomBytes(4).toString("hex")}.${runtime === "node" ? "mjs" : "ts"}`;
        await session.files.write(name, cell);
        cell = `import("./${name}")`;
      }
      const context = session.createContext(runtime);
      const r = await context.run(cell, { timeout: request.timeout });
      const [hello, expected] = HELLO[runtime]!;
      const after = await context.run(hello);
      if ((runtime === "php" ? after.stdout : after.value) !== expected)
        throw new Error(`the context no longer runs a cell after the attack: ${JSON.stringify(after).slice(0, 400)}`);
      // The value and the error are output too: the matrix looks for the canary in all of it.
      const extra = `${r.value === undefined ? "" : `\nvalue: ${r.value}`}${r.error ? `\nerror: ${JSON.stringify(r.error)}` : ""}`;
      return { stdout: r.stdout, stderr: r.stderr + extra, exitCode: r.exitCode, executionTime: r.executionTime, timedOut: r.timedOut };
    } finally {
      await session.close();
    }
  },
});
