#!/usr/bin/env bash
# Conformance of the mock server with the spec, judged by an independent tool:
# schemathesis (pinned in requirements.txt, installed here into a venv) runs its
# examples, coverage (positive and negative), fuzzing (positive and negative) and
# stateful phases against the mock, started as a process on 127.0.0.1, with a
# fixed seed and every check. verdict.py fails the run on any failure except the
# documented business rules it lists, each with its reason.
#
#   bash gigs-connect/conformance/run.sh          # the full run (>= 2,000 cases)
#   bash gigs-connect/conformance/run.sh --quick  # the slice CI runs
#
# Environment: SEED (default 20261123), CONFORMANCE_VENV (default
# $CARGO_TARGET_DIR or target, /conformance-venv), PYTHON (default python3).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

# Cases per operation and phase, and the fewest test cases the run must reach.
if [[ "${1:-}" == "--quick" ]]; then
  max_examples=15; min_cases=300
else
  max_examples=500; min_cases=2000
fi
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

if [[ ! -x "$venv/bin/schemathesis" ]] || ! cmp -s "$here/requirements.txt" "$venv/requirements.txt"; then
  echo "== conformance: installing $(grep -v '^#' "$here/requirements.txt") into $venv"
  "${PYTHON:-python3}" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$venv/requirements.txt"
fi

echo "== conformance: building and starting the mock"
cargo build --quiet -p gigs-connect --features mock --bin gigs-connect-mock
"$target/debug/gigs-connect-mock" >"$work/mock.out" &
mock_pid=$!
for _ in $(seq 100); do
  grep -q '^token=' "$work/mock.out" && break
  sleep 0.1
done
url="$(sed -n 's/^url=//p' "$work/mock.out")"
token="$(sed -n 's/^token=//p' "$work/mock.out")"
[[ -n "$url" && -n "$token" ]] || { echo "the mock did not start" >&2; exit 1; }

echo "== conformance: schemathesis, seed $seed, $max_examples examples per operation and phase"
# One worker and no example database: the same seed generates the same cases.
# schemathesis exits non-zero on the business rules too; verdict.py decides.
"$venv/bin/schemathesis" --config-file "$here/schemathesis.toml" run \
  "$root/spec/connect-sessions.json" \
  --url "$url" --header "Authorization: Bearer $token" \
  --seed "$seed" --max-examples "$max_examples" --workers 1 \
  --mode all --phases examples,coverage,fuzzing,stateful --checks all \
  --continue-on-failure --generation-database none --no-color \
  --report json,ndjson --report-json-path "$work/report.json" \
  --report-ndjson-path "$work/events.ndjson" >"$work/schemathesis.txt" 2>&1 || true
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
