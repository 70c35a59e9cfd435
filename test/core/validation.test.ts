import { afterAll, describe, expect, it } from "vitest";
import { createExecutor, InvalidRequestError, validateRequest, WasmboxError, type ExecuteRequest } from "wasmbox";

const executor = createExecutor({ maxTimeout: 60_000, caps: { maxStdinBytes: 1000, maxFileBytes: 100, maxTotalFileBytes: 250, maxFiles: 3 } });
afterAll(() => executor.close());

/** [what, request, field named in the error] */
const bad: [string, unknown, string][] = [
  ["not an object", "print(1)", ""],
  ["an array", [], ""],
  ["missing runtime", { code: "x" }, "runtime"],
  ["unknown runtime", { runtime: "cobol", code: "x" }, "runtime"],
  ["runtime of the wrong type", { runtime: 7, code: "x" }, "runtime"],
  ["both code and files", { runtime: "ruby", code: "x", files: { "main.rb": "x" } }, "code"],
  ["neither code nor files", { runtime: "ruby" }, "code"],
  ["code not a string", { runtime: "ruby", code: 42 }, "code"],
  ["files not an object", { runtime: "ruby", files: "main.rb" }, "files"],
  ["empty files", { runtime: "ruby", files: {} }, "files"],
  ["file content not a string", { runtime: "ruby", files: { "main.rb": 1 } }, 'files["main.rb"]'],
  ["absolute path", { runtime: "ruby", files: { "/etc/passwd": "x" }, entrypoint: "/etc/passwd" }, 'files["/etc/passwd"]'],
  ["path with ..", { runtime: "ruby", files: { "../x.rb": "x" } }, 'files["../x.rb"]'],
  ["path climbing in the middle", { runtime: "ruby", files: { "a/../../x.rb": "x" } }, 'files["a/../../x.rb"]'],
  ["path with NUL", { runtime: "ruby", files: { "a\0b.rb": "x" } }, 'files["a\\u0000b.rb"]'],
  ["empty path", { runtime: "ruby", files: { "": "x" } }, 'files[""]'],
  ["path that is a file and a directory", { runtime: "ruby", files: { a: "x", "a/b.rb": "y" }, entrypoint: "a" }, 'files["a"]'],
  ["missing entrypoint among several files", { runtime: "ruby", files: { "a.rb": "x", "b.rb": "y" } }, "entrypoint"],
  ["unknown entrypoint", { runtime: "ruby", files: { "main.rb": "x" }, entrypoint: "nope.rb" }, "entrypoint"],
  ["timeout not an integer", { runtime: "ruby", code: "x", timeout: 1.5 }, "timeout"],
  ["timeout zero", { runtime: "ruby", code: "x", timeout: 0 }, "timeout"],
  ["timeout negative", { runtime: "ruby", code: "x", timeout: -5 }, "timeout"],
  ["timeout a string", { runtime: "ruby", code: "x", timeout: "1000" }, "timeout"],
  ["timeout above the executor's maximum", { runtime: "ruby", code: "x", timeout: 60_001 }, "timeout"],
  ["env name invalid", { runtime: "ruby", code: "x", env: { "A-B": "x" } }, 'env["A-B"]'],
  ["env name starting with a digit", { runtime: "ruby", code: "x", env: { "1A": "x" } }, 'env["1A"]'],
  ["env value not a string", { runtime: "ruby", code: "x", env: { A: 1 } }, 'env["A"]'],
  ["args not strings", { runtime: "ruby", code: "x", args: [1] }, "args[0]"],
  ["stdin over the cap", { runtime: "ruby", code: "x", stdin: "x".repeat(1001) }, "stdin"],
  ["a file over the cap", { runtime: "ruby", files: { "main.rb": "x".repeat(101) } }, 'files["main.rb"]'],
  ["code over the cap", { runtime: "ruby", code: "é".repeat(51) }, "code"],
  ["all files over the cap", { runtime: "ruby", files: { "a.rb": "x".repeat(90), "b.rb": "x".repeat(90), "main.rb": "x".repeat(90) } }, "files"],
  ["too many files", { runtime: "ruby", files: { "a.rb": "", "b.rb": "", "c.rb": "", "main.rb": "" } }, "files"],
  ["unknown field", { runtime: "ruby", code: "x", language: "ruby" }, "language"],
];

describe("request validation", () => {
  for (const [what, request, field] of bad) {
    it(`rejects ${what}`, async () => {
      const err = await executor.execute(request as ExecuteRequest).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(InvalidRequestError);
      expect(err).toBeInstanceOf(WasmboxError);
      const e = err as InvalidRequestError;
      expect(e.code).toBe("INVALID_REQUEST");
      expect(e.field).toBe(field);
      if (field) expect(e.message).toContain(`\`${field}\``);
    });
  }

  it("names the supported runtimes when the runtime is unknown", () => {
    expect(() => validateRequest({ runtime: "cobol", code: "" })).toThrow(/python, node, bun, go, rust, ruby, php/);
  });

  it("executes nothing for an invalid request", () => {
    expect(executor.stats()).toMatchObject({ running: 0, queued: 0, hosts: 0 });
  });

  it("accepts a valid request and applies defaults", () => {
    const r = validateRequest({ runtime: "ruby", files: { "main.rb": "x", "lib/a.rb": "y" }, entrypoint: "main.rb" });
    expect(r).toMatchObject({ runtime: "ruby", timeoutMs: 30_000, stdin: "", args: [], entrypoint: "main.rb" });
    expect(Object.keys(r.env)).toEqual([]);
  });

  it("treats __proto__ and constructor as plain names", () => {
    const input = JSON.parse('{"runtime":"ruby","files":{"__proto__":"x","constructor":"y","main.rb":"z"},"env":{"__proto__":"1"}}');
    const r = validateRequest(input);
    expect(Object.keys(r.files).sort()).toEqual(["__proto__", "constructor", "main.rb"]);
    expect(r.env["__proto__"]).toBe("1");
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
