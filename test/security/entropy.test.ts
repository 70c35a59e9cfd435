/**
 * Every execution gets fresh entropy: PRNGs and hash seeds differ between two executions of the
 * same program, as between two native processes, although hosts reuse what they can (a worker
 * thread, a QuickJS module instance and contexts prepared ahead, a Go/Rust instance made ahead
 * on a kept memory). Python, Ruby and PHP have their own tests in their folders.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor, type RuntimeName } from "wasmbox";
import { loadEngine, runJob } from "../../dist/runtimes/javascript/engine.js";
import type { Io, Job } from "../../dist/src/runtime.js";
import { RUNTIMES, unavailability } from "./runtimes.js";

const JS = `const crypto = require("crypto");
console.log("Math.random:", Math.random(), Math.random());
console.log("randomUUID:", crypto.randomUUID());
console.log("getRandomValues:", Array.from(crypto.getRandomValues(new Uint8Array(16))).join(","));
console.log("randomBytes:", crypto.randomBytes(16).toString("hex"));
console.log("webcrypto:", globalThis.crypto.randomUUID());
`;

/** Labelled lines; each label's value must differ between two executions. */
const PROGRAMS: Partial<Record<RuntimeName, string>> = {
  node: JS,
  bun: `import * as crypto from "crypto";\nconst n: number = Math.random();\nconsole.log("Math.random:", n);\n${JS.split("\n").slice(2).join("\n")}`,
  go: `package main

import (
	crand "crypto/rand"
	"fmt"
	"hash/maphash"
	"math/rand"
	rand2 "math/rand/v2"
)

func main() {
	b := make([]byte, 16)
	crand.Read(b)
	fmt.Println("math/rand:", rand.Int63(), rand.Int63())
	fmt.Println("math/rand/v2:", rand2.Uint64())
	fmt.Printf("crypto/rand: %x\\n", b)
	// The runtime's own random state, which also seeds each map's hash.
	fmt.Println("maphash:", maphash.String(maphash.MakeSeed(), "key"))
}
`,
  rust: `use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hash, Hasher};

fn main() {
    let mut h = RandomState::new().build_hasher();
    42u64.hash(&mut h);
    println!("RandomState: {}", h.finish());
    let m: std::collections::HashMap<&str, i32> = [("a", 1)].into_iter().collect();
    let mut h = m.hasher().build_hasher();
    "key".hash(&mut h);
    println!("HashMap hasher: {}", h.finish());
}
`,
};

const WANTED = RUNTIMES.filter((r) => r in PROGRAMS);
const executor = createExecutor({ concurrency: 2 });
const unavailable = await unavailability(executor);
afterAll(() => executor.close());

function values(stdout: string): Map<string, string> {
  return new Map(stdout.trim().split("\n").map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1)]));
}

function expectAllDiffer(a: string, b: string): void {
  const va = values(a);
  const vb = values(b);
  expect([...va.keys()]).toEqual([...vb.keys()]);
  expect(va.size).toBeGreaterThan(0);
  for (const [label, value] of va) expect(vb.get(label), `${label} repeated`).not.toBe(value);
}

describe.each(WANTED)("%s", (runtime) => {
  const why = unavailable[runtime];
  it.skipIf(!!why)(`two executions see different random values${why ? ` (skipped: ${why})` : ""}`, async () => {
    const code = PROGRAMS[runtime]!;
    const run = async () => {
      const r = await executor.execute({ runtime, code, timeout: 120_000 });
      expect(r, r.stderr).toMatchObject({ exitCode: 0, stderr: "" });
      return r.stdout;
    };
    // One after the other (the second on what the host made ready after the first), then two
    // at once on two hosts.
    const first = await run();
    const second = await run();
    expectAllDiffer(first, second);
    const [third, fourth] = await Promise.all([run(), run()]);
    expectAllDiffer(third, fourth);
    expectAllDiffer(second, third);
  }, 240_000);
});

/**
 * QuickJS seeds Math.random from the clock, to the millisecond under emscripten: contexts
 * prepared in the same millisecond (by two hosts, or ahead of jobs) drew the same sequence.
 * With the clock held still, every job must still get its own.
 */
describe.each(WANTED.filter((r) => r === "node" || r === "bun"))("%s on QuickJS", (runtime) => {
  const job = (code: string): Job => ({
    runtime,
    files: { [runtime === "bun" ? "main.ts" : "main.js"]: code },
    entrypoint: runtime === "bun" ? "main.ts" : "main.js",
    args: [],
    env: {},
    limits: { timeoutMs: 10_000, memoryBytes: 256 * 1024 * 1024, outputBytes: 1 << 20 },
  });
  const run = async (engine: Awaited<ReturnType<typeof loadEngine>>, code: string) => {
    let stdout = "";
    const io: Io = {
      stdin: new Uint8Array(),
      write: (fd, data) => void (fd === 1 && (stdout += typeof data === "string" ? data : new TextDecoder().decode(data))),
    };
    expect(await runJob(engine, job(code), io)).toBe(0);
    return stdout;
  };

  it("Math.random differs between jobs made in the same millisecond", async () => {
    const now = Date.now;
    const frozen = now();
    Date.now = () => frozen;
    try {
      const code = "console.log(Math.random(), Math.random())";
      const [a, b] = await Promise.all([loadEngine(runtime, 256 * 1024 * 1024), loadEngine(runtime, 256 * 1024 * 1024)]);
      const outs = [await run(a, code), await run(b, code), await run(a, code), await run(b, code)];
      expect(new Set(outs).size, outs.join("")).toBe(outs.length);
    } finally {
      Date.now = now;
    }
  }, 60_000);
});
