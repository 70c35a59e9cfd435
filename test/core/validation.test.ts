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

/** Throws unless `read` fails with a coded InvalidRequestError naming `field`; returns the error. */
function refused(input: unknown, field: string): InvalidRequestError {
  let caught: unknown;
  try {
    validateRequest(input);
  } catch (e) {
    caught = e;
  }
  expect(caught, `accepted, expected a refusal naming \`${field}\``).toBeInstanceOf(InvalidRequestError);
  const e = caught as InvalidRequestError;
  expect(e.code).toBe("INVALID_REQUEST");
  expect(e.field).toBe(field);
  expect(e.message).toMatch(/^wasmbox: invalid request: /);
  return e;
}

const revoked = () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};
const throwingGetter = (o: Record<string, unknown>, key: string) =>
  Object.defineProperty(o, key, { enumerable: true, get: () => { throw new Error("boom"); } });

describe("request validation reads plain own data only", () => {
  it("refuses inherited properties and non-plain prototypes, at every level", () => {
    refused(Object.create({ runtime: "ruby", code: "puts 1" }), "");
    class Req { runtime = "ruby"; code = "puts 1"; }
    refused(new Req(), "");
    refused(new Map([["runtime", "ruby"], ["code", "puts 1"]]), "");
    refused(new Date(), "");
    refused({ runtime: "ruby", files: Object.create({ "main.rb": "puts 1" }) }, "files");
    refused({ runtime: "ruby", files: new Map([["main.rb", "puts 1"]]) }, "files");
    refused({ runtime: "ruby", code: "puts 1", env: Object.create({ A: "1" }) }, "env");
    refused({ runtime: "ruby", code: "puts 1", env: new (class E { A = "1"; })() }, "env");
    class Args extends Array<string> {}
    refused({ runtime: "ruby", code: "puts 1", args: Args.from(["a"]) }, "args");
    refused({ runtime: "ruby", code: "puts 1", args: Object.setPrototypeOf(["a"], null) }, "args");
    // The prototype's own properties are not the request's: this one has no runtime.
    const e = refused(Object.create({ runtime: "ruby" }, { code: { value: "puts 1", enumerable: true } }), "");
    expect(e.message).toMatch(/plain JSON object/);
  });

  it("accepts null-prototype objects as plain, and skips symbol keys and non-enumerable properties as JSON does", () => {
    const req = Object.assign(Object.create(null), { runtime: "ruby", files: Object.assign(Object.create(null), { "main.rb": "puts 1" }) });
    expect(validateRequest(req).files["main.rb"]).toBe("puts 1");
    const withSymbol = { runtime: "ruby", code: "puts 1", [Symbol("x")]: "ignored", env: { A: "1", [Symbol("y")]: 2 } };
    expect(validateRequest(withSymbol).env).toEqual(Object.assign(Object.create(null), { A: "1" }));
    const hidden = Object.defineProperty({ code: "puts 1" }, "runtime", { value: "ruby", enumerable: false });
    refused(hidden, "runtime");
    refused({ runtime: "ruby", code: Symbol("c") }, "code");
    refused({ runtime: "ruby", code: "puts 1", args: [Symbol("a")] }, "args[0]");
  });

  it("turns a getter or proxy trap that throws into a coded error naming the field", () => {
    refused(throwingGetter({ code: "puts 1" }, "runtime"), "runtime");
    refused(throwingGetter({ runtime: "ruby" }, "code"), "code");
    refused({ runtime: "ruby", files: throwingGetter({}, "main.rb") }, 'files["main.rb"]');
    refused({ runtime: "ruby", code: "puts 1", env: throwingGetter({}, "A") }, 'env["A"]');
    const args = ["a"];
    Object.defineProperty(args, 1, { enumerable: true, get: () => { throw new Error("boom"); } });
    refused({ runtime: "ruby", code: "puts 1", args }, "args[1]");
    const trap = (name: keyof ProxyHandler<object>) => new Proxy({ runtime: "ruby", code: "puts 1" }, { [name]: () => { throw new Error("trap"); } });
    for (const t of ["ownKeys", "getOwnPropertyDescriptor", "getPrototypeOf", "get"] as const) {
      let caught: unknown;
      try {
        validateRequest(trap(t));
      } catch (e) {
        caught = e;
      }
      // A `get` trap is never consulted (values come from descriptors): then the request is fine.
      if (t === "get") expect(caught).toBeUndefined();
      else expect(caught, t).toBeInstanceOf(InvalidRequestError);
    }
    refused(revoked(), "");
    refused({ runtime: "ruby", files: revoked() }, "files");
    refused({ runtime: "ruby", code: "puts 1", env: revoked() }, "env");
    refused({ runtime: "ruby", code: "puts 1", args: new Proxy([], { getOwnPropertyDescriptor: () => { throw new Error("x"); } }) }, "args");
    refused({ runtime: "ruby", code: "puts 1", args: [1, 2, , 4] }, "args[2]");
    refused({ runtime: "ruby", code: "puts 1", args: new Array(1_000_000_000) }, "args");
  });

  it("reads each value once, so a getter cannot show the checks one value and the runtime another", () => {
    let reads = 0;
    const values = ["a.rb", "../../etc/passwd"];
    const files = Object.defineProperty({}, "a.rb", { enumerable: true, get: () => values[reads++ % 2] });
    const req = Object.defineProperty({ runtime: "ruby", entrypoint: "a.rb" }, "files", { enumerable: true, get: () => files });
    const r = validateRequest(req);
    expect(reads).toBe(1);
    expect(r.files["a.rb"]).toBe("a.rb");
    let argReads = 0;
    const args = new Proxy(["ok"], {
      getOwnPropertyDescriptor(t, k) {
        if (k === "0") argReads++;
        return Reflect.getOwnPropertyDescriptor(t, k);
      },
      get: () => "\0changed",
    });
    expect(validateRequest({ runtime: "ruby", code: "puts 1", args }).args).toEqual(["ok"]);
    expect(argReads).toBe(1);
  });

  it("treats an own toJSON as an unknown field and a toJSON-bearing value as the wrong type", () => {
    refused({ runtime: "ruby", code: "puts 1", toJSON: () => ({}) }, "toJSON");
    refused({ runtime: "ruby", code: { toJSON: () => "puts 1" } }, "code");
    refused({ runtime: "ruby", code: "puts 1", stdin: new String("x") }, "stdin");
  });
});

