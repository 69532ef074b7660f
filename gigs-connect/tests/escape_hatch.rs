//! The escape hatch over HTTP on 127.0.0.1: `Client::request` for any method and
//! path under the base URL, sent like a generated call, and the extra query
//! parameters and body fields a generated call may carry.

mod support;

use gigs_connect::types::{CreateConnectSessionRequest, Intent};
use gigs_connect::{Client, Error, Method, RetryPolicy};
use serde_json::json;
use std::time::Duration;
use support::{Response, TestServer, session_json};

fn client(server: &TestServer) -> Client {
    Client::builder()
        .project("acme")
        .token("sk_test_escape_hatch")
        .base_url(server.url())
        .retry_policy(RetryPolicy {
            max_retries: 2,
            backoff_base: Duration::from_millis(1),
            backoff_cap: Duration::from_millis(5),
        })
        .build()
        .unwrap()
}

/// The parameter an [`Error::InvalidArgument`] names; `None` for any other error.
fn refused_parameter(error: &Error) -> Option<&'static str> {
    match error {
        Error::InvalidArgument { parameter, .. } => Some(*parameter),
        _ => None,
    }
}

#[tokio::test]
async fn an_escape_hatch_post_is_retried_with_the_same_idempotency_key() {
    let server = TestServer::start().await;
    server.respond(Response::new(503));
    server.respond(Response::json(
        201,
        &json!({"object": "preview", "id": "prv_1"}),
    ));

    let answer = client(&server)
        .request(Method::POST, "/projects/acme/previews")
        .query("expand", "intent & more")
        .json(&json!({"locale": "de-DE"}))
        .await
        .unwrap();

    assert_eq!(answer, json!({"object": "preview", "id": "prv_1"}));
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "the 503 was retried");
    let key = requests[0]
        .header("idempotency-key")
        .expect("a key on POST");
    for request in &requests {
        assert_eq!(request.method, "POST");
        assert_eq!(
            request.path,
            "/projects/acme/previews?expand=intent%20%26%20more"
        );
        assert_eq!(request.header("idempotency-key"), Some(key));
        assert_eq!(
            request.header("authorization"),
            Some("Bearer sk_test_escape_hatch")
        );
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert_eq!(request.json(), json!({"locale": "de-DE"}));
    }
}

#[tokio::test]
async fn an_escape_hatch_get_decodes_into_the_callers_type_and_sends_no_key() {
    #[derive(serde::Deserialize)]
    struct Preview {
        id: String,
    }
    let server = TestServer::start().await;
    server.respond(Response::json(200, &json!({"id": "prv_1", "more": true})));

    let preview = client(&server)
        .request(Method::GET, "/projects/acme/previews/prv_1")
        .output::<Preview>()
        .await
        .unwrap();

    assert_eq!(preview.id, "prv_1");
    let request = server.single_request();
    assert_eq!(request.header("idempotency-key"), None);
}

#[tokio::test]
async fn an_escape_hatch_error_is_an_api_error_without_the_token() {
    let server = TestServer::start().await;
    server.respond(Response::json(
        404,
        &json!({"object": "error", "type": "notFound",
                "message": "no preview for Bearer sk_test_escape_hatch"}),
    ));

    let error = client(&server)
        .request(Method::DELETE, "/projects/acme/previews/prv_1")
        .await
        .unwrap_err();

    assert_eq!(error.status(), Some(404));
    assert_eq!(error.operation(), Some("request"));
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("sk_test_escape_hatch"), "{shown}");
}

#[tokio::test]
async fn an_escape_hatch_answer_over_its_size_limit_is_refused() {
    let server = TestServer::start().await;
    server.respond(Response::json(200, &json!({"padding": "x".repeat(100)})));

    let error = client(&server)
        .request(Method::GET, "/projects/acme/previews")
        .max_response_bytes(50)
        .await
        .unwrap_err();

    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 50, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_path_that_leaves_the_base_url_is_refused_before_anything_is_sent() {
    let server = TestServer::start().await;
    for path in ["/projects/../admin", "https://evil.example/x", "/x?y=1"] {
        let error = client(&server)
            .request(Method::GET, path)
            .await
            .unwrap_err();
        assert_eq!(refused_parameter(&error), Some("path"), "{path}: {error:?}");
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn extra_query_parameters_follow_a_generated_calls_path() {
    let server = TestServer::start().await;
    server.respond(Response::json(200, &session_json("csn_1")));

    client(&server)
        .retrieve_connect_session("csn_1")
        .extra_query("expand", "intent")
        .extra_query("expand", "user")
        .await
        .unwrap();

    assert_eq!(
        server.single_request().path,
        "/projects/acme/connectSessions/csn_1?expand=intent&expand=user"
    );
}

#[tokio::test]
async fn an_extra_body_field_is_sent_beside_the_typed_ones() {
    let server = TestServer::start().await;
    server.respond(Response::json(201, &session_json("csn_1")));
    let body = CreateConnectSessionRequest::new(Intent::view_subscriptions());

    client(&server)
        .create_connect_session(&body)
        .extra_body_field("locale", json!("de-DE"))
        .await
        .unwrap();

    let sent = server.single_request().json();
    assert_eq!(sent["locale"], "de-DE");
    assert_eq!(sent["intent"]["type"], "viewSubscriptions");
}

#[tokio::test]
async fn an_extra_body_field_named_like_a_typed_one_is_refused_set_or_not() {
    let server = TestServer::start().await;
    let body = CreateConnectSessionRequest::new(Intent::view_subscriptions());
    // `intent` is set on the body; `user` is a typed field left unset.
    for field in ["intent", "user"] {
        let error = client(&server)
            .create_connect_session(&body)
            .extra_body_field(field, json!("x"))
            .await
            .unwrap_err();
        assert_eq!(refused_parameter(&error), Some(field), "{field}: {error:?}");
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn an_extra_body_field_on_an_operation_without_a_body_is_refused() {
    let server = TestServer::start().await;
    let error = client(&server)
        .retrieve_connect_session("csn_1")
        .extra_body_field("locale", json!("de-DE"))
        .await
        .unwrap_err();
    assert_eq!(refused_parameter(&error), Some("body"), "{error:?}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn an_extra_body_field_given_twice_is_refused() {
    let server = TestServer::start().await;
    let body = CreateConnectSessionRequest::new(Intent::view_subscriptions());
    let error = client(&server)
        .create_connect_session(&body)
        .extra_body_field("locale", json!("de-DE"))
        .extra_body_field("locale", json!("fr-FR"))
        .await
        .unwrap_err();
    assert_eq!(refused_parameter(&error), Some("body"), "{error:?}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn an_escape_hatch_call_sends_the_callers_idempotency_key_and_gives_it_back() {
    let server = TestServer::start().await;
    server.respond(Response::json(201, &json!({"id": "prv_1"})));

    let response = client(&server)
        .request(Method::POST, "/projects/acme/previews")
        .idempotency_key("order-42-preview")
        .with_response()
        .await
        .unwrap();

    assert_eq!(response.idempotency_key(), Some("order-42-preview"));
    assert_eq!(
        server.single_request().header("idempotency-key"),
        Some("order-42-preview")
    );
}
