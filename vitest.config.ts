import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "runtimes/**/*.test.ts", "src/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Sandbox hosts are worker threads and child processes of their own; keep test files in
    // forks so one file's executor cannot disturb another's.
    pool: "forks",
    maxWorkers: 2,
    fileParallelism: true,
  },
});
