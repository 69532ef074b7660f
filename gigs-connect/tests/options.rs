//! Per-call control on a real server on 127.0.0.1: the caller's idempotency key,
//! timeout, deadline, retry count and extra headers override the client's for one
//! call, and `with_response` hands back the status and headers of a success.

mod support;

use gigs_connect::types::{CreateConnectSessionRequest, Intent};
use gigs_connect::{Client, Error, RequestOptions, RetryPolicy};
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use support::{Response, TestServer};

const TOKEN: &str = "sk_test_per_call";
const SESSION_ID: &str = "csn_0SNlurA049MEWV1GWxpaE5D0t2D6";
const PLAN: &str = "pln_0SNlurA049MEWV3V0q7gjQbM4EVo";

fn builder(server: &TestServer) -> gigs_connect::ClientBuilder {
    Client::builder()
        .project("acme")
        .token(TOKEN)
        .base_url(server.url())
        .retry_policy(RetryPolicy {
            max_retries: 2,
            backoff_base: Duration::from_millis(1),
            backoff_cap: Duration::from_millis(20),
        })
}

fn client(server: &TestServer) -> Client {
    builder(server).build().expect("client builds")
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

fn create_body() -> CreateConnectSessionRequest {
    CreateConnectSessionRequest::new(Intent::checkout_new_subscription(PLAN))
}

fn keys(server: &TestServer) -> Vec<Option<String>> {
    server
        .requests()
        .iter()
        .map(|r| r.header("idempotency-key").map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn the_callers_idempotency_key_is_sent_on_every_attempt() {
    let server = TestServer::start().await;
    server.respond(Response::new(503));
    server.respond(Response::json(201, &session_json()));

    client(&server)
        .create_connect_session(&create_body())
        .idempotency_key("order-42-connect")
        .await
        .expect("the retry succeeds");

    let expected = Some("order-42-connect".to_owned());
    assert_eq!(keys(&server), [expected.clone(), expected]);
}

#[tokio::test]
async fn the_callers_key_makes_creates_retryable_with_automatic_keys_off() {
    let server = TestServer::start().await;
    server.respond(Response::new(503));
    server.respond(Response::json(201, &session_json()));
    let client = builder(&server).idempotency_keys(false).build().unwrap();

    client
        .create_connect_session(&create_body())
        .idempotency_key("k")
        .await
        .expect("keyed, so retried");

    assert_eq!(keys(&server), [Some("k".to_owned()), Some("k".to_owned())]);
}

#[tokio::test]
async fn a_key_gigs_would_refuse_fails_before_anything_is_sent() {
    let server = TestServer::start().await;
    let cases = [
        ("x".repeat(256), "is longer than 255 characters"),
        (String::new(), "is empty"),
        (
            "two words".to_owned(),
            "contains a character other than visible ASCII",
        ),
        (
            "line\nbreak".to_owned(),
            "contains a character other than visible ASCII",
        ),
    ];
    for (key, expected) in cases {
        let err = client(&server)
            .create_connect_session(&create_body())
            .idempotency_key(key.clone())
            .await
            .expect_err("refused");

        assert!(
            matches!(
                err,
                Error::InvalidArgument {
                    operation: "createConnectSession",
                    parameter: "Idempotency-Key",
                    reason,
                } if reason == expected
            ),
            "{key:?}: {err:?}"
        );
        assert!(err.to_string().contains("nothing was sent"), "{err}");
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_255_character_key_is_sent_as_is() {
    let server = TestServer::start().await;
    server.respond(Response::json(201, &session_json()));
    let key = "k".repeat(255);

    client(&server)
        .create_connect_session(&create_body())
        .idempotency_key(key.clone())
        .await
        .unwrap();

    assert_eq!(
        server.single_request().header("idempotency-key"),
        Some(&*key)
    );
}

#[tokio::test]
async fn a_per_call_deadline_overrides_the_clients_and_ends_the_call() {
    let server = TestServer::start().await;
    server.respond(Response::json(201, &session_json()).delay(Duration::from_secs(30)));
    let deadline = Duration::from_secs(3);

    let started = Instant::now();
    let err = client(&server)
        .create_connect_session(&create_body())
        .deadline(deadline)
        .await
        .expect_err("no answer in time");
    let elapsed = started.elapsed();

    // Not before the deadline, and far before the server's 30 s; a loaded CI machine
    // can wake the task seconds late, so the slack is the deadline again.
    assert!(
        elapsed >= deadline && elapsed <= deadline * 2,
        "took {elapsed:?} for {deadline:?}"
    );
    assert!(
        matches!(err, Error::DeadlineExceeded { deadline: d, attempts: 1, .. } if d == deadline),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_per_call_timeout_overrides_the_clients() {
    let server = TestServer::start().await;
    server.respond(Response::json(200, &session_json()).delay(Duration::from_secs(30)));

    let started = Instant::now();
    let err = client(&server)
        .retrieve_connect_session(SESSION_ID)
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .await
        .expect_err("too slow");

    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.is_timeout());
    assert!(err.to_string().contains("per-attempt timeout"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn per_call_max_retries_overrides_the_clients() {
    let server = TestServer::start().await;
    for _ in 0..6 {
        server.respond(Response::new(503));
    }

    let err = client(&server)
        .retrieve_connect_session(SESSION_ID)
        .max_retries(4)
        .await
        .expect_err("503 every time");

    assert_eq!(err.status(), Some(503));
    assert_eq!(
        server.requests().len(),
        5,
        "the first attempt and four retries"
    );
}

#[tokio::test]
async fn extra_headers_are_sent_but_never_replace_the_clients_own() {
    let server = TestServer::start().await;
    server.respond(Response::json(201, &session_json()));

    client(&server)
        .create_connect_session(&create_body())
        .header(
            HeaderName::from_static("x-trace-id"),
            HeaderValue::from_static("trace-7"),
        )
        .header(
            AUTHORIZATION,
            HeaderValue::from_static("Bearer someone-else"),
        )
        .header(CONTENT_TYPE, HeaderValue::from_static("text/plain"))
        .header(
            HeaderName::from_static("idempotency-key"),
            HeaderValue::from_static("from-a-header"),
        )
        .await
        .unwrap();

    let request = server.single_request();
    assert_eq!(request.header("x-trace-id"), Some("trace-7"));
    let all = |wanted: &str| -> Vec<String> {
        request
            .headers
            .iter()
            .filter(|(name, _)| name == wanted)
            .map(|(_, value)| value.clone())
            .collect()
    };
    assert_eq!(all("authorization"), [format!("Bearer {TOKEN}")]);
    assert_eq!(all("content-type"), ["application/json"]);
    let key = request.header("idempotency-key").unwrap();
    assert_ne!(key, "from-a-header", "keys are set with idempotency_key()");
    assert_eq!(key.len(), 36);
}

#[tokio::test]
async fn options_built_once_apply_to_many_calls() {
    let server = TestServer::start().await;
    for _ in 0..2 {
        server.respond(Response::new(503));
    }
    let options = RequestOptions::new().max_retries(0).header(
        HeaderName::from_static("x-tenant"),
        HeaderValue::from_static("t1"),
    );
    let client = client(&server);

    for _ in 0..2 {
        client
            .retrieve_connect_session(SESSION_ID)
            .options(options.clone())
            .await
            .expect_err("503, not retried");
    }

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.header("x-tenant") == Some("t1")));
}

#[tokio::test]
async fn with_response_gives_the_status_and_headers_of_a_success() {
    let server = TestServer::start().await;
    server.respond(
        Response::json(201, &session_json())
            .header("x-request-id", "req_0SNlurA049")
            .header("x-ratelimit-remaining", "99"),
    );

    let response = client(&server)
        .create_connect_session(&create_body())
        .with_response()
        .await
        .expect("created");

    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()["x-request-id"], "req_0SNlurA049");
    assert_eq!(response.headers()["x-ratelimit-remaining"], "99");
    assert_eq!(response.value().id, SESSION_ID);
    let (status, headers, session) = response.into_parts();
    assert_eq!((status.as_u16(), session.id.as_str()), (201, SESSION_ID));
    assert!(headers.contains_key("content-type"));
}

#[tokio::test]
async fn awaiting_a_call_still_returns_just_the_value() {
    let server = TestServer::start().await;
    server.respond(Response::json(201, &session_json()));

    let session = client(&server)
        .create_connect_session(&create_body())
        .await
        .expect("created");

    assert_eq!(session.id, SESSION_ID);
}

/// Headers that frame the message or the connection: hyper writes them from the
/// body and the URL, and a caller's value would corrupt what goes on the wire
/// (`content-length: 3` sent only the body's first 3 bytes). The one list, codegen's.
const FRAMING_HEADERS: &[&str] = gigs_connect::__private::FRAMING_HEADERS;

/// Asserts `result` is the refusal of `header` and that nothing reached `server`.
async fn assert_refused_unsent<T: std::fmt::Debug>(
    result: Result<T, Error>,
    header: &str,
    server: &TestServer,
) {
    let err = result.expect_err(header);
    assert!(
        matches!(err, Error::InvalidArgument { parameter, .. } if parameter == header),
        "{header}: {err:?}"
    );
    assert!(err.to_string().contains("nothing was sent"), "{err}");
    // Give a connection that was opened anyway time to be accepted.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(server.connections(), 0, "{header}: a connection was opened");
    assert!(server.requests().is_empty(), "{header}: a request was sent");
}

#[tokio::test]
async fn a_framing_header_on_a_call_is_refused_and_nothing_is_sent() {
    for name in FRAMING_HEADERS {
        let server = TestServer::start().await;
        let upper = HeaderName::from_bytes(name.to_ascii_uppercase().as_bytes()).unwrap();
        let result = client(&server)
            .create_connect_session(&create_body())
            .header(upper, HeaderValue::from_static("3"))
            .await;
        assert_refused_unsent(result, name, &server).await;
    }
}

#[tokio::test]
async fn a_framing_header_in_request_options_is_refused_and_nothing_is_sent() {
    for name in FRAMING_HEADERS {
        let server = TestServer::start().await;
        let options = RequestOptions::new()
            .header(
                HeaderName::from_static("x-trace-id"),
                HeaderValue::from_static("trace-7"),
            )
            .header(
                HeaderName::from_static(name),
                HeaderValue::from_static("close"),
            );
        let result = client(&server)
            .retrieve_connect_session(SESSION_ID)
            .options(options)
            .await;
        assert_refused_unsent(result, name, &server).await;
    }
}
