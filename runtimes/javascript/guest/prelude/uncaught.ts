// @ts-nocheck
/**
 * GUEST code, a part of the prelude (../bootstrap.ts): uncaught errors and unhandled rejections, reported
 * in Node's words (or Bun's), and the program's exit.
 */
export function uncaughtPart(internal, G, host, config) {
  "use strict";
  const flavor = config.flavor;
  const { write, errorStack, isEsmFile, v8error } = internal;
  const ESM_LOADER_FRAMES = [
    "    at ModuleJob.run (node:internal/modules/esm/module_job:325:25)",
    "    at async ModuleLoader.import (node:internal/modules/esm/loader:606:24)",
    "    at async asyncRunEntryPointWithESMLoader (node:internal/modules/run_main:117:5)",
  ];
  // An error made while the entry ES module evaluated synchronously has Node's loader frames
  // below the module's own; QuickJS's stack cannot tell, so the report adds them when it knows.
  function withEsmLoaderFrames(text) {
    const lines = text.split("\n");
    let last = -1;
    for (let i = 0; i < lines.length; i++) if (/^    at /.test(lines[i])) last = i;
    const head = `    at file://${config.entryPath}:`;
    if (last < 0 || !lines[last].startsWith(head) || !/^\d+:\d+$/.test(lines[last].slice(head.length))) return text;
    lines.splice(last + 1, 0, ...ESM_LOADER_FRAMES);
    return lines.join("\n");
  }
  const moduleEvalErrors = [];
  function uncaughtReport(e, fromPromise, esmSync, moduleEval) {
    const isErr = e instanceof G.Error || (e && typeof e === "object" && typeof e.stack === "string" && "message" in e);
    if (flavor === "bun") return bunReport(e, isErr);
    let out = "";
    if (isErr) {
      const stack = errorStack(e);
      const loc = internal.syntaxLocations && internal.syntaxLocations.get(e);
      const m = loc ? [null, loc[0], String(loc[1]), String(loc[2])] : /\n    at (?:.*? \()?(?:file:\/\/)?(\/[^\s()]*?):(\d+):(\d+)\)?/.exec(stack);
      if (m) {
        const line = internal.sourceLine(m[1], Number(m[2]));
        if (line !== undefined) {
          let col = Number(m[3]) - 1;
          const before = line.slice(0, col);
          const t = before.lastIndexOf("throw ");
          // A thrown exception points at its throw; a rejection (and an ES module's failed
          // evaluation, which is one) at where the error was made.
          if (!loc && !fromPromise && t >= 0 && before.slice(t).indexOf(";") < 0) col = t;
          out += `${flavor === "node" && isEsmFile(m[1]) ? "file://" : ""}${m[1]}:${m[2]}\n${line}\n${" ".repeat(Math.max(0, col))}^\n\n`;
        }
      }
      let text = internal.inspect(e);
      if (e && e.name === "InternalError" && /stack overflow/.test(e.message)) text = text.replace(/^InternalError: stack overflow/, "RangeError: Maximum call stack size exceeded");
      if (esmSync && isEsmFile(config.entryPath)) text = withEsmLoaderFrames(text);
      out += text;
    } else {
      // Node shows a primitive as its string and points at where it was thrown; an object is
      // inspected, with no such hint.
      out += moduleEval ? "\nnode:internal/modules/run_main:123\n    triggerUncaughtException(\n    ^\n" : "\n";
      if (e !== null && (typeof e === "object" || typeof e === "function")) out += internal.inspect(e);
      else out += `${typeof e === "symbol" ? e.toString() : String(e)}\n(Use \`node --trace-uncaught ...\` to show where the exception was thrown)`;
    }
    return `${out}\n\nNode.js ${config.nodeVersion}\n`;
  }
  // An Error as Bun prints it (uncaught, or given to console.log): the five source lines before
  // the throw and its own (numbers padded to one width), a caret, the message, the frames.
  function bunErrorText(e) {
    const stack = errorStack(e);
    let out = "";
    const m = /\n    at (?:.*? \()?(\/[^\s()]*?):(\d+):(\d+)\)?/.exec(stack);
    if (m) {
      const n = Number(m[2]);
      const src = host.readSource(m[1], true);
      if (src !== undefined) {
        const lines = src.split("\n");
        const width = String(n).length;
        for (let i = Math.max(1, n - 5); i <= n; i++) out += `${String(i).padStart(width)} | ${lines[i - 1]}\n`;
        out += `${" ".repeat(width + 3 + Number(m[3]) - 1)}^\n`;
      }
    }
    const name = e.name === undefined ? "Error" : String(e.name);
    out += `${name === "Error" ? "error" : name}: ${e.message}\n`;
    const frames = stack.split("\n").filter((l) => /^\s+at /.test(l));
    if (frames.length) out += frames.map((l) => "  " + l.replace(/^\s+/, "    ")).join("\n") + "\n";
    return out;
  }
  internal.bunErrorText = bunErrorText;
  function bunReport(e, isErr) {
    let out = "";
    if (isErr) {
      out += bunErrorText(e);
    } else if (e !== null && (typeof e === "object" || typeof e === "function")) out += `error\n${internal.format(e)}\n`;
    else out += `error: ${typeof e === "symbol" ? e.toString() : String(e)}\n${internal.format(e)}\n`;
    return `${out}\nBun v${config.bunVersion} (Linux x64)\n`;
  }
  /**
   * `fromPromise`: the rejected promise, for an unhandled rejection. `how.moduleEval`: the entry
   * ES module's evaluation failed, which Node reports like a rejection but without the
   * 'unhandledRejection' event; `how.esmSync`: the error was made while the entry ES module
   * evaluated synchronously.
   */
  function uncaught(e, fromPromise, how = {}) {
    if (internal.exited) return;
    e = v8error(e);
    // QuickJS also rejects its internal module promises with the evaluation error; report it once.
    if (how.moduleEval) moduleEvalErrors.push(e);
    else if (fromPromise && moduleEvalErrors.includes(e)) return;
    const esmSync = !!how.esmSync;
    if (fromPromise && !how.moduleEval) {
      if (internal.process.listenerCount("unhandledRejection") > 0) {
        internal.process.emit("unhandledRejection", e, fromPromise);
        return;
      }
    }
    if (internal.process.listenerCount("uncaughtException") > 0) {
      try {
        internal.process.emit("uncaughtException", e, fromPromise || how.moduleEval ? "unhandledRejection" : "uncaughtException");
        return;
      } catch (e2) {
        e = e2;
      }
    }
    if (e && e.name === "InternalError" && /out of memory/.test(e.message)) {
      write(2, "\nwasmbox: out of memory\n");
      return doExit(137);
    }
    // Node throws a rejection reason as is only if it looks like an error (an own `stack`).
    if (fromPromise && flavor === "node" && !(e !== null && typeof e === "object" && Object.prototype.hasOwnProperty.call(e, "stack"))) {
      const msg = `This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "${noSideEffectsToString(e)}".`;
      write(
        2,
        `node:internal/process/promises:389\n      new UnhandledPromiseRejection(reason);\n      ^\n\nUnhandledPromiseRejection: ${msg}\n` +
          `    at throwUnhandledRejectionsMode (node:internal/process/promises:389:7)\n    at processPromiseRejections (node:internal/process/promises:470:17)\n` +
          `    at process.processTicksAndRejections (node:internal/process/task_queues:96:32) {\n  code: 'ERR_UNHANDLED_REJECTION'\n}\n\nNode.js ${config.nodeVersion}\n`,
      );
      return doExit(1);
    }
    write(2, uncaughtReport(e, fromPromise || how.moduleEval, esmSync, how.moduleEval));
    doExit(flavor === "node" ? (e && e.name === "SyntaxError" && internal.syntaxAtLoad ? 1 : 1) : 1);
  }
  internal.uncaught = uncaught;
  internal.noSideEffectsToString = noSideEffectsToString;
  // V8's NoSideEffectsToString, which Node uses to name a rejection reason that is not an error.
  function noSideEffectsToString(v) {
    if (typeof v === "function") return Function.prototype.toString.call(v);
    if (v === null || (typeof v !== "object" && typeof v !== "function")) return typeof v === "symbol" ? v.toString() : String(v);
    const dataProperty = (name) => {
      for (let o = v; o !== null; o = Object.getPrototypeOf(o)) {
        const d = Object.getOwnPropertyDescriptor(o, name);
        if (d) return "value" in d ? d.value : undefined;
      }
      return undefined;
    };
    if (dataProperty("toString") === Object.prototype.toString) {
      const ctor = dataProperty("constructor");
      if (typeof ctor === "function") {
        const d = Object.getOwnPropertyDescriptor(ctor, "name");
        if (d && typeof d.value === "string" && d.value) return `#<${d.value}>`;
      }
    }
    const tag = dataProperty(Symbol.toStringTag);
    return `[object ${typeof tag === "string" ? tag : Array.isArray(v) ? "Array" : "Object"}]`;
  }

  function doExit(code) {
    if (internal.exited) return;
    code = code === undefined ? (internal.exitCode === undefined ? 0 : internal.exitCode) : code;
    internal.exitCode = code;
    try {
      internal.process.emit("exit", code);
    } catch (e) {
      write(2, uncaughtReport(e));
      code = 7;
    }
    internal.exited = true;
    host.exit(code);
    throw new ProcessExit(code);
  }
  class ProcessExit {
    constructor(code) {
      this.code = code;
    }
  }
  internal.doExit = doExit;
  internal.ProcessExit = ProcessExit;
}
