/**
 * /v1/sandboxes: the whole life of a sandbox over HTTP, ownership by API key, limits per key and
 * in all, idle expiry, bad input, and two sandboxes used at once never seeing each other's files.
 * Programs run in Ruby (a worker-thread runtime: quick to load).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExecutor, type Executor } from "wasmbox";
import { createServer, type WasmboxServer } from "wasmbox/server";

const K1 = { "x-api-key": "key-one" };
const K2 = { "x-api-key": "key-two" };
const json = (h: Record<string, string>) => ({ ...h, "content-type": "application/json" });

const executors: Executor[] = [];
const servers: WasmboxServer[] = [];

async function start(
  sessions: Parameters<typeof createExecutor>[0] extends infer O ? (O extends { sessions?: infer S } ? S : never) : never,
  sandboxes: Parameters<typeof createServer>[0] extends infer O ? (O extends { sandboxes?: infer S } ? S : never) : never = {},
): Promise<string> {
  const executor = createExecutor({ concurrency: 2, sessions });
  executors.push(executor);
  const s = createServer({ port: 0, executor, logger: false, apiKeys: ["key-one", "key-two"], sandboxes: { nodeId: "testnode", ...sandboxes } });
  servers.push(s);
  return (await s.listen()).url;
}

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(executors.map((e) => e.close()));
});

type Info = { id: string; node: string; files: number; bytes: number; limits: { maxBytes: number; maxFiles: number; idleTimeout: number } };

async function create(url: string, key: Record<string, string>, body?: unknown): Promise<Info> {
  const res = await fetch(`${url}/v1/sandboxes`, { method: "POST", headers: json(key), body: JSON.stringify(body ?? {}) });
  expect(res.status, await res.clone().text()).toBe(201);
  const info = ((await res.json()) as { data: Info }).data;
  expect(res.headers.get("location")).toBe(`/v1/sandboxes/${info.id}`);
  return info;
}

const get = (url: string, p: string, key: Record<string, string>) => fetch(`${url}${p}`, { headers: key });
const execute = (url: string, id: string, key: Record<string, string>, body: unknown) =>
  fetch(`${url}/v1/sandboxes/${id}/execute`, { method: "POST", headers: json(key), body: JSON.stringify(body) });
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

describe("a sandbox's life over HTTP", () => {
  let url: string;
  beforeAll(async () => {
    url = await start({});
  });

  it("create, write, execute, read back, list, delete a file, snapshot, restore, fork, delete", { timeout: 120_000 }, async () => {
    const sb = await create(url, K1, { files: { "in.txt": "hello sandbox" } });
    expect(sb.id).toMatch(/^sbx_testnode_[0-9a-f]{24}$/);
    expect(sb).toMatchObject({ node: "testnode", files: 1, bytes: 13 });

    // A file written over HTTP (bytes, all 256 values) is read by the program.
    const binary = Uint8Array.from({ length: 256 }, (_, i) => i);
    let res = await fetch(`${url}/v1/sandboxes/${sb.id}/files/data/bin.dat`, { method: "PUT", headers: K1, body: binary });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { path: "data/bin.dat", size: 256 } });

    res = await execute(url, sb.id, K1, {
      runtime: "ruby",
      code: 's = File.read("in.txt"); b = File.binread("data/bin.dat"); File.write("out.txt", s.upcase + " " + b.bytesize.to_s); puts s.length',
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { stdout: string; exitCode: number } }).data).toMatchObject({ stdout: "13\n", exitCode: 0 });

    // The file the program wrote stays: raw bytes, and JSON with an encoding.
    res = await get(url, `/v1/sandboxes/${sb.id}/files/out.txt`, K1);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    expect(await res.text()).toBe("HELLO SANDBOX 256");
    res = await get(url, `/v1/sandboxes/${sb.id}/files/data/bin.dat?encoding=base64`, K1);
    expect(((await res.json()) as { data: { content: string } }).data.content).toBe(Buffer.from(binary).toString("base64"));
    res = await get(url, `/v1/sandboxes/${sb.id}/files/out.txt?encoding=utf8`, K1);
    expect(await res.json()).toEqual({ data: { path: "out.txt", encoding: "utf8", size: 17, content: "HELLO SANDBOX 256" } });

    // A second execution sees the first one's file; an entrypoint-only request runs a sandbox file.
    await fetch(`${url}/v1/sandboxes/${sb.id}/files/prog.rb`, { method: "PUT", headers: K1, body: 'puts File.read("out.txt").downcase' });
    res = await execute(url, sb.id, K1, { runtime: "ruby", entrypoint: "prog.rb" });
    expect(((await res.json()) as { data: { stdout: string } }).data.stdout).toBe("hello sandbox 256\n");

    res = await get(url, `/v1/sandboxes/${sb.id}/files`, K1);
    expect(((await res.json()) as { data: { name: string; type: string }[] }).data.map((e) => `${e.name}:${e.type}`)).toEqual([
      "data:dir",
      "in.txt:file",
      "out.txt:file",
      "prog.rb:file",
    ]);
    res = await get(url, `/v1/sandboxes/${sb.id}/files?dir=data`, K1);
    expect(((await res.json()) as { data: unknown[] }).data).toEqual([{ name: "bin.dat", path: "data/bin.dat", type: "file", size: 256 }]);

    res = await fetch(`${url}/v1/sandboxes/${sb.id}/files/in.txt`, { method: "DELETE", headers: K1 });
    expect(res.status).toBe(204);
    res = await get(url, `/v1/sandboxes/${sb.id}/files/in.txt`, K1);
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe("FILE_NOT_FOUND");

    // Snapshot → bytes → a new sandbox with the same files.
    res = await fetch(`${url}/v1/sandboxes/${sb.id}/snapshot`, { method: "POST", headers: K1 });
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    const snap = new Uint8Array(await res.arrayBuffer());
    res = await fetch(`${url}/v1/sandboxes`, { method: "POST", headers: { ...K1, "content-type": "application/octet-stream" }, body: snap });
    expect(res.status).toBe(201);
    const restored = ((await res.json()) as { data: Info }).data;
    expect(restored.id).not.toBe(sb.id);
    expect(await (await get(url, `/v1/sandboxes/${restored.id}/files/out.txt`, K1)).text()).toBe("HELLO SANDBOX 256");
    expect(await (await get(url, `/v1/sandboxes/${restored.id}/files/data/bin.dat`, K1)).arrayBuffer()).toEqual(binary.buffer);
    // Bytes that are not a snapshot are a 400.
    res = await fetch(`${url}/v1/sandboxes`, { method: "POST", headers: { ...K1, "content-type": "application/octet-stream" }, body: "not a snapshot" });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/snapshot/);

    // A fork diverges from its parent, both ways.
    res = await fetch(`${url}/v1/sandboxes/${sb.id}/fork`, { method: "POST", headers: K1 });
    expect(res.status).toBe(201);
    const fork = ((await res.json()) as { data: Info }).data;
    res = await execute(url, fork.id, K1, { runtime: "ruby", code: 'File.write("out.txt", "fork"); File.write("only-fork.txt", "x")' });
    expect(res.status).toBe(200);
    await fetch(`${url}/v1/sandboxes/${sb.id}/files/only-parent.txt`, { method: "PUT", headers: K1, body: "p" });
    expect(await (await get(url, `/v1/sandboxes/${sb.id}/files/out.txt`, K1)).text()).toBe("HELLO SANDBOX 256");
    expect(await (await get(url, `/v1/sandboxes/${fork.id}/files/out.txt`, K1)).text()).toBe("fork");
    expect((await get(url, `/v1/sandboxes/${sb.id}/files/only-fork.txt`, K1)).status).toBe(404);
    expect((await get(url, `/v1/sandboxes/${fork.id}/files/only-parent.txt`, K1)).status).toBe(404);

    res = await get(url, "/v1/sandboxes", K1);
    const ids = ((await res.json()) as { data: Info[] }).data.map((s) => s.id);
    expect(ids.sort()).toEqual([sb.id, restored.id, fork.id].sort());

    // Deleted: 404 for it and its files, gone from the list; the others stay.
    res = await fetch(`${url}/v1/sandboxes/${sb.id}`, { method: "DELETE", headers: K1 });
    expect(res.status).toBe(204);
    for (const p of [`/v1/sandboxes/${sb.id}`, `/v1/sandboxes/${sb.id}/files/out.txt`]) {
      res = await get(url, p, K1);
      expect(res.status).toBe(404);
      expect((await errorOf(res)).code).toBe("NOT_FOUND");
    }
    res = await get(url, "/v1/sandboxes", K1);
    expect(((await res.json()) as { data: Info[] }).data.map((s) => s.id).sort()).toEqual([restored.id, fork.id].sort());
    expect((await get(url, `/v1/sandboxes/${fork.id}`, K1)).status).toBe(200);
  });

  it("streams an execution in a sandbox as server-sent events", { timeout: 60_000 }, async () => {
    const sb = await create(url, K1);
    const res = await fetch(`${url}/v1/sandboxes/${sb.id}/execute`, {
      method: "POST",
      headers: { ...json(K1), accept: "text/event-stream" },
      body: JSON.stringify({ runtime: "ruby", code: 'puts "one"; $stdout.flush; File.write("s.txt", "kept")' }),
    });
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const text = await res.text();
    expect(text).toMatch(/event: stdout\ndata: "one\\n"/);
    expect(text).toMatch(/event: result\ndata: \{.*"exitCode":0/);
    expect(await (await get(url, `/v1/sandboxes/${sb.id}/files/s.txt`, K1)).text()).toBe("kept");
  });

  it("a file over the sandbox's quota is refused and nothing of it is kept", async () => {
    const sb = await create(url, K1, { maxBytes: 100 });
    expect(sb.limits.maxBytes).toBe(100);
    let res = await fetch(`${url}/v1/sandboxes/${sb.id}/files/big.txt`, { method: "PUT", headers: K1, body: "x".repeat(101) });
    expect(res.status).toBe(413);
    expect((await errorOf(res)).code).toBe("SESSION_QUOTA");
    res = await get(url, `/v1/sandboxes/${sb.id}/files/big.txt`, K1);
    expect(res.status).toBe(404);
  });

  it("an id naming another node gets WRONG_NODE, naming that node", async () => {
    const res = await get(url, `/v1/sandboxes/sbx_node-b_${"0".repeat(24)}/files/x`, K1);
    expect(res.status).toBe(421);
    const e = await errorOf(res);
    expect(e.code).toBe("WRONG_NODE");
    expect(e.message).toContain('"node-b"');
    expect(e.message).toContain('"testnode"');
  });

  it("the OpenAPI document lists the sandbox routes", async () => {
    const doc = (await (await fetch(`${url}/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };
    for (const p of [
      "/v1/sandboxes",
      "/v1/sandboxes/{id}",
      "/v1/sandboxes/{id}/execute",
      "/v1/sandboxes/{id}/files",
      "/v1/sandboxes/{id}/files/{path}",
      "/v1/sandboxes/{id}/snapshot",
      "/v1/sandboxes/{id}/fork",
      "/v1/sandboxes/{id}/contexts",
      "/v1/sandboxes/{id}/contexts/{cid}/run",
      "/v1/sandboxes/{id}/contexts/{cid}/restart",
      "/v1/sandboxes/{id}/contexts/{cid}",
    ])
      expect(doc.paths[p], p).toBeDefined();
    expect(Object.keys(doc.paths["/v1/sandboxes/{id}/files/{path}"]!).sort()).toEqual(["delete", "get", "put"]);
    expect(doc.components.schemas.CreateSandbox).toMatchObject({ additionalProperties: false });
  });
});

describe("ownership by API key", () => {
  let url: string;
  beforeAll(async () => {
    url = await start({});
  });

  it("another key gets 404 for every route of the sandbox and does not see it listed", async () => {
    const mine = await create(url, K1, { files: { "secret.txt": "k1-secret" } });
    const theirs = await create(url, K2);
    const never = `sbx_testnode_${"ab".repeat(12)}`;
    const routes: [string, string, BodyInit?][] = [
      ["GET", ""],
      ["DELETE", ""],
      ["GET", "/files"],
      ["GET", "/files/secret.txt"],
      ["PUT", "/files/secret.txt", "overwritten"],
      ["DELETE", "/files/secret.txt"],
      ["POST", "/snapshot"],
      ["POST", "/fork"],
      ["POST", "/execute", JSON.stringify({ runtime: "ruby", code: "puts File.read('secret.txt')" })],
      ["GET", "/contexts"],
    ];
    for (const [method, suffix, body] of routes) {
      const res = await fetch(`${url}/v1/sandboxes/${mine.id}${suffix}`, { method, headers: json(K2), body });
      expect(res.status, `${method} ${suffix}`).toBe(404);
      const e = await errorOf(res);
      // Someone else's sandbox and no sandbox answer alike, so ids cannot be probed.
      const none = await errorOf(await fetch(`${url}/v1/sandboxes/${never}${suffix}`, { method, headers: json(K2), body }));
      expect(e).toEqual({ code: "NOT_FOUND", message: none.message.replace(never, mine.id) });
    }
    const listed = ((await (await get(url, "/v1/sandboxes", K2)).json()) as { data: Info[] }).data.map((s) => s.id);
    expect(listed).toEqual([theirs.id]);
    // Untouched for its owner.
    expect(await (await get(url, `/v1/sandboxes/${mine.id}/files/secret.txt`, K1)).text()).toBe("k1-secret");
    expect(((await (await get(url, "/v1/sandboxes", K1)).json()) as { data: Info[] }).data.map((s) => s.id)).toEqual([mine.id]);
  });

  it("401 without a key", async () => {
    const res = await fetch(`${url}/v1/sandboxes`, { method: "POST" });
    expect(res.status).toBe(401);
  });

  it("two sandboxes used at once never see each other's files", { timeout: 120_000 }, async () => {
    const a = await create(url, K1, { files: { "secret.txt": "SECRET-AAAA" } });
    const b = await create(url, K1, { files: { "secret.txt": "SECRET-BBBB" } });
    // Every file the program can find from its working directory and from the root, with contents.
    const code =
      'files = (Dir.glob("**/*", File::FNM_DOTMATCH) + Dir.glob("/**/*", File::FNM_DOTMATCH) + Dir.glob("../**/*")).uniq\n' +
      'files.each { |f| puts "#{f}=#{File.file?(f) ? File.read(f) : "dir"}" rescue puts "#{f}=?" }\n' +
      'File.write("mine.txt", File.read("secret.txt") * 2)';
    const runs = await Promise.all(
      [a, b, a, b].map(async (s) => {
        const res = await execute(url, s.id, K1, { runtime: "ruby", code });
        return { id: s.id, out: ((await res.json()) as { data: { stdout: string; exitCode: number } }).data };
      }),
    );
    for (const r of runs) {
      expect(r.out.exitCode).toBe(0);
      const own = r.id === a.id ? "SECRET-AAAA" : "SECRET-BBBB";
      const other = r.id === a.id ? "SECRET-BBBB" : "SECRET-AAAA";
      expect(r.out.stdout).toContain(own);
      expect(r.out.stdout).not.toContain(other);
    }
    expect(await (await get(url, `/v1/sandboxes/${a.id}/files/mine.txt`, K1)).text()).toBe("SECRET-AAAA".repeat(2));
    expect(await (await get(url, `/v1/sandboxes/${b.id}/files/mine.txt`, K1)).text()).toBe("SECRET-BBBB".repeat(2));
  });
});

