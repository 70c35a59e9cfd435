/**
 * The glue's dynamic-linking step (GOT entries, table entries) is recorded on a host's first boot
 * and replayed into later instances (runtimes/php/link-replay.ts). A replayed instance must link
 * exactly as the glue would have: same GOT, same table slots, and programs that go through
 * function pointers (callbacks, sorting, exit, a failed assertion) behave the same.
 */
import { describe, expect, it } from "vitest";
import { php, type Loaded } from "../../../dist/runtimes/php/index.js";
import { bootPhp } from "../../../dist/runtimes/php/instance.js";
import type { Io, Job } from "../../../dist/src/runtime.js";

const MiB = 2 ** 20;
const job = (code: string): Job => ({
  runtime: "php",
  files: { "main.php": code },
  entrypoint: "main.php",
  args: [],
  env: {},
  limits: { timeoutMs: 20_000, memoryBytes: 256 * MiB, outputBytes: MiB },
});

async function runOn(loaded: Loaded, code: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { 1: "", 2: "" };
  const io: Io = { stdin: new Uint8Array(), write: (fd, d) => void (out[fd] += typeof d === "string" ? d : new TextDecoder().decode(d)) };
  const exit = await php.run(loaded, job(code), io);
  return { code: exit, stdout: out[1], stderr: out[2] };
}

const program = `<?php
$a = [5, 3, 9, 1];
usort($a, fn($x, $y) => $x <=> $y);
echo json_encode($a), " ", implode(",", array_map("strtoupper", ["a", "b"])), " ", json_encode(array_filter([1, 0, 2])), "\\n";
echo preg_replace_callback('/\\d/', fn($m) => $m[0] * 2, "a1b2"), " ", call_user_func_array("max", [4, 8, 2]), "\\n";
register_shutdown_function(fn() => print("shutdown\\n"));
exit(7);`;

describe("php link replay", () => {
  it("records the first boot's linking, and every later boot links the same way", { timeout: 60_000 }, async () => {
    const loaded: Loaded = await php.load({ memoryBytes: 256 * MiB, options: {} });
    expect(loaded.link).toBeDefined();
    expect(loaded.link!.appended.length).toBeGreaterThan(0);
    // The premise: linking depends on the module only, so two instances linked by the glue itself agree.
    const again = await bootPhp(loaded.loader, loaded.wasm, loaded.memory?.reuse.take(loaded.memory.shape));
    expect(again.link).toEqual(loaded.link);

    const first = await runOn(loaded, program);
    expect(first).toEqual({ code: 7, stdout: "[1,3,5,9] A,B {\"0\":1,\"2\":2}\na2b4 8\nshutdown\n", stderr: "" });
    await new Promise((r) => setImmediate(r));
    const replayed = await loaded.next!;
    // Linked by the replay: the glue did not link it (so it made no record of its own).
    expect(replayed.link).toBeUndefined();
    expect(await runOn(loaded, program)).toEqual(first);
    // An uncaught exception unwinds through handlers reached by function pointer.
    await new Promise((r) => setImmediate(r));
    const uncaught = await runOn(loaded, '<?php function f() { throw new RuntimeException("no"); } f(); echo "unreached";');
    expect(uncaught.code).toBe(255);
    expect(uncaught.stdout + uncaught.stderr).toContain("Uncaught RuntimeException: no");
  });

  it("a record that does not match the instance is not replayed: the glue links it", { timeout: 60_000 }, async () => {
    const loaded: Loaded = await php.load({ memoryBytes: 256 * MiB, options: {} });
    const wrong = { ...loaded.link!, tableBefore: loaded.link!.tableBefore + 1 };
    const instance = await bootPhp(loaded.loader, loaded.wasm, loaded.memory?.reuse.take(loaded.memory.shape), wrong);
    expect(instance.link).toEqual(loaded.link);
    loaded.next = Promise.resolve(instance);
    expect((await runOn(loaded, program)).stdout).toContain("a2b4 8");
  });
});
