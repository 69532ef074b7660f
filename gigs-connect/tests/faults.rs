//! The fault matrix: the bad days of a production API, played by a real server on
//! 127.0.0.1. Each case asserts the exact error kind (or the success after a safe
//! retry) and how many requests the server saw.

mod support;

use gigs_connect::types::{
    ApiErrorType, CreateConnectSessionRequest, Intent, UpdateConnectSessionRequest,
};
use gigs_connect::{Client, ClientBuilder, Error, MAX_RESPONSE_BYTES, RetryPolicy};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use support::{Response, TestServer};

const SESSION_ID: &str = "csn_0SNlurA049MEWV1GWxpaE5D0t2D6";
const PLAN: &str = "pln_0SNlurA049MEWV3V0q7gjQbM4EVo";

/// The retry policy of these tests: the default two retries, with backoff short
/// enough that a case takes milliseconds.
fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 2,
        backoff_base: Duration::from_millis(1),
        backoff_cap: Duration::from_millis(20),
    }
}

/// A builder for `server` with the test project and token and nothing else set.
fn builder(server: &TestServer) -> ClientBuilder {
    Client::builder()
        .project("acme")
        .token("sk_test_fault_matrix")
        .base_url(server.url())
}

/// A client with [`fast_retries`] and a 300 ms per-attempt timeout.
fn client(server: &TestServer) -> Client {
    builder(server)
        .timeout(Duration::from_millis(300))
        .retry_policy(fast_retries())
        .build()
        .expect("client builds")
}

/// [`client`] with automatic idempotency keys switched off.
fn client_without_keys(server: &TestServer) -> Client {
    builder(server)
        .timeout(Duration::from_millis(300))
        .retry_policy(fast_retries())
        .idempotency_keys(false)
        .build()
        .expect("client builds")
}

fn session_json() -> Value {
    json!({
        "object": "connectSession",
        "id": SESSION_ID,
        "intent": {
            "type": "checkoutNewSubscription",
            "checkoutNewSubscription": { "plan": PLAN }
        },
        "url": null,
        "user": null
    })
}

fn session_response(status: u16) -> Response {
    Response::json(status, &session_json())
}

fn envelope(error_type: &str, code: &str) -> Value {
    json!({
        "object": "error",
        "type": error_type,
        "code": code,
        "message": format!("{code} happened."),
        "hint": "See the docs."
    })
}

fn create_body() -> CreateConnectSessionRequest {
    CreateConnectSessionRequest::new(Intent::checkout_new_subscription(PLAN))
}

async fn retrieve(server: &TestServer) -> Result<gigs_connect::types::ConnectSession, Error> {
    client(server).retrieve_connect_session(SESSION_ID).await
}

