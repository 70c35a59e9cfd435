/**
 * Speed target of the PHP runtime: a warm hello world through execute() (a fresh PHP runtime
 * per execution) has a lower p50 than spawning native `php -r 'echo 1;'`, measured in the same
 * run, interleaved so both see the same machine load.
 */
import { execFileSync } from "node:child_process";
import { afterAll, expect, it } from "vitest";
import { createExecutor } from "wasmbox";
import { nativePhp, noNativePhp } from "./native.js";

const ROUNDS = 30;
const executor = createExecutor({ concurrency: 1, prewarm: ["php"] });
afterAll(() => executor.close());

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

it.skipIf(!!noNativePhp)(`warm hello-world p50 is below native php -r (${noNativePhp ?? "native php present"})`, { timeout: 180_000 }, async () => {
  for (let i = 0; i < 3; i++) await executor.execute({ runtime: "php", code: "<?php echo 1;" });
  const wall: number[] = [];
  const executionTime: number[] = [];
  const native: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    let t = performance.now();
    const r = await executor.execute({ runtime: "php", code: "<?php echo 1;" });
    wall.push(performance.now() - t);
    executionTime.push(r.executionTime);
    expect(r).toMatchObject({ stdout: "1", exitCode: 0 });
    t = performance.now();
    expect(execFileSync(nativePhp!, ["-r", "echo 1;"], { encoding: "utf8" })).toBe("1");
    native.push(performance.now() - t);
  }
  console.log(
    `php hello world, ${ROUNDS} rounds back to back: execute() wall p50 ${p50(wall).toFixed(1)} ms, ` +
      `executionTime p50 ${p50(executionTime)} ms; native php -r p50 ${p50(native).toFixed(1)} ms`,
  );
  expect(p50(wall)).toBeLessThan(p50(native));
});
