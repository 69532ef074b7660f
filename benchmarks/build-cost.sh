#!/usr/bin/env bash
# What users pay to depend on a generated client: generated lines of code, and a
# clean `cargo build --release` (time and crates compiled) of a throwaway crate that
# depends on gigs-connect (default features, and without them: no schemars), against
# one holding progenitor's output for the same spec with progenitor-client. Each
# build gets its own temp dir and CARGO_TARGET_DIR; the three are built in
# alternation, RUNS times each (default 5). Wall time and CPU time (user + system)
# are both reported: with both cores busy the whole build, CPU time is the steadier
# measure of how much work a dependency is.
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
mkdir -p "$work/ours/src" "$work/lean/src" "$work/theirs/src"
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
sed -e 's/^name = "uses-gigs-connect"/name = "uses-gigs-connect-lean"/' \
    -e 's|^gigs-connect = { path = "\(.*\)" }|gigs-connect = { path = "\1", default-features = false }|' \
    "$work/ours/Cargo.toml" > "$work/lean/Cargo.toml"
grep -q 'default-features = false' "$work/lean/Cargo.toml"
cp "$work/ours/src/lib.rs" "$work/lean/src/lib.rs"

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
cp Cargo.lock "$work/lean/Cargo.lock"
cp Cargo.lock "$work/theirs/Cargo.lock"

# One clean release build; prints "wall-seconds cpu-seconds crates".
clean_build() {
    local dir=$1 timing
    rm -rf "$dir/target"
    if ! timing=$( { TIMEFORMAT='%R %U %S'; time (cd "$dir" && CARGO_TARGET_DIR="$dir/target" cargo build --release --offline 2> "$dir/build.log"); } 2>&1 ); then
        echo "clean build in $dir failed:" >&2
        tail -30 "$dir/build.log" >&2
        return 1
    fi
    read -r wall user sys <<<"$timing"
    echo "$wall $(echo "$user + $sys" | bc) $(grep -c '^ *Compiling ' "$dir/build.log")"
}

# median, min and max of the numbers on stdin, as seconds or (with `ratio`) as a ratio.
summary() {
    sort -n | awk -v kind="${1:-seconds}" '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        if (kind == "ratio") printf "%.2f (%.2f – %.2f)", m, v[1], v[NR]
        else printf "%.1f s (%.1f – %.1f s)", m, v[1], v[NR]
    }'
}

for side in ours lean theirs; do : > "$work/$side.times"; : > "$work/$side.cpu"; done
for run in $(seq 1 "$runs"); do
    for side in ours lean theirs; do
        read -r seconds cpu crates < <(clean_build "$work/$side")
        echo "$seconds" >> "$work/$side.times"
        echo "$cpu" >> "$work/$side.cpu"
        echo "$crates" > "$work/$side.crates"
        echo "run $run: $side ${seconds}s wall, ${cpu}s CPU, $crates crates compiled" >&2
    done
done

echo "## Clean \`cargo build --release\` of a crate that depends on the client ($runs runs each, alternating)"
echo
echo "| | wall: median (min – max) | CPU, user + system: median (min – max) | crates compiled |"
echo "| --- | --- | --- | --- |"
for side in ours lean theirs; do
    case $side in
        ours) label="depends on gigs-connect (default features)" ;;
        lean) label="depends on gigs-connect, \`default-features = false\`" ;;
        theirs) label="progenitor's output + progenitor-client" ;;
    esac
    echo "| $label | $(summary < "$work/$side.times") | $(summary < "$work/$side.cpu") | $(cat "$work/$side.crates") |"
done
echo
for side in ours lean; do
    paste "$work/$side.times" "$work/theirs.times" | awk '{ print $1 / $2 }' > "$work/$side.ratios"
    paste "$work/$side.cpu" "$work/theirs.cpu" | awk '{ print $1 / $2 }' > "$work/$side.cpu-ratios"
    echo "- $side ÷ progenitor's, run by run: wall $(summary ratio < "$work/$side.ratios"), CPU $(summary ratio < "$work/$side.cpu-ratios")"
done
