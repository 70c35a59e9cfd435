// @ts-nocheck
/**
 * GUEST code: the prelude evaluated in every fresh QuickJS context before the user's program.
 * It installs the globals Node programs expect, the CommonJS loader, and returns the event loop
 * the host drives: { start, main, ticks, next, fire, beforeExit, exitCode }.
 *
 * It is made of parts (./prelude/*.ts), one per job, run in this order. Each is serialized with
 * Function.prototype.toString, so it refers to nothing outside itself: it is called as
 * `part(internal, G, host, config)`, takes what earlier parts provide from `internal` and adds
 * what it provides there (`internal` is also what the built-in modules receive). It only talks
 * to the host through `host` (primitives, strings and ArrayBuffers in and out).
 */
import { sharedPart } from "./prelude/shared.js";
import { utf8Part } from "./prelude/utf8.js";
import { stackPart } from "./prelude/stack.js";
import { v8WordsPart } from "./prelude/v8-words.js";
import { builtinsPart } from "./prelude/builtins.js";
import { consolePart } from "./prelude/console.js";
import { eventLoopPart } from "./prelude/event-loop.js";
import { uncaughtPart } from "./prelude/uncaught.js";
import { processPart } from "./prelude/process.js";
import { stdioPart } from "./prelude/stdio.js";
import { globalsPart } from "./prelude/globals.js";
import { commonjsPart } from "./prelude/commonjs.js";
import { hostLoopPart } from "./prelude/host-loop.js";

/** The prelude's parts, in the order they run (the order programs can observe: globals, prototypes). */
export const preludeParts = [
  sharedPart,
  utf8Part,
  stackPart,
  v8WordsPart,
  builtinsPart,
  consolePart,
  eventLoopPart,
  uncaughtPart,
  processPart,
  stdioPart,
  globalsPart,
  commonjsPart,
  hostLoopPart,
];

/** Runs `parts` on the context's global object; the last one returns the loop the host drives. */
export function runPrelude(host, config, parts) {
  "use strict";
  const G = globalThis;
  delete G.__wasmbox_host;
  const internal = { host, flavor: config.flavor, config };
  let loop;
  for (let i = 0; i < parts.length; i++) loop = parts[i](internal, G, host, config);
  return loop;
}

/** The prelude as one function of (host, config); QuickJS gets it as text, {@link bootstrapSource}. */
export const bootstrap = function (host, config) {
  return runPrelude(host, config, preludeParts);
};

/**
 * The prelude as source text: a function expression of (host, config) that refers to nothing
 * outside itself, which `${source}(host, config)` calls. The parts are function declarations in
 * its body and the text starts `0, function` rather than `(function`: QuickJS scans ahead over a
 * parenthesised expression (for an arrow's `=>`) and over an array literal (for a destructuring
 * `=`), a pass over the whole text each; declarations and the comma need none.
 */
export function bootstrapSource(): string {
  const declared = [runPrelude, ...preludeParts].map((f) => {
    const text = f.toString();
    if (!text.startsWith(`function ${f.name}(`)) throw new Error(`wasmbox: the prelude part ${f.name} is not a function declaration`);
    return text;
  });
  return `0, function (host, config) {\n"use strict";\n${declared.join("\n")}\nreturn ${runPrelude.name}(host, config, [${preludeParts.map((p) => p.name).join(", ")}]);\n}`;
}
