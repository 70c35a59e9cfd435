/**
 * The one registry of each runtime's test programs, which the shared suites iterate. Each
 * runtime keeps its programs in its own folder (runtimes/<lang>/test/programs.ts); a runtime
 * added to RUNTIME_NAMES without a line here is a type error.
 */
import type { RuntimeName } from "wasmbox";
import type { RuntimePrograms } from "./runtime-programs.js";
import { programs as go } from "../runtimes/go/test/programs.js";
import { bun, node } from "../runtimes/javascript/test/programs.js";
import { programs as php } from "../runtimes/php/test/programs.js";
import { programs as python } from "../runtimes/python/test/programs.js";
import { programs as ruby } from "../runtimes/ruby/test/programs.js";
import { programs as rust } from "../runtimes/rust/test/programs.js";

export type { RuntimePrograms };

export const PROGRAMS: Record<RuntimeName, RuntimePrograms> = { python, node, bun, go, rust, ruby, php };
