/**
 * The graders' HTTP surface: POST /v1/batch, `report` and `returnFiles` through POST
 * /v1/execute, coded 400s for bad fields, and the OpenAPI document describing all of it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExecutor, type Executor } from "wasmbox";
import { createServer, type WasmboxServer } from "wasmbox/server";
import { postJson } from "./helpers.js";

let executor: Executor;
let server: WasmboxServer;
let url: string;

beforeAll(async () => {
  executor = createExecutor({ concurrency: 2, prewarm: ["ruby"], caps: { maxBatchCases: 4 } });
  server = createServer({ port: 0, executor, apiKeys: ["k"], logger: false });
  url = (await server.listen()).url;
});

afterAll(async () => {
  await server?.close();
  await executor?.close();
});

const key = { "x-api-key": "k" };
const postBatch = (body: unknown, headers: Record<string, string> = key) =>
  fetch(`${url}/v1/batch`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("POST /v1/batch", () => {
  it("runs every case and answers { data: { results, passed } }", async () => {
    const res = await postBatch({
      runtime: "ruby",
      code: "puts STDIN.read.to_i * 2",
      cases: [{ stdin: "2", expectedStdout: "4" }, { stdin: "3", expectedStdout: "7" }, { stdin: "5" }],
    });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { results: { stdout: string; passed?: boolean }[]; passed: number } };
    expect(data.results.map((r) => [r.stdout, r.passed])).toEqual([["4\n", true], ["6\n", false], ["10\n", undefined]]);
    expect(data.passed).toBe(1);
  });

  it("answers 400 INVALID_REQUEST naming the case's field, too many cases, or a missing list", async () => {
    for (const [body, field] of [
      [{ runtime: "ruby", code: "p 1", cases: [{}, { stdin: 1 }] }, "`cases[1].stdin`"],
      [{ runtime: "ruby", code: "p 1", cases: [{}, {}, {}, {}, {}] }, "`cases` has 5 cases"],
      [{ runtime: "ruby", code: "p 1" }, "`cases` is required"],
      [{ runtime: "ruby", code: "p 1", cases: [{ expected: "1" }] }, "`cases[0].expected` is not a known field"],
    ] as const) {
      const res = await postBatch(body);
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe("INVALID_REQUEST");
      expect(error.message).toContain(field);
    }
  });

  it("asks for the API key as every route does", async () => {
    const res = await postBatch({ runtime: "ruby", code: "p 1", cases: [{}] }, {});
    expect(res.status).toBe(401);
  });
});

describe("POST /v1/execute with the graders' fields", () => {
  it("returns usage and files when asked, and exactly five fields when not", async () => {
    const asked = await postJson(url, { runtime: "ruby", code: 'File.write("o.txt", "hi")\nputs 1', report: ["usage"], returnFiles: ["*.txt"] }, key);
    const { data } = (await asked.json()) as { data: Record<string, unknown> };
    expect(data.usage).toMatchObject({ wallTime: expect.any(Number), memory: expect.any(Number) });
    expect(data.files).toEqual([{ path: "o.txt", size: 2, encoding: "utf8", content: "hi" }]);
    const plain = await postJson(url, { runtime: "ruby", code: "puts 1" }, key);
    expect(Object.keys(((await plain.json()) as { data: object }).data).sort()).toEqual(["executionTime", "exitCode", "stderr", "stdout", "timedOut"]);
  });

  it("answers 400 for a wrong report, compileTimeout or pattern", async () => {
    for (const [body, field] of [
      [{ runtime: "ruby", code: "p 1", report: ["memory"] }, "`report[0]`"],
      [{ runtime: "go", code: "p 1", compileTimeout: -1 }, "`compileTimeout`"],
      [{ runtime: "ruby", code: "p 1", returnFiles: ["/etc/*"] }, "`returnFiles[0]`"],
    ] as const) {
      const res = await postJson(url, body, key);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(field);
    }
  });
});

describe("OpenAPI", () => {
  it("documents /v1/batch and every new field", async () => {
    const doc = (await (await fetch(`${url}/v1/openapi.json`)).json()) as {
      paths: Record<string, { post?: { requestBody: unknown } }>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    expect(doc.paths["/v1/batch"]?.post?.requestBody).toEqual({ required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/BatchRequest" } } } });
    const { ExecuteRequest, ExecuteResult, BatchRequest, BatchResult } = doc.components.schemas;
    expect(Object.keys(ExecuteRequest!.properties)).toEqual(expect.arrayContaining(["compileTimeout", "report", "returnFiles"]));
    expect(Object.keys(ExecuteResult!.properties)).toEqual(expect.arrayContaining(["usage", "compile", "files"]));
    expect(Object.keys(BatchRequest!.properties)).toEqual(expect.arrayContaining(["runtime", "code", "cases"]));
    expect(Object.keys(BatchResult!.properties)).toEqual(expect.arrayContaining(["compile", "results", "passed"]));
  });
});
