#!/usr/bin/env bash
# gigs-connect's normal dependency tree as a user's project sees it, one line per
# unique crate (`name vX.Y.Z`), sorted. The project is a crate of its own that
# depends on this checkout's gigs-connect, resolved from this workspace's Cargo.lock
# and then with idna_adapter free to move as far as gigs-connect's features let it:
# inside the workspace the lock holds idna_adapter 1.1 for every crate (our other
# crates ask for it), whatever gigs-connect's defaults say, so only a crate of its
# own shows what a user gets. `.ci/run` and `build-cost.sh` (section `tree`) use it.
#
# Usage: benchmarks/user-tree.sh ['<more keys of the dependency>']
#   benchmarks/user-tree.sh                          (default features)
#   benchmarks/user-tree.sh ', default-features = false, features = ["rustls-ring"]'
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
user=$(mktemp -d)
trap 'rm -rf "$user"' EXIT
mkdir "$user/src"
echo 'fn main() {}' > "$user/src/main.rs"
cat > "$user/Cargo.toml" <<TOML
[package]
name = "user"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
gigs-connect = { path = "$root/gigs-connect"${1:-} }

[workspace]
TOML
cp "$root/Cargo.lock" "$user/"
cd "$user"
cargo update -q -p idna_adapter
cargo tree -p gigs-connect -e normal --prefix none | sed 's/ (\*)//' | sort -u
