#!/usr/bin/env bash
# What users pay for gigs-connect in build time, measured from the outside with cargo:
#
#   lines       generated lines of code, ours and progenitor's, for the same spec
#   first       the README's first command on a fresh clone of this repository
#               (`git clone`, empty target dir, crates already downloaded)
#   downstream  a small binary that retrieves a session, built clean (debug and
#               release) and rebuilt after touching its main.rs, once on gigs-connect
#               (default features) and once on progenitor's output for the same spec
#               with progenitor-client and reqwest's default features
#   tls         a clean release build of the same binary on gigs-connect with each
#               TLS backend feature, to choose the default
#   idna        the same with the default IDNA back end (unicode-rs) and with ICU4X
#   tree        unique crates in gigs-connect's normal dependency tree, per feature set
#
# Every build gets its own temp dir and CARGO_TARGET_DIR, runs offline from this
# workspace's Cargo.lock (so both sides build the same versions of what they share),
# and is repeated RUNS times (default 3), the sides in alternation. Each figure is
# printed as the median with min – max. Wall time and CPU time (user + system of
# cargo and everything it runs) are both reported: on a shared machine CPU time is
# the steadier measure of how much work a build is; wall time is what a user waits.
#
# Usage: benchmarks/build-cost.sh                     (all sections, RUNS=3)
#        SECTIONS="first tree" RUNS=5 benchmarks/build-cost.sh
# Commit first: `first` clones the repository's HEAD.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${RUNS:-3}
sections=" ${SECTIONS:-lines first downstream tls idna tree} "
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CARGO_TERM_COLOR=never
# Each measured build sets its own CARGO_TARGET_DIR; the workspace's own (for
# progenitor-source) is left as it is.
unset RUSTFLAGS

# The README's first command, as a newcomer types it.
first_command=(cargo run -p gigs-connect-examples --bin quickstart)

wants() { [[ $sections == *" $1 "* ]]; }

# The downstream crates depend on a clone of HEAD, not on the working tree, so that
# edits made while this runs do not change what is measured.
git clone --quiet "$root" "$work/repo"
# progenitor's output for the same spec (built in the workspace's own target dir).
cargo run -q -p benchmarks --bin progenitor-source > "$work/progenitor.rs"

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

# Runs a command in a directory; prints "wall-seconds cpu-seconds" (CPU: user +
# system of the command and all its children). The command's output goes to $log.
timed() {
    local dir=$1 log=$2 timing wall user sys
    shift 2
    if ! timing=$( { TIMEFORMAT='%R %U %S'; time (cd "$dir" && "$@" > "$log" 2>&1); } 2>&1 ); then
        echo "failed in $dir: $*" >&2
        tail -30 "$log" >&2
        return 1
    fi
    read -r wall user sys <<<"$timing"
    echo "$wall $(echo "$user + $sys" | bc)"
}

# median, min and max of the numbers on stdin, as seconds or (with `ratio`) as a ratio.
summary() {
    sort -n | awk -v kind="${1:-seconds}" '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        if (kind == "ratio") printf "%.2f (%.2f – %.2f)", m, v[1], v[NR]
        else printf "%.1f s (%.1f – %.1f s)", m, v[1], v[NR]
    }'
}

# Run by run ratios of two files of numbers, summarised.
ratios() { paste "$1" "$2" | awk '{ print $1 / $2 }' | summary ratio; }

load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "Measured at commit $(git rev-parse --short HEAD) with $(rustc --version), $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M') UTC; load average at start $(load)."
echo

if wants lines; then
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
fi

