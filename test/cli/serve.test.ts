/** `wasmbox serve` as a child process: it serves, refuses an open public host, and shuts down on SIGTERM. */
import { describe, expect, it } from "vitest";
import { listening, spawnCli, wasmbox } from "./helpers.js";

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/execute`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("wasmbox serve", () => {
  it("serves POST /v1/execute and, on SIGTERM, finishes the running execution before exiting 0", async () => {
    const child = spawnCli(["serve", "--port", "0", "--prewarm", "ruby", "--concurrency", "1"], { WASMBOX_API_KEYS: "" });
    const { url, lines, exited } = listening(child);
    try {
      const base = await url;
      const first = await post(base, { runtime: "ruby", code: "puts 6 * 7" });
      expect(first.status).toBe(200);
      expect(((await first.json()) as { data: { stdout: string } }).data.stdout).toBe("42\n");

      const running = post(base, { runtime: "ruby", code: "sleep 1.5; puts :done" });
      // Wait until the execution is under way before asking the server to stop.
      for (;;) {
        const h = (await (await fetch(`${base}/healthz`)).json()) as { running: number };
        if (h.running === 1) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill("SIGTERM");
      const res = await running;
      expect(res.status).toBe(200);
      expect(((await res.json()) as { data: { stdout: string } }).data.stdout).toBe("done\n");
      expect(await exited).toBe(0);
      const requests = lines.filter((l) => l.msg === "request" && l.path === "/v1/execute");
      expect(requests).toHaveLength(2);
      expect(requests[1]).toMatchObject({ runtime: "ruby", status: 200, executionTime: expect.any(Number) });
      // The prewarmed runtime's load, logged as it started and ended (load events).
      const loads = lines.filter((l) => l.msg === "loading" || l.msg === "loaded").map((l) => `${l.msg}:${l.runtime}:${l.phase}`);
      expect(loads).toEqual(["loading:ruby:runtime", "loaded:ruby:runtime", "loading:ruby:host", "loaded:ruby:host"]);
      expect(lines.find((l) => l.msg === "loaded" && l.phase === "host")).toMatchObject({ ms: expect.any(Number) });
      expect(lines.at(-1)).toMatchObject({ msg: "closed" });
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("checks X-API-Key against WASMBOX_API_KEYS", async () => {
    const child = spawnCli(["serve", "--port", "0"], { WASMBOX_API_KEYS: "cli-key" });
    const { url, exited } = listening(child);
    try {
      const base = await url;
      expect((await fetch(`${base}/v1/runtimes`)).status).toBe(401);
      expect((await fetch(`${base}/v1/runtimes`, { headers: { "x-api-key": "cli-key" } })).status).toBe(200);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("a port already in use: the error, and no \"closed\" line for a server that never listened", async () => {
    const { createServer } = await import("node:net");
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, "127.0.0.1", r));
    const port = (busy.address() as { port: number }).port;
    try {
      const r = await wasmbox(["serve", "--port", String(port)], { env: { WASMBOX_API_KEYS: "" } });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
      expect(r.stdout).not.toMatch(/"msg":"closed"/);
    } finally {
      busy.close();
    }
  });

  it("refuses a non-loopback host without API keys", async () => {
    const r = await wasmbox(["serve", "--port", "0", "--host", "0.0.0.0"], { env: { WASMBOX_API_KEYS: "" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refusing to listen on 0\.0\.0\.0 without API keys[\s\S]*--insecure-no-auth/);
    // It never listened: no "closed" line either.
    expect(r.stdout).not.toMatch(/"msg":"closed"/);
  });
});
