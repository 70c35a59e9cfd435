// @ts-nocheck
/** GUEST code: fs (sync, callback, promises) over the host's memfs volume; readline; stream. */
export const ioBuiltins = {
  fs: function (module, exports, require, internal) {
    const { Buffer } = require("buffer");
    const path = require("path");
    const host = internal.host;
    const DESCRIPTIONS = { ENOENT: "no such file or directory", EEXIST: "file already exists", ENOTDIR: "not a directory", EISDIR: "illegal operation on a directory", ENOTEMPTY: "directory not empty", EBADF: "bad file descriptor", EACCES: "permission denied", EPERM: "operation not permitted", EINVAL: "invalid argument" };
    const ERRNO = { ENOENT: -2, EEXIST: -17, ENOTDIR: -20, EISDIR: -21, ENOTEMPTY: -39, EBADF: -9, EACCES: -13, EPERM: -1, EINVAL: -22 };
    function pathArg(p, name = "path") {
      if (p instanceof URL) p = decodeURIComponent(p.pathname);
      if (Buffer.isBuffer(p)) p = p.toString();
      if (typeof p !== "string") {
        const e = new TypeError(`The "${name}" argument must be of type string or an instance of Buffer or URL. Received ${internal.describe(p)}`);
        e.code = "ERR_INVALID_ARG_TYPE";
        throw e;
      }
      return p;
    }
    function call(op, shown, args, data) {
      const r = host.fs(op, JSON.stringify(args), data);
      if (typeof r !== "string") return r;
      const o = JSON.parse(r);
      if (!o.e) return o.r;
      const code = o.e.code;
      const syscall = o.e.syscall || op;
      const desc = DESCRIPTIONS[code] || String(o.e.message).replace(/^\w+: /, "").replace(/, .*$/, "");
      const dest = args[1] && typeof args[1] === "string" && (op === "rename" || op === "copyFile") ? ` -> '${shown[1]}'` : "";
      const e = new Error(`${code}: ${desc}, ${syscall} '${shown[0]}'${dest}`);
      e.errno = o.e.errno ?? ERRNO[code];
      e.code = code;
      e.syscall = syscall;
      e.path = shown[0];
      if (dest) e.dest = shown[1];
      throw e;
    }
    const abs = (p) => path.resolve(internal.process.cwd(), p);
    const isStdin = (p) => p === 0 || p === "/dev/stdin";
    function encodingOf(options) {
      if (typeof options === "string") return options;
      if (options && typeof options === "object") return options.encoding || null;
      return null;
    }
    function toBytes(data, enc) {
      if (typeof data === "string") return Buffer.from(data, enc || "utf8");
      if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      const e = new TypeError(`The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received ${internal.describe(data)}`);
      e.code = "ERR_INVALID_ARG_TYPE";
      throw e;
    }
    function copyOut(b) {
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
    }
    class Stats {
      constructor(s) {
        Object.assign(this, {
          dev: s.dev, mode: s.mode, nlink: s.nlink, uid: s.uid, gid: s.gid, rdev: s.rdev, blksize: s.blksize, ino: s.ino, size: s.size, blocks: s.blocks,
          atimeMs: s.atimeMs, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, birthtimeMs: s.birthtimeMs,
          atime: new Date(s.atimeMs), mtime: new Date(s.mtimeMs), ctime: new Date(s.ctimeMs), birthtime: new Date(s.birthtimeMs),
        });
        Object.defineProperty(this, "_k", { value: s, enumerable: false });
      }
      isFile() {
        return this._k.file;
      }
      isDirectory() {
        return this._k.dir;
      }
      isSymbolicLink() {
        return this._k.link;
      }
      isFIFO() {
        return false;
      }
      isSocket() {
        return false;
      }
      isBlockDevice() {
        return false;
      }
      isCharacterDevice() {
        return false;
      }
    }
    class Dirent {
      constructor(name, dir, parentPath) {
        this.name = name;
        this.parentPath = parentPath;
        this.path = parentPath;
        Object.defineProperty(this, "_d", { value: dir, enumerable: false });
      }
      isFile() {
        return !this._d;
      }
      isDirectory() {
        return this._d;
      }
      isSymbolicLink() {
        return false;
      }
    }
    // Open file descriptors: writes are buffered and flushed to the volume on close.
    const fds = new Map();
    let nextFd = 3;
    const fs = {
      readFileSync(p, options) {
        const enc = encodingOf(options);
        let bytes;
        // Standard input is a pipe: what one read consumed, the next does not see again.
        if (isStdin(p)) bytes = Buffer.from(internal.takeStdin());
        else if (typeof p === "number") {
          const f = fds.get(p);
          if (!f) call("readFile", ["<fd>"], ["/\0badfd"]);
          bytes = Buffer.from(call("readFile", [f.path], [f.path]));
        } else {
          p = pathArg(p);
          bytes = Buffer.from(call("readFile", [p], [abs(p)]));
        }
        return enc ? bytes.toString(enc) : bytes;
      },
      writeFileSync(p, data, options) {
        const flag = (options && options.flag) || "w";
        if (p === 1 || p === 2 || p === "/dev/stdout" || p === "/dev/stderr") {
          internal.write(p === 1 || p === "/dev/stdout" ? 1 : 2, copyOut(toBytes(data, encodingOf(options))));
          return;
        }
        if (typeof p === "number") return fs.writeSync(p, data);
        p = pathArg(p);
        call("writeFile", [p], [abs(p), flag], copyOut(toBytes(data, encodingOf(options))));
      },
      appendFileSync(p, data, options) {
        fs.writeFileSync(p, data, Object.assign({}, typeof options === "string" ? { encoding: options } : options, { flag: "a" }));
      },
      existsSync(p) {
        try {
          return call("exists", [p], [abs(pathArg(p))]);
        } catch {
          return false;
        }
      },
      statSync(p, options) {
        p = pathArg(p);
        try {
          return new Stats(call("stat", [p], [abs(p)]));
        } catch (e) {
          if (options && options.throwIfNoEntry === false && e.code === "ENOENT") return undefined;
          throw e;
        }
      },
      lstatSync(p) {
        p = pathArg(p);
        return new Stats(call("lstat", [p], [abs(p)]));
      },
      readdirSync(p, options) {
        p = pathArg(p);
        const list = call("readdir", [p], [abs(p)]);
        if (options && options.recursive) {
          const out = [];
          const walk = (rel, entries) => {
            for (const [name, dir] of entries) {
              const r = rel ? `${rel}/${name}` : name;
              out.push(options.withFileTypes ? new Dirent(name, dir, path.join(p, rel)) : r);
              if (dir) walk(r, call("readdir", [p], [abs(path.join(p, r))]));
            }
          };
          walk("", list);
          return out;
        }
        if (options && options.withFileTypes) return list.map(([name, dir]) => new Dirent(name, dir, p));
        return list.map(([name]) => name);
      },
      mkdirSync(p, options) {
        p = pathArg(p);
        const recursive = !!(options && (options === true || options.recursive));
        const r = call("mkdir", [p], [abs(p), recursive]);
        return recursive ? (r ? path.resolve(internal.process.cwd(), r) : undefined) : undefined;
      },
      rmSync(p, options) {
        p = pathArg(p);
        call("rm", [p], [abs(p), !!(options && options.recursive), !!(options && options.force)]);
      },
      rmdirSync(p, options) {
        p = pathArg(p);
        call("rmdir", [p], [abs(p), !!(options && options.recursive)]);
      },
      unlinkSync(p) {
        p = pathArg(p);
        call("unlink", [p], [abs(p)]);
      },
      renameSync(a, b) {
        a = pathArg(a, "oldPath");
        b = pathArg(b, "newPath");
        call("rename", [a, b], [abs(a), abs(b)]);
      },
      copyFileSync(a, b) {
        a = pathArg(a, "src");
        b = pathArg(b, "dest");
        call("copyFile", [a, b], [abs(a), abs(b)]);
      },
      accessSync(p) {
        p = pathArg(p);
        call("access", [p], [abs(p)]);
      },
      realpathSync(p) {
        p = pathArg(p);
        return call("realpath", [p], [abs(p)]);
      },
      mkdtempSync(prefix) {
        const p = `${prefix}${Math.random().toString(36).slice(2, 8)}`;
        fs.mkdirSync(p, { recursive: true });
        return p;
      },
      openSync(p, flags = "r") {
        p = pathArg(p);
        const full = abs(p);
        let content = Buffer.alloc(0);
        if (flags[0] === "r" || flags[0] === "a") {
          try {
            content = Buffer.from(call("readFile", [p], [full]));
          } catch (e) {
            if (flags[0] === "r") throw e;
          }
        }
        if (flags[0] === "w" || flags[0] === "a") call("writeFile", [p], [full, flags[0] === "a" ? "a" : "w"], new ArrayBuffer(0));
        if (flags[0] === "w") content = Buffer.alloc(0);
        const fd = nextFd++;
        fds.set(fd, { path: full, content, pos: flags[0] === "a" ? content.length : 0, dirty: false });
        return fd;
      },
      closeSync(fd) {
        const f = fds.get(fd);
        if (!f) return;
        if (f.dirty) call("writeFile", [f.path], [f.path, "w"], copyOut(f.content));
        fds.delete(fd);
      },
      writeSync(fd, data, a, b) {
        if (fd === 1 || fd === 2) {
          const bytes = toBytes(data, typeof a === "string" ? a : typeof b === "string" ? b : undefined);
          internal.write(fd, copyOut(bytes));
          return bytes.length;
        }
        const f = fds.get(fd);
        if (!f) call("readFile", ["<fd>"], ["/\0badfd"]);
        const bytes = toBytes(data, typeof b === "string" ? b : undefined);
        const end = f.pos + bytes.length;
        if (end > f.content.length) {
          const grown = Buffer.alloc(end);
          grown.set(f.content);
          f.content = grown;
        }
        f.content.set(bytes, f.pos);
        f.pos = end;
        f.dirty = true;
        return bytes.length;
      },
      readSync(fd, buffer, offset = 0, length = buffer.length - offset, position = null) {
        if (typeof offset === "object" && offset) ({ offset = 0, length = buffer.length - offset, position = null } = offset);
        let src;
        let pos;
        if (fd === 0) {
          src = internal.stdinBytes();
          internal.stdinReadPos ??= 0;
          pos = position ?? internal.stdinReadPos;
        } else {
          const f = fds.get(fd);
          if (!f) call("readFile", ["<fd>"], ["/\0badfd"]);
          src = f.content;
          pos = position ?? f.pos;
        }
        const n = Math.max(0, Math.min(length, src.length - pos));
        buffer.set(src.subarray(pos, pos + n), offset);
        if (position == null) {
          if (fd === 0) internal.stdinReadPos = pos + n;
          else fds.get(fd).pos = pos + n;
        }
        return n;
      },
      fstatSync(fd) {
        const f = fds.get(fd);
        if (!f) return new Stats({ size: 0, file: false, dir: false, link: false, mode: 8592 });
        return fs.statSync(f.path);
      },
      watch() {
        throw Object.assign(new Error("fs.watch is not available in this sandbox"), { code: "ERR_FEATURE_UNAVAILABLE_ON_PLATFORM" });
      },
      createWriteStream(p, options) {
        const { Writable } = require("stream");
        const flags = (options && options.flags) || "w";
        const fd = fs.openSync(p, flags);
        const w = new Writable({
          write(chunk, enc, cb) {
            fs.writeSync(fd, chunk);
            cb();
          },
          final(cb) {
            fs.closeSync(fd);
            cb();
          },
        });
        w.path = p;
        return w;
      },
      createReadStream(p, options) {
        const { Readable } = require("stream");
        const enc = encodingOf(options);
        const r = new Readable({ read() {} });
        r.path = p;
        internal.timers.setImmediate(() => {
          let data;
          try {
            data = fs.readFileSync(isStdin(p) || (options && options.fd === 0) ? 0 : p);
          } catch (e) {
            r.destroy(e);
            return;
          }
          if (data.length) r.push(enc ? data.toString(enc) : data);
          r.push(null);
        });
        return r;
      },
    };
    fs.constants = { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1, O_RDONLY: 0, O_WRONLY: 1, O_RDWR: 2, O_CREAT: 64, O_EXCL: 128, O_TRUNC: 512, O_APPEND: 1024, COPYFILE_EXCL: 1 };
    Object.assign(fs, fs.constants);
    fs.Stats = Stats;
    fs.Dirent = Dirent;
    // Callback and promise forms run the sync operation, then report on a later tick, as I/O would.
    const names = ["readFile", "writeFile", "appendFile", "stat", "lstat", "readdir", "mkdir", "rm", "rmdir", "unlink", "rename", "copyFile", "access", "realpath", "mkdtemp", "open", "close", "fstat"];
    const promises = {};
    for (const n of names) {
      const sync = fs[`${n}Sync`];
      fs[n] = function (...args) {
        const cb = args.pop();
        if (typeof cb !== "function") {
          const e = new TypeError(`The "cb" argument must be of type function. Received ${internal.describe(cb)}`);
          e.code = "ERR_INVALID_ARG_TYPE";
          throw e;
        }
        let result, error = null;
        try {
          result = sync(...args);
        } catch (e) {
          error = e;
        }
        internal.timers.setImmediate(() => (error ? cb(error) : cb(null, result)));
      };
      promises[n] = (...args) =>
        new Promise((resolve, reject) => {
          let result, error;
          try {
            result = sync(...args);
          } catch (e) {
            error = e;
          }
          internal.timers.setImmediate(() => (error ? reject(error) : resolve(result)));
        });
    }
    fs.exists = (p, cb) => internal.timers.setImmediate(() => cb(fs.existsSync(p)));
    fs.write = (fd, data, ...rest) => {
      const cb = rest.pop();
      let n, err = null;
      try {
        n = fs.writeSync(fd, data, ...rest);
      } catch (e) {
        err = e;
      }
      internal.timers.setImmediate(() => cb(err, n, data));
    };
    fs.read = (fd, buffer, offset, length, position, cb) => {
      let n, err = null;
      try {
        n = fs.readSync(fd, buffer, offset, length, position);
      } catch (e) {
        err = e;
      }
      internal.timers.setImmediate(() => cb(err, n, buffer));
    };
    promises.constants = fs.constants;
    fs.promises = promises;
    internal.fsPromises = promises;
    module.exports = fs;
  },

  "fs/promises": function (module, exports, require, internal) {
    require("fs");
    module.exports = internal.fsPromises;
  },

  readline: function (module, exports, require, internal) {
    const EventEmitter = require("events");
    const { Buffer } = require("buffer");
    class Interface extends EventEmitter {
      constructor(input, output, completer, terminal) {
        super();
        const opts = input && input.input !== undefined ? input : { input, output, terminal };
        this.input = opts.input;
        this.output = opts.output;
        this.terminal = false;
        this.line = "";
        this.closed = false;
        this._prompt = opts.prompt ?? "> ";
        this._lines = [];
        this._questions = [];
        this._paused = false;
        this._partial = "";
        this._ended = false;
        this._crlfDelay = opts.crlfDelay;
        const onData = (chunk) => this._onData(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
        const onEnd = () => this._onEnd();
        if (this.input && typeof this.input.on === "function") {
          this.input.on("data", onData);
          this.input.on("end", onEnd);
        }
      }
      _onData(text) {
        const parts = (this._partial + text).split(/\r?\n/);
        this._partial = parts.pop();
        for (const l of parts) this._emitLine(l);
      }
      _onEnd() {
        if (this._partial.length) this._emitLine(this._partial);
        this._partial = "";
        this._ended = true;
        this.close();
      }
      _emitLine(line) {
        if (this.closed) return;
        if (this._questions.length) {
          const cb = this._questions.shift();
          cb(line);
          return;
        }
        this.emit("line", line);
      }
      setPrompt(p) {
        this._prompt = p;
      }
      getPrompt() {
        return this._prompt;
      }
      prompt() {
        if (this.output && this.output.write) this.output.write(this._prompt);
      }
      question(query, opts, cb) {
        if (typeof opts === "function") cb = opts;
        if (this._paused && !this.closed) this.resume();
        if (this.closed) {
          const e = new Error("readline was closed");
          e.code = "ERR_USE_AFTER_CLOSE";
          throw e;
        }
        if (this.output && this.output.write) this.output.write(query);
        this._questions.push(cb);
      }
      write(data) {
        if (typeof data === "string") this._onData(data);
      }
      pause() {
        this._paused = true;
        // As Node's: an interface paused (or closed) no longer keeps an interactive input flowing.
        if (this.input && typeof this.input.pause === "function") this.input.pause();
        this.emit("pause");
        return this;
      }
      resume() {
        this._paused = false;
        if (this.input && typeof this.input.resume === "function" && !this._ended) this.input.resume();
        this.emit("resume");
        return this;
      }
      close() {
        if (this.closed) return;
        this.closed = true;
        if (this.input && typeof this.input.pause === "function") this.input.pause();
        this.emit("close");
      }
      [Symbol.asyncIterator]() {
        const queue = [];
        const waiting = [];
        let done = this.closed;
        this.on("line", (l) => {
          if (waiting.length) waiting.shift()({ value: l, done: false });
          else queue.push(l);
        });
        this.on("close", () => {
          done = true;
          for (const w of waiting.splice(0)) w({ value: undefined, done: true });
        });
        const self = this;
        return {
          next() {
            if (queue.length) return Promise.resolve({ value: queue.shift(), done: false });
            if (done) return Promise.resolve({ value: undefined, done: true });
            return new Promise((r) => waiting.push(r));
          },
          return() {
            self.close();
            return Promise.resolve({ value: undefined, done: true });
          },
          [Symbol.asyncIterator]() {
            return this;
          },
        };
      }
      getCursorPos() {
        return { rows: 0, cols: 0 };
      }
    }
    exports.Interface = Interface;
    exports.createInterface = (input, output, completer, terminal) => new Interface(input, output, completer, terminal);
    exports.clearLine = (s, d, cb) => (cb && cb(), true);
    exports.clearScreenDown = (s, cb) => (cb && cb(), true);
    exports.cursorTo = (s, x, y, cb) => (typeof y === "function" ? y() : cb && cb(), true);
    exports.moveCursor = (s, dx, dy, cb) => (cb && cb(), true);
    exports.emitKeypressEvents = () => {};
    const promises = {
      Interface,
      createInterface(...a) {
        const rl = new Interface(...a);
        const q = rl.question.bind(rl);
        rl.question = (query) => new Promise((resolve) => q(query, resolve));
        return rl;
      },
    };
    exports.promises = promises;
  },

  "readline/promises": function (module, exports, require, internal) {
    module.exports = require("readline").promises;
  },

  stream: function (module, exports, require, internal) {
    const EventEmitter = require("events");
    const { Buffer } = require("buffer");
    class Stream extends EventEmitter {
      pipe(dest) {
        this.on("data", (c) => dest.write(c));
        this.on("end", () => {
          if (dest !== internal.process.stdout && dest !== internal.process.stderr && dest.end) dest.end();
        });
        if (this.resume) this.resume();
        return dest;
      }
    }
    class Readable extends Stream {
      constructor(opts = {}) {
        super();
        this._buf = [];
        this._ended = false;
        this._flowing = false;
        this._enc = opts.encoding || null;
        this.readable = true;
        this.destroyed = false;
        this._objectMode = !!opts.objectMode;
        if (opts.read) this._read = opts.read.bind(this);
      }
      _read() {}
      push(chunk) {
        if (chunk === null) {
          this._ended = true;
          this._schedule();
          return false;
        }
        if (typeof chunk === "string" && !this._objectMode && !this._enc) chunk = Buffer.from(chunk);
        this._buf.push(chunk);
        this._schedule();
        return true;
      }
      _schedule() {
        if (this._scheduled || !this._flowing) return;
        this._scheduled = true;
        internal.process.nextTick(() => {
          this._scheduled = false;
          while (this._flowing && this._buf.length) {
            let c = this._buf.shift();
            if (this._enc && typeof c !== "string") c = Buffer.from(c).toString(this._enc);
            this.emit("data", c);
          }
          if (this._ended && !this._buf.length && !this._endEmitted) {
            this._endEmitted = true;
            this.readable = false;
            this.emit("end");
            this.emit("close");
          }
        });
      }
      on(ev, fn) {
        super.on(ev, fn);
        if (ev === "data") this.resume();
        return this;
      }
      resume() {
        if (!this._flowing) {
          this._flowing = true;
          this._read();
          this._schedule();
        }
        return this;
      }
      pause() {
        this._flowing = false;
        return this;
      }
      setEncoding(e) {
        this._enc = e;
        return this;
      }
      read() {
        return this._buf.length ? this._buf.shift() : null;
      }
      destroy(err) {
        this.destroyed = true;
        if (err) internal.process.nextTick(() => this.emit("error", err));
        internal.process.nextTick(() => this.emit("close"));
        return this;
      }
      async *[Symbol.asyncIterator]() {
        const chunks = [];
        let done = false;
        let wake;
        let error;
        this.on("data", (c) => {
          chunks.push(c);
          if (wake) wake();
        });
        this.on("end", () => {
          done = true;
          if (wake) wake();
        });
        this.on("error", (e) => {
          error = e;
          if (wake) wake();
        });
        for (;;) {
          if (error) throw error;
          if (chunks.length) yield chunks.shift();
          else if (done) return;
          else await new Promise((r) => (wake = r));
        }
      }
      static from(iterable, opts) {
        const r = new Readable(Object.assign({ objectMode: true }, opts));
        (async () => {
          for await (const c of iterable) r.push(c);
          r.push(null);
        })().catch((e) => r.destroy(e));
        return r;
      }
    }
    class Writable extends Stream {
      constructor(opts = {}) {
        super();
        this.writable = true;
        this._writeFn = opts.write;
        this._finalFn = opts.final;
        this._decode = opts.decodeStrings !== false;
      }
      write(chunk, enc, cb) {
        if (typeof enc === "function") (cb = enc), (enc = undefined);
        if (typeof chunk === "string" && this._decode) chunk = Buffer.from(chunk, enc);
        const done = (err) => {
          if (err) this.emit("error", err);
          if (cb) cb(err);
        };
        if (this._writeFn) this._writeFn.call(this, chunk, enc || "buffer", done);
        else if (this._write) this._write(chunk, enc || "buffer", done);
        else done();
        return true;
      }
      end(chunk, enc, cb) {
        if (typeof chunk === "function") (cb = chunk), (chunk = undefined);
        if (typeof enc === "function") (cb = enc), (enc = undefined);
        if (chunk != null) this.write(chunk, enc);
        const fin = () => {
          this.writable = false;
          internal.process.nextTick(() => {
            this.emit("finish");
            this.emit("close");
            if (cb) cb();
          });
        };
        if (this._finalFn) this._finalFn.call(this, fin);
        else fin();
        return this;
      }
      destroy() {
        return this;
      }
      cork() {}
      uncork() {}
    }
    class Duplex extends Readable {
      constructor(opts = {}) {
        super(opts);
        Writable.call;
        this.writable = true;
        this._writeFn = opts.write;
        this._finalFn = opts.final;
      }
    }
    Duplex.prototype.write = Writable.prototype.write;
    Duplex.prototype.end = function (chunk, enc, cb) {
      Writable.prototype.end.call(this, chunk, enc, cb);
      if (!this._transformFn) this.push(null);
      return this;
    };
    class Transform extends Duplex {
      constructor(opts = {}) {
        super(opts);
        this._transformFn = opts.transform;
        this._flushFn = opts.flush;
        this._decode = true;
        this._writeFn = (chunk, enc, cb) => {
          const fn = this._transformFn || this._transform;
          fn.call(this, chunk, enc, (err, data) => {
            if (data != null) this.push(data);
            cb(err);
          });
        };
        this._finalFn = (cb) => {
          const f = this._flushFn || this._flush;
          const end = () => {
            this.push(null);
            cb();
          };
          if (f) f.call(this, (err, data) => {
            if (data != null) this.push(data);
            end();
          });
          else end();
        };
      }
    }
    class PassThrough extends Transform {
      constructor(opts) {
        super(Object.assign({}, opts, { transform: (c, e, cb) => cb(null, c) }));
      }
    }
    function finished(stream, cb) {
      stream.on("end", () => cb());
      stream.on("finish", () => cb());
      stream.on("error", (e) => cb(e));
    }
    function pipeline(...streams) {
      const cb = typeof streams[streams.length - 1] === "function" ? streams.pop() : null;
      for (let i = 0; i < streams.length - 1; i++) streams[i].pipe(streams[i + 1]);
      if (cb) finished(streams[streams.length - 1], cb);
      return streams[streams.length - 1];
    }
    Stream.Readable = Readable;
    Stream.Writable = Writable;
    Stream.Duplex = Duplex;
    Stream.Transform = Transform;
    Stream.PassThrough = PassThrough;
    Stream.Stream = Stream;
    Stream.finished = finished;
    Stream.pipeline = pipeline;
    Stream.promises = {
      pipeline: (...s) => new Promise((res, rej) => pipeline(...s, (e) => (e ? rej(e) : res()))),
      finished: (s) => new Promise((res, rej) => finished(s, (e) => (e ? rej(e) : res()))),
    };
    module.exports = Stream;
  },

  "stream/promises": function (module, exports, require, internal) {
    module.exports = require("stream").promises;
  },
};
