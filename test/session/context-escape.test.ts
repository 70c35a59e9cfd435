/**
 * The escape programs of test/security, run as cells of a REPL context instead of one-shot
 * programs: each must be contained the same way (judged by evidence on the host: the canary text,
 * connections the server saw, files that appeared or vanished, the host's own prototypes), and
 * the context must still run a cell afterwards.
 */
import { createServer, type Server } from "node:http";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReplContext, createExecutor, type ContextFileSync, type ContextRunResult, type RuntimeName } from "wasmbox";
import type { AttackContext, AttackName, AttackProgram, AttackPrograms } from "../security/attacks.js";

const secret = `CANARY-${randomBytes(8).toString("hex")}`;
const envName = `WASMBOX_SECURITY_CANARY_${randomBytes(4).toString("hex").toUpperCase()}`;
// Set before any sandbox host exists, in the process that owns them.
process.env[envName] = secret;

const MiB = 1024 * 1024;
const executor = createExecutor({ concurrency: 2, memoryLimit: 256 * MiB });

const dir = mkdtempSync(path.join(tmpdir(), "wasmbox-ctx-escape-"));
const climb = (p: string) => "../".repeat(24) + p.slice(1);
const ctx: AttackContext = {
  canaryFile: path.join(dir, `canary-${randomBytes(4).toString("hex")}.txt`),
  canaryDir: dir,
  climb: "",
  secret,
  envName,
  victimFile: path.join(dir, "victim.txt"),
  victimClimb: "",
  writeFile: path.join(dir, "written-abs.txt"),
  writeClimb: "",
  port: 0,
  spawnMarker: path.join(dir, "spawned"),
};
ctx.climb = climb(ctx.canaryFile);
ctx.victimClimb = climb(ctx.victimFile);
ctx.writeClimb = climb(path.join(dir, "written-climb.txt"));

const hostOnlyRoot = readdirSync("/").filter(
  (n) => !["dev", "tmp", "home", "proc", "lib", "usr", "bin", "etc", "sys", "var", "mnt", "run", "opt", "root", "media", "app"].includes(n),
);

let server: Server;
let connections = 0;
let requests = 0;

