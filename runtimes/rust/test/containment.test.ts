/**
 * The token-level refusal of constructs through which rustc reads the host at compile time.
 * Every case here compiles (or would) with a plain rustc; each must be refused, and ordinary
 * code that merely looks similar must not be.
 */
import { describe, expect, it } from "vitest";
import { findHostAccess, refuseHostAccess } from "../containment.js";
import { ORDINARY_MACRO_PROGRAMS } from "./ordinary-macros.js";

const refused = (src: string) => findHostAccess("main.rs", src).map((r) => r.message);

describe("rust compile-time containment: refused", () => {
  it.each([
    ['include_str!("/etc/hostname")', "include_str!"],
    ['include_bytes!("/etc/hostname")', "include_bytes!"],
    ['include!("/etc/passwd")', "include!"],
    ['env!("HOME")', "env!"],
    ['option_env!("HOME")', "option_env!"],
    ['std::env!("HOME")', "env!"],
    ['core::include_str ! ("/etc/hostname")', "include_str!"],
    ['r#include_str!("/etc/hostname")', "include_str!"],
  ])("the macro in `%s`", (expr, what) => {
    const messages = refused(`fn main() {\n    let x = ${expr};\n}\n`);
    expect(messages.join("\n")).toContain(`\`${what}`);
  });

  it("a renamed macro (`use std::env as e; e!(..)`)", () => {
    expect(refused('use std::env as e;\nfn main() { println!("{}", e!("HOME")); }')).toHaveLength(1);
    expect(refused('use std::{include_str as s};\nfn main() { s!("/etc/hostname"); }')).toHaveLength(1);
  });

  it("a macro name passed through macro_rules! metavariables", () => {
    expect(refused('macro_rules! call { ($m:ident) => { $m!("HOME") } }\nfn main() { call!(env); }')).not.toHaveLength(0);
    expect(refused('macro_rules! call { ($($t:tt)*) => { $($t)* !("HOME") } }\nfn main() { call!(env); }')).not.toHaveLength(0);
    expect(refused('macro_rules! m { ($h:tt) => { $h [path = "/etc/passwd"] mod x; } }\nm!(#);')).not.toHaveLength(0);
    expect(refused("macro_rules! m { ($a:meta) => { #[$a] mod x; } }\nm!(path = \"/etc/passwd\");")).not.toHaveLength(0);
  });

  it.each([
    '#[path = "/etc/passwd"]\nmod x;',
    '#[cfg_attr(all(), path = "/etc/passwd")]\nmod x;',
    '#[cfg_attr(not(any()), cfg_attr(all(), path = "/etc/passwd"))]\nmod x;',
    '#[link(name = "@/etc/hostname")]\nextern "C" {}',
    '#[unsafe(link(name = "@/etc/hostname"))]\nextern "C" {}',
    '#[link_args = "@/etc/hostname"]\nextern "C" {}',
    '#![feature(rustc_attrs)]',
    '#![cfg_attr(all(), feature(rustc_attrs))]',
    '#![debugger_visualizer(gdb_script_file = "/etc/hostname")]',
    '#[doc = include_str!("/etc/hostname")]\nstruct S;',
  ])("the attribute in %j", (src) => {
    expect(refused(`${src}\nfn main() {}\n`)).not.toHaveLength(0);
  });

  it("reports file, line and column like a compiler, and names the construct", () => {
    const out = refuseHostAccess({ "main.rs": "mod util;\nfn main() {}\n", "util.rs": 'pub fn h() -> &\'static str {\n    include_str!("/etc/hostname")\n}\n' });
    expect(out).toMatch(/include_str!/);
    expect(out).toContain("--> util.rs:2:5");
  });
});

describe("rust compile-time containment: ordinary code passes", () => {
  it.each([
    ["std::env", 'use std::env;\nfn main() { let a: Vec<String> = env::args().collect(); println!("{:?} {:?}", a, std::env::var("X")); }'],
    ["strings and comments", 'fn main() {\n    // include_str!("/etc/hostname")\n    /* env!("HOME") /* nested */ */\n    println!("include_str!(\\"/etc/hostname\\") #[path = \\"x\\"]");\n    let r = r#"env!("HOME")"#;\n    println!("{r}");\n}'],
    ["lifetimes and chars", "fn f<'a>(s: &'a str) -> char { let _q = '\\''; let _c = '!'; s.chars().next().unwrap_or('x') }\nfn main() { println!(\"{}\", f(\"hi\")); }"],
    ["a variable named env, cfg(feature)", 'struct Ctx { env: Vec<u8> }\n#[cfg(feature = "x")]\nfn g() {}\nfn main() { let env = Ctx { env: vec![] }; println!("{}", env.env.len() != 1); }'],
    ["derives and lint attributes", "#[derive(Debug, Clone)]\n#[allow(dead_code)]\nstruct P { x: i32 }\n#[inline]\nfn main() { println!(\"{:?}\", P { x: 1 }.clone()); }"],
    ["macro_rules with plain macro calls", 'macro_rules! sq { ($x:expr) => { $x * $x }; ($($x:expr),*) => { vec![$($x * 2),*] } }\nfn main() { println!("{} {:?} {}", sq!(3), sq!(1, 2), !true); }'],
  ])("%s", (_, src) => {
    expect(refused(src)).toEqual([]);
  });

  // Index expressions, `$(#[$meta])*` on generated items, callbacks `$cb!(..)`, tt munchers, `$crate::`.
  it.each(Object.keys(ORDINARY_MACRO_PROGRAMS))("macro-heavy code: %s", (name) => {
    expect(refused(ORDINARY_MACRO_PROGRAMS[name]!.code)).toEqual([]);
  });
});
