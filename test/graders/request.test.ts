/**
 * The graders' request fields (report, compileTimeout, returnFiles) and batches: coded
 * InvalidRequestErrors naming the field, the judges' output comparison, and the default result
 * shape a request that asks for nothing new keeps.
 */
import { afterAll, describe, expect, it } from "vitest";
import {
  BatchRequestSchema,
  createExecutor,
  ExecuteRequestSchema,
  executeBatch,
  InvalidRequestError,
  sameOutput,
  validateBatch,
  type BatchRequest,
  type ExecuteRequest,
} from "wasmbox";

const executor = createExecutor({
  maxTimeout: 60_000,
  caps: { maxReturnPatterns: 2, maxBatchCases: 3, maxBatchBytes: 100, maxStdinBytes: 1000 },
});
afterAll(() => executor.close());

const rb = { runtime: "ruby", code: "puts 1" } as const;

/** [what, request, field named in the error] */
const badRequests: [string, unknown, string][] = [
  ["report not an array", { ...rb, report: "usage" }, "report"],
  ["an unknown report", { ...rb, report: ["usage", "memory"] }, "report[1]"],
  ["a report of the wrong type", { ...rb, report: [1] }, "report[0]"],
  ["compileTimeout zero", { ...rb, compileTimeout: 0 }, "compileTimeout"],
  ["compileTimeout not an integer", { ...rb, compileTimeout: 1.5 }, "compileTimeout"],
  ["compileTimeout a string", { ...rb, compileTimeout: "100" }, "compileTimeout"],
  ["compileTimeout above the executor's maximum", { ...rb, compileTimeout: 60_001 }, "compileTimeout"],
  ["returnFiles not an array", { ...rb, returnFiles: "*.txt" }, "returnFiles"],
  ["an empty pattern", { ...rb, returnFiles: [""] }, "returnFiles[0]"],
  ["an absolute pattern", { ...rb, returnFiles: ["*.txt", "/etc/*"] }, "returnFiles[1]"],
  ["a climbing pattern", { ...rb, returnFiles: ["../*"] }, "returnFiles[0]"],
  ["a pattern of the wrong type", { ...rb, returnFiles: [3] }, "returnFiles[0]"],
  ["too many patterns", { ...rb, returnFiles: ["a", "b", "c"] }, "returnFiles"],
  ["an unknown field beside the new ones", { ...rb, report: ["usage"], reportFiles: ["x"] }, "reportFiles"],
];

const badBatches: [string, unknown, string][] = [
  ["no cases", { ...rb }, "cases"],
  ["cases not an array", { ...rb, cases: { stdin: "1" } }, "cases"],
  ["empty cases", { ...rb, cases: [] }, "cases"],
  ["too many cases", { ...rb, cases: [{}, {}, {}, {}] }, "cases"],
  ["a case that is not an object", { ...rb, cases: [{}, "1 2"] }, "cases[1]"],
  ["an unknown case field", { ...rb, cases: [{ stdin: "1", expected: "1" }] }, "cases[0].expected"],
  ["a case's stdin of the wrong type", { ...rb, cases: [{}, { stdin: 5 }] }, "cases[1].stdin"],
  ["a case's env with a bad name", { ...rb, cases: [{ env: { "A-B": "1" } }] }, 'cases[0].env["A-B"]'],
  ["a case's args not strings", { ...rb, cases: [{ args: [1] }] }, "cases[0].args[0]"],
  ["expectedStdout not a string", { ...rb, cases: [{ expectedStdout: 3 }] }, "cases[0].expectedStdout"],
  ["cases over the batch's byte cap", { ...rb, cases: [{ stdin: "x".repeat(60) }, { stdin: "y".repeat(60) }] }, "cases"],
  ["a bad program", { runtime: "ruby", code: "x", timeout: -1, cases: [{}] }, "timeout"],
  ["a program with an unknown field", { ...rb, language: "ruby", cases: [{}] }, "language"],
];

async function rejection(p: Promise<unknown>): Promise<InvalidRequestError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidRequestError);
  return err as InvalidRequestError;
}