describe("without API keys (local use)", () => {
  it("one owner: no header needed, every caller sees the sandboxes", async () => {
    const executor = createExecutor({ concurrency: 1 });
    executors.push(executor);
    const s = createServer({ port: 0, executor, logger: false, apiKeys: [], sandboxes: { nodeId: "local" } });
    servers.push(s);
    const url = (await s.listen()).url;
    const sb = await create(url, {}, { files: { "a.txt": "A" } });
    expect(((await (await get(url, "/v1/sandboxes", {})).json()) as { data: Info[] }).data.map((x) => x.id)).toEqual([sb.id]);
    // A key sent to a server without keys changes nothing.
    expect(await (await get(url, `/v1/sandboxes/${sb.id}/files/a.txt`, K2)).text()).toBe("A");
  });
});

describe("bad input: 400 naming the field and what was wrong", () => {
  let url: string;
  let id: string;
  beforeAll(async () => {
    url = await start({ maxBytes: 1000, maxFiles: 10, idleTimeout: 60_000 });
    id = (await create(url, K1)).id;
  });

  it.each([
    [{ maxBytes: "big" }, "maxBytes", /must be a number/],
    [{ maxBytes: 0 }, "maxBytes", />= 1/],
    [{ maxBytes: 1.5 }, "maxBytes", /.+/],
    [{ maxBytes: 1001 }, "maxBytes", /at most 1000/],
    [{ maxFiles: 11 }, "maxFiles", /at most 10/],
    [{ idleTimeout: 60_001 }, "idleTimeout", /at most 60000/],
    [{ memory: 5 }, "memory", /not a known field/],
    [{ files: { "../x": "a" } }, 'files["../x"]', /path/],
    [{ files: { "a.txt": 5 } }, "files.a.txt", /must be a string/],
    [[1], "", /JSON object/],
  ])("create %j", async (body, field, reason) => {
    const res = await fetch(`${url}/v1/sandboxes`, { method: "POST", headers: json(K1), body: JSON.stringify(body) });
    expect(res.status).toBe(400);
    const e = await errorOf(res);
    expect(e.code).toBe("INVALID_REQUEST");
    if (field) expect(e.message).toContain(`\`${field}\``);
    expect(e.message).toMatch(reason);
  });

  it("files over the quota at creation are a 413 and make no sandbox", async () => {
    const res = await fetch(`${url}/v1/sandboxes`, { method: "POST", headers: json(K1), body: JSON.stringify({ files: { "a.txt": "x".repeat(1001) } }) });
    expect(res.status).toBe(413);
    expect((await errorOf(res)).code).toBe("SESSION_QUOTA");
    expect(((await (await get(url, "/v1/sandboxes", K1)).json()) as { data: Info[] }).data.map((s) => s.id)).toEqual([id]);
  });

  it("a path that leaves the sandbox, a bad encoding, a bad execute body", async () => {
    let res = await fetch(`${url}/v1/sandboxes/${id}/files/..%2Fetc%2Fpasswd`, { headers: K1 });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/`path` "\.\.\/etc\/passwd"/);
    res = await fetch(`${url}/v1/sandboxes/${id}/files/%2Fetc%2Fpasswd`, { method: "PUT", headers: K1, body: "x" });
    expect(res.status).toBe(400);
    res = await fetch(`${url}/v1/sandboxes/${id}/files/a.txt?encoding=hex`, { headers: K1 });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/`encoding` must be "utf8" or "base64"/);
    res = await execute(url, id, K1, { code: "puts 1" });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/`runtime` is required/);
    res = await fetch(`${url}/v1/sandboxes/${id}/contexts`, { method: "POST", headers: json(K1), body: JSON.stringify({ runtime: "cobol" }) });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/`runtime` must be one of "python"/);
    res = await fetch(`${url}/v1/sandboxes`, { method: "POST", headers: { ...K1, "content-type": "text/plain" }, body: "hi" });
    expect(res.status).toBe(415);
  });
});