/// The `Decode` error's status and reason; panics on any other kind.
fn decode_error(err: &Error) -> (u16, &str, &str) {
    match err {
        Error::Decode {
            status,
            reason,
            excerpt,
            ..
        } => (*status, reason, excerpt),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn slow_headers_past_the_timeout_time_out_after_the_retries() {
    let server = TestServer::start().await;
    for _ in 0..3 {
        server.respond(session_response(200).delay(Duration::from_secs(3)));
    }

    let err = retrieve(&server)
        .await
        .expect_err("every answer is too slow");

    assert!(err.is_timeout(), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(err.status(), None);
    assert_eq!(server.requests().len(), 3, "first attempt plus two retries");
}

#[tokio::test]
async fn a_body_trickling_past_the_timeout_times_out() {
    let server = TestServer::start().await;
    let trickle = |r: Response| r.trickle(8, Duration::from_millis(50));
    for _ in 0..3 {
        server.respond(trickle(session_response(200)));
    }

    let err = retrieve(&server).await.expect_err("the body is too slow");

    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_slow_body_within_the_timeout_is_fine() {
    let server = TestServer::start().await;
    server.respond(session_response(200).trickle(64, Duration::from_millis(5)));

    let session = retrieve(&server).await.expect("slow but in time");

    assert_eq!(session.id, SESSION_ID);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_retried_for_retrieve() {
    let server = TestServer::start().await;
    server.respond(session_response(200).reset_after(20));
    server.respond(session_response(200));

    let session = retrieve(&server).await.expect("the retry succeeds");

    assert_eq!(session.id, SESSION_ID);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_connection_reset_on_every_attempt_is_a_transport_error() {
    let server = TestServer::start().await;
    for _ in 0..3 {
        server.respond(session_response(200).reset_after(20));
    }

    let err = retrieve(&server).await.expect_err("every body is cut");

    assert!(
        matches!(
            err,
            Error::Transport {
                operation: "retrieveConnectSession",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.is_timeout());
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_connection_reset_during_create_is_not_retried_without_idempotency_keys() {
    // The server read the create before the reset: it may have made a session, and
    // without a key a retry could make a second one.
    let server = TestServer::start().await;
    server.respond(session_response(201).reset_after(20));
    server.respond(session_response(201));

    let err = client_without_keys(&server)
        .create_connect_session(&create_body())
        .await
        .expect_err("the create is not retried");

    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(server.single_request().header("idempotency-key"), None);
}

#[tokio::test]
async fn truncated_json_is_a_decode_error() {
    let server = TestServer::start().await;
    let full = serde_json::to_string(&session_json()).unwrap();
    server.respond(Response::text(
        200,
        "application/json",
        &full[..full.len() / 2],
    ));

    let err = retrieve(&server).await.expect_err("half a session");

    let (status, reason, _) = decode_error(&err);
    assert_eq!(status, 200);
    assert!(reason.contains("EOF"), "reason: {reason}");
    assert!(!err.is_retryable());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_200_with_an_html_body_is_a_decode_error_with_an_excerpt() {
    let server = TestServer::start().await;
    server.respond(Response::text(
        200,
        "text/html",
        "<!doctype html><html><body>Captive portal: please log in</body></html>",
    ));

    let err = retrieve(&server).await.expect_err("HTML is not a session");

    let (status, _, excerpt) = decode_error(&err);
    assert_eq!(status, 200);
    assert!(excerpt.starts_with("<!doctype html>"), "excerpt: {excerpt}");
    let headers = err.headers().expect("a decode error keeps its headers");
    assert_eq!(headers["content-type"], "text/html");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_200_with_the_wrong_json_shape_names_the_field() {
    // Both key orders: the payload after `type` decodes straight into its type, the
    // payload before it is buffered first. Either way the path reaches the field.
    let bodies = [
        r#"{"object":"connectSession","id":"csn_1","intent":{"type":"checkoutNewSubscription","checkoutNewSubscription":{"plan":["x"]}}}"#,
        r#"{"object":"connectSession","id":"csn_1","intent":{"checkoutNewSubscription":{"plan":["x"]},"type":"checkoutNewSubscription"}}"#,
    ];
    for body in bodies {
        let server = TestServer::start().await;
        server.respond(Response::text(200, "application/json", body));

        let err = retrieve(&server).await.expect_err("plan is not a string");

        let (status, reason, _) = decode_error(&err);
        assert_eq!(status, 200);
        let path = reason.replace("`: ", ".").replace('`', "");
        assert!(
            path.contains("intent.checkoutNewSubscription.plan"),
            "reason: {reason}"
        );
        assert_eq!(server.requests().len(), 1);
    }
}

#[tokio::test]
async fn a_500_html_page_is_a_decode_error_and_not_retried() {
    let server = TestServer::start().await;
    // A proxy's error page: its own request id is what its operators will ask for.
    server.respond(
        Response::text(
            500,
            "text/html",
            "<html><body><h1>500 Internal Server Error</h1></body></html>",
        )
        .header("cf-ray", "8f1c2a3b4d5e6f70-AMS"),
    );

    let err = retrieve(&server).await.expect_err("a 500 is an error");

    let (status, reason, excerpt) = decode_error(&err);
    assert_eq!(status, 500);
    assert!(reason.contains("not a Gigs error envelope"), "{reason}");
    assert!(excerpt.contains("500 Internal Server Error"), "{excerpt}");
    let headers = err.headers().expect("a decode error keeps its headers");
    assert_eq!(headers["cf-ray"], "8f1c2a3b4d5e6f70-AMS");
    assert!(
        !err.to_string().contains("8f1c2a3b"),
        "headers stay out of Display"
    );
    assert!(!err.is_retryable());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_502_then_a_503_then_success_is_retried_twice() {
    let server = TestServer::start().await;
    server.respond(Response::text(502, "text/html", "<h1>Bad Gateway</h1>"));
    server.respond(Response::json(503, &envelope("unavailable", "maintenance")));
    server.respond(session_response(200));

    let session = retrieve(&server).await.expect("the third attempt succeeds");

    assert_eq!(session.id, SESSION_ID);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_504_on_update_is_retried_because_updates_are_absolute() {
    let server = TestServer::start().await;
    server.respond(Response::text(504, "text/plain", "gateway timeout"));
    server.respond(session_response(200));
    let body = UpdateConnectSessionRequest::new().callback_url("https://example.com/back");

    client(&server)
        .update_connect_session(SESSION_ID, &body)
        .await
        .expect("the retry succeeds");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].body, requests[1].body,
        "the retry resends the same body"
    );
}

#[tokio::test]
async fn a_429_with_retry_after_seconds_waits_then_succeeds() {
    let server = TestServer::start().await;
    server.respond(
        Response::json(429, &envelope("rateLimited", "tooManyRequests")).header("retry-after", "1"),
    );
    server.respond(session_response(200));
    let client = builder(&server)
        .retry_policy(RetryPolicy {
            backoff_cap: Duration::from_secs(5),
            ..fast_retries()
        })
        .build()
        .unwrap();

    let started = Instant::now();
    client
        .retrieve_connect_session(SESSION_ID)
        .await
        .expect("the retry succeeds");

    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 was not honoured ({:?})",
        started.elapsed()
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_retry_after_longer_than_the_cap_is_cut_to_the_cap() {
    let server = TestServer::start().await;
    server.respond(Response::new(429).header("retry-after", "3600"));
    server.respond(session_response(200));

    let started = Instant::now();
    retrieve(&server).await.expect("the retry succeeds");

    // The cap is 20 ms; an hour would end the test by timeout, not by this assertion.
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_429_forever_gives_up_after_the_retries_with_the_last_error() {
    let server = TestServer::start().await;
    for attempt in 1..=3 {
        server.respond(Response::json(
            429,
            &envelope("rateLimited", &format!("attempt{attempt}")),
        ));
    }

    let err = retrieve(&server).await.expect_err("rate-limited for ever");

    assert_eq!(err.status(), Some(429));
    assert!(err.is_retryable());
    let api_error = err.api_error().expect("the envelope is kept");
    assert_eq!(
        api_error.r#type,
        ApiErrorType::Unknown("rateLimited".to_owned())
    );
    assert_eq!(
        api_error.code.as_deref(),
        Some("attempt3"),
        "the last error is reported"
    );
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn max_retries_zero_sends_once() {
    let server = TestServer::start().await;
    server.respond(Response::new(503));
    let client = builder(&server).max_retries(0).build().unwrap();

    let err = client
        .retrieve_connect_session(SESSION_ID)
        .await
        .expect_err("503");

    assert_eq!(err.status(), Some(503));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn gigs_client_errors_are_typed_and_never_retried() {
    let cases = [
        (400, "invalid", ApiErrorType::Invalid, "userDetailsInvalid"),
        (
            401,
            "unauthenticated",
            ApiErrorType::Unauthenticated,
            "tokenInvalid",
        ),
        (
            403,
            "permissionDenied",
            ApiErrorType::PermissionDenied,
            "projectForbidden",
        ),
        (
            404,
            "notFound",
            ApiErrorType::NotFound,
            "connectSessionNotFound",
        ),
    ];
    for (status, wire_type, expected_type, code) in cases {
        let server = TestServer::start().await;
        server.respond(Response::json(status, &envelope(wire_type, code)));

        let err = retrieve(&server).await.expect_err("an error status");

        let Error::Api {
            operation,
            status: seen,
            error,
            ..
        } = &err
        else {
            panic!("{status}: expected an API error, got {err:?}");
        };
        assert_eq!(*operation, "retrieveConnectSession");
        assert_eq!(*seen, status);
        assert_eq!(error.r#type, expected_type);
        assert_eq!(error.code.as_deref(), Some(code));
        assert_eq!(error.hint.as_deref(), Some("See the docs."));
        assert!(!err.is_retryable(), "{status}");
        let shown = err.to_string();
        assert!(
            shown.contains(&status.to_string())
                && shown.contains(wire_type)
                && shown.contains(code),
            "{shown}"
        );
        assert_eq!(server.requests().len(), 1, "{status} was retried");
    }
}

#[tokio::test]
async fn an_oversized_body_with_a_content_length_is_refused_unread() {
    let server = TestServer::start().await;
    let huge = vec![b' '; MAX_RESPONSE_BYTES + 1];
    server.respond(
        Response::new(200)
            .header("content-type", "application/json")
            .header("x-request-id", "req_huge")
            .body(huge),
    );

    let err = retrieve(&server).await.expect_err("too large");

    assert!(
        matches!(
            err,
            Error::ResponseTooLarge {
                operation: "retrieveConnectSession",
                status: 200,
                limit: MAX_RESPONSE_BYTES,
                ..
            }
        ),
        "{err:?}"
    );
    let headers = err.headers().expect("a refused body keeps its headers");
    assert_eq!(headers["x-request-id"], "req_huge");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn an_oversized_body_without_a_content_length_is_cut_off_at_the_limit() {
    let server = TestServer::start().await;
    let huge = vec![b' '; MAX_RESPONSE_BYTES * 2];
    server.respond(Response::new(200).body(huge).close_delimited());

    let err = client(&server)
        .create_connect_session(&create_body())
        .await
        .expect_err("too large");

    assert!(
        matches!(err, Error::ResponseTooLarge { status: 200, .. }),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn create_hitting_a_503_is_not_retried_without_idempotency_keys() {
    // A 503 may come from a proxy after Gigs made the session: without an
    // idempotency key, retrying could make a second one. The caller decides.
    let server = TestServer::start().await;
    server.respond(Response::json(503, &envelope("unavailable", "overloaded")));
    server.respond(session_response(201));

    let err = client_without_keys(&server)
        .create_connect_session(&create_body())
        .await
        .expect_err("the 503 is reported");

    assert_eq!(err.status(), Some(503));
    assert!(err.is_retryable(), "the caller may choose to retry");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn create_is_retried_when_the_connection_was_refused() {
    // Bind then drop a listener so the port is (almost certainly) closed: nothing
    // can have reached a server, so retrying the create is safe.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .project("acme")
        .token("sk_test_fault_matrix")
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(fast_retries())
        .build()
        .unwrap();

    let (result, log) = support::capture_logs(client.create_connect_session(&create_body())).await;

    let err = result.expect_err("nothing listens");
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(!err.is_timeout());
    assert_eq!(
        log.matches("retrying").count(),
        2,
        "two retries are logged:\n{log}"
    );
}

// Idempotent creates: every create carries an `Idempotency-Key`, the same on each
// retry, so the failures retrieve and update are retried on are retried for it too.

/// The `Idempotency-Key` of each request the server read, in order.
fn keys(server: &TestServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|r| {
            r.header("idempotency-key")
                .expect("every create carries a key")
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn a_create_that_may_have_reached_the_server_is_retried_with_the_same_key() {
    let faults = [
        ("no answer at all", session_response(201).hang_up()),
        ("reset mid-answer", session_response(201).reset_after(20)),
        (
            "past the per-attempt timeout",
            session_response(201).delay(Duration::from_secs(2)),
        ),
    ];
    for (fault, response) in faults {
        let server = TestServer::start().await;
        server.respond(response);
        server.respond(session_response(201));

        let session = client(&server)
            .create_connect_session(&create_body())
            .await
            .unwrap_or_else(|e| panic!("{fault}: the retry succeeds: {e}"));

        assert_eq!(session.id, SESSION_ID);
        let keys = keys(&server);
        assert_eq!(keys.len(), 2, "{fault}: one retry");
        assert_eq!(keys[0], keys[1], "{fault}: the retry carries the same key");
        let requests = server.requests();
        assert_ne!(
            requests[0].connection, requests[1].connection,
            "{fault}: the retry came on a new connection"
        );
    }
}

#[tokio::test]
async fn a_503_then_a_201_on_create_is_one_retry_with_the_same_key() {
    let server = TestServer::start().await;
    server.respond(Response::json(503, &envelope("unavailable", "overloaded")));
    server.respond(session_response(201));

    let session = client(&server)
        .create_connect_session(&create_body())
        .await
        .expect("the retry succeeds");

    assert_eq!(session.id, SESSION_ID);
    let keys = keys(&server);
    assert_eq!(keys.len(), 2, "exactly one retry");
    assert_eq!(keys[0], keys[1]);
    let requests = server.requests();
    assert_eq!(
        requests[0].body, requests[1].body,
        "the same body is resent"
    );
}

#[tokio::test]
async fn every_retryable_status_on_create_is_retried_with_a_key() {
    for status in [429, 502, 503, 504] {
        let server = TestServer::start().await;
        server.respond(Response::new(status));
        server.respond(session_response(201));

        client(&server)
            .create_connect_session(&create_body())
            .await
            .unwrap_or_else(|e| panic!("{status}: the retry succeeds: {e}"));

        assert_eq!(server.requests().len(), 2, "{status}");
    }
}

#[tokio::test]
async fn a_500_on_create_is_not_retried_even_with_a_key() {
    // Gigs cannot always guarantee that a request that failed with 500 is safe to
    // repeat, key or not.
    let server = TestServer::start().await;
    server.respond(Response::json(500, &envelope("internal", "unknown")));
    server.respond(session_response(201));

    let err = client(&server)
        .create_connect_session(&create_body())
        .await
        .expect_err("the 500 is reported");

    assert_eq!(err.status(), Some(500));
    assert!(!err.is_retryable());
    assert!(server.single_request().header("idempotency-key").is_some());
}

#[tokio::test]
async fn a_400_on_create_is_not_retried() {
    let server = TestServer::start().await;
    server.respond(Response::json(400, &envelope("invalid", "planInvalid")));

    let err = client(&server)
        .create_connect_session(&create_body())
        .await
        .expect_err("the 400 is reported");

    assert_eq!(err.status(), Some(400));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn two_creates_carry_two_different_keys() {
    let server = TestServer::with_fallback(session_response(201)).await;
    let client = client(&server);

    client.create_connect_session(&create_body()).await.unwrap();
    client.create_connect_session(&create_body()).await.unwrap();

    let keys = keys(&server);
    assert_eq!(keys.len(), 2);
    assert_ne!(keys[0], keys[1], "each call has its own key");
    for key in &keys {
        assert_eq!(key.len(), 36, "a UUID: {key}");
        assert_eq!(&key[14..15], "4", "version 4: {key}");
    }
}

#[tokio::test]
async fn retrieve_and_update_carry_no_key() {
    let server = TestServer::with_fallback(session_response(200)).await;
    let client = client(&server);

    client.retrieve_connect_session(SESSION_ID).await.unwrap();
    let body = UpdateConnectSessionRequest::new().callback_url("https://example.com/back");
    client
        .update_connect_session(SESSION_ID, &body)
        .await
        .unwrap();

    for request in server.requests() {
        assert_eq!(
            request.header("idempotency-key"),
            None,
            "{}",
            request.method
        );
    }
}

/// `Retry-After` values a broken or hostile server might send.
const HOSTILE_RETRY_AFTER: &[&str] = &[
    "Sun, 06 Nov 300000000000 08:49:37 GMT",
    "Sun, 06 Nov 9223372036854775807 08:49:37 GMT",
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999999999999999999999",
    "-1",
    "Sun, 06 Nov 1994 99:99:99 GMT",
    "now",
    "",
];

#[tokio::test]
async fn hostile_retry_after_values_on_a_success_never_fail_the_call() {
    // `Retry-After` on a 201 is no reason to lose the session the create made.
    for value in HOSTILE_RETRY_AFTER {
        let server = TestServer::start().await;
        server.respond(session_response(201).header("retry-after", value));

        let session = client(&server)
            .create_connect_session(&create_body())
            .await
            .unwrap_or_else(|e| panic!("{value:?}: {e}"));

        assert_eq!(session.id, SESSION_ID, "{value:?}");
    }
}

#[tokio::test]
async fn hostile_retry_after_values_on_a_503_wait_at_most_the_cap() {
    for value in HOSTILE_RETRY_AFTER {
        let server = TestServer::start().await;
        server.respond(Response::new(503).header("retry-after", value));
        server.respond(session_response(200));

        let started = Instant::now();
        retrieve(&server)
            .await
            .unwrap_or_else(|e| panic!("{value:?}: {e}"));

        // The cap is 20 ms; an uncapped wait would end the test by timeout.
        assert!(started.elapsed() < Duration::from_secs(5), "{value:?}");
        assert_eq!(server.requests().len(), 2, "{value:?}");
    }
}

// The overall deadline: attempts and the waits between them together.

/// A client whose calls have `deadline`, with a per-attempt timeout longer than it.
fn client_with_deadline(server: &TestServer, deadline: Duration) -> Client {
    builder(server)
        .retry_policy(fast_retries())
        .deadline(deadline)
        .build()
        .expect("client builds")
}

/// Asserts `elapsed` is within 10 % above `deadline` (and not before it).
/// The call ended at its deadline: not before it, and long before the 30 s the server
/// holds its answer. The slack is wide because a loaded CI machine (tests run in
/// parallel on 2 cores) can wake the task seconds late; a call that ignored the
/// deadline would still take the full 30 s and fail here.
fn assert_ends_at_the_deadline(elapsed: Duration, deadline: Duration) {
    assert!(
        elapsed >= deadline && elapsed <= deadline * 2,
        "the call took {elapsed:?} for a deadline of {deadline:?}"
    );
}

#[tokio::test]
async fn a_hanging_server_ends_the_call_at_the_deadline() {
    let server = TestServer::start().await;
    server.respond(session_response(200).delay(Duration::from_secs(30)));
    let deadline = Duration::from_secs(5);

    let started = Instant::now();
    let err = client_with_deadline(&server, deadline)
        .retrieve_connect_session(SESSION_ID)
        .await
        .expect_err("no answer in time");

    assert_ends_at_the_deadline(started.elapsed(), deadline);
    assert!(
        matches!(
            err,
            Error::DeadlineExceeded {
                operation: "retrieveConnectSession",
                deadline: d,
                attempts: 1,
                idempotency_key: None,
            } if d == deadline
        ),
        "{err:?}"
    );
    assert!(err.is_timeout());
    assert!(err.is_retryable());
    let shown = err.to_string();
    assert!(
        shown.contains("deadline") && shown.contains("5s"),
        "{shown}"
    );
}

#[tokio::test]
async fn the_deadline_bounds_attempts_and_backoff_together() {
    // Each attempt times out after 1 s and is retried; the deadline ends the third
    // attempt part-way.
    let server = TestServer::start().await;
    for _ in 0..10 {
        server.respond(session_response(200).delay(Duration::from_secs(30)));
    }
    let deadline = Duration::from_millis(2500);
    let client = builder(&server)
        .timeout(Duration::from_secs(1))
        .retry_policy(RetryPolicy {
            max_retries: 10,
            ..fast_retries()
        })
        .deadline(deadline)
        .build()
        .unwrap();

    let started = Instant::now();
    let err = client
        .retrieve_connect_session(SESSION_ID)
        .await
        .expect_err("no answer in time");

    assert_ends_at_the_deadline(started.elapsed(), deadline);
    let Error::DeadlineExceeded { attempts, .. } = err else {
        panic!("expected the deadline, got {err:?}");
    };
    assert_eq!(attempts, 3, "two timed-out attempts, the third cut short");
}

#[tokio::test]
async fn a_per_attempt_timeout_says_so_and_is_not_the_deadline() {
    let server = TestServer::start().await;
    server.respond(session_response(200).delay(Duration::from_secs(30)));
    let client = builder(&server)
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .build()
        .unwrap();

    let err = client
        .retrieve_connect_session(SESSION_ID)
        .await
        .expect_err("too slow");

    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.is_timeout());
    assert!(err.to_string().contains("per-attempt timeout"), "{err}");
}

#[tokio::test]
async fn a_retry_whose_wait_passes_the_deadline_returns_the_last_failure_at_once() {
    let server = TestServer::start().await;
    server.respond(
        Response::json(503, &envelope("unavailable", "maintenance")).header("retry-after", "5"),
    );
    let client = builder(&server)
        .retry_policy(RetryPolicy {
            backoff_cap: Duration::from_secs(10),
            ..fast_retries()
        })
        .deadline(Duration::from_secs(2))
        .build()
        .unwrap();

    let started = Instant::now();
    let err = client
        .retrieve_connect_session(SESSION_ID)
        .await
        .expect_err("the 503 is reported");

    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(err.status(), Some(503), "{err:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn by_default_a_call_gets_30_s_per_attempt_and_60_s_in_all() {
    // Tokio's clock is paused and jumps ahead whenever the test only waits, so the
    // minute passes in moments; the server never answers.
    let server = TestServer::start().await;
    for _ in 0..3 {
        server.respond(session_response(200).delay(Duration::from_secs(3600)));
    }
    let client = builder(&server).build().unwrap();

    let started = tokio::time::Instant::now();
    let err = client
        .retrieve_connect_session(SESSION_ID)
        .await
        .expect_err("no answer");

    assert_eq!(started.elapsed(), gigs_connect::DEFAULT_DEADLINE);
    assert_eq!(gigs_connect::DEFAULT_DEADLINE, Duration::from_secs(60));
    assert!(
        matches!(err, Error::DeadlineExceeded { attempts: 2, .. }),
        "one 30 s attempt timed out, the second was cut at 60 s: {err:?}"
    );
}

#[tokio::test]
async fn a_deadline_too_far_to_represent_is_no_deadline() {
    let server = TestServer::start().await;
    server.respond(Response::new(503));
    server.respond(session_response(200));
    let client = builder(&server)
        .retry_policy(fast_retries())
        .deadline(Duration::MAX)
        .build()
        .unwrap();

    let session = client
        .retrieve_connect_session(SESSION_ID)
        .await
        .expect("retried and answered");

    assert_eq!(session.id, SESSION_ID);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn without_keys_a_create_is_retried_on_no_failure_that_may_have_reached_the_server() {
    let failures = [
        Response::new(201).hang_up(),
        session_response(201).reset_after(20),
        session_response(201).delay(Duration::from_secs(2)),
        Response::new(429),
        Response::new(502),
        Response::new(503),
        Response::new(504),
        Response::new(500),
        Response::json(400, &envelope("invalid", "planInvalid")),
    ];
    for failure in failures {
        let server = TestServer::start().await;
        server.respond(failure.clone());
        server.respond(session_response(201));

        client_without_keys(&server)
            .create_connect_session(&create_body())
            .await
            .expect_err("the failure is reported");

        let request = server.single_request();
        assert_eq!(request.header("idempotency-key"), None, "{failure:?}");
    }
}

#[tokio::test]
async fn without_keys_a_create_is_still_retried_when_the_connection_was_refused() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .project("acme")
        .token("sk_test_fault_matrix")
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(fast_retries())
        .idempotency_keys(false)
        .build()
        .unwrap();

    let (result, log) = support::capture_logs(client.create_connect_session(&create_body())).await;

    assert!(matches!(result, Err(Error::Transport { .. })), "{result:?}");
    assert_eq!(log.matches("retrying").count(), 2, "{log}");
}

/// Requests a server answering 503 with `retry_after` for ever receives in 1.5 s
/// from one call with room for thousands of retries (50 ms base, 400 ms cap).
async fn requests_in_a_storm_of(retry_after: &str) -> usize {
    let server =
        TestServer::with_fallback(Response::new(503).header("retry-after", retry_after)).await;
    let client = builder(&server)
        .retry_policy(RetryPolicy {
            max_retries: 10_000,
            backoff_base: Duration::from_millis(50),
            backoff_cap: Duration::from_millis(400),
        })
        .deadline(Duration::from_millis(1500))
        .build()
        .unwrap();

    let err = client
        .retrieve_connect_session(SESSION_ID)
        .await
        .expect_err("503 for ever");

    assert!(err.status() == Some(503) || err.is_timeout(), "{err:?}");
    server.requests().len()
}

#[tokio::test]
async fn a_retry_after_of_zero_cannot_remove_the_backoff() {
    // Without a floor every retry goes out at once: hundreds of requests a second.
    // With it the waits are the policy's backoff (up to 50, 100, 200, 400, 400 ms …),
    // which fits about a dozen attempts into 1.5 s; 40 leaves room for unlucky jitter.
    let requests = requests_in_a_storm_of("0").await;
    assert!(requests < 40, "{requests} requests in 1.5 s");
}

#[tokio::test]
async fn a_retry_after_date_in_the_past_cannot_remove_the_backoff() {
    let requests = requests_in_a_storm_of("Sun, 06 Nov 1994 08:49:37 GMT").await;
    assert!(requests < 40, "{requests} requests in 1.5 s");
}

#[tokio::test]
async fn an_update_that_sets_the_user_is_not_repeated_after_a_502_and_says_its_outcome_is_unknown()
{
    let server = TestServer::start().await;
    server.respond(Response::text(502, "text/html", "<html>Bad Gateway</html>"));
    server.respond(Response::json(200, &session_json()));
    let associate = UpdateConnectSessionRequest::new().user("usr_0SNlurA049MEWV4OpCwsNyC9Kn2d");

    let err = client(&server)
        .update_connect_session(SESSION_ID, &associate)
        .await
        .expect_err("the 502 is not retried");

    assert_eq!(server.requests().len(), 1, "no second PATCH");
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert_eq!(
        err.status(),
        Some(502),
        "the failure's status shows through"
    );
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("outcome unknown"), "{err}");

    // The same update without `user` is retried through a 502 as before.
    let server = TestServer::start().await;
    server.respond(Response::text(502, "text/html", "<html>Bad Gateway</html>"));
    server.respond(Response::json(200, &session_json()));
    let restyle = UpdateConnectSessionRequest::new().clear_callback_url();
    client(&server)
        .update_connect_session(SESSION_ID, &restyle)
        .await
        .expect("retried");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_update_that_sets_the_user_and_runs_past_its_deadline_says_its_outcome_is_unknown() {
    let server = TestServer::start().await;
    server.respond(Response::json(200, &session_json()).delay(Duration::from_secs(5)));
    let associate = UpdateConnectSessionRequest::new().user("usr_0SNlurA049MEWV4OpCwsNyC9Kn2d");

    let err = client(&server)
        .update_connect_session(SESSION_ID, &associate)
        .deadline(Duration::from_millis(200))
        .await
        .expect_err("the deadline passes");

    assert!(err.is_outcome_unknown(), "{err:?}");
    assert!(err.is_timeout(), "{err:?}");
}