beforeAll(async () => {
  writeFileSync(ctx.canaryFile, secret);
  server = createServer((_req, res) => {
    requests++;
    res.end("reached-the-host");
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  ctx.port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  await executor.close();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
  delete process.env[envName];
});

class Tree implements ContextFileSync {
  readonly files = new Map<string, Uint8Array>();
  private changed = new Set<string>();
  put(p: string, text: string): void {
    this.files.set(p, new TextEncoder().encode(text));
    this.changed.add(p);
  }
  pending(fresh: boolean) {
    const paths = fresh ? [...this.files.keys()] : [...this.changed];
    this.changed.clear();
    return { writes: new Map(paths.map((p) => [p, this.files.get(p)!] as const)), deletes: [] };
  }
  apply(c: { writes: Map<string, Uint8Array>; deletes: string[] }): void {
    for (const [p, b] of c.writes) this.files.set(p, b);
    for (const p of c.deletes) this.files.delete(p);
  }
}

/** A program as a cell: its code (JS programs are modules: the cell imports them from the session's files). */
function asCell(runtime: RuntimeName, p: Omit<AttackProgram, "runtime">, tree: Tree): string {
  const files = (p.files ?? {}) as Record<string, string>;
  for (const [name, text] of Object.entries(files)) if (name !== p.entrypoint) tree.put(name, text);
  const code = p.code ?? files[p.entrypoint!]!;
  if (runtime === "node" || runtime === "bun") {
    const name = `attack-${randomBytes(4).toString("hex")}.${runtime === "node" ? "mjs" : "ts"}`;
    tree.put(name, code);
    return `import("./${name}")`;
  }
  return code;
}

const all = (r: ContextRunResult) => r.stdout + r.stderr + (r.value ?? "") + JSON.stringify(r.error ?? {});
const line = (r: ContextRunResult, label: string) => r.stdout.split("\n").find((l) => l.startsWith(`${label}=`)) ?? "";

function expectContained(r: ContextRunResult, p: AttackProgram): void {
  expect(all(r)).not.toContain(secret);
  expect(r.timedOut, all(r)).toBe(false);
  expect(r.exitCode, `a sandbox failure is a wasmbox bug: ${all(r)}`).not.toBe(70);
  if (!p.noDone) expect(r.stdout, all(r)).toMatch(/^DONE$/m);
}

const HELLO: Record<string, string> = { python: "6 * 7", node: "6 * 7", bun: "6 * 7", ruby: "6 * 7" };

type Check = (c: ReplContext, tree: Tree, runtime: RuntimeName, p: AttackProgram) => Promise<void>;
const run = (c: ReplContext, tree: Tree, runtime: RuntimeName, p: Omit<AttackProgram, "runtime">) =>
  c.run(asCell(runtime, p, tree), { timeout: 60_000 });

const CHECKS: Partial<Record<AttackName, Check>> = {
  async "read-host-files"(c, tree, runtime, p) {
    const r = await run(c, tree, runtime, p);
    expectContained(r, p);
    expect(line(r, "abs")).toMatch(/=ERR$/);
    expect(r.stdout).not.toContain(path.basename(ctx.canaryFile));
    const root = line(r, "root");
    for (const name of hostOnlyRoot) expect(root, `guest saw the host's /${name}`).not.toMatch(new RegExp(`\\b${name.replace(/[.+]/g, "\\$&")}\\b`));
    expect(line(r, "cmdline")).not.toMatch(/node|vitest/);
    expect(line(r, "environ")).not.toContain(envName);
  },
  async "write-host-files"(c, tree, runtime, p) {
    writeFileSync(ctx.victimFile, "victim");
    const r = await run(c, tree, runtime, p);
    expectContained(r, p);
    expect(existsSync(ctx.writeFile), "wrote a host file by absolute path").toBe(false);
    expect(existsSync(path.join(dir, "written-climb.txt")), "wrote a host file by ../").toBe(false);
    expect(readFileSync(ctx.victimFile, "utf8")).toBe("victim");
  },
  async "host-env"(c, tree, runtime, p) {
    const r = await run(c, tree, runtime, p);
    expectContained(r, p);
    expect(all(r)).not.toContain(envName);
  },
  async network(c, tree, runtime, p) {
    connections = 0;
    requests = 0;
    const r = await run(c, tree, runtime, p);
    expectContained(r, p);
    await new Promise((res) => setTimeout(res, 100));
    expect(connections, "the loopback server saw a connection").toBe(0);
    expect(requests).toBe(0);
    expect(r.stdout).not.toContain("reached-the-host");
  },
  async dns(c, tree, runtime, p) {
    const r = await run(c, tree, runtime, p);
    expectContained(r, p);
    for (const l of r.stdout.split("\n").filter((x) => x.startsWith("RESOLVED"))) {
      const synthetic = /\b172\.29\.\d+\.\d+\b/.test(l) || /^RESOLVED localhost\b.*\b127\.0\.0\.1\b/.test(l);
      expect(synthetic, `a real DNS answer: ${l}`).toBe(true);
    }
  },
  async "spawn-process"(c, tree, runtime, p) {
    const r = await run(c, tree, runtime, p);
    expectContained(r, p);
    expect(all(r)).not.toContain("PWNED");
    expect(existsSync(ctx.spawnMarker), "a spawned shell touched a host file").toBe(false);
  },
  async "host-javascript"(c, tree, runtime, p) {
    const r = await run(c, tree, runtime, p);
    expectContained(r, p);
    expect(({} as Record<string, unknown>).wasmboxPolluted, "the guest polluted the host's Object.prototype").toBeUndefined();
    expect(line(r, "pollute")).not.toContain("polluted");
  },
  async "leave-state"(c, tree, runtime, p) {
    const first = await run(c, tree, runtime, p);
    expectContained(first, p);
    // What one context left behind is not in another context, nor in the same one after restart().
    const otherTree = new Tree();
    const other = new ReplContext(executor, runtime, { files: otherTree });
    try {
      const later = await run(other, otherTree, runtime, p.then!);
      expect(later.stdout, all(later)).toBe("DONE\n");
    } finally {
      await other.close();
    }
  },
};

const RUNTIMES: RuntimeName[] = ["python", "node", "bun", "ruby", "php"];

for (const runtime of RUNTIMES) {
  const programs = (await import(`../security/programs/${runtime}.ts`)).programs as AttackPrograms;
  describe(`escape programs as REPL cells: ${runtime}`, () => {
    const tree = new Tree();
    const context = new ReplContext(executor, runtime, { files: tree });
    afterAll(() => context.close());
    for (const [attack, check] of Object.entries(CHECKS) as [AttackName, Check][]) {
      const entry = programs[attack];
      const skip = "skip" in entry ? entry.skip : undefined;
      it.skipIf(!!skip)(`${attack}${skip ? ` (skipped: ${skip})` : ""}`, { timeout: 180_000 }, async () => {
        if ("skip" in entry) return;
        // Each attack on a fresh interpreter: programs define the same helpers (PHP cannot redeclare them).
        await context.restart();
        await check(context, tree, runtime, entry(ctx));
        const after = await context.run(runtime === "php" ? "echo 6 * 7;" : HELLO[runtime]!);
        expect(runtime === "php" ? after.stdout : after.value, all(after)).toBe("42");
      });
    }
    // spy-on-concurrent reads a secret from stdin, which a cell does not have: two contexts at
    // once with secrets are in context.test.ts.
  });
}
