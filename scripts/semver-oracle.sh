#!/usr/bin/env bash
# Holds `cargo xtask semver` to cargo-semver-checks (the oracle: it sees only the
# Rust API) on the corpus of spec edits in fixtures/spec-edits/. For each edit it
# generates the crate before and after (scratch workspaces under target/, see
# xtask/src/scratch.rs), runs cargo-semver-checks on the pair and compares its
# answer to ours: breaking (major) or not.
#
#   bash scripts/semver-oracle.sh                 # every edit
#   bash scripts/semver-oracle.sh 04-new-enum-value 05-removed-enum-value   # a slice
#
# cargo-semver-checks is installed (pinned) with `cargo install --root` into
# ${CARGO_HOME:-~/.cargo}/semver-checks-<version> when that version is missing. Prints a Markdown table and the agreement count; exits 1 on a
# disagreement, except where the edit's file names a known gap of the oracle
# (`oracle_gap`: a lint cargo-semver-checks does not have).
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=0.51.0
target_dir="$(realpath -m "${CARGO_TARGET_DIR:-target}")"
work="$target_dir/semver-oracle"
# The tool lives under CARGO_HOME, one root per version: CI runs on fresh clones
# (and `target/` goes with them), the tool must outlive them.
tools="${CARGO_HOME:-$HOME/.cargo}/semver-checks-$VERSION"
mkdir -p "$work"
if ! "$tools/bin/cargo-semver-checks" --version 2>/dev/null | grep -q "$VERSION"; then
    echo "installing cargo-semver-checks $VERSION into $tools" >&2
    cargo install --quiet --locked --root "$tools" cargo-semver-checks --version "$VERSION" >&2
fi
export PATH="$tools/bin:$PATH"
# Everything the scratch workspaces need is in Cargo.lock and already fetched.
export CARGO_NET_OFFLINE=true

# One scratch workspace per edit, and our verdicts.
layout="$(cargo xtask spec-edits "$work/workspaces" "$@")"

# The scratch workspaces share one target folder, so the dependencies build once.
export CARGO_TARGET_DIR="$work/target"
agree=0
known=0
total=0
echo "| edit | Gigs calls it | cargo xtask semver | cargo-semver-checks | agree |"
echo "|---|---|---|---|---|"
while IFS=$'\t' read -r name ours gigs gap; do
    log="$work/$name.log"
    # --release-type patch: any lint that needs more than a patch release fails and
    # says which bump it needs. `webhooks` on: the event types are part of the API
    # (the other features add runtime, not generated items).
    if cargo semver-checks check-release -p wider-api \
        --manifest-path "$work/workspaces/$name/Cargo.toml" \
        --baseline-root "$work/workspaces/base" \
        --only-explicit-features --features webhooks --release-type patch >"$log" 2>&1; then
        theirs="no lint"
        theirs_breaking=no
    elif grep -q "requires new major version" "$log"; then
        theirs="major"
        theirs_breaking=yes
    elif grep -q "requires new minor version" "$log"; then
        theirs="minor"
        theirs_breaking=no
    else
        echo "cargo-semver-checks failed on $name; see $log" >&2
        cat "$log" >&2
        exit 2
    fi
    ours_breaking=no
    if [[ "$ours" == major ]]; then ours_breaking=yes; fi
    total=$((total + 1))
    if [[ "$ours_breaking" == "$theirs_breaking" ]]; then
        agree=$((agree + 1)); verdict=yes
    elif [[ -n "$gap" ]]; then
        known=$((known + 1)); verdict="no, a known gap: $gap"
    else
        verdict=NO
    fi
    echo "| $name | $gigs | $ours | $theirs | $verdict |"
done <<<"$layout"
echo
echo "agreement on breaking or not: $agree of $total ($known known gaps of the oracle)"
[[ $((agree + known)) == "$total" ]]
