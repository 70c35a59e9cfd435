/**
 * The escape matrix: one row per attack, one program per runtime. A program tries the attack
 * and prints what it got as `label=OK:<value>` or `label=ERR`, then `DONE`; the test judges by
 * evidence on the host side (canary text in the output, connections the server saw, files that
 * appeared or vanished), never by the program's own verdict.
 */
import type { ExecuteRequest } from "wasmbox";

export interface AttackContext {
  /** A host file holding `secret`, in a fresh temp directory. */
  canaryFile: string;
  canaryDir: string;
  /** `canaryFile` reached by `../` from the working directory. */
  climb: string;
  secret: string;
  /** A host environment variable holding `secret`. */
  envName: string;
  /** A file the program tries to delete (absolute) and `victimClimb` (by `../`). */
  victimFile: string;
  victimClimb: string;
  /** Where the program tries to write (absolute), and the same by `../`. */
  writeFile: string;
  writeClimb: string;
  /** A loopback TCP port with an HTTP server that counts connections. */
  port: number;
  /** A file a spawned shell would create. */
  spawnMarker: string;
}

export type AttackName =
  | "read-host-files"
  | "write-host-files"
  | "host-env"
  | "network"
  | "dns"
  | "spawn-process"
  | "host-javascript"
  | "leave-state"
  | "spy-on-concurrent";

/** A program for one attack, or the reason the language cannot even try it. */
export type AttackProgram = Omit<ExecuteRequest, "runtime"> & {
  /** The second program of a pair (`leave-state`: the later execution). */
  then?: Omit<ExecuteRequest, "runtime">;
  /** The program cannot run to its `DONE` (e.g. a module that fails to link); it must still fail cleanly. */
  noDone?: string;
  /**
   * A known bug (owned by the runtime's adapter) makes this attack end as a sandbox failure (70)
   * although it is contained: the containment checks still run; the exit-code check runs as it.fails.
   */
  sandboxFailureBug?: string;
};
export type AttackPrograms = Record<AttackName, ((ctx: AttackContext) => AttackProgram) | { skip: string }>;

export const SPY_WAIT_MS = 700;