if wants first; then
    : > "$work/first.wall"; : > "$work/first.cpu"
    for run in $(seq 1 "$runs"); do
        rm -rf "$work/fresh"
        git clone --quiet "$work/repo" "$work/fresh"
        before=$(load)
        read -r wall cpu < <(timed "$work/fresh" "$work/first.log" \
            env -u GIGS_TOKEN -u GIGS_PROJECT CARGO_TARGET_DIR="$work/fresh/target" "${first_command[@]}" --offline)
        grep -q '^updated ' "$work/first.log"
        echo "$wall" >> "$work/first.wall"
        echo "$cpu" >> "$work/first.cpu"
        crates=$(grep -c '^ *Compiling ' "$work/first.log")
        echo "first command, run $run: ${wall}s wall, ${cpu}s CPU, $crates crates compiled (load before: $before)" >&2
    done
    echo "## The README's first command on a fresh clone ($runs runs)"
    echo
    echo "\`git clone\` of this repository, empty target dir, crates already downloaded, then \`${first_command[*]}\`."
    echo
    echo "| wall: median (min – max) | CPU, user + system | crates compiled | compiles axum, proptest, criterion, progenitor or aws-lc? |"
    echo "| --- | --- | --- | --- |"
    heavy=$(grep -cE '^ *Compiling (axum|proptest|criterion|progenitor|aws-lc)' "$work/first.log" || true)
    echo "| $(summary < "$work/first.wall") | $(summary < "$work/first.cpu") | $crates | $([ "$heavy" = 0 ] && echo no || echo "yes ($heavy)") |"
    echo
fi

# A downstream binary: `ours` on gigs-connect, `theirs` on progenitor's output.
make_downstream() {
    local dir=$1 dependency=$2
    mkdir -p "$dir/src"
    cat > "$dir/Cargo.toml" <<TOML
[package]
name = "downstream"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
$dependency
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }

[workspace]
TOML
    cp "$work/repo/Cargo.lock" "$dir/Cargo.lock"
}

# Resolves and downloads what a crate needs beyond this workspace's lock, before
# any timing: every measured build is offline. idna_adapter, which picks the IDNA
# back end of the whole build, moves as far as the crate's own dependencies let it:
# to ICU4X (1.2) unless gigs-connect's `idna-unicode-rs` feature holds it at 1.1,
# as in a user's fresh project (this workspace's lock has 1.1 for every crate).
fetch() { (cd "$1" && cargo update -q -p idna_adapter && cargo fetch -q); }

make_ours() {
    make_downstream "$1" "gigs-connect = { path = \"$work/repo/gigs-connect\"$2 }"
    cat > "$1/src/main.rs" <<'RUST'
//! Retrieves the Connect Session named on the command line.
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let id = std::env::args().nth(1).ok_or("usage: downstream SESSION_ID")?;
    let client = gigs_connect::Client::builder()
        .project(std::env::var("GIGS_PROJECT")?)
        .token(std::env::var("GIGS_TOKEN")?)
        .build()?;
    let session = client.retrieve_connect_session(&id).await?;
    println!("{} {}", session.id, session.intent.tag());
    Ok(())
}
RUST
}