describe("request validation of the graders' fields", () => {
  for (const [what, request, field] of badRequests)
    it(`rejects ${what}`, async () => {
      const e = await rejection(executor.execute(request as ExecuteRequest));
      expect(e.code).toBe("INVALID_REQUEST");
      expect(e.field).toBe(field);
      expect(e.message).toContain(`\`${field}\``);
    });

  for (const [what, request, field] of badBatches)
    it(`rejects a batch with ${what}`, async () => {
      const e = await rejection(executor.executeBatch(request as BatchRequest));
      expect(e.code).toBe("INVALID_REQUEST");
      expect(e.field).toBe(field);
    });

  it("names the known fields and choices in its messages", async () => {
    expect((await rejection(executor.execute({ ...rb, colour: 1 } as unknown as ExecuteRequest))).message).toContain("compileTimeout, report, returnFiles");
    expect((await rejection(executor.execute({ ...rb, report: ["cpu"] } as unknown as ExecuteRequest))).message).toContain('"usage", "compile"');
    expect((await rejection(executor.executeBatch({ ...rb, cases: [{ out: "" }] } as unknown as BatchRequest))).message).toContain(
      "stdin, args, env, expectedStdout",
    );
  });

  it("fills each case's stdin, args and env from the program where the case gives none", () => {
    const b = validateBatch({ ...rb, stdin: "s", args: ["a"], env: { E: "1" }, cases: [{}, { stdin: "t", args: [], env: {} }] });
    expect(b.cases).toEqual([
      { stdin: "s", args: ["a"], env: { E: "1" }, expectedStdout: undefined },
      { stdin: "t", args: [], env: {}, expectedStdout: undefined },
    ]);
  });

  it("has every new field in the zod schemas", () => {
    expect(Object.keys(ExecuteRequestSchema.shape)).toEqual(expect.arrayContaining(["compileTimeout", "report", "returnFiles"]));
    expect(Object.keys(BatchRequestSchema.shape)).toEqual(expect.arrayContaining(["runtime", "code", "cases"]));
  });
});

describe("expectedStdout comparison (sameOutput)", () => {
  it("ignores trailing spaces, tabs and CRs of each line and blank lines at the end", () => {
    expect(sameOutput("3\n", "3")).toBe(true);
    expect(sameOutput("1 2 \n3\t\n\n\n", "1 2\n3")).toBe(true);
    expect(sameOutput("a\r\nb\r\n", "a\nb\n")).toBe(true);
  });
  it("compares everything else exactly", () => {
    expect(sameOutput(" 3\n", "3\n")).toBe(false);
    expect(sameOutput("1  2\n", "1 2\n")).toBe(false);
    expect(sameOutput("a\n\nb\n", "a\nb\n")).toBe(false);
    expect(sameOutput("A\n", "a\n")).toBe(false);
    expect(sameOutput("", "0")).toBe(false);
  });
});

describe("results", () => {
  it("a request that asks for nothing new gets exactly the five fields", async () => {
    for (const req of [rb, { ...rb, report: [] }, { runtime: "node", code: "console.log(1)" }] as ExecuteRequest[]) {
      const r = await executor.execute(req);
      expect(Object.keys(r).sort()).toEqual(["executionTime", "exitCode", "stderr", "stdout", "timedOut"]);
    }
  });

  it("runs a batch, one result per case in order, judged where expectedStdout is given", async () => {
    const r = await executor.executeBatch({
      runtime: "ruby",
      code: 'a, b = STDIN.read.split.map(&:to_i)\nputs a + b\nputs ENV.fetch("X", "-") + ARGV.join(",")\n',
      env: { X: "x" },
      cases: [{ stdin: "1 2", expectedStdout: "3  \nx\n\n" }, { stdin: "2 2", args: ["p"], expectedStdout: "5\nxp" }, { stdin: "4 4", env: {} }],
    });
    expect(r.results.map((c) => c.stdout)).toEqual(["3\nx\n", "4\nxp\n", "8\n-\n"]);
    expect(r.results.map((c) => c.passed)).toEqual([true, false, undefined]);
    expect(r.passed).toBe(1);
    expect(r.compile).toBeUndefined();
    expect(Object.keys(r.results[2]!).sort()).toEqual(["executionTime", "exitCode", "stderr", "stdout", "timedOut"]);
  });

  it("runs every case on a fresh instance: nothing one case did is seen by the next", async () => {
    const r = await executor.executeBatch({
      runtime: "ruby",
      code: 'puts File.exist?("mark") ? "seen" : "fresh"\nFile.write("mark", "1")\n$g = 1\n',
      cases: [{}, {}, {}],
    });
    expect(r.results.map((c) => c.stdout)).toEqual(["fresh\n", "fresh\n", "fresh\n"]);
  });

  it("a case that fails does not pass even with the expected output", async () => {
    const r = await executor.executeBatch({ runtime: "ruby", code: 'puts "ok"\nexit 2\n', cases: [{ expectedStdout: "ok\n" }] });
    expect(r.results[0]).toMatchObject({ stdout: "ok\n", exitCode: 2, passed: false });
  });

  it("executeBatch is exported from the library entry and runs on the default executor", async () => {
    const r = await executeBatch({ runtime: "node", code: "process.stdout.write(require('fs').readFileSync(0, 'utf8').toUpperCase())", cases: [{ stdin: "a", expectedStdout: "A" }] });
    expect(r.results[0]).toMatchObject({ stdout: "A", passed: true });
  });
});
