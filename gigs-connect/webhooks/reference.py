"""The Standard Webhooks reference library (Python) on our side of the wire.

    reference.py sign OUT.json
        Signs the test vectors (fixed secrets, ids, timestamps and bodies) with the
        reference library; gigs-connect's tests verify them with `Webhook`.
    reference.py deliveries SECRET MOCK_OUT PORT_FILE
        Serves a webhook endpoint on 127.0.0.1 (its port written to PORT_FILE),
        waits for the mock's `url=`/`project=`/`token=` in MOCK_OUT, creates and
        updates a session through the mock, and verifies every delivery the mock
        makes with the reference library. The first delivery is answered 503, so
        the mock's retry (same webhook-id, fresh signature) is verified too.
"""

import base64
import json
import sys
import threading
import time
import urllib.request
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

SECRETS = [
    # whsec_ and padded base64 (24 bytes: no padding needed), as Svix shows them.
    "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    # 32 bytes with `=` padding, and the same without the prefix.
    "whsec_" + base64.b64encode(bytes(range(1, 33))).decode(),
    base64.b64encode(bytes(range(1, 33))).decode(),
    # 31 bytes: unpadded base64 after the prefix.
    "whsec_" + base64.b64encode(bytes(range(100, 131))).decode().rstrip("="),
    # 64 bytes, a block-sized HMAC key.
    "whsec_" + base64.b64encode(bytes(range(64))).decode(),
]

URL = "https://connect.gigs.com/entry?session=csn_0SNlurA049MEWV1GWxpaE5D0t2D6&token=lzODbEyaUQjVRAmalD4pdaq5Nkn1Lw0q"
SESSION = {
    "object": "connectSession",
    "id": "csn_0SNlurA049MEWV1GWxpaE5D0t2D6",
    "callbackUrl": "https://example.com/connect/done",
    "intent": {"type": "checkoutNewSubscription", "checkoutNewSubscription": {"plan": "pln_0SNlurA049MEWV3V0q7gjQbM4EVo"}},
    "url": URL,
    "user": "usr_0SNlurA049MEWV4OpCwsNyC9Kn2d",
}


def envelope(event_type, data, **extra):
    event = {
        "object": "event",
        "id": "evt_0SNlurA049MEWV2gSfSxi00xlPIi",
        "type": event_type,
        "specversion": "1.0",
        "source": "https://api.gigs.com",
        "project": "dev-project",
        "time": "2024-10-28T12:00:00Z",
        "version": "2024-10-28",
        "datacontenttype": "application/json",
        "data": data,
    }
    event.update(extra)
    return event


BODIES = [
    ("created", json.dumps(envelope("com.gigs.connectSession.created", SESSION))),
    ("updated", json.dumps(envelope(
        "com.gigs.connectSession.updated",
        dict(SESSION, callbackUrl="https://example.com/new"),
        previousData={"callbackUrl": None, "appearance": {"theme": "dark"}, "futureField": 1},
    ), indent=2)),
    ("unknown type", json.dumps(envelope("com.gigs.subscription.activated", {"object": "subscription", "id": "sub_1"}))),
    ("non-ASCII text", json.dumps(envelope("com.gigs.connectSession.created", dict(SESSION, user="usr_Zoë✓")), ensure_ascii=False)),
]


def sign(out):
    vectors = []
    for i, secret in enumerate(SECRETS):
        for j, (about, body) in enumerate(BODIES):
            msg_id = f"msg_2h{i}{j}ZFOqQ1tqYkG5Wbi9xh8lFVT"
            timestamp = 1732000000 + 997 * i + 13 * j
            webhook = Webhook(secret)
            signature = webhook.sign(msg_id, datetime.fromtimestamp(timestamp, tz=timezone.utc), body)
            # A header with a v1 of another secret and a future version before ours.
            other = Webhook(SECRETS[(i + 1) % len(SECRETS)]).sign(msg_id, datetime.fromtimestamp(timestamp, tz=timezone.utc), body)
            vectors.append({
                "about": about,
                "secret": secret,
                "msgId": msg_id,
                "timestamp": timestamp,
                "body": body,
                "signature": signature,
                "signatureHeader": f"v2,{signature[3:]} {other} {signature}",
            })
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"generatedBy": "gigs-connect/webhooks/reference.py with standardwebhooks==1.1.0", "vectors": vectors}, f, indent=2, ensure_ascii=False)
        f.write("\n")


def deliveries(secret, mock_out, port_file):
    webhook = Webhook(secret)
    received = []
    lock = threading.Lock()

    class Endpoint(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["content-length"]))
            headers = {k: v for k, v in self.headers.items()}
            try:
                event = webhook.verify(body, headers)
                verdict = None
            except WebhookVerificationError as e:
                event, verdict = None, str(e)
            # A control: the same headers over a changed body must not verify.
            try:
                webhook.verify(body + b" ", headers)
                verdict = verdict or "a changed body verified too"
            except WebhookVerificationError:
                pass
            with lock:
                first = not received
                received.append((headers.get("webhook-id"), event, verdict))
            self.send_response(503 if first else 204)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with open(port_file, "w") as f:
        f.write(str(server.server_address[1]))

    mock = {}
    for _ in range(600):
        try:
            mock = dict(line.strip().split("=", 1) for line in open(mock_out) if "=" in line)
        except FileNotFoundError:
            pass
        if "token" in mock:
            break
        time.sleep(0.1)
    else:
        sys.exit("the mock did not start")

    def call(method, path, body):
        request = urllib.request.Request(
            mock["url"] + path, method=method, data=json.dumps(body).encode(),
            headers={"Authorization": "Bearer " + mock["token"], "Content-Type": "application/json"})
        with urllib.request.urlopen(request) as response:
            return json.load(response)

    base = f"/projects/{mock['project']}/connectSessions"
    session = call("POST", base, {"intent": {"type": "viewSubscriptions"}, "callbackUrl": "https://example.com/a"})
    call("PATCH", f"{base}/{session['id']}", {"callbackUrl": "https://example.com/b"})

    # create (503, then its retry) and update: three verified deliveries.
    deadline = time.time() + 30
    while time.time() < deadline:
        with lock:
            if len(received) >= 3:
                break
        time.sleep(0.05)
    server.shutdown()

    failures = [verdict for _, _, verdict in received if verdict]
    events = [event for _, event, verdict in received if not verdict]
    ids = [msg_id for msg_id, _, _ in received]
    print(f"deliveries received: {len(received)}, verified by standardwebhooks: {len(events)}")
    checks = [
        (len(received) == 3, "three deliveries (the create's twice: the first answered 503)"),
        (not failures, f"every signature verifies, and none over a changed body: {failures}"),
        (len(set(ids)) == 2 and ids.count(ids[0]) == 2, "the retry keeps its webhook-id; the update has its own"),
        (sorted(e["type"] for e in events) == ["com.gigs.connectSession.created"] * 2 + ["com.gigs.connectSession.updated"], "the event types"),
        (any(e.get("previousData") == {"callbackUrl": "https://example.com/a"} for e in events), "previousData holds the old callbackUrl"),
        (all(e["data"]["id"] == session["id"] for e in events), "data is the session"),
    ]
    ok = True
    for passed, what in checks:
        print(("ok   " if passed else "FAIL ") + what)
        ok = ok and passed
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "sign" and len(sys.argv) == 3:
        sign(sys.argv[2])
    elif command == "deliveries" and len(sys.argv) == 5:
        deliveries(*sys.argv[2:])
    else:
        sys.exit(__doc__)
