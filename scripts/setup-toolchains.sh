#!/usr/bin/env bash
# Installs what wasmbox needs on Debian bookworm: Go and Rust that target
# wasm32-wasip1, bubblewrap for compiler and Python containment, and the
# native ruby/php/chromium used by tests that compare with native tools, and
# redis-server for the fleet-mode tests.
#
# Idempotent: a second run checks what is installed and exits in a second or two.
# Runs as root (CI) or through sudo. Exits non-zero when it could not install what it
# promises (Go, rustc-web with its wasm32-wasip1 std, bubblewrap).
#
#   --no-test-tools        skip ruby, php-cli, chromium and redis-server (only wasmbox's own tests use them);
#                          `wasmbox setup` passes it
#
#   WASMBOX_RUST_WEB_DIR   where rustc-web is unpacked (default /opt/wasmbox/rust-web;
#                          runtimes/compiled/discovery.ts looks there)
#   WASMBOX_RUST_FALLBACK=1  also install Debian's rustc 1.63 + wasm32 std + lld-14
set -euo pipefail

RUST_WEB_DIR="${WASMBOX_RUST_WEB_DIR:-/opt/wasmbox/rust-web}"
RUST_WEB_SERIES=1.96
# Bump when build_wasm_std changes what it builds: an older install is then rebuilt.
#   2: std's own source paths remapped to /rustc/<commit>/ (panics inside std named the install dir)
#   3: std patched with runtimes/rust/std-linux-errno.patch (io errors carry Linux errno numbers);
#      the stamp also holds the patch's hash, so an edited patch rebuilds once
WASM_STD_BUILD=3
# fleet mode's tests (test/fleet) start their own redis-server on a free loopback port;
# the system service the package may enable is not used by wasmbox
TEST_TOOLS=(ruby php-cli chromium redis-server)
APT_PACKAGES=(
  ca-certificates
  golang-1.23-go
  bubblewrap
  # the modern Rust toolchain: runtime libraries of the unpacked rustc-web/cargo-web,
  # wasi-libc and wasm-ld for its wasm32-wasip1 std, clang and llvm-ar to add the libc
  # functions that std needs and this wasi-libc lacks (runtimes/rust/wasi-libc-stubs.c)
  libllvm22 libcurl4 libgit2-1.5 libsqlite3-0 libssh2-1 libssl3
  gcc libc6-dev binutils patch
  wasi-libc lld-16 clang-16 llvm-16
)

WASI_STUBS_SRC="$(cd "$(dirname "$0")/.." && pwd)/runtimes/rust/wasi-libc-stubs.c"
STD_PATCH="$(cd "$(dirname "$0")/.." && pwd)/runtimes/rust/std-linux-errno.patch"

log() { printf 'setup-toolchains: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

WITH_TEST_TOOLS=1
for arg in "$@"; do
  case "$arg" in
    --no-test-tools) WITH_TEST_TOOLS=0 ;;
    *) die "unknown option $arg (known: --no-test-tools)" ;;
  esac
done
[ "$WITH_TEST_TOOLS" = 1 ] && APT_PACKAGES+=("${TEST_TOOLS[@]}")

# Shipped in the npm package beside this script (package.json "files"): without them the std
# build would fail and be retried on every run.
for f in "$WASI_STUBS_SRC" "$STD_PATCH"; do
  [ -f "$f" ] || die "missing $f; this script needs the runtimes/rust directory of the wasmbox package"
done

if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || die "run as root (or install sudo)"
  exec sudo -E bash "$0" "$@"
fi
export DEBIAN_FRONTEND=noninteractive

grep -qs '^VERSION_CODENAME=bookworm' /etc/os-release ||
  log "warning: written for Debian bookworm; this machine is $(. /etc/os-release; echo "${PRETTY_NAME:-unknown}")"

have_source() { grep -rqsE "$1" /etc/apt/sources.list /etc/apt/sources.list.d/; }

apt_updated=0
apt_update() {
  if [ "$apt_updated" = 0 ]; then
    apt-get update -qq -o DPkg::Lock::Timeout=600
    apt_updated=1
  fi
}

