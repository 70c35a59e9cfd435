/**
 * The escape matrix: every attack of attacks.ts, tried by a program in every runtime. Each must
 * fail inside the sandbox (judged by evidence on the host: the canary text, connections the
 * server saw, files that appeared or vanished, the host's own prototypes) while the executor
 * stays healthy: a hello world right after each attack still works. Defined once, run by each
 * way of executing a program (one-shot executions from each runtime's folder, sessions), with
 * each runtime's programs from test/programs.ts.
 */
import { createServer, type Server } from "node:http";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExecutor, type ExecuteRequest, type ExecuteResult, type Executor, type RuntimeName } from "wasmbox";
import type { AttackContext, AttackName, AttackProgram } from "./attacks.js";
import { PROGRAMS } from "../programs.js";
import { RUNTIMES, expectHealthy, unavailability } from "./runtimes.js";

/** How the matrix runs a program: `execute` as it is, or inside a session, ... */
export interface Via {
  /** Added to the suite's name, e.g. " (sessions)". */
  title: string;
  /** The runtimes this way runs (default: all of RUNTIMES). */
  runtimes?: RuntimeName[];
  /** Attacks this way cannot make, and why. */
  skip?: Partial<Record<AttackName, string>>;
  run(executor: Executor, request: ExecuteRequest): Promise<ExecuteResult>;
}

