/**
 * The shared conformance suite: every runtime runs the same cases. A runtime supplies one
 * program per case in runtimes/<lang>/test/ (listed in test/programs.ts); a case it cannot pass
 * is `{ skip: "reason" }`.
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
  check(r: { stdout: string; stderr: string; exitCode: number; timedOut: boolean }, runtime: RuntimeName, program: Program): void;
}

export type Programs = Record<string, Program>;

/** The source of a program's entry file (the `code`, or the entrypoint's or main file's content). */
export function entrySource(p: Program): { name: string; source: string } | undefined {
  if ("skip" in p) return undefined;
  if (p.code !== undefined) return { name: "main", source: p.code };
  const files = p.files ?? {};
  const name = p.entrypoint ?? Object.keys(files).find((f) => /^main\./.test(f)) ?? Object.keys(files)[0];
  return name === undefined ? undefined : { name, source: files[name] ?? "" };
}

/** 1-based numbers of the entry file's lines that carry `marker` (in a comment of the language). */
export function markedLines(p: Program, marker: string): number[] {
  const src = entrySource(p)?.source ?? "";
  return src.split("\n").flatMap((line, i) => (line.includes(marker) ? [i + 1] : []));
}