ensure_sources() {
  if ! have_source 'bookworm-backports'; then
    log "adding bookworm-backports (Go 1.23)"
    echo 'deb http://deb.debian.org/debian bookworm-backports main' |
      tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
    apt_updated=0
  fi
  if ! have_source 'bookworm-security'; then
    log "adding bookworm-security (rustc-web)"
    echo 'deb http://deb.debian.org/debian-security bookworm-security main' |
      tee /etc/apt/sources.list.d/bookworm-security.list >/dev/null
    apt_updated=0
  fi
}

# What .wasmbox-std-build holds for a std built by this script as it is now.
wasm_std_stamp() {
  printf '%s std-linux-errno-%s' "$WASM_STD_BUILD" "$(sha256sum "$STD_PATCH" | cut -c1-16)"
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

ensure_apt_packages() {
  local missing=()
  for p in "$@"; do installed "$p" || missing+=("$p"); done
  [ "${#missing[@]}" -eq 0 ] && return 0
  log "installing ${missing[*]}"
  apt_update
  apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "${missing[@]}" >/dev/null
}

# rustc-web conflicts with Debian's rustc package, so its debs are unpacked into a
# directory of their own instead of being installed.
unpack_rust_web() {
  local work="$1" version
  apt_update
  version="$(apt-cache policy rustc-web | awk '/Candidate:/ {print $2}')"
  case "$version" in
    "$RUST_WEB_SERIES".*) ;;
    *) log "rustc-web $RUST_WEB_SERIES not available (candidate: ${version:-none})"; return 1 ;;
  esac
  mkdir -p "$work/debs" "$work/root"
  (cd "$work/debs" && apt-get download -qq -o APT::Sandbox::User=root \
    "rustc-web=$version" "libstd-rust-web-$RUST_WEB_SERIES=$version" "libstd-rust-web-dev=$version" \
    "rust-web-src=$version" "cargo-web=$version") || return 1
  for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
  echo "$version" >"$work/root/.debian-version"
}

# The unpacked rustc has no RUNPATH to its librustc_driver; a wrapper supplies it so
# the toolchain is one path (WASMBOX_RUSTC=$RUST_WEB_DIR/bin/rustc works anywhere).
write_wrappers() {
  local root="$1" final="$2" tool
  mkdir -p "$root/bin"
  for tool in rustc cargo; do
    cat >"$root/bin/$tool" <<EOF
#!/bin/sh
LD_LIBRARY_PATH="$final/usr/lib/x86_64-linux-gnu\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$final/usr/bin/$tool" "\$@"
EOF
    chmod 755 "$root/bin/$tool"
  done
}

