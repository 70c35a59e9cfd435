/** The rules of fleet jobs that need no Redis: submissions, the callback allowlist, the retry policy. */
import { describe, expect, it } from "vitest";
import {
  checkCallbackUrl,
  isRetryableError,
  isSandboxFailureResult,
  jobError,
  failureReason,
  parseCallbackHosts,
  parseJobSubmission,
  runJob,
  showsSandboxFailure,
} from "../../src/fleet/jobs.js";
import { DEFAULT_CAPS } from "../../src/request.js";
import { InvalidRequestError, RuntimeUnavailableError, SandboxFailureError, ExecutorClosedError } from "../../src/errors.js";

const ok = { kind: "execute", request: { runtime: "ruby", code: "puts 1" } };
const field = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidRequestError);
    return (e as Error).message;
  }
  throw new Error("no error");
};

describe("POST /v1/jobs bodies", () => {
  it("accepts { kind: execute, request } and names the field of anything wrong", () => {
    expect(parseJobSubmission(ok, { callbackHosts: [] })).toEqual({ payload: ok });
    expect(field(() => parseJobSubmission([], { callbackHosts: [] }))).toMatch(/must be a JSON object/);
    expect(field(() => parseJobSubmission({ request: ok.request }, { callbackHosts: [] }))).toMatch(/`kind` is required; one of execute/);
    expect(field(() => parseJobSubmission({ ...ok, kind: "run" }, { callbackHosts: [] }))).toMatch(/`kind` must be one of execute, batch; got "run"/);
    expect(field(() => parseJobSubmission({ kind: "execute" }, { callbackHosts: [] }))).toMatch(/`request` is required/);
    expect(field(() => parseJobSubmission({ ...ok, callback: "x" }, { callbackHosts: [] }))).toMatch(/`callback` is not a known field; known fields are kind, request, callbackUrl/);
    // The request is checked as /v1/execute checks it, its fields named under `request.`.
    expect(field(() => parseJobSubmission({ kind: "execute", request: { runtime: "ruby", cod: "x" } }, { callbackHosts: [] }))).toMatch(
      /`request\.cod` is not a known field/,
    );
    expect(field(() => parseJobSubmission({ kind: "execute", request: { runtime: "cobol", code: "x" } }, { callbackHosts: [] }))).toMatch(
      /`request\.runtime` must be one of/,
    );
    expect(field(() => parseJobSubmission({ ...ok, callbackUrl: 5 }, { callbackHosts: ["127.0.0.1"] }))).toMatch(/`callbackUrl` must be a string/);
  });
});

describe("POST /v1/jobs batch bodies", () => {
  const batch = { runtime: "python", code: "print(int(input()) * 2)", cases: [{ stdin: "2", expectedStdout: "4" }, { stdin: "3" }] };

  it("accepts { kind: batch, request } with a batch as for POST /v1/batch, and a callbackUrl", () => {
    expect(parseJobSubmission({ kind: "batch", request: batch }, { callbackHosts: [] })).toEqual({ payload: { kind: "batch", request: batch } });
    expect(parseJobSubmission({ kind: "batch", request: batch, callbackUrl: "http://127.0.0.1:8099/x" }, { callbackHosts: ["127.0.0.1:8099"] })).toEqual({
      payload: { kind: "batch", request: batch },
      callbackUrl: "http://127.0.0.1:8099/x",
    });
  });

  it("checks the batch now, naming its fields under `request.`", () => {
    const bodyOf = (request: unknown) => () => parseJobSubmission({ kind: "batch", request }, { callbackHosts: [] });
    expect(field(bodyOf(undefined))).toMatch(/`request` is required: the program and its cases, as for POST \/v1\/batch/);
    expect(field(bodyOf({ ...batch, cases: [{}, { stdin: 1 }] }))).toMatch(/`request\.cases\[1\]\.stdin` must be a string/);
    expect(field(bodyOf({ ...batch, cases: [{ expected: "1" }] }))).toMatch(/`request\.cases\[0\]\.expected` is not a known field/);
    expect(field(bodyOf({ runtime: "python", code: "print(1)" }))).toMatch(/`request\.cases` is required/);
    expect(field(bodyOf({ ...batch, cases: [] }))).toMatch(/`request\.cases` is empty/);
    expect(field(bodyOf({ ...batch, runtime: "cobol" }))).toMatch(/`request\.runtime` must be one of/);
    // The batch's own caps apply, as on POST /v1/batch.
    const caps = { ...DEFAULT_CAPS, maxBatchCases: 2 };
    expect(field(() => parseJobSubmission({ kind: "batch", request: { ...batch, cases: [{}, {}, {}] } }, { callbackHosts: [], caps }))).toMatch(
      /`request\.cases` has 3 cases; this executor allows at most 2 per batch/,
    );
    // A batch is not an execute request, nor the other way round.
    expect(field(() => parseJobSubmission({ kind: "execute", request: batch }, { callbackHosts: [] }))).toMatch(/`request\.cases` is not a known field/);
  });

  it("runs a batch job on the executor's executeBatch", async () => {
    const seen: unknown[] = [];
    const executor = {
      execute: async () => {
        throw new Error("not a batch");
      },
      executeBatch: async (request: unknown) => {
        seen.push(request);
        return { results: [], passed: 0 };
      },
    };
    expect(await runJob(executor, { kind: "batch", request: batch })).toEqual({ results: [], passed: 0 });
    expect(seen).toEqual([batch]);
  });
});