make_theirs() {
    make_downstream "$1" "# What progenitor's output names; reqwest with its default features.
progenitor-client = \"0.15\"
reqwest = { version = \"0.13\", features = [\"json\"] }
serde = { version = \"1\", features = [\"derive\"] }
serde_json = \"1\"
chrono = { version = \"0.4\", default-features = false, features = [\"serde\"] }"
    cp "$work/progenitor.rs" "$1/src/client.rs"
    cat > "$1/src/main.rs" <<'RUST'
//! Retrieves the Connect Session named on the command line.
#[allow(clippy::all, unused)]
mod client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let id = std::env::args().nth(1).ok_or("usage: downstream SESSION_ID")?;
    let project = std::env::var("GIGS_PROJECT")?;
    let mut headers = reqwest::header::HeaderMap::new();
    let mut bearer: reqwest::header::HeaderValue =
        format!("Bearer {}", std::env::var("GIGS_TOKEN")?).parse()?;
    bearer.set_sensitive(true);
    headers.insert(reqwest::header::AUTHORIZATION, bearer);
    let http = reqwest::Client::builder().default_headers(headers).build()?;
    let client = client::Client::new_with_client("https://api.gigs.com", http);
    let session = client.retrieve_connect_session(&project, &id).await?.into_inner();
    println!("{} {:?}", session.id, session.intent);
    Ok(())
}
RUST
}

# A clean build of the crate in $1 with extra cargo arguments; prints "wall cpu crates".
clean_build() {
    local dir=$1 wall cpu
    shift
    rm -rf "$dir/target"
    read -r wall cpu < <(timed "$dir" "$dir/build.log" env CARGO_TARGET_DIR="$dir/target" cargo build --offline "$@")
    echo "$wall $cpu $(grep -c '^ *Compiling ' "$dir/build.log")"
}

if wants downstream; then
    make_ours "$work/ours" ""
    make_theirs "$work/theirs"
    fetch "$work/ours"; fetch "$work/theirs"
    for f in ours theirs; do for k in release debug touch; do : > "$work/$f.$k.wall"; : > "$work/$f.$k.cpu"; done; done
    for run in $(seq 1 "$runs"); do
        for side in ours theirs; do
            before=$(load)
            read -r wall cpu crates < <(clean_build "$work/$side" --release)
            echo "$wall" >> "$work/$side.release.wall"; echo "$cpu" >> "$work/$side.release.cpu"
            echo "$crates" > "$work/$side.release.crates"
            echo "downstream, run $run, $side release: ${wall}s wall, ${cpu}s CPU, $crates crates (load before: $before)" >&2
            before=$(load)
            read -r wall cpu crates < <(clean_build "$work/$side")
            echo "$wall" >> "$work/$side.debug.wall"; echo "$cpu" >> "$work/$side.debug.cpu"
            echo "$crates" > "$work/$side.debug.crates"
            echo "downstream, run $run, $side debug: ${wall}s wall, ${cpu}s CPU, $crates crates (load before: $before)" >&2
            # The edit-compile loop: touch main.rs and build again (debug, incremental).
            touch "$work/$side/src/main.rs"
            read -r wall cpu < <(timed "$work/$side" "$work/$side/touch.log" env CARGO_TARGET_DIR="$work/$side/target" cargo build --offline)
            grep -q '^ *Compiling downstream' "$work/$side/touch.log"
            echo "$wall" >> "$work/$side.touch.wall"; echo "$cpu" >> "$work/$side.touch.cpu"
            echo "downstream, run $run, $side rebuild after touching main.rs: ${wall}s wall, ${cpu}s CPU" >&2
        done
    done
    echo "## A downstream binary: clean builds and the rebuild after an edit ($runs runs each, alternating)"
    echo
    echo "| build | on gigs-connect (default features): wall | CPU | crates | on progenitor's output (reqwest defaults): wall | CPU | crates |"
    echo "| --- | --- | --- | --- | --- | --- | --- |"
    for kind in release debug touch; do
        case $kind in
            release) label="clean \`cargo build --release\`" ;;
            debug) label="clean \`cargo build\`" ;;
            touch) label="\`cargo build\` after touching \`src/main.rs\`" ;;
        esac
        crates_ours=$(cat "$work/ours.$kind.crates" 2>/dev/null || echo 1)
        crates_theirs=$(cat "$work/theirs.$kind.crates" 2>/dev/null || echo 1)
        echo "| $label | $(summary < "$work/ours.$kind.wall") | $(summary < "$work/ours.$kind.cpu") | $crates_ours | $(summary < "$work/theirs.$kind.wall") | $(summary < "$work/theirs.$kind.cpu") | $crates_theirs |"
    done
    echo
    echo "| ours ÷ progenitor's, run by run | wall | CPU |"
    echo "| --- | --- | --- |"
    for kind in release debug touch; do
        echo "| $kind | $(ratios "$work/ours.$kind.wall" "$work/theirs.$kind.wall") | $(ratios "$work/ours.$kind.cpu" "$work/theirs.$kind.cpu") |"
    done
    echo
fi

# Clean release builds of the downstream binary on gigs-connect, one per side
# (directories under $work, already made), alternating run by run; a section's
# figures go to $work/<side>.<section>.{wall,cpu,crates}.
release_builds() {
    local section=$1 side before wall cpu crates
    shift
    for side in "$@"; do fetch "$work/$side"; : > "$work/$side.$section.wall"; : > "$work/$side.$section.cpu"; done
    for run in $(seq 1 "$runs"); do
        for side in "$@"; do
            before=$(load)
            read -r wall cpu crates < <(clean_build "$work/$side" --release)
            echo "$wall" >> "$work/$side.$section.wall"; echo "$cpu" >> "$work/$side.$section.cpu"
            echo "$crates" > "$work/$side.$section.crates"
            echo "$section, run $run, $side: ${wall}s wall, ${cpu}s CPU, $crates crates (load before: $before)" >&2
        done
    done
}

