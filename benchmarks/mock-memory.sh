#!/usr/bin/env bash
# The mock's memory under hostile load, measured on the process: starts the
# release `gigs-connect-mock`, then
#   1. 600 creates of about 1 MB each (a 1,000,000-character `callbackUrl`), each
#      with its own Idempotency-Key, so the store keeps a session and a replay;
#   2. 1,000 authenticated requests with a 60 KB path and a 300 KB header value;
#   3. 1,000 of the same without a token;
# and prints VmHWM (peak) and VmRSS from /proc/PID/status after each step.
# Fails when the peak reaches LIMIT_MB (default 300).
#
#   bash benchmarks/mock-memory.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
limit_mb="${LIMIT_MB:-300}"

cargo build --quiet --release -p gigs-connect-mock --bin gigs-connect-mock
out="$(mktemp)"
"$target/release/gigs-connect-mock" >"$out" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 100); do
  grep -q '^token=' "$out" && break
  sleep 0.1
done

python3 - "$pid" "$out" "$limit_mb" <<'PY'
import http.client, sys, urllib.parse

pid, out, limit_mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
values = dict(line.strip().split("=", 1) for line in open(out) if "=" in line)
host = urllib.parse.urlparse(values["url"]).netloc
project, token = values["project"], values["token"]

def memory():
    fields = {}
    for line in open(f"/proc/{pid}/status"):
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            fields[key] = int(value.split()[0]) // 1024
    return fields

def report(step):
    m = memory()
    print(f"{step:<58} VmHWM {m['VmHWM']:>4} MB  VmRSS {m['VmRSS']:>4} MB", flush=True)
    return m

connection = http.client.HTTPConnection(host, timeout=60)

def send(method, path, headers, body=None):
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    return response.status

report("started")
statuses = {}
for i in range(600):
    body = '{"intent":{"type":"viewSubscriptions"},"callbackUrl":"https://example.com/?%s"}' % (
        "x" * 1_000_000)
    status = send("POST", f"/projects/{project}/connectSessions", {
        "Authorization": f"Bearer {token}", "Content-Type": "application/json",
        "Idempotency-Key": f"memory-{i}"}, body.encode())
    statuses[status] = statuses.get(status, 0) + 1
report(f"600 creates of {len(body):,} bytes (statuses {statuses})")

for with_token in (True, False):
    statuses = {}
    for i in range(1000):
        path = f"/projects/{project}/connectSessions/{i}{'p' * 60_000}"
        headers = {"Content-Type": "application/json; x=" + "c" * 300_000}
        if with_token:
            headers["Authorization"] = f"Bearer {token}"
        status = send("GET", path, headers)
        statuses[status] = statuses.get(status, 0) + 1
    who = "with a token" if with_token else "without a token"
    final = report(f"1,000 requests {who}, 60 KB path, 300 KB header ({statuses})")

peak = final["VmHWM"]
print(f"peak {peak} MB: {'under' if peak < limit_mb else 'OVER'} {limit_mb} MB")
sys.exit(0 if peak < limit_mb else 1)
PY
