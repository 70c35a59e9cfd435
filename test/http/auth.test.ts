/**
 * X-API-Key auth, and the rule that an open server (no keys) listens only on loopback.
 * GET /v1/runtimes is the protected route used here: it needs no runtime to be loaded.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExecutor, type Executor } from "wasmbox";
import { createServer, type WasmboxServer } from "wasmbox/server";
import { postJson } from "./helpers.js";

let executor: Executor;
const servers: WasmboxServer[] = [];

async function start(options: Parameters<typeof createServer>[0]): Promise<string> {
  const s = createServer({ port: 0, executor, logger: false, ...options });
  servers.push(s);
  return (await s.listen()).url;
}

beforeAll(() => {
  executor = createExecutor({ concurrency: 1 });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await executor.close();
});

describe("with API keys", () => {
  let url: string;
  beforeAll(async () => {
    url = await start({ apiKeys: ["key-one", "a-much-longer-second-key"] });
  });

  it("401 without X-API-Key", async () => {
    const res = await fetch(`${url}/v1/runtimes`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "UNAUTHORIZED", message: expect.stringMatching(/X-API-Key/) } });
  });

  it.each(["wrong", "key-on", "KEY-ONE", "key-onex", "", "a-much-longer-second-kez"])("401 with the wrong key %j", async (key) => {
    const res = await fetch(`${url}/v1/runtimes`, { headers: { "x-api-key": key } });
    expect(res.status).toBe(401);
    await res.body?.cancel();
  });

  it("accepts every configured key", async () => {
    for (const key of ["key-one", "a-much-longer-second-key"]) {
      const res = await fetch(`${url}/v1/runtimes`, { headers: { "X-API-Key": key } });
      expect(res.status).toBe(200);
      await res.body?.cancel();
    }
  });

  it("protects POST /v1/execute before reading the body", async () => {
    const res = await postJson(url, { runtime: "ruby", code: "puts 1" });
    expect(res.status).toBe(401);
    await res.body?.cancel();
  });

  it("leaves /healthz and /v1/openapi.json open for probes and tooling", async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/v1/openapi.json`)).status).toBe(200);
  });
});

describe("where keys come from", () => {
  it("WASMBOX_API_KEYS, comma-separated", async () => {
    const saved = process.env.WASMBOX_API_KEYS;
    process.env.WASMBOX_API_KEYS = " env-key-1 , env-key-2 ";
    try {
      const url = await start({});
      expect((await fetch(`${url}/v1/runtimes`)).status).toBe(401);
      expect((await fetch(`${url}/v1/runtimes`, { headers: { "x-api-key": "env-key-2" } })).status).toBe(200);
    } finally {
      if (saved === undefined) delete process.env.WASMBOX_API_KEYS;
      else process.env.WASMBOX_API_KEYS = saved;
    }
  });

  it("an API keys file, one per line, with comments", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "wasmbox-keys-"));
    const file = path.join(dir, "keys");
    writeFileSync(file, "# operators\nfile-key-1\n\n  file-key-2  \n");
    const url = await start({ apiKeys: [], apiKeysFile: file });
    expect((await fetch(`${url}/v1/runtimes`, { headers: { "x-api-key": "file-key-2" } })).status).toBe(200);
    expect((await fetch(`${url}/v1/runtimes`, { headers: { "x-api-key": "# operators" } })).status).toBe(401);

    const empty = path.join(dir, "empty");
    writeFileSync(empty, "# nothing yet\n");
    expect(() => createServer({ apiKeysFile: empty, executor, logger: false })).toThrow(/holds no keys/);
    expect(() => createServer({ apiKeysFile: path.join(dir, "missing"), executor, logger: false })).toThrow(/cannot read/);
  });
});

describe("without API keys", () => {
  it("serves without a key on loopback", async () => {
    const url = await start({ apiKeys: [] });
    expect((await fetch(`${url}/v1/runtimes`)).status).toBe(200);
  });

  it("refuses to listen on a non-loopback host", async () => {
    const s = createServer({ port: 0, host: "0.0.0.0", apiKeys: [], executor, logger: false });
    await expect(s.listen()).rejects.toThrow(/refusing to listen on 0\.0\.0\.0 without API keys/);
    await s.close();
  });

  it("listens on a non-loopback host with --insecure-no-auth, or with keys", async () => {
    const open = createServer({ port: 0, host: "0.0.0.0", apiKeys: [], insecureNoAuth: true, executor, logger: false });
    servers.push(open);
    const { port } = await open.listen();
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const keyed = createServer({ port: 0, host: "0.0.0.0", apiKeys: ["k"], executor, logger: false });
    servers.push(keyed);
    await expect(keyed.listen()).resolves.toMatchObject({ port: expect.any(Number) });
  });
});
