#!/usr/bin/env bash
# Our Standard Webhooks signatures against the reference implementation, in both
# directions. The reference library (standardwebhooks, pinned in requirements.txt)
# is installed here into a venv under the target folder; only python3 (with venv)
# and PyPI are needed.
#
#   1. It signs the test vectors, which must equal the committed fixture
#      gigs-connect/tests/fixtures/webhooks/python-signed.json; `cargo test`
#      verifies that fixture with `Webhook` (tests/webhooks.rs), no Python needed.
#   2. It serves a webhook endpoint; the mock (as a process, with the endpoint
#      registered) delivers a create's and an update's events, signed by our
#      `Webhook::sign`, and the reference library verifies every delivery,
#      a retry after a 503 included.
#
#   bash gigs-connect/webhooks/vectors.sh
#
# Environment: WEBHOOKS_VENV (default $CARGO_TARGET_DIR or target, /webhooks-venv),
# PYTHON (default python3).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

target="${CARGO_TARGET_DIR:-$root/target}"
venv="${WEBHOOKS_VENV:-$target/webhooks-venv}"
work="$(mktemp -d)"
mock_pid=""
cleanup() {
  if [[ -n "$mock_pid" ]]; then kill "$mock_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=../../scripts/python-venv.sh
source "$root/scripts/python-venv.sh"
ensure_venv "$venv" "$here/requirements.txt" webhooks

echo "== webhooks: the reference library signs the vectors; they must match the fixture"
fixture="gigs-connect/tests/fixtures/webhooks/python-signed.json"
"$venv/bin/python" "$here/reference.py" sign "$work/python-signed.json"
if ! cmp -s "$work/python-signed.json" "$fixture"; then
  diff "$fixture" "$work/python-signed.json" | head -20 >&2 || true
  echo "the reference library signs differently from $fixture (run: $venv/bin/python $here/reference.py sign $fixture)" >&2
  exit 1
fi
echo "-- $(grep -c '"msgId"' "$fixture") vectors, identical to the fixture"

echo "== webhooks: we verify them (cargo test, tests/webhooks.rs)"
cargo test -q -p gigs-connect --features webhooks --test webhooks python 2>&1 | grep -E '^test result|FAILED|panicked' 

echo "== webhooks: the mock delivers, the reference library verifies"
# With schemars too, the features of the test build above: the library is built once.
cargo build --quiet -p gigs-connect-mock --features webhooks --bin gigs-connect-mock
secret="whsec_$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
"$venv/bin/python" "$here/reference.py" deliveries "$secret" "$work/mock.out" "$work/port" &
receiver_pid=$!
for _ in $(seq 100); do
  [[ -s "$work/port" ]] && break
  sleep 0.1
done
[[ -s "$work/port" ]] || { echo "the receiver did not start" >&2; exit 1; }
"$target/debug/gigs-connect-mock" --webhook-endpoint "http://127.0.0.1:$(cat "$work/port")/webhooks" "$secret" >"$work/mock.out" &
mock_pid=$!
wait "$receiver_pid"