# Builds std for wasm32-wasip1 from rust-web-src (vendored, offline), links with
# Debian's wasm-ld 16 and wasi-libc. Only the setup uses RUSTC_BOOTSTRAP; user code
# is compiled by the stable rustc against the result.
build_wasm_std() {
  local root="$1" usr="$1/usr" work="$2"
  local host=x86_64-unknown-linux-gnu target=wasm32-wasip1
  local lib="$usr/lib/rustlib/$target/lib" library="$usr/src/rustc-$RUST_WEB_SERIES.0/library"
  [ -d "$library/vendor" ] || { log "rust-web-src has no vendored library sources"; return 1; }
  mkdir -p "$usr/lib/rustlib/$host/bin" "$lib/self-contained"
  ln -sf /usr/lib/llvm-16/bin/lld "$usr/lib/rustlib/$host/bin/rust-lld"
  cp /usr/lib/wasm32-wasi/crt1-command.o /usr/lib/wasm32-wasi/crt1-reactor.o \
     /usr/lib/wasm32-wasi/libc.a "$lib/self-contained/"
  add_wasi_stubs "$root" || return 1

  local proj="$work/std-build"
  mkdir -p "$proj/src" "$proj/.cargo" "$work/cargo-home"
  cat >"$proj/Cargo.toml" <<'EOF'
[package]
name = "wasmbox-std"
version = "0.0.0"
edition = "2021"
[profile.release]
panic = "abort"
debug = 0
EOF
  echo 'fn main() {}' >"$proj/src/main.rs"
  # io errors with Linux's errno numbers and messages, as the natively compiled program prints them.
  # A patch that does not fit this rust-web-src leaves std as upstream's (WASI numbers) rather than
  # losing the modern toolchain; the stamp says so, and a changed patch retries.
  local stamp
  stamp="$(wasm_std_stamp)"
  # (--batch would take an unapplied patch for a reversed one; -f assumes nothing)
  if patch -d "$library" -p1 -s -f --forward --dry-run <"$STD_PATCH" >/dev/null 2>&1; then
    patch -d "$library" -p1 -s -f --forward <"$STD_PATCH" || return 1
  elif patch -d "$library" -p1 -s -f -R --dry-run <"$STD_PATCH" >/dev/null 2>&1; then
    :  # already applied to this source tree
  else
    log "warning: $STD_PATCH does not apply to rust-web-src $RUST_WEB_SERIES; io errors will show WASI errno numbers"
    stamp="$stamp unpatched"
  fi
  cat >"$proj/.cargo/config.toml" <<EOF
[source.crates-io]
replace-with = "vendored"
[source.vendored]
directory = "$library/vendor"
EOF
  # A panic raised inside std (thread::spawn's "failed to spawn thread") names std's source file:
  # show /rustc/<commit>/library/... as rustup's std does, not the directory it was built in.
  local commit remap
  commit="$("$root/bin/rustc" -vV | awk '/^commit-hash:/ {print $2}')"
  remap="--remap-path-prefix=$usr/src/rustc-$RUST_WEB_SERIES.0=/rustc/$commit --remap-path-prefix=$usr/lib/rustlib/src/rust=/rustc/$commit"
  log "building std for $target (about a minute)"
  (cd "$proj" && env \
    RUSTFLAGS="$remap" CARGO_HOME="$work/cargo-home" RUSTC_BOOTSTRAP=1 \
    PATH="$root/bin:$PATH" RUSTC="$root/bin/rustc" \
    "$root/bin/cargo" build --offline --release -q \
      -Zbuild-std=std,panic_abort --target "$target") || return 1
  cp "$proj/target/$target/release/deps/"*.rlib "$lib/"
  # drop the throwaway binary's own crate
  rm -f "$lib"/libwasmbox_std-*.rlib
  # part of the toolchain's identity in wasmbox's build cache (runtimes/compiled/toolchain.ts)
  echo "$stamp" >"$lib/.wasmbox-std-build"
}

# Debian's wasi-libc (2022) predates the single-threaded pthread stubs, realpath and chmod that
# Rust's wasm32-wasip1 std links against (thread::spawn, fs::canonicalize): compile ours and add
# them to the copy of libc.a our std links, so such programs link and fail or work as upstream.
# Stamped with the source's hash, so an edited stub file is rebuilt and an unchanged one skipped.
add_wasi_stubs() {
  local lib="$1/usr/lib/rustlib/wasm32-wasip1/lib/self-contained" want work
  [ -f "$WASI_STUBS_SRC" ] || { log "missing $WASI_STUBS_SRC"; return 1; }
  want="$(sha256sum "$WASI_STUBS_SRC" | cut -c1-16)"
  [ "$(cat "$lib/.wasmbox-stubs" 2>/dev/null)" = "$want" ] && return 0
  if llvm-nm-16 --defined-only /usr/lib/wasm32-wasi/libc.a 2>/dev/null | grep -qw 'T pthread_create'; then
    log "this wasi-libc already has pthread_create: no stubs needed"
    cp /usr/lib/wasm32-wasi/libc.a "$lib/libc.a"
  else
    work="$(mktemp -d)"
    clang-16 --target=wasm32-wasi --sysroot=/usr -O2 -Wall -Werror -c "$WASI_STUBS_SRC" -o "$work/wasmbox-stubs.o" &&
      cp /usr/lib/wasm32-wasi/libc.a "$work/libc.a" &&
      llvm-ar-16 rs "$work/libc.a" "$work/wasmbox-stubs.o" &&
      cp "$work/libc.a" "$lib/libc.a.new" &&
      mv "$lib/libc.a.new" "$lib/libc.a" || { rm -rf "$work"; log "building the wasi-libc stubs failed"; return 1; }
    rm -rf "$work"
    log "added pthread/realpath/chmod stubs to $lib/libc.a"
  fi
  echo "$want" >"$lib/.wasmbox-stubs"
}

