/**
 * The narrow set of host functions the guest prelude is given (as `__wasmbox_host`, removed from
 * the global object by the prelude before user code runs). Every function takes and returns
 * only primitives, strings and ArrayBuffers: the guest never holds a host object. Host failures
 * come back as `{ e: {...} }` JSON, never as host Error objects (whose stacks name host paths).
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import { Volume } from "memfs";
import type { QuickJSContext, QuickJSHandle } from "quickjs-emscripten-core";
import type { Io, Job } from "../../src/runtime.js";
import { OutputLimitExceeded } from "../../src/runtime.js";
import type { Flavor } from "./guest/sources.js";
import { builtinSource } from "./guest/sources.js";
import { isModuleFile, normalizeModuleName } from "./esm-loader.js";
import { rewriteCatches, type Shift } from "./catch-rewrite.js";

export interface HostApiOptions {
  flavor: Flavor;
  transpile?: (source: string, filename: string) => string;
  onExit(code: number): void;
  onOutputLimit(error: OutputLimitExceeded): void;
}

export interface HostApi {
  /** The current job's volume (empty until `bind`). */
  readonly vol: InstanceType<typeof Volume>;
  /**
   * Points the host functions at a job. The API (and the context it is installed in) is made
   * before the job is known, so the functions read this binding instead of closing over a job.
   */
  bind(job: Job, io: Io): void;
  /** Source of a guest file, transpiled when the flavor strips types. */
  readSource(path: string, original?: boolean): string | undefined;
  /**
   * A program file as QuickJS is given it: for `node`, catch clauses translate QuickJS's error
   * messages into V8's (./catch-rewrite.ts), and a module's `import.meta` becomes a call the
   * prelude answers; the columns this moves are remembered per path.
   */
  prepareSource(path: string, code: string, module?: boolean): string;
  install(ctx: QuickJSContext): QuickJSHandle;
}

const HASHES = new Set(["md5", "sha1", "sha256", "sha384", "sha512", "sha224"]);
const TS_EXT = /\.(ts|tsx|mts|cts)$/;

