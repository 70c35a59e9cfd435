/** What the fleet tests share: a redis-server of their own, log lines, a callback receiver. */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer as createHttpServer, type IncomingMessage, type Server } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A child's JSON log lines on stdout, as they come. */
export function logLines(child: ChildProcess): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  let buf = "";
  child.stdout!.setEncoding("utf8").on("data", (c: string) => {
    buf += c;
    let nl;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
  });
  return lines;
}

export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Receiver {
  port: number;
  server: Server;
  got: { headers: IncomingMessage["headers"]; body: { data: Record<string, unknown> } }[];
}

export function receiver(): Promise<Receiver> {
  const got: Receiver["got"] = [];
  const server = createHttpServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (c: string) => (body += c));
    req.on("end", () => {
      got.push({ headers: req.headers, body: JSON.parse(body) as { data: Record<string, unknown> } });
      res.end("ok");
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ port: (server.address() as AddressInfo).port, server, got })));
}

/** A redis-server on a free loopback port, without persistence; the caller stops it by its pid. */
export async function startRedis(): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.setEncoding("utf8").on("data", (c: string) => (out += c));
  await until(
    "redis-server to start",
    () => {
      if (child.exitCode !== null) throw new Error(`redis-server exited: ${out}`);
      return /Ready to accept connections/.test(out) || undefined;
    },
    20_000,
  );
  return { child, url: `redis://127.0.0.1:${port}` };
}

/** Stops a child by its pid and waits for it to be gone. */
export async function stop(child: ChildProcess | undefined): Promise<void> {
  if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  process.kill(child.pid, "SIGKILL");
  await exited;
}
