/**
 * The shared conformance suite: every runtime runs the same cases. A runtime supplies one
 * program per case in programs/<runtime>.ts; a case it cannot pass is `{ skip: "reason" }`.
 */
import type { ExecuteRequest, RuntimeName } from "wasmbox";

export type Program = Omit<ExecuteRequest, "runtime"> | { skip: string };

export interface Case {
  name: string;
  /** What the program must do, in words every adapter author implements. */
  does: string;
  stdin?: string;
  args?: string[];
  env?: Record<string, string>;
  check(r: { stdout: string; stderr: string; exitCode: number; timedOut: boolean }, runtime: RuntimeName): void;
}

export type Programs = Record<string, Program>;

/** Exit code of an uncaught error, as the native tool gives it. */
export const UNCAUGHT_EXIT: Record<RuntimeName, number> = {
  python: 1,
  node: 1,
  bun: 1,
  ruby: 1,
  php: 255,
  go: 2,
  rust: 101,
};