export function createHostApi(o: HostApiOptions): HostApi {
  const vol = new Volume();
  let started = performance.now();
  let jobIo: Io | undefined;
  const io = (): Io => {
    if (!jobIo) throw new Error("wasmbox: host API used before a job was bound");
    return jobIo;
  };

  const readSource = (path: string, original = false): string | undefined => {
    let text: string;
    try {
      text = vol.readFileSync(path, "utf8") as string;
    } catch {
      return undefined;
    }
    if (o.transpile && !original && TS_EXT.test(path)) text = o.transpile(text, path);
    return text;
  };

  const shifts = new Map<string, Shift[]>();
  const prepareSource = (path: string, code: string, module = false): string => {
    if (!path.startsWith("/")) return code;
    const r = rewriteCatches(code, module ? path : undefined);
    if (r.shifts.length) shifts.set(path, r.shifts);
    return r.code;
  };

  type Fn = (ctx: QuickJSContext, args: QuickJSHandle[]) => QuickJSHandle | undefined | { error: QuickJSHandle };
  const fns: Record<string, Fn> = {
    write(ctx, [fd, data]) {
      const which = ctx.getNumber(fd!) === 2 ? 2 : 1;
      const bytes = ctx.typeof(data!) === "string" ? ctx.getString(data!) : copyBuffer(ctx, data!);
      try {
        io().write(which, bytes);
      } catch (e) {
        if (e instanceof OutputLimitExceeded) o.onOutputLimit(e);
        else throw e;
      }
      return undefined;
    },
    stdin(ctx) {
      return ctx.newArrayBuffer(io().stdin.slice().buffer);
    },
    stdinLive(ctx) {
      return io().readWithin ? ctx.true : ctx.false;
    },
    // Interactive input read to its end (a synchronous read of all of fd 0): blocks until the caller ends it.
    stdinAll(ctx) {
      const chunks: Uint8Array[] = [];
      const buf = new Uint8Array(64 * 1024);
      for (let n; (n = io().read(buf)) > 0; ) chunks.push(buf.slice(0, n));
      const all = new Uint8Array(chunks.reduce((a, c) => a + c.byteLength, 0));
      let at = 0;
      for (const c of chunks) (all.set(c, at), (at += c.byteLength));
      return ctx.newArrayBuffer(all.buffer);
    },
    exit(ctx, [code]) {
      o.onExit(ctx.getNumber(code!) | 0);
      return undefined;
    },
    now() {
      return undefined;
    },
    fs(ctx, [op, args, data]) {
      const a = JSON.parse(ctx.getString(args!)) as unknown[];
      const extra = data && ctx.typeof(data) === "object" ? copyBuffer(ctx, data) : undefined;
      try {
        const r = fsOp(vol, ctx.getString(op!), a, extra);
        if (r instanceof Uint8Array) return ctx.newArrayBuffer(r.slice().buffer);
        return ctx.newString(JSON.stringify({ r }));
      } catch (e) {
        const err = e as { code?: string; errno?: number; syscall?: string; path?: string; message?: string };
        return ctx.newString(
          JSON.stringify({ e: { code: err.code ?? "EIO", errno: err.errno, syscall: err.syscall, message: String(err.message ?? e) } }),
        );
      }
    },
    hash(ctx, [alg, data, key]) {
      const name = ctx.getString(alg!).toLowerCase();
      if (!HASHES.has(name)) return ctx.newString(`Digest method not supported`);
      const bytes = copyBuffer(ctx, data!);
      const h = key && ctx.typeof(key) === "object" ? createHmac(name, copyBuffer(ctx, key)) : createHash(name);
      const out = h.update(bytes).digest();
      return ctx.newArrayBuffer(new Uint8Array(out).buffer);
    },
    random(ctx, [n]) {
      const count = Math.max(0, Math.min(65536, ctx.getNumber(n!) | 0));
      return ctx.newArrayBuffer(new Uint8Array(randomBytes(count)).buffer);
    },
    // `strip`: vm.runInThisContext of TypeScript (bun's REPL cells), not yet stripped as files are when read.
    compile(ctx, [source, filename, strip]) {
      const name = ctx.getString(filename!);
      let text = ctx.getString(source!);
      if (strip && ctx.typeof(strip) === "boolean" && ctx.dump(strip) === true && o.transpile && TS_EXT.test(name)) {
        try {
          text = o.transpile(text, name);
        } catch {
          /* not TypeScript sucrase can read: QuickJS reports the syntax error */
        }
      }
      const r = ctx.evalCode(prepareSource(name, text), name, { type: "global", strict: false });
      // A SyntaxError of the guest's code is thrown in the guest, as its own value.
      if (r.error) return { error: r.error };
      return r.value;
    },
    // `original`: the file as written (a TypeScript file before type stripping), for display.
    readSource(ctx, [path, original]) {
      const p = ctx.getString(path!);
      if (original && ctx.typeof(original) === "boolean" && ctx.dump(original) === true) {
        const raw = readSource(p, true);
        return raw === undefined ? undefined : ctx.newString(raw);
      }
      const text = readSource(p);
      return text === undefined ? undefined : ctx.newString(text);
    },
    resolve(ctx, [dir, request]) {
      const r = normalizeModuleName(api, `${ctx.getString(dir!)}/_`, ctx.getString(request!));
      return ctx.newString(typeof r === "string" && r.startsWith("/") ? r : "");
    },
    isModule(ctx, [path]) {
      const p = ctx.getString(path!);
      const text = readSource(p);
      return text !== undefined && isModuleFile(api, p, text, o.flavor) ? ctx.true : ctx.false;
    },
    evalModule(ctx, [path]) {
      const p = ctx.getString(path!);
      const r = ctx.evalCode(prepareSource(p, readSource(p) ?? "", true), p, { type: "module" });
      if (r.error) return { error: r.error };
      return r.value;
    },
    shifts(ctx, [path]) {
      const s = shifts.get(ctx.getString(path!));
      return s ? ctx.newString(JSON.stringify(s)) : undefined;
    },
    builtin(ctx, [name]) {
      const s = builtinSource(o.flavor, ctx.getString(name!));
      return s === undefined ? undefined : ctx.newString(s);
    },
    promiseState(ctx, [p]) {
      const state = ctx.getPromiseState(p!);
      if (state.type === "pending") return ctx.newString("pending");
      const tag = ctx.newString(state.type === "fulfilled" ? "fulfilled" : "rejected");
      const arr = ctx.newArray();
      ctx.setProp(arr, 0, tag);
      tag.dispose();
      if (state.type === "fulfilled") {
        ctx.setProp(arr, 1, state.value);
        state.value.dispose();
      } else {
        ctx.setProp(arr, 1, state.error);
        state.error.dispose();
      }
      return arr;
    },
  };

  const api: HostApi = {
    get vol() {
      return vol;
    },
    bind(job, jobIoArg) {
      const tree: Record<string, string> = {};
      const binary: [string, Uint8Array][] = [];
      for (const [p, content] of Object.entries(job.files)) {
        if (typeof content === "string") tree[`/${p}`] = content;
        else binary.push([`/${p}`, content]);
      }
      // The volume was made empty with the API, ahead of the job; only the files are new.
      vol.fromJSON(tree, "/");
      for (const [p, bytes] of binary) {
        vol.mkdirSync(p.slice(0, p.lastIndexOf("/")) || "/", { recursive: true });
        vol.writeFileSync(p, bytes);
      }
      jobIo = jobIoArg;
      started = performance.now();
    },
    readSource,
    prepareSource,
    install(ctx) {
      const obj = ctx.newObject();
      for (const [name, fn] of Object.entries(fns)) {
        const f =
          name === "now"
            ? ctx.newFunction(name, () => ctx.newNumber(performance.now() - started))
            : ctx.newFunction(name, (...args) => {
                try {
                  return fn(ctx, args);
                } catch {
                  // Never hand a host Error (its stack names host paths) to the guest.
                  return { error: ctx.newError(`wasmbox: host call ${name} failed`) };
                }
              });
        ctx.setProp(obj, name, f);
        f.dispose();
      }
      return obj;
    },
  };
  return api;
}

