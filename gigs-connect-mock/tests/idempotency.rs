//! Idempotent requests end to end: the mock honours `Idempotency-Key` as Gigs
//! documents it, and the client's retries with one make exactly one session even
//! when the server made it and the answer was lost.

mod support;

use gigs_connect::types::{
    ApiError, CreateConnectSessionRequest, Intent, UpdateConnectSessionRequest, UserDetails,
};
use gigs_connect::{Client, ClientBuilder, RetryPolicy};
use gigs_connect_mock::{MOCK_PROJECT, MockServer};
use serde_json::Value;
use std::time::Duration;
use support::HangUpProxy;

const PLAN: &str = "pln_0SNlurA049MEWV3V0q7gjQbM4EVo";

/// A create whose second run would fail: the mock refuses a `userDetails` email
/// it has seen (`userAlreadyExists`), so a success twice means it ran once.
fn create_once_body() -> CreateConnectSessionRequest {
    CreateConnectSessionRequest::new(Intent::checkout_new_subscription(PLAN))
        .user_details(UserDetails::new("jerry@example.com"))
}

fn create_once_json() -> String {
    serde_json::to_string(&create_once_body()).unwrap()
}

/// A client for `server`'s project that goes through `proxy`, with quick retries.
fn through(proxy: &HangUpProxy, server: &MockServer) -> ClientBuilder {
    Client::builder()
        .project(server.project())
        .token(server.token())
        .base_url(proxy.url())
        .retry_policy(RetryPolicy {
            backoff_base: Duration::from_millis(1),
            ..RetryPolicy::default()
        })
}

/// Sends a create as is, with `key` as its `Idempotency-Key`.
async fn post(server: &MockServer, key: Option<&str>, body: &str) -> (u16, Value) {
    let mut request = support::raw_client()
        .post(format!(
            "{}/projects/{MOCK_PROJECT}/connectSessions",
            server.url()
        ))
        .bearer_auth(server.token())
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    let response = request.send().await.expect("the mock answers");
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("a body");
    (status, serde_json::from_slice(&bytes).expect("JSON"))
}

#[tokio::test]
async fn a_create_the_server_made_but_never_answered_is_retried_into_the_same_session() {
    let server = MockServer::start().await;
    let proxy = HangUpProxy::start(&server.url(), 1).await;
    let client = through(&proxy, &server).build().unwrap();

    let session = client
        .create_connect_session(&create_once_body())
        .await
        .expect("the retry gets the stored answer, not userAlreadyExists");

    let lost = proxy.lost_answers();
    assert_eq!(lost.len(), 1, "the first answer was lost");
    let lost: Value = serde_json::from_slice(&lost[0]).unwrap();
    assert_eq!(lost["id"], session.id.as_str(), "one session, not two");
    let requests = server.requests();
    assert_eq!(
        requests.len(),
        2,
        "the create and its retry reached the mock"
    );
    assert!(requests.iter().all(|r| r.method == "POST"));
    let fetched = client.retrieve_connect_session(&session.id).await.unwrap();
    assert_eq!(fetched.user, session.user);
}

