import { SPY_WAIT_MS, type AttackPrograms } from "../../../test/security/attacks.js";

const q = JSON.stringify;
const prog = (body: string, extra = "") => ({
  code: `#![allow(unused)]
use std::fmt::Debug;

fn show<T: Debug, E>(label: &str, r: Result<T, E>) {
    match r {
        Ok(v) => {
            let s: String = format!("{:?}", v).chars().take(300).collect();
            println!("{}=OK:{}", label, s);
        }
        Err(_) => println!("{}=ERR", label),
    }
}

fn list(p: &str) -> std::io::Result<Vec<String>> {
    Ok(std::fs::read_dir(p)?.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
}
${extra}
fn main() {
${body}
    println!("DONE");
}
`,
});

export const programs: AttackPrograms = {
  "read-host-files": (c) =>
    prog(`    show("abs", std::fs::read_to_string(${q(c.canaryFile)}));
    show("climb", std::fs::read_to_string(${q(c.climb)}));
    show("listdir", list(${q(c.canaryDir)}));
    show("root", list("/"));
    show("environ", std::fs::read("/proc/self/environ"));
    show("cmdline", std::fs::read("/proc/self/cmdline"));`),
  "write-host-files": (c) =>
    prog(`    show("write-abs", std::fs::write(${q(c.writeFile)}, "pwned"));
    show("write-climb", std::fs::write(${q(c.writeClimb)}, "pwned"));
    show("delete-abs", std::fs::remove_file(${q(c.victimFile)}));
    show("delete-climb", std::fs::remove_file(${q(c.victimClimb)}));
    show("truncate", std::fs::OpenOptions::new().write(true).truncate(true).open(${q(c.victimFile)}));`),
  "host-env": (c) =>
    prog(`    show::<Vec<(String, String)>, ()>("environ", Ok(std::env::vars().collect()));
    show("getenv", std::env::var(${q(c.envName)}));`),
  network: (c) =>
    prog(`    use std::io::{Read, Write};
    show("tcp", std::net::TcpStream::connect("127.0.0.1:${c.port}").and_then(|mut s| {
        s.write_all(b"GET / HTTP/1.0\\r\\n\\r\\n")?;
        let mut b = String::new();
        s.read_to_string(&mut b)?;
        Ok(b)
    }));
    show("udp", std::net::UdpSocket::bind("127.0.0.1:0").and_then(|s| s.send_to(b"x", "127.0.0.1:${c.port}")));
    show("listen", std::net::TcpListener::bind("127.0.0.1:0"));`),
  dns: () =>
    prog(`    use std::net::ToSocketAddrs;
    for name in ["localhost:80", "example.com:80"] {
        match name.to_socket_addrs() {
            Ok(mut a) => match a.next() {
                Some(addr) => println!("RESOLVED {} {}", name, addr),
                None => println!("dns=ERR"),
            },
            Err(_) => println!("dns=ERR"),
        }
    }`),
  "spawn-process": (c) =>
    prog(`    let cmd = "printf %s%s PWN ED; touch ${c.spawnMarker}";
    show("command", std::process::Command::new("sh").arg("-c").arg(cmd).output().map(|o| String::from_utf8_lossy(&o.stdout).into_owned()));
    show("spawn", std::process::Command::new("/bin/sh").arg("-c").arg(cmd).spawn().map(|c| c.id()));`),
  "host-javascript": (c) => ({
    ...prog(
      `    show::<i32, ()>("wasm-import", Ok(unsafe { eval(1) }));
    show::<&str, ()>("canary", Ok(${q(c.canaryFile)}));`,
      `
// A host function the guest was never given: linking must fail, not reach JavaScript.
#[link(wasm_import_module = "env")]
extern "C" {
    fn eval(x: i32) -> i32;
}
`,
    ),
    noDone: "an import of a host function the guest was never given must fail to link",
  }),
  "leave-state": () => ({
    ...prog(
      `    LEFT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    unsafe { std::env::set_var("LEFT", "1") };
    show("cwd", std::fs::write("left.txt", "x"));
    show("tmp", std::fs::write("/tmp/left.txt", "x"));`,
      "static LEFT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);\n",
    ),
    then: prog(
      `    if LEFT.load(std::sync::atomic::Ordering::SeqCst) != 0 { println!("found:global"); }
    if std::env::var_os("LEFT").is_some() { println!("found:env"); }
    if std::path::Path::new("left.txt").exists() { println!("found:cwd-file"); }
    if std::path::Path::new("/tmp/left.txt").exists() { println!("found:tmp-file"); }`,
      "static LEFT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);\n",
    ),
  }),
  "spy-on-concurrent": () =>
    prog(`    use std::io::Read;
    let mut own = String::new();
    std::io::stdin().read_to_string(&mut own).unwrap();
    println!("own={}", own);
    std::thread::sleep(std::time::Duration::from_millis(${SPY_WAIT_MS}));
    for p in ["/dev/stdin", "/proc/self/fd/0", "/dev/fd/0", "/proc/1/fd/0", "/proc/1/fd/1"] {
        show(p, std::fs::read_to_string(p));
    }
    show("proc", list("/proc"));
    show("tmp", list("/tmp"));`),
};
