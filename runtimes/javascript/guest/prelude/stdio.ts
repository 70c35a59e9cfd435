// @ts-nocheck
/**
 * GUEST code, a part of the prelude (../bootstrap.ts): process.stdout, process.stderr and process.stdin
 * (the whole input at once, or as it arrives for an interactive execution).
 */
export function stdioPart(internal, G, host, config) {
  "use strict";
  const { process, EventEmitter, write, loadBuiltin, timers: timersApi } = internal;
  function makeWritable(fd) {
    const s = new EventEmitter();
    s.fd = fd;
    s.isTTY = false;
    s.writable = true;
    s._isStdio = true;
    s.write = (chunk, encoding, cb) => {
      if (typeof encoding === "function") cb = encoding;
      if (typeof chunk === "string") write(fd, chunk);
      else if (chunk instanceof Uint8Array) write(fd, chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength));
      else {
        const e = new TypeError(`The "chunk" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received ${internal.describe(chunk)}`);
        e.code = "ERR_INVALID_ARG_TYPE";
        throw e;
      }
      if (typeof cb === "function") process.nextTick(cb);
      return true;
    };
    s.end = (chunk, enc, cb) => {
      if (chunk != null && typeof chunk !== "function") s.write(chunk, enc);
      const f = typeof chunk === "function" ? chunk : typeof enc === "function" ? enc : cb;
      if (f) process.nextTick(f);
    };
    s.cork = s.uncork = () => {};
    s.setDefaultEncoding = () => s;
    s.getWindowSize = () => [80, 24];
    s.hasColors = () => false;
    s.getColorDepth = () => 1;
    return s;
  }
  process.stdout = makeWritable(1);
  process.stderr = makeWritable(2);

  // stdin: the whole input is known up front; it is delivered as one chunk, then 'end'.
  // An interactive execution (the caller writes stdin while the program runs) delivers input as
  // it arrives: the host reads it when the loop has nothing else to do (stdinWanted/stdinPush).
  // Synchronous reads of fd 0 (fs.readFileSync(0)) wait for the end of input.
  let stdinBytes;
  let stdinLive;
  const isLive = () => (stdinLive ??= host.stdinLive() === true);
  internal.stdinBytes = () => (stdinBytes ??= new Uint8Array(isLive() ? host.stdinAll() : host.stdin()));
  // The rest of standard input from the fs read position (fs.readSync shares it), consumed.
  internal.takeStdin = () => {
    const all = internal.stdinBytes();
    const from = Math.min(internal.stdinReadPos ?? 0, all.length);
    internal.stdinReadPos = all.length;
    return all.subarray(from);
  };
  const stdin = new EventEmitter();
  stdin.fd = 0;
  stdin.isTTY = false;
  stdin.readable = true;
  let stdinEncoding = null;
  let stdinFlowing = false;
  let stdinDone = false;
  let stdinPos = 0;
  stdin.setEncoding = (enc) => {
    stdinEncoding = enc || "utf8";
    return stdin;
  };
  function stdinChunk() {
    const b = internal.stdinBytes();
    const chunk = b.subarray(stdinPos);
    stdinPos = b.length;
    const Buffer = loadBuiltin("buffer").Buffer;
    return stdinEncoding ? Buffer.from(chunk).toString(stdinEncoding) : Buffer.from(chunk);
  }
  let stdinPaused = false;
  let liveQueue = [];
  let liveWaiters = [];
  function livePush(ab) {
    const Buffer = loadBuiltin("buffer").Buffer;
    if (ab === null) {
      stdinDone = true;
      stdin.readable = false;
      for (const w of liveWaiters.splice(0)) w({ value: undefined, done: true });
      if (stdin.listenerCount("readable") > 0) stdin.emit("readable");
      stdin.emit("end");
      stdin.emit("close");
      return;
    }
    const bytes = Buffer.from(new Uint8Array(ab));
    const chunk = stdinEncoding ? bytes.toString(stdinEncoding) : bytes;
    if (liveWaiters.length) return liveWaiters.shift()({ value: chunk, done: false });
    if (stdin.listenerCount("data") > 0 && !stdinPaused) return stdin.emit("data", chunk);
    liveQueue.push(chunk);
    stdin.emit("readable");
  }
  // The loop keeps waiting for input while someone listens for it (as Node keeps a flowing stdin alive).
  internal.stdinWanted = () =>
    isLive() && !stdinDone && !stdinPaused && (liveWaiters.length > 0 || (stdinFlowing && (stdin.listenerCount("data") > 0 || stdin.listenerCount("readable") > 0)));
  internal.stdinPush = livePush;
  function startStdin() {
    if (isLive()) {
      stdinPaused = false;
      stdinFlowing = true;
      return;
    }
    if (stdinFlowing || stdinDone) return;
    stdinFlowing = true;
    timersApi.setImmediate(() => {
      if (stdinPos < internal.stdinBytes().length) stdin.emit("data", stdinChunk());
      stdinDone = true;
      stdin.readable = false;
      stdin.emit("end");
      stdin.emit("close");
    });
  }
  const stdinOn = stdin.on;
  stdin.on = stdin.addListener = function (ev, fn) {
    stdinOn.call(this, ev, fn);
    if (ev === "data" || ev === "end" || ev === "readable") {
      if (ev === "readable" && isLive()) startStdin();
      else if (ev === "readable") {
        timersApi.setImmediate(() => {
          stdin.emit("readable");
          if (stdinPos >= internal.stdinBytes().length && !stdinDone) {
            stdinDone = true;
            stdin.emit("end");
          }
        });
      } else startStdin();
    }
    return this;
  };
  stdin.once = function (ev, fn) {
    const w = (...a) => {
      stdin.removeListener(ev, w);
      fn.apply(this, a);
    };
    w.listener = fn;
    return stdin.on(ev, w);
  };
  stdin.read = () => {
    if (isLive()) {
      if (!liveQueue.length) return null;
      const all = liveQueue.splice(0);
      if (typeof all[0] === "string") return all.join("");
      return loadBuiltin("buffer").Buffer.concat(all);
    }
    if (stdinPos >= internal.stdinBytes().length) return null;
    return stdinChunk();
  };
  stdin.resume = () => {
    startStdin();
    if (isLive() && liveQueue.length && stdin.listenerCount("data") > 0) for (const c of liveQueue.splice(0)) stdin.emit("data", c);
    return stdin;
  };
  stdin.pause = () => {
    // Only an interactive input can pause; a paused stdin no longer keeps the program alive.
    if (isLive()) stdinPaused = true;
    return stdin;
  };
  stdin.unref = stdin.ref = () => stdin;
  stdin.setRawMode = () => stdin;
  stdin.pipe = (dest) => {
    stdin.on("data", (c) => dest.write(c));
    stdin.on("end", () => {
      if (dest !== process.stdout && dest !== process.stderr && dest.end) dest.end();
    });
    return dest;
  };
  stdin[Symbol.asyncIterator] = async function* () {
    if (isLive()) {
      for (;;) {
        if (liveQueue.length) {
          yield liveQueue.shift();
          continue;
        }
        if (stdinDone) return;
        const r = await new Promise((resolve) => liveWaiters.push(resolve));
        if (r.done) return;
        yield r.value;
      }
    }
    const b = internal.stdinBytes();
    if (stdinPos < b.length) yield stdinChunk();
    stdinDone = true;
  };
  process.stdin = stdin;
  process.openStdin = () => {
    startStdin();
    return stdin;
  };
}