describe("limits", () => {
  it("per key, and in all (the executor's sessions.max)", async () => {
    const url = await start({ max: 3 }, { perKey: 2 });
    await create(url, K1);
    const second = await create(url, K1);
    let res = await fetch(`${url}/v1/sandboxes`, { method: "POST", headers: json(K1), body: "{}" });
    expect(res.status).toBe(429);
    let e = await errorOf(res);
    expect(e.code).toBe("SESSION_LIMIT");
    expect(e.message).toMatch(/this API key already holds 2 open sandboxes/);
    // A fork counts too.
    res = await fetch(`${url}/v1/sandboxes/${second.id}/fork`, { method: "POST", headers: K1 });
    expect(res.status).toBe(429);
    // Another key still has room, until the server is full.
    await create(url, K2);
    res = await fetch(`${url}/v1/sandboxes`, { method: "POST", headers: json(K2), body: "{}" });
    expect(res.status).toBe(429);
    e = await errorOf(res);
    expect(e.code).toBe("SESSION_LIMIT");
    expect(e.message).toMatch(/the server holds its maximum/);
    // Deleting one makes room again.
    await fetch(`${url}/v1/sandboxes/${second.id}`, { method: "DELETE", headers: K1 });
    await create(url, K2);
  });

  it("an idle sandbox expires: 410 for its owner, 404 for another key, gone from the list", { timeout: 20_000 }, async () => {
    const url = await start({ idleTimeout: 400 });
    const sb = await create(url, K1);
    const kept = await create(url, K1, { idleTimeout: 400 });
    expect(sb.limits.idleTimeout).toBe(400);
    // Calls keep `kept` alive; `sb` gets none.
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 150));
      expect((await fetch(`${url}/v1/sandboxes/${kept.id}/files/t.txt`, { method: "PUT", headers: K1, body: String(i) })).status).toBe(200);
    }
    let res = await get(url, `/v1/sandboxes/${sb.id}`, K1);
    expect(res.status).toBe(410);
    expect((await errorOf(res)).code).toBe("SESSION_EXPIRED");
    res = await get(url, `/v1/sandboxes/${sb.id}`, K2);
    expect(res.status).toBe(404);
    res = await get(url, "/v1/sandboxes", K1);
    expect(((await res.json()) as { data: Info[] }).data.map((s) => s.id)).toEqual([kept.id]);
    expect(await (await get(url, `/v1/sandboxes/${kept.id}/files/t.txt`, K1)).text()).toBe("5");
  });
});

