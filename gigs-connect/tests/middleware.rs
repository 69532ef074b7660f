//! `ClientBuilder::middleware` (feature `middleware`): a caller's
//! `reqwest_middleware` stack carries each attempt, below our retries, over HTTP
//! on 127.0.0.1.

mod support;

use gigs_connect::types::{CreateConnectSessionRequest, Intent};
use gigs_connect::{Client, Error, RetryPolicy};
use reqwest_middleware::{Middleware, Next};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{Response, TestServer, session_json};

/// Records the `Authorization` and `Idempotency-Key` of every attempt it sees and
/// rewrites `x-tenant` to `rewritten`, adding a header of its own.
#[derive(Default)]
struct RecordAndRewrite {
    seen: Arc<Mutex<Vec<(String, String)>>>,
}

#[async_trait::async_trait]
impl Middleware for RecordAndRewrite {
    async fn handle(
        &self,
        mut request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        let header = |name: &str| {
            request
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let seen = (header("authorization"), header("idempotency-key"));
        self.seen.lock().unwrap().push(seen);
        let headers = request.headers_mut();
        headers.insert("x-tenant", "rewritten".parse().unwrap());
        headers.insert("x-added-by-middleware", "yes".parse().unwrap());
        next.run(request, extensions).await
    }
}

/// Fails every attempt before sending it.
struct Refuse;

#[async_trait::async_trait]
impl Middleware for Refuse {
    async fn handle(
        &self,
        _request: reqwest::Request,
        _extensions: &mut http::Extensions,
        _next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        Err(reqwest_middleware::Error::middleware(
            std::io::Error::other("quota middleware said no to Bearer sk_test_middleware"),
        ))
    }
}

fn client(server: &TestServer, stack: reqwest_middleware::ClientWithMiddleware) -> Client {
    Client::builder()
        .project("acme")
        .token("sk_test_middleware")
        .base_url(server.url())
        .retry_policy(RetryPolicy {
            max_retries: 2,
            backoff_base: Duration::from_millis(1),
            backoff_cap: Duration::from_millis(5),
        })
        .middleware(stack)
        .build()
        .unwrap()
}

#[tokio::test]
async fn middleware_sees_each_attempt_with_auth_and_idempotency_key_and_rewrites_a_header() {
    let server = TestServer::start().await;
    server.respond(Response::new(503));
    server.respond(Response::json(201, &session_json("csn_1")));
    let recorder = RecordAndRewrite::default();
    let seen = recorder.seen.clone();
    let stack = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(recorder)
        .build();
    let body = CreateConnectSessionRequest::new(Intent::view_subscriptions());

    let session = client(&server, stack)
        .create_connect_session(&body)
        .header(
            gigs_connect::HeaderName::from_static("x-tenant"),
            gigs_connect::HeaderValue::from_static("original"),
        )
        .await
        .unwrap();

    assert_eq!(session.id, "csn_1");
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "the middleware sees both attempts: {seen:?}");
    for (authorization, _) in &seen {
        assert_eq!(authorization, "Bearer sk_test_middleware");
    }
    assert!(!seen[0].1.is_empty(), "an idempotency key on the POST");
    assert_eq!(seen[0].1, seen[1].1, "the retry carries the same key");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.header("x-tenant"), Some("rewritten"));
        assert_eq!(request.header("x-added-by-middleware"), Some("yes"));
        assert_eq!(request.header("idempotency-key"), Some(seen[0].1.as_str()));
    }
}

#[tokio::test]
async fn a_middleware_error_is_retried_then_reported_without_the_token() {
    let server = TestServer::start().await;
    let stack = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(Refuse)
        .build();

    let error = client(&server, stack)
        .retrieve_connect_session("csn_1")
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Middleware { .. }), "{error:?}");
    let shown = format!("{error} {error:?}");
    assert!(shown.contains("quota middleware said no"), "{shown}");
    assert!(!shown.contains("sk_test_middleware"), "{shown}");
    assert_eq!(error.operation(), Some("retrieveConnectSession"));
    assert!(server.requests().is_empty(), "nothing reached the server");
}
