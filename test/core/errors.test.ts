/** Errors keep their fields across a thread or process boundary (no message parsing). */
import { describe, expect, it } from "vitest";
import { RuntimeUnavailableError, SandboxFailureError, loadFailure, toWire } from "../../src/errors.js";

const roundTrip = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe("errors across a boundary", () => {
  it("a RuntimeUnavailableError comes back with its runtime and reason, whatever its text holds", () => {
    const reason = 'needs "bwrap"; runtime "x" is unavailable: not a prefix to strip';
    const e = loadFailure("go", "in a worker thread", roundTrip(toWire(new RuntimeUnavailableError("rust", reason))));
    expect(e).toBeInstanceOf(RuntimeUnavailableError);
    expect(e.code).toBe("RUNTIME_UNAVAILABLE");
    expect((e as RuntimeUnavailableError).runtime).toBe("rust");
    expect((e as RuntimeUnavailableError).reason).toBe(reason);
    expect(e.message).toBe(`wasmbox: runtime "rust" is unavailable: ${reason}`);
  });

  it("anything else is the sandbox's failure, saying where", () => {
    const e = loadFailure("ruby", "in a worker thread", roundTrip(toWire(new TypeError("boom"))));
    expect(e).toBeInstanceOf(SandboxFailureError);
    expect(e.code).toBe("SANDBOX_FAILURE");
    expect(e.message).toBe("wasmbox: the ruby runtime failed to load in a worker thread: boom");
    expect(toWire("a string")).toEqual({ message: "a string" });
  });
});