export async function escapeMatrix(via: Via): Promise<void> {
  const runtimes = RUNTIMES.filter((r) => !via.runtimes || via.runtimes.includes(r));
  if (runtimes.length === 0) {
    describe(`escape matrix${via.title}`, () => it.skip(`(skipped: WASMBOX_TEST_RUNTIMES leaves out ${via.runtimes?.join(", ")})`, () => {}));
    return;
  }
  const secret = `CANARY-${randomBytes(8).toString("hex")}`;
  const envName = `WASMBOX_SECURITY_CANARY_${randomBytes(4).toString("hex").toUpperCase()}`;
  // Set before any sandbox host exists, in the process that owns them.
  process.env[envName] = secret;

  const MiB = 1024 * 1024;
  const executor = createExecutor({ concurrency: 4, memoryLimit: 256 * MiB, warmHosts: 1 });
  const unavailable = await unavailability(executor, runtimes);

  const dir = mkdtempSync(path.join(tmpdir(), "wasmbox-escape-"));
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

  /** Names in the host's `/` that no wasm file system has: seeing one means seeing the host. */
  const hostOnlyRoot = readdirSync("/").filter(
    (n) => !["dev", "tmp", "home", "proc", "lib", "usr", "bin", "etc", "sys", "var", "mnt", "run", "opt", "root", "media"].includes(n),
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

  function run(runtime: RuntimeName, p: AttackProgram | Omit<ExecuteRequest, "runtime">): Promise<ExecuteResult> {
    const { then: _then, noDone: _noDone, sandboxFailureBug: _bug, ...request } = p as AttackProgram;
    return via.run(executor, { timeout: 60_000, ...request, runtime });
  }

  function expectContained(r: ExecuteResult, p: AttackProgram): void {
    const all = r.stdout + r.stderr;
    expect(all).not.toContain(secret);
    expect(r.timedOut, all).toBe(false);
    if (!p.sandboxFailureBug) expect(r.exitCode, `a sandbox failure is a wasmbox bug: ${all}`).not.toBe(70);
    if (p.noDone) {
      expect(r.exitCode, `${p.noDone}: ${all}`).not.toBe(0);
      expect(r.stdout).not.toContain("=OK:");
    } else {
      expect(r.stdout, r.stderr).toMatch(/^DONE$/m);
    }
  }

  const line = (r: ExecuteResult, label: string) => r.stdout.split("\n").find((l) => l.startsWith(`${label}=`)) ?? "";

  type Check = (runtime: RuntimeName, p: AttackProgram) => Promise<void>;

  const CHECKS: Record<AttackName, Check> = {
    async "read-host-files"(runtime, p) {
      const r = await run(runtime, p);
      expectContained(r, p);
      expect(line(r, "abs")).toMatch(/=ERR$/);
      expect(r.stdout).not.toContain(path.basename(ctx.canaryFile));
      const root = line(r, "root");
      for (const name of hostOnlyRoot) expect(root, `guest saw the host's /${name}`).not.toMatch(new RegExp(`\\b${name.replace(/[.+]/g, "\\$&")}\\b`));
      expect(line(r, "cmdline")).not.toMatch(/node|vitest/);
      expect(line(r, "environ")).not.toContain(envName);
    },
    async "write-host-files"(runtime, p) {
      writeFileSync(ctx.victimFile, "victim");
      const r = await run(runtime, p);
      expectContained(r, p);
      expect(existsSync(ctx.writeFile), "wrote a host file by absolute path").toBe(false);
      expect(existsSync(path.join(dir, "written-climb.txt")), "wrote a host file by ../").toBe(false);
      expect(existsSync(ctx.victimFile), "deleted a host file").toBe(true);
      expect(readFileSync(ctx.victimFile, "utf8")).toBe("victim");
    },
    async "host-env"(runtime, p) {
      const r = await run(runtime, p);
      expectContained(r, p);
      expect(r.stdout + r.stderr).not.toContain(envName);
    },
    async network(runtime, p) {
      connections = 0;
      requests = 0;
      const r = await run(runtime, p);
      expectContained(r, p);
      await new Promise((res) => setTimeout(res, 100));
      expect(connections, "the loopback server saw a connection").toBe(0);
      expect(requests).toBe(0);
      expect(r.stdout).not.toContain("reached-the-host");
    },
    async dns(runtime, p) {
      const r = await run(runtime, p);
      expectContained(r, p);
      // Emscripten (Pyodide, PHP) answers name lookups from a table without asking anyone:
      // "localhost" is 127.0.0.1 and any other name gets a made-up 172.29.x.x address that
      // nothing listens on. Any other answer came from a real resolver.
      for (const l of r.stdout.split("\n").filter((x) => x.startsWith("RESOLVED"))) {
        const synthetic = /\b172\.29\.\d+\.\d+\b/.test(l) || /^RESOLVED localhost\b.*\b127\.0\.0\.1\b/.test(l);
        expect(synthetic, `a real DNS answer: ${l}`).toBe(true);
      }
    },
    async "spawn-process"(runtime, p) {
      const r = await run(runtime, p);
      expectContained(r, p);
      expect(r.stdout + r.stderr).not.toContain("PWNED");
      expect(existsSync(ctx.spawnMarker), "a spawned shell touched a host file").toBe(false);
      // Where a program tried to re-enable process functions first (PHP's ini files), it must not have.
      const lifted = line(r, "lifted");
      if (lifted) expect(lifted).toMatch(/=ERR$/);
    },
    async "host-javascript"(runtime, p) {
      const r = await run(runtime, p);
      expectContained(r, p);
      expect(({} as Record<string, unknown>).wasmboxPolluted, "the guest polluted the host's Object.prototype").toBeUndefined();
      expect(line(r, "pollute")).not.toContain("polluted");
    },
    async "leave-state"(runtime, p) {
      const first = await run(runtime, p);
      expectContained(first, p);
      expect(p.then).toBeDefined();
      // Several times: a pool may hand the next job to another host first.
      for (let i = 0; i < 3; i++) {
        const later = await run(runtime, p.then!);
        expect(later.stdout, later.stderr).toBe("DONE\n");
      }
    },
    async "spy-on-concurrent"(runtime, p) {
      const a = `SPY-A-${randomBytes(6).toString("hex")}`;
      const b = `SPY-B-${randomBytes(6).toString("hex")}`;
      const [ra, rb] = await Promise.all([run(runtime, { ...p, stdin: a }), run(runtime, { ...p, stdin: b })]);
      for (const [r, own, other] of [[ra, a, b], [rb, b, a]] as const) {
        expectContained(r, p);
        expect(r.stdout).toContain(`own=${own}`);
        expect(r.stdout + r.stderr).not.toContain(other);
      }
    },
  };

  const ATTACKS = Object.keys(CHECKS) as AttackName[];

  for (const runtime of runtimes) {
    const programs = PROGRAMS[runtime].attacks;
    describe(`escape matrix${via.title}: ${runtime}`, () => {
      for (const attack of ATTACKS) {
        const entry = programs[attack];
        const skip = unavailable[runtime] ?? ("skip" in entry ? entry.skip : via.skip?.[attack]);
        it.skipIf(!!skip)(`${attack}${skip ? ` (skipped: ${skip})` : ""}`, { timeout: 180_000 }, async () => {
          if ("skip" in entry) return;
          await CHECKS[attack](runtime, entry(ctx));
          await expectHealthy(executor, runtime);
        });
        const make = "skip" in entry ? undefined : entry;
        const bug = make?.(ctx).sandboxFailureBug;
        if (make && bug && !skip)
          it.fails(`${attack}: ends as the program's error, not a sandbox failure (known bug: ${bug})`, { timeout: 180_000 }, async () => {
            const r = await run(runtime, make(ctx));
            expect(r.exitCode, r.stderr).not.toBe(70);
          });
      }
    });
  }
}