function copyBuffer(ctx: QuickJSContext, h: QuickJSHandle): Uint8Array {
  const lifetime = ctx.getArrayBuffer(h);
  try {
    return lifetime.value.slice();
  } finally {
    lifetime.dispose();
  }
}

type Vol = InstanceType<typeof Volume>;

/** File-system operations on the job's memfs volume; paths arrive absolute from the guest. */
function fsOp(vol: Vol, op: string, a: unknown[], data: Uint8Array | undefined): unknown {
  const p = a[0] as string;
  switch (op) {
    case "readFile":
      return new Uint8Array(vol.readFileSync(p) as Buffer);
    case "writeFile":
      vol.writeFileSync(p, data ?? new Uint8Array(), { flag: (a[1] as string) ?? "w" });
      return null;
    case "exists":
      return vol.existsSync(p);
    case "stat":
    case "lstat": {
      const s = op === "stat" ? vol.statSync(p) : vol.lstatSync(p);
      return {
        dev: s.dev, mode: s.mode, nlink: s.nlink, uid: s.uid, gid: s.gid, rdev: s.rdev, blksize: s.blksize,
        ino: s.ino, size: s.size, blocks: s.blocks, atimeMs: s.atimeMs, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs,
        birthtimeMs: s.birthtimeMs, file: s.isFile(), dir: s.isDirectory(), link: s.isSymbolicLink(),
      };
    }
    case "readdir": {
      const entries = vol.readdirSync(p, { withFileTypes: true }) as unknown as { name: string; isDirectory(): boolean }[];
      return entries.map((e) => [String(e.name), e.isDirectory()]).sort((x, y) => (x[0]! < y[0]! ? -1 : x[0]! > y[0]! ? 1 : 0));
    }
    case "mkdir":
      return vol.mkdirSync(p, { recursive: !!a[1] }) ?? null;
    case "rm":
      vol.rmSync(p, { recursive: !!a[1], force: !!a[2] });
      return null;
    case "rmdir":
      vol.rmdirSync(p, { recursive: !!a[1] });
      return null;
    case "unlink":
      vol.unlinkSync(p);
      return null;
    case "rename":
      vol.renameSync(p, a[1] as string);
      return null;
    case "copyFile":
      vol.copyFileSync(p, a[1] as string);
      return null;
    case "access":
      vol.accessSync(p);
      return null;
    case "realpath":
      return vol.realpathSync(p);
    default:
      throw Object.assign(new Error(`unsupported fs operation ${op}`), { code: "ENOSYS" });
  }
}
