//! `ClientBuilder::http_client`: a caller's `reqwest::Client` carries the
//! requests, and our per-attempt timeout, retries and idempotency keys still
//! apply. Over HTTP on 127.0.0.1, with the caller's client sending through a
//! proxy (the test server), as a client with a corporate proxy would.

mod support;

use gigs_connect::types::{CreateConnectSessionRequest, Intent};
use gigs_connect::{Client, RetryPolicy};
use std::time::Duration;
use support::{Response, TestServer, session_json};

/// A base URL nothing listens on: only the proxy can answer for it.
const UNREACHABLE: &str = "http://127.0.0.1:9";

fn through_proxy(proxy: &TestServer) -> reqwest::Client {
    reqwest::Client::builder()
        .proxy(reqwest::Proxy::http(proxy.url()).unwrap())
        .build()
        .unwrap()
}

fn client(http: reqwest::Client) -> gigs_connect::ClientBuilder {
    Client::builder()
        .project("acme")
        .token("sk_test_http_client")
        .base_url(UNREACHABLE)
        .retry_policy(RetryPolicy {
            max_retries: 2,
            backoff_base: Duration::from_millis(1),
            backoff_cap: Duration::from_millis(5),
        })
        .http_client(http)
}

#[tokio::test]
async fn the_callers_client_carries_the_request_through_its_proxy_with_our_auth() {
    let proxy = TestServer::start().await;
    proxy.respond(Response::json(200, &session_json("csn_1")));
    let client = client(through_proxy(&proxy)).build().unwrap();

    let session = client.retrieve_connect_session("csn_1").await.unwrap();

    assert_eq!(session.id, "csn_1");
    let request = proxy.single_request();
    // A proxy gets the absolute URL: the request went through the caller's client.
    assert_eq!(
        request.path,
        format!("{UNREACHABLE}/projects/acme/connectSessions/csn_1")
    );
    assert_eq!(
        request.header("authorization"),
        Some("Bearer sk_test_http_client")
    );
    assert!(
        request
            .header("user-agent")
            .is_some_and(|ua| ua.starts_with("gigs-connect-rust/"))
    );
}

#[tokio::test]
async fn a_create_through_the_callers_client_is_retried_with_the_same_idempotency_key() {
    let proxy = TestServer::start().await;
    proxy.respond(Response::new(503));
    proxy.respond(Response::json(201, &session_json("csn_1")));
    let client = client(through_proxy(&proxy)).build().unwrap();
    let body = CreateConnectSessionRequest::new(Intent::view_subscriptions());

    client.create_connect_session(&body).await.unwrap();

    let requests = proxy.requests();
    assert_eq!(requests.len(), 2);
    let key = requests[0].header("idempotency-key").expect("a key");
    assert_eq!(requests[1].header("idempotency-key"), Some(key));
}

#[tokio::test]
async fn our_per_attempt_timeout_applies_to_the_callers_client() {
    let proxy = TestServer::start().await;
    proxy.respond(Response::json(200, &session_json("csn_1")).delay(Duration::from_secs(30)));
    let client = client(through_proxy(&proxy))
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .build()
        .unwrap();

    let error = client.retrieve_connect_session("csn_1").await.unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
    assert!(matches!(error, gigs_connect::Error::Transport { .. }));
}
