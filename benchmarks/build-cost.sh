#!/usr/bin/env bash
# What users pay to depend on a generated client: generated lines of code, and a
# clean `cargo build --release` (time and crates compiled) of a throwaway crate that
# depends on gigs-connect, against one holding progenitor's output for the same spec
# with progenitor-client. Each build gets its own temp dir and CARGO_TARGET_DIR;
# the two are built in alternation, RUNS times each (default 5).
#
# Usage: benchmarks/build-cost.sh            (RUNS=3 benchmarks/build-cost.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CARGO_TERM_COLOR=never

# Lines that are neither blank nor comments (`//…`, `/* … */` blocks, doc comments).
code_lines() {
    awk '
        in_block { if ($0 ~ /\*\//) in_block = 0; next }
        /^[ \t]*\/\*/ { if ($0 !~ /\*\//) in_block = 1; next }
        /^[ \t]*(\/\/|$)/ { next }
        { n++ }
        END { print n + 0 }
    ' "$@"
}

cargo run -q -p benchmarks --bin progenitor-source > "$work/progenitor.rs"
registry_src=$(dirname "$(find "${CARGO_HOME:-$HOME/.cargo}/registry/src" -maxdepth 2 -type d -name 'progenitor-client-0.15.*' | sort | tail -1)")
progenitor_client_src=$(find "$registry_src" -maxdepth 1 -type d -name 'progenitor-client-0.15.*' | sort | tail -1)/src
ours_generated=(gigs-connect/src/generated/*.rs)
ours_runtime=$(find gigs-connect/src -maxdepth 1 -name '*.rs' | sort)

echo "## Generated code"
echo
echo "| | total lines | code lines (no blanks or comments) |"
echo "| --- | --- | --- |"
echo "| gigs-connect generated (\`gigs-connect/src/generated/*.rs\`) | $(cat "${ours_generated[@]}" | wc -l) | $(code_lines "${ours_generated[@]}") |"
echo "| progenitor generated (same spec, prettyplease) | $(wc -l < "$work/progenitor.rs") | $(code_lines "$work/progenitor.rs") |"
# shellcheck disable=SC2086
echo "| gigs-connect hand-written runtime (\`gigs-connect/src/*.rs\`) | $(cat $ours_runtime | wc -l) | $(code_lines $ours_runtime) |"
echo "| progenitor-client runtime (\`$(basename "$(dirname "$progenitor_client_src")")/src\`) | $(cat "$progenitor_client_src"/*.rs | wc -l) | $(code_lines "$progenitor_client_src"/*.rs) |"
echo

# The throwaway crates. Both start from this workspace's Cargo.lock, so they build
# the same versions of shared dependencies, and build offline.
mkdir -p "$work/ours/src" "$work/theirs/src"
cat > "$work/ours/Cargo.toml" <<TOML
[package]
name = "uses-gigs-connect"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
gigs-connect = { path = "$root/gigs-connect" }

[workspace]
TOML
echo 'pub use gigs_connect;' > "$work/ours/src/lib.rs"

cat > "$work/theirs/Cargo.toml" <<TOML
[package]
name = "uses-progenitor-output"
version = "0.0.0"
edition = "2024"
publish = false

# What progenitor's output names, plus the TLS backend gigs-connect also uses so
# both clients can reach an https API.
[dependencies]
progenitor-client = "0.15"
reqwest = { version = "0.13", default-features = false, features = ["json", "rustls"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
chrono = { version = "0.4", default-features = false, features = ["serde"] }

[workspace]
TOML
cp "$work/progenitor.rs" "$work/theirs/src/lib.rs"
cp Cargo.lock "$work/ours/Cargo.lock"
cp Cargo.lock "$work/theirs/Cargo.lock"

# One clean release build; prints "seconds crates".
clean_build() {
    local dir=$1
    rm -rf "$dir/target"
    local start end
    start=$(date +%s.%N)
    if ! (cd "$dir" && CARGO_TARGET_DIR="$dir/target" cargo build --release --offline 2> "$dir/build.log"); then
        echo "clean build in $dir failed:" >&2
        tail -30 "$dir/build.log" >&2
        return 1
    fi
    end=$(date +%s.%N)
    echo "$(echo "$end - $start" | bc) $(grep -c '^ *Compiling ' "$dir/build.log")"
}

# median, min and max of the numbers on stdin.
summary() {
    sort -n | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.1f s (%.1f – %.1f s)", m, v[1], v[NR]
    }'
}

: > "$work/ours.times"
: > "$work/theirs.times"
for run in $(seq 1 "$runs"); do
    for side in ours theirs; do
        read -r seconds crates < <(clean_build "$work/$side")
        echo "$seconds" >> "$work/$side.times"
        echo "$crates" > "$work/$side.crates"
        echo "run $run: $side ${seconds}s, $crates crates compiled" >&2
    done
done

echo "## Clean \`cargo build --release\` of a crate that depends on the client ($runs runs each, alternating)"
echo
echo "| | median (min – max) | crates compiled |"
echo "| --- | --- | --- |"
echo "| depends on gigs-connect | $(summary < "$work/ours.times") | $(cat "$work/ours.crates") |"
echo "| progenitor's output + progenitor-client | $(summary < "$work/theirs.times") | $(cat "$work/theirs.crates") |"
paste "$work/ours.times" "$work/theirs.times" | awk '{ print $1 / $2 }' > "$work/ratios"
echo
echo "Build time ratio, ours ÷ progenitor's, run by run: $(summary < "$work/ratios" | sed 's/ s//g')"
