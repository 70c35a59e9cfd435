/**
 * Rust through execute(): compile errors, compile-time containment (both layers), the build
 * cache and the timeout that covers compilation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createExecutor, EXIT_TIMEOUT } from "wasmbox";
import { rust } from "../../../dist/runtimes/rust/index.js";
import { runCompiler, sandboxTools } from "../../../dist/runtimes/compiled/jail.js";
import { findRustc } from "../../../dist/runtimes/compiled/toolchain.js";
import { ORDINARY_MACRO_PROGRAMS } from "./ordinary-macros.js";

const executor = createExecutor({ concurrency: 2 });
let unavailable: string | undefined;
try {
  await executor.runtime("rust");
} catch (e) {
  unavailable = (e as Error).message;
}
const toolchain = unavailable ? undefined : await findRustc(process.env.WASMBOX_RUSTC);
const tools = await sandboxTools();

const dir = mkdtempSync(join(tmpdir(), "wasmbox-rust-canary-"));
const canaryFile = join(dir, "secret.txt");
const CANARY = `CANARY-${process.pid}-CONTENT`;
beforeAll(() => writeFileSync(canaryFile, CANARY));
afterAll(async () => {
  await executor.close();
  rmSync(dir, { recursive: true, force: true });
});

const rs = (code: string, extra: object = {}) => executor.execute({ runtime: "rust", code, ...extra });
const unique = () => `// ${Date.now()}-${Math.random()}\n`;
const hostname = (() => {
  try {
    return readFileSync("/etc/hostname", "utf8").trim();
  } catch {
    return undefined;
  }
})();

describe.skipIf(!!unavailable)(`rust${unavailable ? ` (skipped: ${unavailable})` : ""}`, () => {
  it("reports a compile error with exit 1 and diagnostics relative to the user's files", async () => {
    const r = await rs('fn main() {\n    let x: i32 = "text";\n}\n');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("error[E0308]");
    expect(r.stderr).toContain("main.rs:2:");
    expect(r.stderr).not.toMatch(/\/tmp\/|wasmbox-build|<build>/);
  });

  it("keeps warnings of a successful build off the program's stderr", async () => {
    const r = await rs('fn main() {\n    let unused = 1;\n    println!("ok");\n}\n');
    expect(r).toMatchObject({ stdout: "ok\n", stderr: "", exitCode: 0 });
  });

  it("compiles modern Rust (let-else, LazyLock, is_some_and) when the toolchain is modern", async (ctx) => {
    if (toolchain && toolchain.semver[0] === 1 && toolchain.semver[1] < 80) ctx.skip();
    const r = await rs(
      "use std::sync::LazyLock;\nstatic N: LazyLock<u32> = LazyLock::new(|| 41);\n" +
        'fn main() {\n    let Some(n) = Some(*N + 1) else { return };\n    println!("{n} {}", Some(3).is_some_and(|x| x > 2));\n}\n',
    );
    expect(r).toMatchObject({ stdout: "42 true\n", exitCode: 0 });
  });

  it("maps panics to 101 and other aborts to 134", async () => {
    const p = await rs('fn main() {\n    let v: Vec<u8> = vec![];\n    println!("{}", v[3]);\n}\n');
    expect(p.exitCode).toBe(101);
    // Rust >= 1.73: "panicked at main.rs:3:20:\nindex out of bounds"; older: "panicked at 'index out of bounds…', main.rs:3:20"
    expect(p.stderr).toMatch(/panicked at (main\.rs:3:\d+:\nindex out of bounds|'index out of bounds.*', main\.rs:3:\d+)/);
    const a = await rs("fn main() {\n    std::process::abort();\n}\n");
    expect(a.exitCode).toBe(134);
  });

  it("sees no host file or environment at run time", async () => {
    const r = await rs(
      `fn main() {\n    println!("{:?}", std::fs::read_to_string(${JSON.stringify(canaryFile)}).is_err());\n` +
        '    println!("{:?}", std::fs::read_to_string("/etc/hostname").is_err());\n    println!("{}", std::env::vars().count());\n}\n',
    );
    expect(r).toMatchObject({ stdout: "true\ntrue\n0\n", exitCode: 0 });
  });

  // wasm32-wasip1 has one thread: std links against libc's pthread stubs (setup-toolchains.sh adds
  // them where the system's wasi-libc predates them) and fails to spawn, as upstream does.
  describe("threads and the file tree (single-threaded wasm32-wasip1)", () => {
    const modern = (ctx: { skip: () => void }) => {
      if (toolchain && toolchain.semver[0] === 1 && toolchain.semver[1] < 80) ctx.skip();
    };

    it("std::thread::spawn links and panics with Rust's message (exit 101)", async (ctx) => {
      modern(ctx);
      const r = await rs(
        'fn main() {\n    println!("before");\n    let h = std::thread::spawn(|| 6 * 7);\n    println!("{}", h.join().unwrap());\n}\n',
      );
      expect(r.exitCode, r.stderr).toBe(101);
      expect(r.stdout).toBe("before\n");
      expect(r.stderr).toMatch(/panicked at [^\n]*\n?failed to spawn thread/);
      expect(r.stderr).not.toContain("wasm trap");
      // std's own source is named as rustup's std names it, never by the toolchain's install path
      expect(r.stderr).not.toMatch(/\/opt\/|\/usr\/|rust-web|\/tmp\//);
    });

    it("thread::Builder::spawn returns the error, and thread::scope panics", async (ctx) => {
      modern(ctx);
      const b = await rs(
        'fn main() {\n    match std::thread::Builder::new().name("w".into()).spawn(|| ()) {\n' +
          '        Ok(_) => println!("spawned"),\n        Err(e) => println!("error {:?}", e.kind()),\n    }\n}\n',
      );
      expect(b).toMatchObject({ stdout: "error Unsupported\n", stderr: "", exitCode: 0 });
      const s = await rs(
        "fn main() {\n    let mut v = vec![1, 2, 3];\n    std::thread::scope(|s| {\n        s.spawn(|| v.push(4));\n    });\n    println!(\"{:?}\", v);\n}\n",
      );
      expect(s.exitCode, s.stderr).toBe(101);
      expect(s.stdout).toBe("");
      expect(s.stderr).toContain("failed to spawn thread");
    });

    it("runs single-threaded sync, time and hashing as natively", async (ctx) => {
      modern(ctx);
      const r = await rs(`use std::cell::Cell;
use std::collections::HashMap;
use std::sync::{mpsc, Arc, Condvar, Mutex, OnceLock, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
thread_local! { static COUNT: Cell<u32> = Cell::new(0); }
static ONCE: OnceLock<String> = OnceLock::new();
fn main() {
    let m = Arc::new(Mutex::new(1));
    *m.lock().unwrap() += 1;
    let cv = Condvar::new();
    let (g, t) = cv.wait_timeout(m.lock().unwrap(), Duration::from_millis(5)).unwrap();
    println!("mutex {} timed_out {}", *g, t.timed_out());
    drop(g);
    let rw = RwLock::new(5);
    *rw.write().unwrap() += 1;
    println!("rwlock {}", *rw.read().unwrap());
    let (tx, rx) = mpsc::channel();
    for i in 0..3 { tx.send(i).unwrap(); }
    drop(tx);
    println!("mpsc {:?}", rx.iter().collect::<Vec<_>>());
    COUNT.with(|c| c.set(c.get() + 7));
    println!("tls {}", COUNT.with(|c| c.get()));
    println!("once {}", ONCE.get_or_init(|| "init".into()));
    let mut h: HashMap<&str, i32> = HashMap::new();
    h.insert("a", 1);
    println!("hash {:?}", h.get("a"));
    let t0 = Instant::now();
    std::thread::sleep(Duration::from_millis(2));
    println!("sleep {}", t0.elapsed() >= Duration::from_millis(2));
    println!("epoch {}", SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() > 1_600_000_000);
}
`);
      expect(r).toMatchObject({
        stdout: "mutex 2 timed_out true\nrwlock 6\nmpsc [0, 1, 2]\ntls 7\nonce init\nhash Some(1)\nsleep true\nepoch true\n",
        stderr: "",
        exitCode: 0,
      });
    });

    it("canonicalizes paths of the request's file tree; set_permissions is unsupported", async (ctx) => {
      modern(ctx);
      const main = `use std::fs;
fn main() {
    println!("{:?}", fs::canonicalize("data/../data/./in.txt").unwrap());
    println!("{:?}", fs::canonicalize("data").unwrap());
    println!("{:?}", fs::canonicalize(".").unwrap());
    println!("{}", fs::read_to_string(fs::canonicalize("data/in.txt").unwrap()).unwrap());
    println!("{:?}", fs::canonicalize("data/missing.txt").unwrap_err().kind());
    println!("{:?}", fs::canonicalize("main.rs/x").unwrap_err().kind());
    let p = fs::metadata("main.rs").unwrap().permissions();
    println!("{:?}", fs::set_permissions("main.rs", p).is_err());
}
`;
      const r = await executor.execute({ runtime: "rust", files: { "main.rs": main, "data/in.txt": "hello" }, entrypoint: "main.rs" });
      expect(r).toMatchObject({
        stdout: '"/data/in.txt"\n"/data"\n"/"\nhello\nNotFound\nNotADirectory\ntrue\n',
        stderr: "",
        exitCode: 0,
      });
    });
  });

  // WASI's errno numbers are not Linux's (ENOENT is 44, EEXIST 20): the std setup-toolchains.sh
  // builds is patched (runtimes/rust/std-linux-errno.patch) to report Linux's, as native Rust does.
  describe("io errors as on Linux", () => {
    const program = `use std::fs;
use std::io;

fn show(label: &str, r: io::Result<impl std::fmt::Debug>) {
    match r {
        Ok(v) => println!("{label}: ok {v:?}"),
        Err(e) => println!("{label}: {e} | {e:?} | {:?} | {:?}", e.raw_os_error(), e.kind()),
    }
}

fn main() {
    fs::create_dir("d").unwrap();
    show("create_dir twice", fs::create_dir("d"));
    show("read a directory", fs::read_to_string("d"));
    show("open a missing file", fs::File::open("missing.txt"));
    show("read_dir of a missing dir", fs::read_dir("nope").map(|_| ()));
    fs::write("d/f", "x").unwrap();
    show("remove_dir of a non-empty dir", fs::remove_dir("d"));
    show("a file used as a directory", fs::read_to_string("main.rs/x"));
    show("remove_dir of a file", fs::remove_dir("main.rs"));
    show("remove_file of a dir", fs::remove_file("d"));
    show("metadata of a missing file", fs::metadata("missing.txt"));
    show("create_dir in a missing dir", fs::create_dir("nope/sub"));
    show("rename a missing file", fs::rename("missing.txt", "x"));
    show("remove_dir_all of a missing dir", fs::remove_dir_all("nope"));
    show("remove_dir_all of a tree", fs::remove_dir_all("d"));
    show("exists after remove_dir_all", fs::exists("d"));
    for code in [0, 1, 2, 4, 9, 11, 13, 17, 20, 21, 22, 28, 36, 38, 39, 40, 41, 52, 95, 133, 134, -3] {
        show(&format!("from_raw_os_error({code})"), Err::<(), _>(io::Error::from_raw_os_error(code)));
    }
    fs::File::open("missing.txt").unwrap();
}
`;
    const line = (label: string, code: number, kind: string, message: string) =>
      `${label}: ${message} (os error ${code}) | Os { code: ${code}, kind: ${kind}, message: ${JSON.stringify(message)} } | Some(${code}) | ${kind}\n`;
    // the thread id native Rust >= 1.91 prints is the OS thread's; the wasm one is always 1
    const withoutThreadId = (stderr: string) => stderr.replace(/thread 'main' \(\d+\)/g, "thread 'main'");
    const patched = () => !!toolchain && toolchain.version.includes("std-linux-errno-") && !toolchain.version.includes("unpatched");
    const skipReason = "the toolchain's wasm32-wasip1 std is not the patched build of scripts/setup-toolchains.sh (rustup's and Debian's report WASI errno numbers)";

    it("shows Linux errno numbers, kinds and messages in Display, Debug, raw_os_error and a panic", async (ctx) => {
      if (!patched()) ctx.skip(skipReason);
      const r = await rs(program);
      expect(r.exitCode, r.stderr).toBe(101);
      for (const expected of [
        line("create_dir twice", 17, "AlreadyExists", "File exists"),
        line("read a directory", 21, "IsADirectory", "Is a directory"),
        line("open a missing file", 2, "NotFound", "No such file or directory"),
        line("remove_dir of a non-empty dir", 39, "DirectoryNotEmpty", "Directory not empty"),
        line("a file used as a directory", 20, "NotADirectory", "Not a directory"),
        line("from_raw_os_error(13)", 13, "PermissionDenied", "Permission denied"),
        line("from_raw_os_error(22)", 22, "InvalidInput", "Invalid argument"),
        line("from_raw_os_error(41)", 41, "Uncategorized", "Unknown error 41"),
        "remove_dir_all of a tree: ok ()\nexists after remove_dir_all: ok false\n",
      ])
        expect(r.stdout).toContain(expected);
      expect(r.stdout).not.toMatch(/os error (44|31|54|55)\)/);
      expect(r.stderr).toContain(
        'called `Result::unwrap()` on an `Err` value: Os { code: 2, kind: NotFound, message: "No such file or directory" }',
      );
    });

    it("prints what the same program prints compiled natively on Linux", async (ctx) => {
      if (!patched()) ctx.skip(skipReason);
      if (process.platform !== "linux") ctx.skip("native output is Linux's only on Linux");
      const work = mkdtempSync(join(tmpdir(), "wasmbox-rust-native-"));
      try {
        writeFileSync(join(work, "main.rs"), program);
        const built = spawnSync(toolchain!.command, ["--edition=2021", "-O", "-o", join(work, "native"), "main.rs"], {
          cwd: work,
          encoding: "utf8",
          timeout: 120_000,
        });
        if (built.status !== 0) ctx.skip(`the native rustc cannot build for the host: ${(built.stderr || String(built.error)).slice(0, 300)}`);
        // the program runs where only its main.rs is, with the empty environment a wasmbox guest has
        const cwd = join(work, "run");
        mkdirSync(cwd);
        writeFileSync(join(cwd, "main.rs"), program);
        const native = spawnSync(join(work, "native"), [], { cwd, env: {}, encoding: "utf8", timeout: 30_000 });
        const r = await rs(program);
        expect(r.stdout).toBe(native.stdout);
        expect(withoutThreadId(r.stderr)).toBe(withoutThreadId(native.stderr));
        expect(r.exitCode).toBe(native.status);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    });
  });

  describe("compile-time containment", () => {
    it.each([
      ["include_str! of a host file", `fn main() {\n    print!("{}", include_str!(${JSON.stringify(canaryFile)}));\n}\n`, "include_str!"],
      ["include_str! of /etc/hostname", 'fn main() {\n    print!("{}", include_str!("/etc/hostname"));\n}\n', "include_str!"],
      ["env! of the compiler's HOME", 'fn main() {\n    print!("{}", env!("HOME"));\n}\n', "env!"],
      ["a linker response file", '#[link(name = "@/etc/hostname")]\nextern "C" {}\nfn main() {}\n', "#[link]"],
      ["#[path] to a host file", `#[path = ${JSON.stringify(canaryFile)}]\nmod secret;\nfn main() {}\n`, "#[path]"],
    ])("refuses %s before compiling, naming the construct", async (_, code, construct) => {
      const before = rust.cache.stats.builds;
      const r = await rs(code);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(construct);
      expect(r.stderr).toContain("--> main.rs:");
      expect(r.stdout + r.stderr).not.toContain(CANARY);
      if (hostname && hostname.length > 3) expect(r.stdout + r.stderr).not.toContain(hostname);
      expect(rust.cache.stats.builds).toBe(before);
    });

    // The second layer: what rustc itself can see when a construct slipped past the scanner.
    it.skipIf(!tools.bwrap)("runs rustc where host files do not exist (bubblewrap)", async () => {
      const work = mkdtempSync(join(tmpdir(), "wasmbox-rust-bwrap-"));
      try {
        const cases = [
          `fn main() { print!("{}", include_str!(${JSON.stringify(canaryFile)})); }`,
          'fn main() { print!("{}", include_str!("/etc/hostname")); }',
          '#[link(name = "@/etc/hostname")]\nextern "C" { fn f(); }\nfn main() { unsafe { f() } }',
          'fn main() { print!("{}", env!("HOME")); }',
        ];
        for (const [i, code] of cases.entries()) {
          writeFileSync(join(work, `c${i}.rs`), code);
          const r = await runCompiler({
            argv: [toolchain!.command, "--edition=2021", `--target=${toolchain!.target}`, ...toolchain!.flags, "-o", join(work, `c${i}.wasm`), `c${i}.rs`],
            cwd: work,
            env: { PATH: "/usr/bin:/bin", TMPDIR: work },
            workspace: work,
            toolchain: toolchain!,
            writable: [],
            signal: new AbortController().signal,
            timeoutMs: 60_000,
            memoryBytes: 4 * 2 ** 30,
          });
          expect(r.exitCode, r.output).not.toBe(0);
          expect(r.output).not.toContain(CANARY);
          if (hostname && hostname.length > 3) expect(r.output).not.toContain(hostname);
        }
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    });
  });

  // The early check must not refuse valid programs: these print what a native build prints.
  it.each(Object.keys(ORDINARY_MACRO_PROGRAMS))("compiles and runs ordinary macro-heavy code: %s", async (name) => {
    const { code, stdout } = ORDINARY_MACRO_PROGRAMS[name]!;
    const r = await rs(code);
    expect(r, r.stderr).toMatchObject({ stdout, exitCode: 0 });
  });

  describe("build cache", () => {
    it("compiles a repeated program once", async () => {
      const code = `${unique()}fn main() {\n    println!("cached");\n}\n`;
      const before = rust.cache.stats.builds;
      const a = await rs(code);
      const b = await rs(code, { args: ["different", "args"], stdin: "other" });
      expect(a).toMatchObject({ stdout: "cached\n", exitCode: 0 });
      expect(b).toMatchObject({ stdout: "cached\n", exitCode: 0 });
      expect(rust.cache.stats.builds - before).toBe(1);
    });

    it("compiles concurrent identical requests once", async () => {
      const code = `${unique()}fn main() {\n    println!("{}", std::env::args().nth(1).unwrap());\n}\n`;
      const before = rust.cache.stats.builds;
      const results = await Promise.all([1, 2, 3].map((n) => rs(code, { args: [String(n)] })));
      expect(results.map((r) => r.stdout)).toEqual(["1\n", "2\n", "3\n"]);
      expect(rust.cache.stats.builds - before).toBe(1);
    });

    it("caches compile errors too, and never a stopped build", async () => {
      const code = `${unique()}fn main() { let x: u8 = 300; }\n`;
      const before = rust.cache.stats.builds;
      const a = await rs(code);
      const b = await rs(code);
      expect(a.exitCode).toBe(1);
      expect(b.stderr).toBe(a.stderr);
      expect(rust.cache.stats.builds - before).toBe(1);
    });

    it("reuses modules from cacheDir across executors", async () => {
      const cacheDir = mkdtempSync(join(tmpdir(), "wasmbox-rust-cachedir-"));
      const code = `${unique()}fn main() {\n    println!("from disk");\n}\n`;
      try {
        const first = createExecutor({ cacheDir });
        expect(await first.execute({ runtime: "rust", code })).toMatchObject({ stdout: "from disk\n", exitCode: 0 });
        await first.close();
        expect(readdirSync(join(cacheDir, "compiled")).filter((n) => n.endsWith(".wasm"))).toHaveLength(1);
        rust.cache.clear();
        const { builds, diskHits } = rust.cache.stats;
        const second = createExecutor({ cacheDir });
        expect(await second.execute({ runtime: "rust", code })).toMatchObject({ stdout: "from disk\n", exitCode: 0 });
        await second.close();
        expect(rust.cache.stats.builds).toBe(builds);
        expect(rust.cache.stats.diskHits).toBe(diskHits + 1);
      } finally {
        rmSync(cacheDir, { recursive: true, force: true });
      }
    });
  });

  it("stops a compile that runs past the timeout (the timeout covers compile + run)", async (ctx) => {
    // Endless const evaluation: rustc never finishes on its own (rustc < 1.72 stopped it with const_eval_limit).
    if (toolchain && toolchain.semver[0] === 1 && toolchain.semver[1] < 72) ctx.skip();
    const code = `${unique()}#![allow(long_running_const_eval)]\nconst N: u64 = { let mut i = 0u64; loop { i = i.wrapping_add(1); if i == 0 { break; } } i };\nfn main() { println!("{}", N); }\n`;
    const started = Date.now();
    const r = await rs(code, { timeout: 2500 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBe(EXIT_TIMEOUT);
    expect(Date.now() - started).toBeLessThan(2500 + 3000);
    // a stopped build is not cached: the next identical request compiles (and times out) again
    const before = rust.cache.stats.builds;
    const again = await rs(code, { timeout: 1500 });
    expect(again.timedOut).toBe(true);
    expect(rust.cache.stats.builds - before).toBe(1);
  });
});

describe("rust toolchain discovery", () => {
  it("refuses an explicit rustc that does not exist, saying what to install", async () => {
    const ex = createExecutor({ toolchains: { rustc: "/nonexistent/bin/rustc" } });
    try {
      await expect(ex.execute({ runtime: "rust", code: "fn main() {}" })).rejects.toMatchObject({
        code: "RUNTIME_UNAVAILABLE",
        message: expect.stringMatching(/\/nonexistent\/bin\/rustc[\s\S]*not an executable/),
      });
    } finally {
      await ex.close();
    }
  });
});