smoke_test_rust() {
  local rustc="$1" work="$2"
  printf 'fn main() { let v: Option<u8> = Some(1); let Some(x) = v else { return }; println!("ok {}", x); }\n' >"$work/smoke.rs"
  printf 'fn main() { let _ = std::fs::canonicalize("."); let _ = std::thread::Builder::new().spawn(|| ()); }\n' >"$work/smoke-threads.rs"
  "$rustc" --edition 2021 --target wasm32-wasip1 -O -o "$work/smoke.wasm" "$work/smoke.rs" &&
    [ -s "$work/smoke.wasm" ] &&
    "$rustc" --edition 2021 --target wasm32-wasip1 -O -o "$work/smoke-threads.wasm" "$work/smoke-threads.rs" &&
    [ -s "$work/smoke-threads.wasm" ]
}

ensure_rust_web() {
  local marker="$RUST_WEB_DIR/.wasmbox-ready" upgrade=0
  if [ -f "$marker" ] && [ -x "$RUST_WEB_DIR/bin/rustc" ]; then
    local built
    built="$(cat "$RUST_WEB_DIR/usr/lib/rustlib/wasm32-wasip1/lib/.wasmbox-std-build" 2>/dev/null)"
    if [ "${built% unpatched}" = "$(wasm_std_stamp)" ]; then
      # an install from before the stubs: only they are missing
      add_wasi_stubs "$RUST_WEB_DIR" || log "warning: Rust programs using threads or fs::canonicalize will not link"
      return 0
    fi
    log "rebuilding rustc-web's wasm32-wasip1 std (build $(wasm_std_stamp); installed: ${built:-none})"
    upgrade=1
  fi
  local work status=0
  work="$(mktemp -d)"
  chmod 755 "$work"  # apt-get download drops privileges to _apt
  install_rust_web "$work" || status=1
  rm -rf "$work" "$RUST_WEB_DIR.partial"
  if [ "$status" != 0 ] && [ "$upgrade" = 1 ]; then
    # the working install stays; it only lacks what the new build adds
    log "warning: rebuilding the std failed; keeping the installed one"
    add_wasi_stubs "$RUST_WEB_DIR" || true
    return 0
  fi
  return "$status"
}

install_rust_web() {
  local work="$1" staging="$RUST_WEB_DIR.partial"
  rm -rf "$staging"
  unpack_rust_web "$work" || return 1
  mkdir -p "$(dirname "$RUST_WEB_DIR")"
  mv "$work/root" "$staging"
  # the wrappers name the final directory; while building, they point at the staging one
  write_wrappers "$staging" "$staging"
  build_wasm_std "$staging" "$work" || return 1
  smoke_test_rust "$staging/bin/rustc" "$work" || { log "rustc-web smoke test failed"; return 1; }
  # the library sources were only needed to build the wasm std (340 MB)
  rm -rf "$staging/usr/share/doc" "$staging/usr/share/man" "$staging/usr/src"
  rm -rf "$RUST_WEB_DIR"
  mv "$staging" "$RUST_WEB_DIR"
  write_wrappers "$RUST_WEB_DIR" "$RUST_WEB_DIR"
  smoke_test_rust "$RUST_WEB_DIR/bin/rustc" "$work" || { log "rustc-web smoke test failed after the move"; return 1; }
  date -u +%FT%TZ >"$RUST_WEB_DIR/.wasmbox-ready"
  log "rustc-web $(cat "$RUST_WEB_DIR/.debian-version") ready in $RUST_WEB_DIR"
}

ensure_rust_fallback() {
  ensure_apt_packages rustc libstd-rust-dev-wasm32 lld-14
}