#[tokio::test]
async fn without_keys_the_same_loss_is_reported_and_not_retried() {
    let server = MockServer::start().await;
    let proxy = HangUpProxy::start(&server.url(), 1).await;
    let client = through(&proxy, &server)
        .idempotency_keys(false)
        .build()
        .unwrap();

    let err = client
        .create_connect_session(&create_once_body())
        .await
        .expect_err("the answer was lost");

    assert!(
        matches!(err, gigs_connect::Error::Transport { .. }),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn the_same_key_gets_the_first_answer_again() {
    let server = MockServer::start().await;
    let body = create_once_json();

    let first = post(&server, Some("order-42"), &body).await;
    let again = post(&server, Some("order-42"), &body).await;

    assert_eq!(first.0, 201, "{}", first.1);
    assert_eq!(
        again, first,
        "status and body, url included, are the first's"
    );
}

#[tokio::test]
async fn a_new_key_makes_a_new_session() {
    let server = MockServer::start().await;
    let body = serde_json::to_string(&CreateConnectSessionRequest::new(
        Intent::checkout_new_subscription(PLAN),
    ))
    .unwrap();

    let first = post(&server, Some("a"), &body).await;
    let second = post(&server, Some("b"), &body).await;
    let keyless = post(&server, None, &body).await;

    assert_eq!((first.0, second.0, keyless.0), (201, 201, 201));
    assert_ne!(first.1["id"], second.1["id"]);
    assert_ne!(second.1["id"], keyless.1["id"]);
}

#[tokio::test]
async fn a_failed_answer_is_not_stored_and_the_key_can_be_retried() {
    let server = MockServer::start().await;
    let unavailable = ApiError::new("unavailable", "Try again.").code("serviceUnavailable");
    server.fail_next(1, 503, &unavailable);
    let body = create_once_json();

    let failed = post(&server, Some("k"), &body).await;
    let retried = post(&server, Some("k"), &body).await;
    let again = post(&server, Some("k"), &body).await;

    assert_eq!(failed.0, 503);
    assert_eq!(retried.0, 201, "{}", retried.1);
    assert_eq!(again, retried);
}

#[tokio::test]
async fn a_refused_create_is_not_stored_either() {
    let server = MockServer::start().await;
    let bad = r#"{"intent":{"type":"checkoutNewSubscription","checkoutNewSubscription":{}}}"#;

    let refused = post(&server, Some("k"), bad).await;
    let fixed = post(&server, Some("k"), &create_once_json()).await;

    assert_eq!(refused.0, 400, "{}", refused.1);
    assert_eq!(fixed.0, 201, "{}", fixed.1);
}

#[tokio::test]
async fn a_key_over_255_characters_is_a_400_with_a_gigs_envelope() {
    let server = MockServer::start().await;
    let body = create_once_json();

    let refused = post(&server, Some(&"k".repeat(256)), &body).await;
    let longest = post(&server, Some(&"k".repeat(255)), &body).await;

    assert_eq!(refused.0, 400, "{}", refused.1);
    assert_eq!(refused.1["object"], "error");
    assert_eq!(refused.1["type"], "invalid");
    assert!(
        refused.1["message"]
            .as_str()
            .unwrap()
            .contains("Idempotency-Key"),
        "{}",
        refused.1
    );
    assert_eq!(longest.0, 201, "255 characters are fine: {}", longest.1);
}

#[tokio::test]
async fn the_client_sends_one_key_per_call_and_the_mock_makes_one_session_per_call() {
    let server = MockServer::start().await;
    let client = server.client();
    let body = CreateConnectSessionRequest::new(Intent::checkout_new_subscription(PLAN));

    let first = client.create_connect_session(&body).await.unwrap();
    let second = client.create_connect_session(&body).await.unwrap();

    assert_ne!(first.id, second.id);
}

#[tokio::test]
async fn the_callers_key_from_a_new_client_gets_the_same_session() {
    // As after a restart: a second client, the key the caller stored.
    let server = MockServer::start().await;

    let first = server
        .client()
        .create_connect_session(&create_once_body())
        .idempotency_key("order-42-connect")
        .await
        .unwrap();
    let again = server
        .client()
        .create_connect_session(&create_once_body())
        .idempotency_key("order-42-connect")
        .await
        .expect("the stored answer, not userAlreadyExists");

    assert_eq!(again.id, first.id);
    assert_eq!(
        again.url.as_ref().map(|u| u.expose_secret()),
        first.url.as_ref().map(|u| u.expose_secret()),
        "the stored answer is given whole"
    );
}

/// A session without a user, made directly on the mock.
async fn session_without_user(server: &MockServer) -> String {
    let body = CreateConnectSessionRequest::new(Intent::checkout_new_subscription(PLAN));
    server
        .client()
        .create_connect_session(&body)
        .await
        .unwrap()
        .id
}

fn patches(server: &MockServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.method == "PATCH")
        .count()
}

#[tokio::test]
async fn an_update_that_sets_the_user_is_not_repeated_after_its_answer_is_lost() {
    let server = MockServer::start().await;
    let id = session_without_user(&server).await;
    let proxy = HangUpProxy::start(&server.url(), 1).await;
    let client = through(&proxy, &server).build().unwrap();
    let associate =
        UpdateConnectSessionRequest::new().user_details(UserDetails::new("kramer@example.com"));

    let err = client
        .update_connect_session(&id, &associate)
        .await
        .expect_err("the answer was lost");

    assert_eq!(patches(&server), 1, "one PATCH reached the mock: {err}");
    assert_eq!(
        proxy.lost_answers().len(),
        1,
        "Gigs applied it; the answer with the url was lost"
    );
    assert_ne!(
        err.status(),
        Some(400),
        "not turned into connectSessionUserAlreadySet: {err}"
    );
    assert!(err.is_outcome_unknown(), "{err:?}");
    let shown = err.to_string();
    for advice in [
        "outcome unknown",
        "retrieve the session",
        "create a new session",
    ] {
        assert!(shown.contains(advice), "{advice}: {shown}");
    }
    let session = server.client().retrieve_connect_session(&id).await.unwrap();
    assert!(session.user.is_some(), "the first attempt was applied");
}

#[tokio::test]
async fn an_update_that_sets_no_once_only_property_is_still_repeated_after_a_lost_answer() {
    let server = MockServer::start().await;
    let id = session_without_user(&server).await;
    let proxy = HangUpProxy::start(&server.url(), 1).await;
    let client = through(&proxy, &server).build().unwrap();
    let restyle = UpdateConnectSessionRequest::new().callback_url("https://example.com/back");

    let session = client
        .update_connect_session(&id, &restyle)
        .await
        .expect("retried: setting absolute values twice is harmless");

    assert_eq!(patches(&server), 2);
    assert_eq!(
        session.callback_url.as_deref(),
        Some("https://example.com/back")
    );
}

#[tokio::test]
async fn options_applied_to_two_creates_do_not_give_the_second_user_the_first_session() {
    let server = MockServer::start().await;
    let client = server.client();
    let shared = gigs_connect::RequestOptions::new().max_retries(1);
    let for_user = |email: &str| {
        CreateConnectSessionRequest::new(Intent::checkout_new_subscription(PLAN))
            .user_details(UserDetails::new(email))
    };

    let a = client
        .create_connect_session(&for_user("elaine@example.com"))
        .idempotency_key("checkout-a")
        .options(shared.clone())
        .await
        .unwrap();
    let b = client
        .create_connect_session(&for_user("george@example.com"))
        .options(shared)
        .await
        .unwrap();

    assert_ne!(a.id, b.id, "user B got user A's session");
    assert_ne!(
        a.url.as_ref().map(|u| u.expose_secret()),
        b.url.as_ref().map(|u| u.expose_secret())
    );
}

#[tokio::test]
async fn a_create_gives_back_the_key_it_generated_in_its_response_and_its_errors() {
    let server = MockServer::start().await;
    let client = server.client();
    let body = CreateConnectSessionRequest::new(Intent::checkout_new_subscription(PLAN));

    let response = client
        .create_connect_session(&body)
        .with_response()
        .await
        .unwrap();
    let sent = last_key(&server);
    assert_eq!(response.idempotency_key(), Some(sent.as_str()));

    let unavailable = ApiError::new("unavailable", "Try again.").code("serviceUnavailable");
    server.fail_next(3, 503, &unavailable);
    let err = client
        .create_connect_session(&body)
        .max_retries(0)
        .await
        .expect_err("503");
    assert_eq!(err.idempotency_key(), Some(last_key(&server).as_str()));

    let missing = client
        .retrieve_connect_session("csn_none")
        .await
        .expect_err("404");
    assert_eq!(missing.idempotency_key(), None, "a GET sends no key");
}

/// The `Idempotency-Key` of the last request the mock received.
fn last_key(server: &MockServer) -> String {
    let requests = server.requests();
    let last = requests.last().expect("a request");
    last.headers
        .get("idempotency-key")
        .expect("a key")
        .to_owned()
}