if wants tls; then
    make_ours "$work/ring" ", default-features = false, features = [\"rustls-ring\", \"idna-unicode-rs\"]"
    make_ours "$work/aws-lc" ""
    make_ours "$work/native" ", default-features = false, features = [\"native-tls\", \"idna-unicode-rs\"]"
    release_builds tls ring aws-lc native
    echo "## The downstream binary, clean \`cargo build --release\`, per TLS backend ($runs runs each, alternating)"
    echo
    echo "| gigs-connect features | wall: median (min – max) | CPU, user + system | crates compiled |"
    echo "| --- | --- | --- | --- |"
    for side in ring aws-lc native; do
        case $side in
            ring) label="\`rustls-ring\`" ;;
            aws-lc) label="\`rustls-aws-lc\` (default)" ;;
            native) label="\`native-tls\` (system OpenSSL $(pkg-config --modversion openssl 2>/dev/null || echo '?'))" ;;
        esac
        echo "| $label | $(summary < "$work/$side.tls.wall") | $(summary < "$work/$side.tls.cpu") | $(cat "$work/$side.tls.crates") |"
    done
    echo
fi

if wants idna; then
    # Both on rustls with ring, so that only the IDNA back end differs.
    make_ours "$work/unicode-rs" ", default-features = false, features = [\"rustls-ring\", \"idna-unicode-rs\"]"
    make_ours "$work/icu4x" ", default-features = false, features = [\"rustls-ring\"]"
    release_builds idna unicode-rs icu4x
    echo "## The downstream binary, clean \`cargo build --release\`, per IDNA back end ($runs runs each, alternating)"
    echo
    echo "| gigs-connect features | wall: median (min – max) | CPU, user + system | crates compiled |"
    echo "| --- | --- | --- | --- |"
    echo "| \`rustls-ring\`, \`idna-unicode-rs\` (idna_adapter 1.1, unicode-rs) | $(summary < "$work/unicode-rs.idna.wall") | $(summary < "$work/unicode-rs.idna.cpu") | $(cat "$work/unicode-rs.idna.crates") |"
    echo "| \`rustls-ring\` alone (idna_adapter 1.2, ICU4X) | $(summary < "$work/icu4x.idna.wall") | $(summary < "$work/icu4x.idna.cpu") | $(cat "$work/icu4x.idna.crates") |"
    echo
    echo "| default ÷ ICU4X, run by run | wall | CPU |"
    echo "| --- | --- | --- |"
    echo "| release | $(ratios "$work/unicode-rs.idna.wall" "$work/icu4x.idna.wall") | $(ratios "$work/unicode-rs.idna.cpu" "$work/icu4x.idna.cpu") |"
    echo
fi

if wants tree; then
    # In a user's project, per feature set (the clone's user-tree.sh).
    tree_size() { bash "$work/repo/benchmarks/user-tree.sh" "$1" | wc -l; }
    only() { echo ", default-features = false, features = [$1]"; }
    echo "## Unique crates in \`cargo tree -p gigs-connect -e normal\`, in a user's project"
    echo
    echo "| features | crates |"
    echo "| --- | --- |"
    echo "| default (\`rustls-aws-lc\`, \`idna-unicode-rs\`) | $(tree_size "") |"
    echo "| \`rustls-ring\` alone (IDNA through ICU4X) | $(tree_size "$(only '"rustls-ring"')") |"
    echo "| \`rustls-ring\`, \`idna-unicode-rs\` | $(tree_size "$(only '"rustls-ring", "idna-unicode-rs"')") |"
    echo "| \`native-tls\`, \`idna-unicode-rs\` | $(tree_size "$(only '"native-tls", "idna-unicode-rs"')") |"
    echo "| default + \`schemars\` | $(tree_size ', features = ["schemars"]') |"
    echo "| \`idna-unicode-rs\` alone (\`http\` to loopback only) | $(tree_size "$(only '"idna-unicode-rs"')") |"
    echo
fi