/**
 * A stand-in for the library's contexts (session.createContext): it keeps the code it was given,
 * so a later run shows that state survived; "end" ends it as a timed-out context is ended.
 */
function fakeContexts(executor: Executor, closed: string[]) {
  let n = 0;
  const createContext = (runtime: string) => {
    let state: string[] = [];
    const id = `ctx_${++n}`;
    return {
      id,
      runtime,
      async run(code: string, opts: { onStdout?: (s: string) => void } = {}) {
        state.push(code);
        opts.onStdout?.(`ran ${code}\n`);
        const ended = code === "end" ? { ended: true as const } : {};
        return { stdout: `ran ${code}\n`, stderr: "", exitCode: 0, executionTime: 1, timedOut: code === "end", value: state.join("+"), ...ended };
      },
      async restart() {
        state = [];
      },
      async close() {
        closed.push(id);
      },
    };
  };
  return Object.assign(Object.create(executor) as Executor, {
    createSession(o?: Parameters<Executor["createSession"]>[0]) {
      return Object.assign(executor.createSession(o), { createContext });
    },
  });
}

describe("REPL contexts (behind the session's createContext)", () => {
  it("create, list, run (state kept; SSE), restart, an ended context leaves the list, delete, other key 404", async () => {
    const executor = createExecutor({ concurrency: 1 });
    executors.push(executor);
    const closed: string[] = [];
    const s = createServer({ port: 0, executor: fakeContexts(executor, closed), logger: false, apiKeys: ["key-one", "key-two"], sandboxes: { nodeId: "testnode" } });
    servers.push(s);
    const url = (await s.listen()).url;
    const sb = await create(url, K1);
    const post = (p: string, body?: unknown, key = K1, extra: Record<string, string> = {}) =>
      fetch(`${url}/v1/sandboxes/${sb.id}${p}`, { method: "POST", headers: { ...json(key), ...extra }, body: body === undefined ? undefined : JSON.stringify(body) });

    let res = await post("/contexts", { runtime: "python" });
    expect(res.status).toBe(201);
    const ctx = ((await res.json()) as { data: { id: string; runtime: string } }).data;
    expect(ctx.runtime).toBe("python");
    expect(res.headers.get("location")).toBe(`/v1/sandboxes/${sb.id}/contexts/${ctx.id}`);
    expect(((await (await get(url, `/v1/sandboxes/${sb.id}/contexts`, K1)).json()) as { data: unknown }).data).toEqual([ctx]);
    expect(((await (await get(url, `/v1/sandboxes/${sb.id}`, K1)).json()) as { data: { contexts: unknown } }).data.contexts).toEqual([ctx]);

    await post(`/contexts/${ctx.id}/run`, { code: "x = 1" });
    res = await post(`/contexts/${ctx.id}/run`, { code: "x" });
    expect(((await res.json()) as { data: { value: string; stdout: string } }).data).toMatchObject({ value: "x = 1+x", stdout: "ran x\n" });
    res = await post(`/contexts/${ctx.id}/run`, { code: "y" }, K1, { accept: "text/event-stream" });
    const text = await res.text();
    expect(text).toMatch(/event: stdout\ndata: "ran y\\n"/);
    expect(text).toMatch(/event: result\ndata: .*"value":"x = 1\+x\+y"/);

    res = await post(`/contexts/${ctx.id}/run`, { code: 5 });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/`code` must be a string/);
    // Another key: 404 for the sandbox, so for its contexts.
    expect((await post(`/contexts/${ctx.id}/run`, { code: "x" }, K2)).status).toBe(404);

    expect((await post(`/contexts/${ctx.id}/restart`)).status).toBe(200);
    res = await post(`/contexts/${ctx.id}/run`, { code: "z" });
    expect(((await res.json()) as { data: { value: string } }).data.value).toBe("z");

    // A run that ended its context: reported, and the context is gone (not left half-dead).
    res = await post(`/contexts/${ctx.id}/run`, { code: "end" });
    expect(((await res.json()) as { data: { ended: boolean } }).data.ended).toBe(true);
    expect(((await (await get(url, `/v1/sandboxes/${sb.id}/contexts`, K1)).json()) as { data: unknown[] }).data).toEqual([]);
    res = await post(`/contexts/${ctx.id}/run`, { code: "x" });
    expect(res.status).toBe(404);

    const second = ((await (await post("/contexts", { runtime: "ruby" })).json()) as { data: { id: string } }).data;
    res = await fetch(`${url}/v1/sandboxes/${sb.id}/contexts/${second.id}`, { method: "DELETE", headers: K2 });
    expect(res.status).toBe(404);
    res = await fetch(`${url}/v1/sandboxes/${sb.id}/contexts/${second.id}`, { method: "DELETE", headers: K1 });
    expect(res.status).toBe(204);
    expect(closed).toEqual([second.id]);
    expect((await post(`/contexts/${second.id}/restart`)).status).toBe(404);
  });


  it("501 when the sessions have no contexts", async () => {
    const url = await start({});
    const sb = await create(url, K1);
    const res = await fetch(`${url}/v1/sandboxes/${sb.id}/contexts`, { method: "POST", headers: json(K1), body: JSON.stringify({ runtime: "python" }) });
    expect(res.status).toBe(501);
    expect((await errorOf(res)).code).toBe("NOT_IMPLEMENTED");
  });
});
