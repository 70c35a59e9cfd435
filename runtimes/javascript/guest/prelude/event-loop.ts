// @ts-nocheck
/**
 * GUEST code, a part of the prelude (../bootstrap.ts): the event loop's queues (timers, immediates,
 * next ticks) and the timer functions; ./host-loop.ts runs them.
 */
export function eventLoopPart(internal, G, host, config) {
  "use strict";
  const checkCallback = internal.checkCallback;
  let timerSeq = 0;
  const timerQueue = new Map(); // id → timer
  const immediates = [];
  // Emptied in place by ./host-loop.ts: process.nextTick (./process.ts) holds it.
  const tickQueue = [];
  class Timeout {
    constructor(fn, ms, args, repeat) {
      this._id = ++timerSeq;
      this._fn = fn;
      this._args = args;
      ms = Number(ms);
      this._ms = !(ms >= 1 && ms <= 2147483647) ? 1 : ms;
      this._repeat = repeat;
      this._when = host.now() + this._ms;
      this._ref = true;
      timerQueue.set(this._id, this);
    }
    ref() {
      this._ref = true;
      return this;
    }
    unref() {
      this._ref = false;
      return this;
    }
    hasRef() {
      return this._ref;
    }
    refresh() {
      this._when = host.now() + this._ms;
      return this;
    }
    close() {
      timerQueue.delete(this._id);
      return this;
    }
    [Symbol.toPrimitive]() {
      return this._id;
    }
  }
  class Immediate {
    constructor(fn, args) {
      this._fn = fn;
      this._args = args;
      this._ref = true;
      immediates.push(this);
    }
    ref() {
      this._ref = true;
      return this;
    }
    unref() {
      this._ref = false;
      return this;
    }
    hasRef() {
      return this._ref;
    }
  }
  const timersApi = {
    setTimeout(fn, ms, ...args) {
      checkCallback(fn);
      return new Timeout(fn, ms, args, false);
    },
    setInterval(fn, ms, ...args) {
      checkCallback(fn);
      return new Timeout(fn, ms, args, true);
    },
    setImmediate(fn, ...args) {
      checkCallback(fn);
      return new Immediate(fn, args);
    },
    clearTimeout(t) {
      if (t == null) return;
      timerQueue.delete(typeof t === "object" ? t._id : Number(t));
    },
    clearImmediate(t) {
      const i = immediates.indexOf(t);
      if (i >= 0) immediates.splice(i, 1);
    },
  };
  timersApi.clearInterval = timersApi.clearTimeout;
  internal.timers = timersApi;
  internal.timerQueue = timerQueue;
  internal.immediates = immediates;
  internal.tickQueue = tickQueue;

  function runGuarded(fn, thisArg, args) {
    try {
      fn.apply(thisArg, args);
    } catch (e) {
      internal.uncaught(e);
    }
  }
  internal.runGuarded = runGuarded;
}
