/**
 * `wasmbox serve` shutdown against a real server process: bounded by the grace period whatever
 * the connections are doing, and a second signal stops running executions at once.
 */
import { readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { listening, spawnCli } from "./helpers.js";

/** Resolves with the exit code, or "still running" when the process outlives `ms`. */
const exitWithin = (exited: Promise<number | null>, ms: number) =>
  Promise.race([exited, new Promise<"still running">((r) => setTimeout(() => r("still running"), ms))]);

/** Every process whose parent chain leads to `root` (from /proc). */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // Exited while we looked.
    }
  }
  const out: number[] = [];
  for (const pid of parent.keys()) {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p))
      if (p === root) {
        out.push(pid);
        break;
      }
  }
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    // A zombie still answers kill(0) until its parent reaps it; it runs nothing.
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
};

/** A connection that sent the headers and part of a body, and then nothing more. */
function stalledUpload(base: string): Promise<net.Socket> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(u.port), u.hostname, () => {
      sock.write(`POST /v1/execute HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"runtime":"ruby","code":"`);
      resolve(sock);
    });
    sock.on("error", reject);
  });
}

const post = (url: string, body: unknown) =>
  fetch(`${url}/v1/execute`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

async function untilRunning(base: string, n: number): Promise<void> {
  for (;;) {
    const h = (await (await fetch(`${base}/healthz`)).json()) as { running: number };
    if (h.running >= n) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("wasmbox serve shutdown", () => {
  it("exits within the grace period (--shutdown-grace) when an upload never finishes", { timeout: 30_000 }, async () => {
    const child = spawnCli(["serve", "--port", "0", "--shutdown-grace", "1000"], { WASMBOX_API_KEYS: "" });
    const { url, exited } = listening(child);
    try {
      const sock = await stalledUpload(await url);
      const closedByServer = new Promise<void>((r) => sock.on("close", () => r()));
      await new Promise((r) => setTimeout(r, 300));
      const signalled = Date.now();
      child.kill("SIGTERM");
      // 1 s of grace plus a generous margin; before, it never exited.
      expect(await exitWithin(exited, 1000 + 8000)).toBe(0);
      expect(Date.now() - signalled).toBeGreaterThanOrEqual(900);
      await closedByServer;
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("a second SIGTERM exits at once even with a half-sent upload and a long grace (WASMBOX_SHUTDOWN_GRACE_MS)", { timeout: 30_000 }, async () => {
    const child = spawnCli(["serve", "--port", "0"], { WASMBOX_API_KEYS: "", WASMBOX_SHUTDOWN_GRACE_MS: "120000" });
    const { url, exited } = listening(child);
    try {
      await stalledUpload(await url);
      await new Promise((r) => setTimeout(r, 300));
      child.kill("SIGTERM");
      // The first signal waits for the upload (the grace is two minutes)...
      expect(await exitWithin(exited, 1000)).toBe("still running");
      child.kill("SIGTERM");
      // ...the second does not.
      expect(await exitWithin(exited, 8000)).not.toBe("still running");
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("a second SIGTERM stops running executions at once: the request is answered or closed, no process is left", { timeout: 60_000 }, async () => {
    const child = spawnCli(["serve", "--port", "0", "--prewarm", "python", "--concurrency", "2"], { WASMBOX_API_KEYS: "", WASMBOX_SHUTDOWN_GRACE_MS: "120000" });
    const { url, lines, exited } = listening(child);
    try {
      const base = await url;
      const warm = await post(base, { runtime: "python", code: "print(1)" });
      expect(warm.status).toBe(200);
      const running = post(base, { runtime: "python", code: "while True: pass", timeout: 120_000 }).then(
        async (r) => ({ status: r.status, body: await r.text() }),
        (e: Error) => ({ status: 0, body: String(e) }),
      );
      await untilRunning(base, 1);
      const children = descendants(child.pid!);
      // Python runs in a contained child process: this is what must not outlive the server.
      expect(children.length).toBeGreaterThan(0);
      child.kill("SIGTERM");
      expect(await exitWithin(exited, 1000)).toBe("still running");
      const signalled = Date.now();
      child.kill("SIGTERM");
      expect(await exitWithin(exited, 8000)).not.toBe("still running");
      const answer = await running;
      // Answered with 503 SHUTTING_DOWN, or the connection closed; not run to its 120 s timeout.
      if (answer.status !== 0) {
        expect(answer.status).toBe(503);
        expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "SHUTTING_DOWN" } });
      }
      expect(Date.now() - signalled).toBeLessThan(8000);
      await new Promise((r) => setTimeout(r, 500));
      expect(children.filter(alive)).toEqual([]);
      expect(lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
