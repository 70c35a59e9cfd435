/**
 * Ordinary macro_rules! code the compile-time check must let through: each compiles with a plain
 * rustc and prints `stdout` (taken from a native build).
 */
export const ORDINARY_MACRO_PROGRAMS: Record<string, { code: string; stdout: string }> = {
  "index expressions in a macro body": {
    code: `macro_rules! at { ($v:expr, $i:expr) => { $v[$i] }; ($v:ident [$i:expr]) => { $v[$i] } }
macro_rules! get2 { ($a:tt, $i:tt, $j:tt) => { $a[$i][$j] } }
fn main() {
    let v = vec![10, 20, 30];
    let m = [[1, 2], [3, 4]];
    println!("{} {} {}", at!(v, 1), at!(v[2]), get2!(m, 1, 0));
}
`,
    stdout: "20 30 3\n",
  },
  "vec building and repetition": {
    code: `macro_rules! my_vec { () => { Vec::new() }; ($($x:expr),+ $(,)?) => {{ let mut v = Vec::new(); $(v.push($x);)+ v }} }
macro_rules! sum { ($($x:expr),*) => { 0 $(+ $x)* } }
macro_rules! squares { ($($x:expr),*) => { [$($x * $x),*] } }
fn main() {
    let v: Vec<i32> = my_vec![1, 2, 3,];
    let e: Vec<i32> = my_vec![];
    println!("{:?} {:?} {} {:?}", v, e, sum!(1, 2, 3), squares!(2, 3));
}
`,
    stdout: "[1, 2, 3] [] 6 [4, 9]\n",
  },
  "nested macros and callbacks": {
    code: `macro_rules! double { ($x:expr) => { 2 * $x } }
macro_rules! quad { ($x:expr) => { double!(double!($x)) } }
macro_rules! apply { ($m:ident, $($x:expr),*) => { [$($m!($x)),*] } }
macro_rules! with_callback { ($cb:ident) => { $cb!(7) } }
fn main() {
    println!("{} {:?} {}", quad!(3), apply!(double, 1, 2), with_callback!(double));
}
`,
    stdout: "12 [2, 4] 14\n",
  },
  "macros generating structs and impls with attributes": {
    code: `macro_rules! point {
    ($(#[$meta:meta])* $name:ident { $($field:ident: $ty:ty),* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        struct $name { $($field: $ty),* }
        impl $name {
            #[inline]
            #[allow(dead_code)]
            fn new($($field: $ty),*) -> Self { Self { $($field),* } }
        }
    };
}
point!(#[derive(Default)] #[allow(unused)] P2 { x: i32, y: i32 });
point!(P3 { x: f64, y: f64, z: f64 });
macro_rules! impl_area { ($($t:ty => $e:expr),*) => { $(impl Area for $t { fn area(&self) -> f64 { let s = self; $e(s) } })* } }
trait Area { fn area(&self) -> f64; }
impl_area!(P2 => |p: &P2| (p.x * p.y) as f64, P3 => |p: &P3| p.x * p.y * p.z);
fn main() {
    let a = P2::new(2, 3);
    println!("{:?} {} {:?} {}", a.clone(), a.area(), P2::default(), P3::new(1.0, 2.0, 3.0).area());
}
`,
    stdout: "P2 { x: 2, y: 3 } 6 P2 { x: 0, y: 0 } 6\n",
  },
  "a tt muncher": {
    code: `macro_rules! count { () => { 0usize }; ($head:tt $($tail:tt)*) => { 1usize + count!($($tail)*) } }
macro_rules! rev { (@acc [$($acc:tt)*]) => { [$($acc),*] }; (@acc [$($acc:tt)*] $h:tt $($t:tt)*) => { rev!(@acc [$h $($acc)*] $($t)*) }; ($($t:tt)*) => { rev!(@acc [] $($t)*) } }
macro_rules! kv { ($($k:ident = $v:expr);* $(;)?) => {{ let mut m = std::collections::BTreeMap::new(); $(m.insert(stringify!($k), $v);)* m }} }
fn main() {
    println!("{} {:?} {:?}", count!(a b c d), rev!(1 2 3), kv!(a = 1; b = 2;));
}
`,
    stdout: "4 [3, 2, 1] {\"a\": 1, \"b\": 2}\n",
  },
  "$crate paths and exported macros": {
    code: `mod util {
    pub fn twice(x: i32) -> i32 { x * 2 }
    #[macro_export]
    macro_rules! twice { ($x:expr) => { $crate::util::twice($x) } }
    #[macro_export]
    macro_rules! twice_all { ($($x:expr),*) => { [$($crate::twice!($x)),*] } }
}
fn main() {
    println!("{} {:?}", twice!(4), twice_all!(1, 2, 3));
}
`,
    stdout: "8 [2, 4, 6]\n",
  },
  "macros with attributes, cfg and doc comments": {
    code: `macro_rules! flags {
    ($(#[$outer:meta])* $vis:vis struct $name:ident: $t:ty { $(const $f:ident = $v:expr;)* }) => {
        $(#[$outer])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        $vis struct $name($t);
        #[allow(non_upper_case_globals)]
        impl $name { $(pub const $f: $name = $name($v);)* pub fn bits(&self) -> $t { self.0 } }
    };
}
flags! {
    /// Permission bits
    #[repr(transparent)]
    pub struct Perm: u8 { const READ = 1; const WRITE = 2; }
}
macro_rules! test_fn { ($name:ident, $body:block) => { #[cfg(not(test))] #[allow(dead_code)] #[doc = "generated"] fn $name() -> i32 $body } }
test_fn!(answer, { 42 });
fn main() {
    println!("{:?} {} {}", Perm::READ, Perm::WRITE.bits(), answer());
}
`,
    stdout: "Perm(1) 2 42\n",
  },
  "matches!, format-like macros and arrays of macro results": {
    code: `macro_rules! my_format { ($($arg:tt)*) => { format!($($arg)*) } }
macro_rules! maxm { ($x:expr) => { $x }; ($x:expr, $($rest:expr),+) => {{ let a = $x; let b = maxm!($($rest),+); if a > b { a } else { b } }} }
macro_rules! table { ($($row:expr),* $(,)?) => { [$($row),*] } }
fn main() {
    let t = table![[1, 2], [3, 4],];
    let s = my_format!("{}-{}", t[0][1], t[1][0]);
    println!("{} {} {}", s, maxm!(3, 9, 4), matches!(t[1], [3, _]));
    let idx = [0usize, 1];
    macro_rules! pick { ($arr:ident, $($i:expr),*) => { vec![$($arr[idx[$i]]),*] } }
    println!("{:?}", pick!(t, 1, 0));
}
`,
    stdout: "2-3 9 true\n[[3, 4], [1, 2]]\n",
  },
  "index after a repetition and a macro returning a slice": {
    code: `macro_rules! firsts { ($($v:expr),*) => { vec![$($v[0]),*] } }
macro_rules! slice_of { ($($x:expr),*) => { &[$($x),*][..] } }
macro_rules! last_of { ($($x:expr),+) => { [$($x),+][[$($x),+].len() - 1] } }
fn main() {
    let a = vec![1, 2];
    let b = [3, 4];
    println!("{:?} {:?} {}", firsts!(a, b), slice_of!(5, 6, 7), last_of!(8, 9, 10));
}
`,
    stdout: "[1, 3] [5, 6, 7] 10\n",
  },
  "macro-generated enum with Display and an index table": {
    code: `macro_rules! named_enum {
    ($name:ident { $($variant:ident => $text:literal),* $(,)? }) => {
        #[derive(Debug, Clone, Copy)]
        enum $name { $($variant),* }
        impl $name {
            const ALL: &'static [$name] = &[$($name::$variant),*];
            const NAMES: &'static [&'static str] = &[$($text),*];
            fn name(self) -> &'static str { Self::NAMES[self as usize] }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { write!(f, "{}", self.name()) }
        }
    };
}
named_enum!(Color { Red => "red", Green => "green", Blue => "blue" });
fn main() {
    for c in Color::ALL { print!("{} ", c); }
    println!("{:?}", Color::ALL[2]);
}
`,
    stdout: "red green blue Blue\n",
  },
  "std::env, a callback macro, #[doc = $d] and locals named path and link": {
    code: `use std::env;
macro_rules! call { ($cb:ident, $($x:expr),*) => { $cb!($($x),*) } }
macro_rules! documented { ($d:expr, $name:ident) => { #[doc = $d] fn $name() -> usize { env::args().count() } } }
documented!("counts the arguments", nargs);
fn main() {
    let mut path = String::from("data");
    path = path + "/in.txt";
    let link = |x: i32| x + 1;
    println!("{}", call!(format, "{} {} {}", path, link(1), nargs()));
}
`,
    stdout: "data/in.txt 2 1\n",
  },
};