describe("callback allowlist", () => {
  const hosts = parseCallbackHosts(" Hooks.Example.com , 127.0.0.1:8099,[::1]:9000 ,");
  it("parses host and host:port entries", () => expect(hosts).toEqual(["hooks.example.com", "127.0.0.1:8099", "[::1]:9000"]));

  it("accepts only hosts (and ports) on the list", () => {
    expect(checkCallbackUrl("https://hooks.example.com/a?b=1", hosts)).toBe("https://hooks.example.com/a?b=1");
    expect(checkCallbackUrl("http://HOOKS.example.com:81/", hosts)).toBe("http://hooks.example.com:81/");
    expect(checkCallbackUrl("http://127.0.0.1:8099/done", hosts)).toBe("http://127.0.0.1:8099/done");
    expect(checkCallbackUrl("http://[::1]:9000/", hosts)).toBe("http://[::1]:9000/");
    for (const refused of [
      "http://127.0.0.1:8098/done", // another port of a host:port entry
      "http://127.0.0.1/done",
      "http://localhost:8099/", // the same machine under another name is another host
      "http://169.254.169.254/latest/meta-data",
      "http://hooks.example.com.evil.test/",
      "http://[::1]:9001/",
    ])
      expect(() => checkCallbackUrl(refused, hosts), refused).toThrow(/`callbackUrl` host .* is not on the server's callback allowlist/);
  });

  it("refuses other schemes, credentials, bad URLs, and everything when no hosts are configured", () => {
    expect(() => checkCallbackUrl("file:///etc/passwd", hosts)).toThrow(/must be http or https/);
    expect(() => checkCallbackUrl("http://u:p@hooks.example.com/", hosts)).toThrow(/must not hold credentials/);
    expect(() => checkCallbackUrl("not a url", hosts)).toThrow(/is not a valid URL/);
    expect(() => checkCallbackUrl("https://hooks.example.com/", [])).toThrow(/no callback hosts configured/);
    expect(() => parseJobSubmission({ ...ok, callbackUrl: "http://127.0.0.1:1/" }, { callbackHosts: hosts })).toThrow(/not on the server's callback allowlist/);
  });
});

describe("retries", () => {
  const result = (exitCode: number, stderr: string) => ({ stdout: "", stderr, exitCode, executionTime: 1, timedOut: false });

  it("a program's own exit 70 is its result, not a sandbox failure", () => {
    expect(isSandboxFailureResult(result(70, ""))).toBe(false);
    expect(isSandboxFailureResult(result(70, "Traceback...\nSystemExit: 70\n"))).toBe(false);
    expect(isSandboxFailureResult(result(1, "[wasmbox] the sandbox host stopped unexpectedly (exit 1)\n"))).toBe(false);
  });

  it("exit 70 with the executor's note is a sandbox failure", () => {
    // The texts pool-executor.ts and the sandbox hosts write when the host, not the program, failed.
    expect(isSandboxFailureResult(result(70, "partial\n[wasmbox] the sandbox host stopped unexpectedly (worker exited with code 1)\n"))).toBe(true);
    expect(isSandboxFailureResult(result(70, "out\n\nwasmbox: the ruby sandbox failed: TypeError: x is undefined\n"))).toBe(true);
  });

  it("a batch is retried only when one of its cases shows a sandbox failure", () => {
    const crash = result(70, "partial\n[wasmbox] the sandbox host stopped unexpectedly (worker exited with code 1)\n");
    const own = [result(1, "Traceback...\n"), result(70, "SystemExit: 70\n"), { ...result(124, ""), timedOut: true }, { ...result(0, ""), passed: false }];
    expect(showsSandboxFailure({ results: own, passed: 0 })).toBe(false);
    expect(showsSandboxFailure({ results: [result(0, ""), crash, result(0, "")] })).toBe(true);
    expect(showsSandboxFailure({ results: [...own, crash] })).toBe(true);
    // An execution is judged as before.
    expect(showsSandboxFailure(crash)).toBe(true);
    expect(showsSandboxFailure(result(70, ""))).toBe(false);
  });

  it("thrown host errors are retried; a bad request or a missing runtime is not", () => {
    expect(isRetryableError(new SandboxFailureError("host crashed"))).toBe(true);
    expect(isRetryableError(new ExecutorClosedError())).toBe(true);
    expect(isRetryableError(new Error("anything else"))).toBe(true);
    expect(isRetryableError(new InvalidRequestError("code", "is wrong"))).toBe(false);
    expect(isRetryableError(new RuntimeUnavailableError("go", "no toolchain"))).toBe(false);
  });

  it("a failure's code survives BullMQ's failedReason string", () => {
    expect(jobError(failureReason(new RuntimeUnavailableError("go", "install Go")))).toEqual({
      code: "RUNTIME_UNAVAILABLE",
      message: 'runtime "go" is unavailable: install Go',
    });
    expect(jobError("job stalled more than allowable limit")).toEqual({ code: "SANDBOX_FAILURE", message: "job stalled more than allowable limit" });
  });
});