# Go's first wasip1 build compiles the standard library (~25 s). Do it now, into the cache
# the Go runtime uses by default (runtimes/go/index.ts: goBuildCache), with the same flags.
prewarm_go_cache() {
  local goroot=/usr/lib/go-1.23 user_home cache work
  user_home="${SUDO_USER:+$(getent passwd "$SUDO_USER" | cut -d: -f6)}"
  cache="${XDG_CACHE_HOME:-${user_home:-$HOME}/.cache}/wasmbox/go-build"
  [ -f "$cache/.wasmbox-prewarmed-go1.23-overlay3" ] && return 0
  work="$(mktemp -d)"
  mkdir -p "$cache" "$work/src"
  printf 'module main\n\ngo 1.23\n' >"$work/src/go.mod"
  {
    printf 'package main\n\nimport (\n'
    for pkg in bufio bytes container/heap embed encoding/json errors fmt io maps math math/big \
               math/rand os regexp slices sort strconv strings sync time unicode/utf8; do
      printf '\t_ "%s"\n' "$pkg"
    done
    printf ')\n\nfunc main() {}\n'
  } >"$work/src/main.go"
  # The same runtime overlay the Go adapter builds with (scripts/go-runtime-overlay.mjs).
  local overlay_flag=()
  local overlay
  overlay="$(node "$(dirname "$0")/go-runtime-overlay.mjs" "$goroot" "$cache/wasmbox-overlay" || true)"
  [ -n "$overlay" ] && overlay_flag=(-overlay "$overlay")
  log "pre-building Go's standard library for wasip1 into $cache"
  if (cd "$work/src" && env -i PATH="$goroot/bin:/usr/bin:/bin" GOROOT="$goroot" GOCACHE="$cache" \
      GOPATH="$work/gopath" TMPDIR="$work" GOOS=wasip1 GOARCH=wasm CGO_ENABLED=0 GOTOOLCHAIN=local \
      GOPROXY=off GOSUMDB=off GOFLAGS=-mod=mod GOWORK=off GOENV=off GOTELEMETRY=off \
      "$goroot/bin/go" build -trimpath -buildvcs=false "-ldflags=-s -w" "${overlay_flag[@]}" -o "$work/main.wasm" .); then
    touch "$cache/.wasmbox-prewarmed-go1.23-overlay3"
  else
    log "warning: pre-building Go's standard library failed; the first Go execution will be slow"
  fi
  if [ -n "${SUDO_USER:-}" ]; then chown -R "$SUDO_USER:" "$(dirname "$cache")"; fi
  rm -rf "$work"
}

# Go's compiler and linker built for wasip1, with the std's wasip1 archives, for
# runtimeOptions.go.compiler "wasm" and the browser build (scripts/build-go-wasm.mjs; a few
# minutes cold, nothing when its stamp matches). Into the cache next to the prewarmed std.
build_go_wasm() {
  local user_home base
  user_home="${SUDO_USER:+$(getent passwd "$SUDO_USER" | cut -d: -f6)}"
  base="${XDG_CACHE_HOME:-${user_home:-$HOME}/.cache}/wasmbox"
  if env PATH="/usr/lib/go-1.23/bin:$PATH" node "$(dirname "$0")/build-go-wasm.mjs" \
      --go /usr/lib/go-1.23/bin/go --gocache "$base/go-build" --out "${WASMBOX_GO_WASM_DIR:-$base/go-wasm}" >/dev/null; then
    if [ -n "${SUDO_USER:-}" ]; then chown -R "$SUDO_USER:" "$base"; fi
  else
    log "warning: building Go's compiler for WebAssembly failed; go compiles need the host toolchain"
  fi
}

main() {
  local started=$SECONDS
  ensure_sources
  ensure_apt_packages "${APT_PACKAGES[@]}"
  local status=0
  if ! ensure_rust_web; then
    log "modern Rust failed; installing Debian's rustc 1.63 (old: no let-else, LazyLock)"
    ensure_rust_fallback
    log "error: rustc-web $RUST_WEB_SERIES could not be installed into $RUST_WEB_DIR (see above); Rust programs get the old rustc 1.63"
    status=1
  elif [ "${WASMBOX_RUST_FALLBACK:-0}" = 1 ]; then
    ensure_rust_fallback
  fi
  prewarm_go_cache
  build_go_wasm
  log "go: $(/usr/lib/go-1.23/bin/go version)"
  if [ -x "$RUST_WEB_DIR/bin/rustc" ]; then log "rust: $("$RUST_WEB_DIR/bin/rustc" --version)"; fi
  log "bwrap: $(bwrap --version)"
  log "done in $((SECONDS - started)) s"
  return "$status"
}

main "$@"
