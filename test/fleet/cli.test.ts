/** `wasmbox worker` and serve's fleet flags on the command line: usage errors exit 2, help exits 0. */
import { describe, expect, it } from "vitest";
import { wasmbox } from "../cli/helpers.js";

describe("fleet command lines", () => {
  it.each([
    [["worker"], /wasmbox worker: --redis is required/],
    [["worker", "--bogus"], /unknown option "--bogus" \(see wasmbox worker --help\)/],
    [["worker", "--redis", "redis://127.0.0.1:1", "--lock-duration", "soon"], /--lock-duration must be an integer >= 1/],
    [["worker", "--redis", "redis://127.0.0.1:1", "--prewarm", "cobol"], /--prewarm: unknown runtime "cobol"/],
    [["serve", "--result-ttl", "60"], /--result-ttl needs --redis/],
    [["serve", "--callback-hosts", "127.0.0.1"], /--callback-hosts needs --redis/],
    [["serve", "--redis", "redis://127.0.0.1:1", "--job-attempts", "0"], /--job-attempts must be an integer >= 1/],
  ])("%j exits 2", async (args, message) => {
    const r = await wasmbox(args, { env: { WASMBOX_REDIS_URL: undefined } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });

  it("a URL that is not redis:// exits 1 saying what to pass", async () => {
    const r = await wasmbox(["worker", "--redis", "http://127.0.0.1:6379"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--redis must be a redis:\/\/ or rediss:\/\/ URL/);
  });

  it("worker --help prints its usage and exits 0; the main help lists worker", async () => {
    const r = await wasmbox(["worker", "--help"]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toMatch(/Usage: wasmbox worker --redis <url>[\s\S]*--stalled-interval/);
    expect((await wasmbox(["--help"])).stdout).toMatch(/wasmbox worker --redis <url>/);
  });
});
