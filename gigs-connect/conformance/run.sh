#!/usr/bin/env bash
# Conformance of the mock server with the spec, judged by an independent tool:
# schemathesis (pinned in requirements.txt, installed here into a venv) runs its
# examples, coverage (positive and negative), fuzzing (positive and negative) and
# stateful phases against the mock, started as a process on 127.0.0.1, with a
# fixed seed and every check. verdict.py fails the run on any failure except the
# documented business rules it lists, each with its reason.
#
# Two specs, one after the other: the real one (spec/connect-sessions.json,
# served by gigs-connect-mock) and the wider-api fixture's merged spec (the real
# one plus fixtures/wider-api/overlay.json, from `cargo xtask wider-spec`, served
# by wider-api-mock: the same mock code handed the fixture's generated tables).
#
#   bash gigs-connect/conformance/run.sh          # the full run (>= 2,000 cases each)
#   bash gigs-connect/conformance/run.sh --quick  # the slice CI runs
#   bash gigs-connect/conformance/run.sh --quick --spec wider   # one spec: real or wider
#
# Environment: SEED (default 20261123), CONFORMANCE_VENV (default
# $CARGO_TARGET_DIR or target, /conformance-venv), PYTHON (default python3).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

# Cases per operation and phase, and the fewest test cases a spec's run must reach.
max_examples=500; min_cases=2000
specs=(real wider)
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) max_examples=15; min_cases=300 ;;
    --spec) specs=("${2:?--spec takes real or wider}"); shift ;;
    *) echo "usage: run.sh [--quick] [--spec real|wider]" >&2; exit 2 ;;
  esac
  shift
done
seed="${SEED:-20261123}"
target="${CARGO_TARGET_DIR:-$root/target}"
venv="${CONFORMANCE_VENV:-$target/conformance-venv}"
work="$(mktemp -d)"
mock_pid=""
cleanup() {
  if [[ -n "$mock_pid" ]]; then kill "$mock_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=../../scripts/python-venv.sh
source "$root/scripts/python-venv.sh"
ensure_venv "$venv" "$here/requirements.txt" conformance

# One spec's run: builds and starts its mock, runs schemathesis, judges the result.
conformance() {
  local name="$1" spec package bin
  case "$name" in
    real) spec="$root/spec/connect-sessions.json"; package=gigs-connect-mock; bin=gigs-connect-mock ;;
    wider)
      spec="$work/wider-api.json"; package=wider-api-mock; bin=wider-api-mock
      cargo run --quiet -p xtask -- wider-spec >"$spec" ;;
    *) echo "unknown spec $name: real or wider" >&2; exit 2 ;;
  esac
  echo "== conformance ($name): building and starting the mock"
  cargo build --quiet -p "$package" --bin "$bin"
  "$target/debug/$bin" >"$work/mock.out" &
  mock_pid=$!
  for _ in $(seq 100); do
    grep -q '^token=' "$work/mock.out" && break
    sleep 0.1
  done
  local url token
  url="$(sed -n 's/^url=//p' "$work/mock.out")"
  token="$(sed -n 's/^token=//p' "$work/mock.out")"
  [[ -n "$url" && -n "$token" ]] || { echo "the mock did not start" >&2; exit 1; }

  echo "== conformance ($name): schemathesis, seed $seed, $max_examples examples per operation and phase"
  # One worker and no example database: the same seed generates the same cases.
  # schemathesis exits non-zero on the business rules too; verdict.py decides.
  "$venv/bin/schemathesis" --config-file "$here/schemathesis.toml" run "$spec" \
    --url "$url" --header "Authorization: Bearer $token" \
    --seed "$seed" --max-examples "$max_examples" --workers 1 \
    --mode all --phases examples,coverage,fuzzing,stateful --checks all \
    --continue-on-failure --generation-database none --no-color \
    --report json,ndjson --report-json-path "$work/report.json" \
    --report-ndjson-path "$work/events.ndjson" >"$work/schemathesis.txt" 2>&1 || true
  kill "$mock_pid" 2>/dev/null || true
  wait "$mock_pid" 2>/dev/null || true
  mock_pid=""
  sed -n '/^Test cases:/,/^$/p' "$work/schemathesis.txt"
  tail -1 "$work/schemathesis.txt"
  if [[ ! -s "$work/report.json" ]]; then
    cat "$work/schemathesis.txt" >&2
    exit 1
  fi
  "$venv/bin/python" "$here/verdict.py" "$work/events.ndjson" "$work/report.json" "$min_cases" || {
    sed -n '/FAILURES/,/SUMMARY/p' "$work/schemathesis.txt" >&2
    exit 1
  }
  rm -f "$work/report.json" "$work/events.ndjson"
}

for spec in "${specs[@]}"; do
  conformance "$spec"
done
