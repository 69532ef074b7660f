#!/usr/bin/env bash
# The TLS default's build cost (issue 28): clean debug builds of a user's crate that
# depends on gigs-connect and builds a plain `reqwest::Client::new()` of its own,
# (1) with `rustls-ring` (reqwest's `rustls-no-provider`: that plain client panics
# at run time) and (2) with `rustls-aws-lc` through reqwest's own `rustls` feature
# (the default since issue 28: no panic). Prints wall and CPU time, the load
# average around each build (say it with any figure) and the crates in the tree.
#
# Usage: benchmarks/tls-choice.sh
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$(cd "$(dirname "$0")/.." && pwd)
for variant in ring-noprovider awslc-reqwest-rustls; do
  user=$work/$variant
  rm -rf "$user"; mkdir -p "$user/src"
  echo 'fn main() { let _ = reqwest::Client::new(); }' > "$user/src/main.rs"
  case $variant in
    ring-noprovider) dep='gigs-connect = { path = "'$root'/gigs-connect", default-features = false, features = ["rustls-ring", "idna-unicode-rs"] }' ;;
    awslc-reqwest-rustls) dep='gigs-connect = { path = "'$root'/gigs-connect", default-features = false, features = ["rustls-aws-lc", "idna-unicode-rs"] }' ;;
  esac
  # The user's own reqwest has no TLS feature: the case that panicked.
  extra='reqwest = { version = "0.13", default-features = false }'
  cat > "$user/Cargo.toml" <<TOML
[package]
name = "user"
version = "0.0.0"
edition = "2024"
publish = false
[dependencies]
$dep
$extra
[workspace]
TOML
  cp $root/Cargo.lock "$user/"
  cd "$user"
  cargo fetch -q
  echo "== $variant load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/time -f "$variant wall %e s user %U s sys %S s" cargo build -q --offline 2>&1 | tail -3
  echo "== $variant load after: $(cut -d' ' -f1-3 /proc/loadavg); crates: $(cargo tree -e normal --prefix none | sed 's/ (\*)//' | sort -u | wc -l)"
  echo "== $variant: the user's plain reqwest::Client::new() $(./target/debug/user >/dev/null 2>&1 && echo builds || echo panics)"
done
