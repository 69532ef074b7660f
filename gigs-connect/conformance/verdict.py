"""Reads schemathesis' reports of one run and decides it: every failed check is
a failure unless it is one of the business rules below, which the spec states in
prose (no schema can) and which schemathesis therefore reports as "schema-valid
request rejected". Prints the summary; exits non-zero on any other failure, on
errors, or when fewer test cases ran than asked for."""

import base64
import json
import sys
from collections import Counter

# Business rules: (check, HTTP status, Gigs error code) -> why a schema-valid
# request is still refused.
BUSINESS_RULES = {
    ("positive_data_acceptance", 400, "userAlreadyExists"):
        "UserDetails: `email` must not exist in the project yet; schemathesis "
        "reuses emails (the spec's example, its own fixed strings)",
    ("positive_data_acceptance", 400, "connectSessionUserAlreadySet"):
        "UpdateConnectSessionRequest: `user`/`userDetails` can only be set while "
        "the session has no user; a stateful run updates sessions that already "
        "have one",
    # The wider-api fixture's list (conformance/run.sh --spec wider).
    ("positive_data_acceptance", 400, "parameterConflict"):
        "A list's `after` and `before` cursors are mutually exclusive (Gigs' list "
        "convention); both are optional, so schemathesis sends them together",
    ("positive_data_acceptance", 400, "parameterOutOfRange"):
        "An integer parameter past the range a client can send (an i64): a schema "
        "without `maximum` allows any integer; the mock says it is out of range",
    ("positive_data_acceptance", 400, "cursorInvalid"):
        "A list's `after`/`before` is the id of an item of the list; schemathesis "
        "invents ids",
}


def response_code(interaction):
    """The Gigs error `code` of a recorded response, or None."""
    body = (interaction or {}).get("response", {}).get("content") or ""
    if isinstance(body, dict):
        body = base64.b64decode(body.get("$base64", "")).decode("utf-8", "replace")
    try:
        return json.loads(body).get("code")
    except (ValueError, AttributeError):
        return None


def main(ndjson_path, json_path, min_cases):
    allowed, other = Counter(), []
    with open(ndjson_path, encoding="utf-8") as events:
        for line in events:
            event = json.loads(line).get("ScenarioFinished")
            if not event:
                continue
            interactions = event["recorder"].get("interactions") or {}
            for case_id, checks in (event["recorder"].get("checks") or {}).items():
                for check in checks:
                    if check["status"] != "failure":
                        continue
                    interaction = interactions.get(case_id)
                    status = ((interaction or {}).get("response") or {}).get("status_code")
                    key = (check["name"], status, response_code(interaction))
                    if key in BUSINESS_RULES:
                        allowed[key] += 1
                    else:
                        failure = check.get("failure_info", {}).get("failure", {})
                        other.append((event["recorder"]["label"], key, failure.get("title")))
    with open(json_path, encoding="utf-8") as report:
        report = json.load(report)
    cases = report["test_cases"]["generated"]
    print(f"conformance: {cases} test cases over {report['operations']['tested']} operations, "
          f"seed {report['seed']}, phases "
          + ", ".join(f"{name} {p['status']}" for name, p in report["phases"].items()))
    for (check, status, code), count in sorted(allowed.items()):
        print(f"conformance: allowed business rule {code} ({status}, {check}) x{count}: "
              f"{BUSINESS_RULES[(check, status, code)]}")
    for label, (check, status, code), title in other:
        print(f"conformance: FAILURE {label}: {title} ({check}, status {status}, code {code})")
    ok = True
    if other:
        print(f"conformance: {len(other)} failures outside the business rules")
        ok = False
    if report["errors"]:
        print(f"conformance: {len(report['errors'])} errors: {report['errors']}")
        ok = False
    if not report["complete"] or cases < min_cases:
        print(f"conformance: the run is incomplete or ran {cases} < {min_cases} cases")
        ok = False
    print(f"conformance: {'passed' if ok else 'FAILED'}: {len(other)} failures outside "
          f"{len(BUSINESS_RULES)} documented business rules, {sum(allowed.values())} allowed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
