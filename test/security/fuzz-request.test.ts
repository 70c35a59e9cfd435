/**
 * Property-based tests over the request schema: random and malformed requests never crash and
 * never hang; each either runs or is refused with InvalidRequestError naming a field.
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor, InvalidRequestError, validateRequest, WasmboxError, type ExecuteRequest, type RuntimeName } from "wasmbox";
import { anyValue, deep, protoRecords, requestLike } from "./fuzz-arbitraries.js";
import { RUNTIMES, expectHealthy, unavailability } from "./runtimes.js";

const KNOWN_FIELDS = /^(runtime|code|files|entrypoint|stdin|timeout|env|args|extra)\b|^$/;

function expectValidationOutcome(input: unknown): void {
  const started = performance.now();
  try {
    const n = validateRequest(input);
    // Accepted: then it is a clean request.
    expect(Object.getPrototypeOf(n.files)).toBeNull();
    expect(Object.getPrototypeOf(n.env)).toBeNull();
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(InvalidRequestError);
    const err = e as InvalidRequestError;
    expect(err.code).toBe("INVALID_REQUEST");
    expect(err.field).toMatch(KNOWN_FIELDS);
    // The whole-input error is the only one without a field.
    if (err.field === "") expect(input === null || typeof input !== "object" || Array.isArray(input)).toBe(true);
    expect(err.message).toMatch(/^wasmbox: invalid request: /);
  }
  expect(performance.now() - started).toBeLessThan(1000);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

describe("validateRequest under fuzzing", () => {
  it("never throws anything but InvalidRequestError naming a field, for any value", () => {
    fc.assert(fc.property(anyValue, expectValidationOutcome), { numRuns: 500 });
  });

  it("handles request-shaped values with wrong types, odd Unicode, NUL and prototype keys", () => {
    fc.assert(fc.property(requestLike, expectValidationOutcome), { numRuns: 2000 });
  });

  it("refuses huge strings and deep objects quickly, naming the field", () => {
    const huge = "x".repeat(20 * 1024 * 1024);
    const cases: [unknown, string][] = [
      [{ runtime: "ruby", code: huge }, "code"],
      [{ runtime: "ruby", code: "puts 1", stdin: huge }, "stdin"],
      [{ runtime: "ruby", files: { "main.rb": huge } }, 'files["main.rb"]'],
      [{ runtime: "ruby", files: { "main.rb": deep(100_000) } }, 'files["main.rb"]'],
      [{ runtime: "ruby", code: "puts 1", env: deep(100_000) }, "env"],
      [{ runtime: "ruby", code: "puts 1", args: Array(100_000).fill("a") }, "args"],
      [{ runtime: "ruby", files: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`f${i}.rb`, ""])) }, "files"],
      [{ runtime: "ruby", files: { "a\0b.rb": "puts 1" } }, 'files["a\\u0000b.rb"]'],
      [{ runtime: "ruby", code: "puts 1", env: { "A\0": "x" } }, 'env["A\\u0000"]'],
      [{ runtime: "ruby", code: "puts 1", env: { A: "x\0y" } }, 'env["A"]'],
      [{ runtime: "ruby", files: protoRecords[1] }, 'files["__proto__"]'],
    ];
    for (const [input, field] of cases) {
      const started = performance.now();
      let caught: unknown;
      try {
        validateRequest(input);
      } catch (e) {
        caught = e;
      }
      expect(caught, `no error for ${field}`).toBeInstanceOf(InvalidRequestError);
      expect((caught as InvalidRequestError).field).toBe(field);
      expect(performance.now() - started).toBeLessThan(2000);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("keeps `constructor`/`prototype` file names as plain files", () => {
    const n = validateRequest({ runtime: "ruby", files: protoRecords[2] });
    expect(Object.keys(n.files).sort()).toEqual(["constructor", "main.rb", "prototype"]);
    expect(n.files.constructor).toBe("x");
    // `__proto__` is a legal variable name: it stays an own entry of a prototype-less record.
    const e = validateRequest({ runtime: "ruby", code: "puts 1", env: protoRecords[0] });
    expect(Object.keys(e.env)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(e.env)).toBeNull();
  });
});

const executor = createExecutor({ concurrency: 2, memoryLimit: 128 * 1024 * 1024 });
afterAll(() => executor.close());
const unavailable = await unavailability(executor);
const runnable = RUNTIMES.filter((r) => !unavailable[r]);

describe("execute() under fuzzing", () => {
  it.skipIf(runnable.length === 0)("random requests either run to a five-field result or are refused naming a field", { timeout: 300_000 }, async () => {
    const arb = fc.record({
      runtime: fc.constantFrom(...runnable),
      code: fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 200 }), fc.constantFrom("\0", "\uD800", "__proto__")),
      stdin: fc.oneof(fc.string({ maxLength: 100 }), fc.constant("\0\uFFFF")),
      args: fc.array(fc.string({ unit: "grapheme", maxLength: 10 }), { maxLength: 3 }),
      env: fc.oneof(fc.dictionary(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/), fc.string({ maxLength: 20 }), { maxKeys: 3 }), fc.constantFrom(...protoRecords)),
    });
    await fc.assert(
      fc.asyncProperty(arb, async (req) => {
        const request = { ...req, timeout: 5000 } as ExecuteRequest;
        const started = performance.now();
        try {
          const r = await executor.execute(request);
          expect(Object.keys(r).sort()).toEqual(["executionTime", "exitCode", "stderr", "stdout", "timedOut"]);
          expect(r.exitCode, r.stderr).not.toBe(70);
        } catch (e) {
          expect(e).toBeInstanceOf(WasmboxError);
          expect((e as WasmboxError).code).toBe("INVALID_REQUEST");
          expect((e as InvalidRequestError).field).toMatch(KNOWN_FIELDS);
        }
        // Host acquisition on a loaded machine comes on top of the request's own 5 s.
        expect(performance.now() - started).toBeLessThan(5000 + 20_000);
      }),
      { numRuns: Number(process.env.WASMBOX_FUZZ_RUNS ?? 40) },
    );
    for (const r of runnable as RuntimeName[]) await expectHealthy(executor, r);
  });
});