describe("lone surrogates", () => {
  it("are refused in env values and args, naming the field and the fix", () => {
    for (const bad of ["\uD800", "a\uDFFFb", "\uDC00\uD800", "x\uD83D"]) {
      expect(refused({ runtime: "python", code: "1", env: { FOO: bad } }, 'env["FOO"]').message).toMatch(/lone surrogate[\s\S]*well-formed/);
      expect(refused({ runtime: "python", code: "1", args: ["ok", bad] }, "args[1]").message).toMatch(/lone surrogate[\s\S]*well-formed/);
    }
    // Whole pairs are ordinary text.
    expect(validateRequest({ runtime: "python", code: "1", env: { FOO: "😀\uD83D\uDE00" }, args: ["😀"] }).args).toEqual(["😀"]);
  });

  // Code, files and stdin are file contents: each runtime reads their bytes as the native tool
  // reads a file with such bytes (Python reports a SyntaxError), with no host failure.
  it.each(["python", "ruby"] as const)("in code, a file name or stdin, %s runs them without a host failure", { timeout: 120_000 }, async (runtime) => {
    const code = runtime === "python" ? "import sys\nprint(repr(sys.stdin.read()))" : "p STDIN.read";
    const entry = runtime === "python" ? "main.py" : "main.rb";
    for (const req of [
      { runtime, code: `${code}\n# \uD800`, timeout: 30_000 },
      { runtime, code, stdin: "x\uD800y", timeout: 30_000 },
      { runtime, files: { [entry]: code, "d\uDC00.txt": "x" }, entrypoint: entry, timeout: 30_000 },
    ]) {
      const r = await executor.execute(req);
      expect(r.exitCode, r.stderr).not.toBe(70);
      expect(r.stderr).not.toMatch(/wasmbox|glue|Traceback \(most recent call last\):\n\s+File "\/(lib|wasmbox)/);
    }
  });
});
