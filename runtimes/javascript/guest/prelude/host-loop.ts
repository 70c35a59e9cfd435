// @ts-nocheck
/**
 * GUEST code, the last part of the prelude (../bootstrap.ts): it returns the loop the host drives,
 * { start, main, ticks, next, fire, ..., beforeExit, exitCode }, each entry a step the host calls.
 */
export function hostLoopPart(internal, G, host, config) {
  "use strict";
  const { process, env, timerQueue, immediates, tickQueue, runGuarded, uncaught, doExit, ProcessExit, requireFile, loadBuiltin } = internal;
  function runTicks() {
    let n = 0;
    while (tickQueue.length) {
      const q = tickQueue.splice(0);
      for (const [fn, args] of q) {
        n++;
        runGuarded(fn, undefined, args);
        if (internal.exited) return n;
      }
    }
    return n;
  }
  function alive() {
    for (const t of timerQueue.values()) if (t._ref) return true;
    for (const i of immediates) if (i._ref) return true;
    return false;
  }
  function withExit(fn) {
    return (...a) => {
      try {
        return fn(...a);
      } catch (e) {
        if (e instanceof ProcessExit) return 0;
        throw e;
      }
    };
  }
  const loop = {
    // The prelude runs before the job is known (in a context prepared while the host is idle);
    // this binds the job's entrypoint, argv and environment, once, right before `main`.
    start: (json) => {
      const job = JSON.parse(json);
      config.entryPath = job.entryPath;
      config.args = job.args;
      config.env = job.env;
      internal.entryPath = job.entryPath;
      process.argv = [process.argv[0], job.entryPath, ...job.args];
      Object.assign(env, job.env);
      G.performance.timeOrigin = Date.now() - host.now();
      delete loop.start;
      return 0;
    },
    main: withExit(() => {
      try {
        if (host.isModule(config.entryPath)) {
          let p;
          try {
            p = host.evalModule(config.entryPath);
          } catch (e) {
            if (e instanceof ProcessExit) throw e;
            return uncaught(e, undefined, { moduleEval: true, esmSync: true }), 0;
          }
          if (p && typeof p.then === "function") p.then(undefined, (e) => uncaught(e, undefined, { moduleEval: true }));
        } else {
          const r = requireFile(config.entryPath, null);
          const p = r && r.__wasmboxEsm;
          if (p && typeof p.then === "function") p.then(undefined, (e) => uncaught(e, undefined, { moduleEval: true }));
        }
      } catch (e) {
        if (e instanceof ProcessExit) throw e;
        uncaught(e);
      }
      return 0;
    }),
    ticks: withExit(() => runTicks()),
    next: withExit(() => {
      if (internal.exited) return -1;
      if (immediates.length) return alive() ? 0 : -1;
      if (!alive()) return -1;
      let min = Infinity;
      for (const t of timerQueue.values()) if (t._when < min) min = t._when;
      return Math.max(0, Math.ceil(min - host.now()));
    }),
    stdinWanted: withExit(() => (internal.stdinWanted() ? 1 : 0)),
    stdinPush: withExit((ab) => {
      internal.stdinPush(ab);
      return 0;
    }),
    fire: withExit(() => {
      const now = host.now();
      let due;
      for (const t of timerQueue.values()) if (t._when <= now + 0.5 && (!due || t._when < due._when || (t._when === due._when && t._id < due._id))) due = t;
      if (due) {
        if (due._repeat) due._when = Math.max(now, due._when) + due._ms;
        else timerQueue.delete(due._id);
        runGuarded(due._fn, due, due._args);
        return 1;
      }
      const im = immediates.shift();
      if (im) {
        runGuarded(im._fn, im, im._args);
        return 1;
      }
      return 0;
    }),
    // The host calls this for each promise still rejected without a handler once the tick and
    // microtask queues are empty (QuickJS's rejection tracker; see ../rejection-tracker.ts).
    unhandledRejection: withExit((reason, promise, duringMain) => {
      uncaught(reason, promise, { esmSync: duringMain });
      return 0;
    }),
    beforeExit: withExit(() => {
      process.emit("beforeExit", internal.exitCode === undefined ? 0 : internal.exitCode);
      return 0;
    }),
    exitCode: withExit(() => {
      doExit(internal.exitCode === undefined ? 0 : internal.exitCode);
      return internal.exitCode;
    }),
  };
  // Every CommonJS entrypoint needs `path`; loading it here moves its compile out of the job
  // (the prelude runs ahead of time) and it keeps no job state.
  loadBuiltin("path");
  return loop;
}
