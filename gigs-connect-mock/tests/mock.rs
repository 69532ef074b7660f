//! The mock server behaves as the docs say Connect Sessions do, refuses what Gigs
//! refuses, and agrees with the generated client on every intent.

mod support;

use gigs_connect::types::{
    ApiError, ApiErrorType, Appearance, CreateConnectSessionRequest, Intent, Theme,
    UpdateConnectSessionRequest, UserDetails,
};
use gigs_connect::{Client, Error, RetryPolicy};
use gigs_connect_mock::{MOCK_PROJECT, MockServer};
use serde_json::{Value, json};
use std::time::Duration;

const PLAN: &str = "pln_0SNlurA049MEWV3V0q7gjQbM4EVo";
const USER: &str = "usr_0SNlurA049MEWV4OpCwsNyC9Kn2d";

fn checkout() -> CreateConnectSessionRequest {
    CreateConnectSessionRequest::new(Intent::checkout_new_subscription(PLAN))
}

/// A client of `server` that retries as by default but with a 1 ms backoff base, so
/// tests of retries through the mock do not wait.
fn fast_retrying_client(server: &MockServer) -> Client {
    Client::builder()
        .project(server.project())
        .token(server.token())
        .base_url(server.url())
        .retry_policy(RetryPolicy {
            backoff_base: Duration::from_millis(1),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap()
}

/// The url's `token` query parameter.
fn url_token(session: &gigs_connect::types::ConnectSession) -> String {
    let url = session.url.as_ref().expect("a url").expose_secret();
    url.split_once("token=")
        .map(|(_, token)| token.to_owned())
        .expect("the url carries a token")
}

/// Sends `body` as is, to test what the typed client cannot send.
async fn raw_post(server: &MockServer, token: Option<&str>, body: &str) -> (u16, Value) {
    let mut request = support::raw_client()
        .post(format!(
            "{}/projects/{MOCK_PROJECT}/connectSessions",
            server.url()
        ))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("the mock answers");
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("a body");
    (
        status,
        serde_json::from_slice(&bytes).expect("a JSON answer"),
    )
}

fn assert_envelope(answer: &(u16, Value), status: u16, kind: &str, message: &str) {
    assert_eq!(answer.0, status, "{}", answer.1);
    assert_eq!(answer.1["object"], "error", "{}", answer.1);
    assert_eq!(answer.1["type"], kind, "{}", answer.1);
    let shown = answer.1["message"].as_str().unwrap_or_default();
    assert!(
        shown.contains(message),
        "message {shown:?} does not name {message:?}"
    );
}

#[tokio::test]
async fn create_returns_a_new_session_with_a_url_holding_a_fresh_token() {
    let server = MockServer::start().await;
    let client = server.client();

    let first = client.create_connect_session(&checkout()).await.unwrap();
    let second = client.create_connect_session(&checkout()).await.unwrap();

    assert!(
        first.id.starts_with("csn_") && first.id.len() == 32,
        "{}",
        first.id
    );
    assert_ne!(first.id, second.id);
    assert_eq!(url_token(&first).len(), 64);
    assert_ne!(url_token(&first), url_token(&second));
    assert_eq!(first.intent, Intent::checkout_new_subscription(PLAN));
    assert_eq!(first.user, None);
}

#[tokio::test]
async fn retrieve_returns_the_stored_session_without_its_url() {
    let server = MockServer::start().await;
    let client = server.client();
    let body = checkout()
        .user(USER)
        .callback_url("myapp://connect-callback")
        .appearance(Appearance::new().theme(Theme::Dark));
    let created = client.create_connect_session(&body).await.unwrap();

    let fetched = client.retrieve_connect_session(&created.id).await.unwrap();

    assert_eq!(fetched.url, None);
    assert_eq!(fetched.user.as_deref(), Some(USER));
    assert_eq!(
        fetched.callback_url.as_deref(),
        Some("myapp://connect-callback")
    );
    assert_eq!(fetched.appearance.and_then(|a| a.theme), Some(Theme::Dark));
    assert_eq!(fetched.intent, created.intent);
}

#[tokio::test]
async fn update_changes_only_the_fields_sent() {
    let server = MockServer::start().await;
    let client = server.client();
    let created = client
        .create_connect_session(&checkout().callback_url("https://example.com/a"))
        .await
        .unwrap();

    let themed = client
        .update_connect_session(
            &created.id,
            &UpdateConnectSessionRequest::new().appearance(Appearance::new().theme(Theme::Light)),
        )
        .await
        .unwrap();
    assert_eq!(
        themed.callback_url.as_deref(),
        Some("https://example.com/a")
    );
    assert_eq!(themed.url, None, "no user was associated");

    let cleared = client
        .update_connect_session(
            &created.id,
            &UpdateConnectSessionRequest::new().clear_callback_url(),
        )
        .await
        .unwrap();
    assert_eq!(cleared.callback_url, None);
    assert_eq!(cleared.appearance.and_then(|a| a.theme), Some(Theme::Light));
}

#[tokio::test]
async fn update_returns_a_url_only_when_it_associates_a_user_and_only_once() {
    let server = MockServer::start().await;
    let client = server.client();
    let created = client.create_connect_session(&checkout()).await.unwrap();

    let associated = client
        .update_connect_session(&created.id, &UpdateConnectSessionRequest::new().user(USER))
        .await
        .unwrap();
    assert_eq!(associated.user.as_deref(), Some(USER));
    assert!(associated.url.is_some(), "associating a user returns a url");

    let again = client
        .update_connect_session(
            &created.id,
            &UpdateConnectSessionRequest::new().user_details(UserDetails::new("jerry@example.com")),
        )
        .await
        .expect_err("the session already has a user");
    let api_error = again.api_error().expect("an envelope");
    assert_eq!(again.status(), Some(400));
    assert_eq!(api_error.r#type, ApiErrorType::Invalid);
    assert!(
        api_error.message.contains("`userDetails`"),
        "{}",
        api_error.message
    );
}

#[tokio::test]
async fn user_details_with_a_known_email_are_refused() {
    let server = MockServer::start().await;
    let client = server.client();
    let details = || {
        UserDetails::new("jerry@example.com")
            .birthday("2017-07-21".parse::<gigs_connect::Date>().unwrap())
    };
    let created = client
        .create_connect_session(&checkout().user_details(details()))
        .await
        .unwrap();
    assert!(
        created
            .user
            .as_deref()
            .is_some_and(|u| u.starts_with("usr_"))
    );

    let err = client
        .create_connect_session(&checkout().user_details(details()))
        .await
        .expect_err("the email exists");

    assert_eq!(
        err.api_error().unwrap().code.as_deref(),
        Some("userAlreadyExists")
    );
}

#[tokio::test]
async fn an_unknown_id_is_a_404_envelope() {
    let server = MockServer::start().await;

    let err = server
        .client()
        .retrieve_connect_session("csn_doesnotexist")
        .await
        .expect_err("no such session");

    assert_eq!(err.status(), Some(404));
    assert_eq!(err.api_error().unwrap().r#type, ApiErrorType::NotFound);
    assert_eq!(
        err.api_error().unwrap().code.as_deref(),
        Some("connectSessionNotFound")
    );
}

#[tokio::test]
async fn auth_is_checked_before_the_body() {
    let server = MockServer::start().await;

    let missing = raw_post(&server, None, "not even JSON").await;
    let wrong = raw_post(&server, Some("sk_wrong"), "not even JSON").await;

    assert_envelope(&missing, 401, "unauthenticated", "Authorization");
    assert_envelope(&wrong, 401, "unauthenticated", "not valid");
}

#[tokio::test]
async fn another_project_is_forbidden() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .project("someone-elses")
        .token(server.token())
        .base_url(server.url())
        .build()
        .unwrap();

    let err = client
        .retrieve_connect_session("csn_1")
        .await
        .expect_err("403");

    assert_eq!(
        err.api_error().unwrap().r#type,
        ApiErrorType::PermissionDenied
    );
}

#[tokio::test]
async fn bodies_are_checked_against_the_spec_naming_the_field() {
    let server = MockServer::start().await;
    let token = Some(server.token());
    let cases = [
        ("{", 400, "malformed", "not valid JSON"),
        (
            r#"{"intent":{"type":"viewSubscriptions"},"colour":"red"}"#,
            400,
            "invalid",
            "`colour` is not a known parameter",
        ),
        (
            r#"{"intent":{"type":"checkoutNewSubscription","checkoutNewSubscription":{"plan":7}}}"#,
            400,
            "invalid",
            "`intent.checkoutNewSubscription.plan` must be a string",
        ),
        (
            r#"{"intent":{"type":"viewSubscriptions"},"appearance":{"theme":"sepia"}}"#,
            400,
            "invalid",
            "`appearance.theme` must be one of `light`, `dark`",
        ),
        (
            r#"{"intent":{"type":"cancelSubscription","cancelSubscription":{}}}"#,
            400,
            "invalid",
            "`intent.cancelSubscription.subscription` is required",
        ),
        (
            r#"{"appearance":{"theme":"dark"}}"#,
            400,
            "invalid",
            "`intent` is required",
        ),
        (
            r#"{"intent":{"type":"viewSubscriptions"},"userDetails":{"email":"a@b.c","birthday":"July 21"}}"#,
            400,
            "invalid",
            "`userDetails.birthday` must be a date",
        ),
    ];
    for (body, status, kind, message) in cases {
        let answer = raw_post(&server, token, body).await;
        assert_envelope(&answer, status, kind, message);
    }
}

#[tokio::test]
async fn an_intent_the_spec_does_not_know_is_refused_by_name() {
    let server = MockServer::start().await;
    let unknown: Intent =
        serde_json::from_value(json!({ "type": "teleport", "teleport": {} })).unwrap();

    let err = server
        .client()
        .create_connect_session(&CreateConnectSessionRequest::new(unknown))
        .await
        .expect_err("teleport is not an intent");

    let message = &err.api_error().unwrap().message;
    assert!(
        message.contains("`intent.type`") && message.contains("\"teleport\""),
        "{message}"
    );
}

#[tokio::test]
async fn the_mock_and_the_client_agree_on_every_intent() {
    let server = MockServer::start().await;
    let client = server.client();
    let intents = MockServer::example_intents();
    assert_eq!(
        intents.len(),
        Intent::TAGS.len(),
        "one example per intent type"
    );

    for intent in intents {
        let created = client
            .create_connect_session(&CreateConnectSessionRequest::new(intent.clone()))
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", intent.tag()));
        let fetched = client.retrieve_connect_session(&created.id).await.unwrap();

        assert_eq!(created.intent, intent, "{}", intent.tag());
        assert_eq!(fetched.intent, intent, "{}", intent.tag());
        assert!(!matches!(fetched.intent, Intent::Unknown(_)));
    }
}

#[tokio::test]
async fn the_request_log_keeps_method_path_and_body_but_not_the_token() {
    let server = MockServer::start().await;
    let client = server.client();
    let created = client.create_connect_session(&checkout()).await.unwrap();
    client.retrieve_connect_session(&created.id).await.unwrap();

    let requests = server.requests();

    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method, "POST");
    assert_eq!(
        requests[0].path,
        format!("/projects/{MOCK_PROJECT}/connectSessions")
    );
    assert_eq!(
        requests[0].content_type.as_deref(),
        Some("application/json")
    );
    assert_eq!(
        requests[0].json().unwrap()["intent"]["checkoutNewSubscription"]["plan"],
        PLAN
    );
    assert_eq!(requests[1].method, "GET");
    assert!(requests[1].body.is_empty());
    assert!(!format!("{requests:?}").contains(server.token()));
    assert!(!format!("{server:?}").contains(server.token()));
}

#[tokio::test]
async fn injected_failures_answer_first_and_are_retried_like_real_ones() {
    let server = MockServer::start().await;
    let unavailable: ApiError = serde_json::from_value(json!({
        "object": "error", "type": "unavailable", "code": "serviceUnavailable",
        "message": "Try again later."
    }))
    .unwrap();
    let created = server
        .client()
        .create_connect_session(&checkout())
        .await
        .unwrap();
    server.fail_next(2, 503, &unavailable);
    let client = fast_retrying_client(&server);

    let fetched = client.retrieve_connect_session(&created.id).await.unwrap();

    assert_eq!(fetched.id, created.id);
    assert_eq!(
        server.requests().len(),
        1 + 3,
        "two failures, then the answer"
    );

    // A create carries an idempotency key, so it is retried like the rest.
    server.fail_next(1, 503, &unavailable);
    client
        .create_connect_session(&checkout())
        .await
        .expect("the retry succeeds");
    assert_eq!(
        server.requests().len(),
        4 + 2,
        "one failure, then the answer"
    );

    let client = Client::builder()
        .project(server.project())
        .token(server.token())
        .base_url(server.url())
        .idempotency_keys(false)
        .build()
        .unwrap();
    server.fail_next(1, 503, &unavailable);
    let err = client
        .create_connect_session(&checkout())
        .await
        .expect_err("a create without a key is not retried");
    assert_eq!(
        err.api_error().unwrap().code.as_deref(),
        Some("serviceUnavailable")
    );
}

#[tokio::test]
async fn injected_delays_trip_the_client_timeout() {
    let server = MockServer::start().await;
    server.delay_next(1, Duration::from_secs(2));
    let client = Client::builder()
        .project(server.project())
        .token(server.token())
        .base_url(server.url())
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .build()
        .unwrap();

    let err = client
        .retrieve_connect_session("csn_1")
        .await
        .expect_err("too slow");

    assert!(err.is_timeout(), "{err:?}");
    assert!(matches!(err, Error::Transport { .. }));
}

#[tokio::test]
async fn a_retried_create_carries_the_same_idempotency_key_in_the_request_log() {
    let server = MockServer::start().await;
    let unavailable: ApiError = serde_json::from_value(json!({
        "object": "error", "type": "unavailable", "message": "Try again later."
    }))
    .unwrap();
    server.fail_next(2, 503, &unavailable);
    let client = fast_retrying_client(&server);
    client.create_connect_session(&checkout()).await.unwrap();
    let keys: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.header("Idempotency-Key").expect("a key").to_owned())
        .collect();
    assert_eq!(keys.len(), 3, "two failures, then the answer");
    assert!(keys.iter().all(|key| *key == keys[0]), "{keys:?}");
    client.create_connect_session(&checkout()).await.unwrap();
    let next = server.requests().pop().unwrap();
    assert_ne!(
        next.header("idempotency-key"),
        Some(keys[0].as_str()),
        "a new call, a new key"
    );
}

#[tokio::test]
async fn the_request_log_keeps_headers_readable_by_name_but_not_in_debug() {
    let server = MockServer::start().await;
    let client = server.client();
    let options = gigs_connect::RequestOptions::new().header(
        "x-custom".parse().unwrap(),
        "secret-value-42".parse().unwrap(),
    );
    client
        .create_connect_session(&checkout())
        .options(options)
        .await
        .unwrap();
    let request = server.requests().pop().unwrap();
    assert_eq!(request.header("X-Custom"), Some("secret-value-42"));
    assert_eq!(request.headers.get("x-custom"), Some("secret-value-42"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.header("authorization"),
        None,
        "the token is not kept"
    );
    assert!(request.headers.names().any(|name| name == "x-custom"));
    let debug = format!("{request:?}");
    assert!(debug.contains("x-custom"), "{debug}");
    assert!(!debug.contains("secret-value-42"), "{debug}");
    assert!(!debug.contains(server.token()), "{debug}");
    assert!(
        !debug.to_ascii_lowercase().contains("authorization"),
        "{debug}"
    );
}

#[tokio::test]
async fn respond_next_scripts_any_answer_in_one_queue_with_fail_next() {
    let server = MockServer::start().await;
    let client = server.client();
    let unavailable: ApiError = serde_json::from_value(json!({
        "object": "error", "type": "unavailable", "message": "Try again later."
    }))
    .unwrap();
    let scripted = json!({
        "object": "connectSession", "id": "csn_scripted",
        "intent": { "type": "viewSubscriptions" }, "user": "usr_hand_made"
    });
    server.respond_next(1, 200, scripted.clone());
    server.fail_next(1, 400, &unavailable);
    // No such session in the store: the scripted answer comes first anyway.
    let session = client
        .retrieve_connect_session("csn_nowhere")
        .await
        .unwrap();
    assert_eq!(session.id, "csn_scripted");
    assert_eq!(session.user.as_deref(), Some("usr_hand_made"));
    let err = client
        .retrieve_connect_session("csn_nowhere")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "then the failure queued after it");
    let err = client
        .retrieve_connect_session("csn_nowhere")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404), "then the store again");
}

#[tokio::test]
async fn respond_next_to_scripts_one_operation_and_leaves_the_others_alone() {
    let server = MockServer::start().await;
    let client = server.client();
    let created = client.create_connect_session(&checkout()).await.unwrap();
    let scripted = json!({
        "object": "connectSession", "id": created.id,
        "intent": { "type": "viewSubscriptions" }
    });
    server.respond_next_to("retrieveConnectSession", 2, 200, scripted);
    client.create_connect_session(&checkout()).await.unwrap();
    for _ in 0..2 {
        let session = client.retrieve_connect_session(&created.id).await.unwrap();
        assert_eq!(session.intent, Intent::view_subscriptions(), "scripted");
    }
    let session = client.retrieve_connect_session(&created.id).await.unwrap();
    assert_eq!(session.intent, created.intent, "the store again");
    // A scripted answer waits for its operation past auth: a wrong token is
    // still a 401, and the next good request gets the answer, body unchecked.
    server.respond_next_to("createConnectSession", 1, 202, json!({ "scripted": true }));
    let (status, _) = raw_post(&server, Some("sk_wrong"), "{}").await;
    assert_eq!(status, 401);
    let answer = raw_post(&server, Some(server.token()), "{}").await;
    assert_eq!(answer, (202, json!({ "scripted": true })));
}

#[tokio::test]
#[should_panic(expected = "the spec has no operation `listEverything`")]
async fn respond_next_to_an_unknown_operation_says_so() {
    let server = MockServer::start().await;
    server.respond_next_to("listEverything", 1, 200, json!({}));
}

#[tokio::test]
async fn callback_url_is_the_callback_with_session_id_and_status_appended() {
    let server = MockServer::start().await;
    let client = server.client();
    let body = checkout().callback_url("https://app.example/back?order=42#top");
    let session = client.create_connect_session(&body).await.unwrap();
    let url = server
        .callback_url(&session.id, &gigs_connect::CallbackStatus::Success)
        .unwrap();
    assert_eq!(
        url,
        format!(
            "https://app.example/back?order=42&session_id={}&status=success#top",
            session.id
        )
    );
    let callback = gigs_connect::Callback::parse(&url).unwrap();
    assert_eq!(callback.session_id(), session.id);
    assert_eq!(callback.status(), &gigs_connect::CallbackStatus::Success);
    assert_eq!(callback.param("order"), Some("42"));

    use gigs_connect_mock::CallbackUrlError;
    let bare = client.create_connect_session(&checkout()).await.unwrap();
    let status = gigs_connect::CallbackStatus::AuthExpired;
    assert_eq!(
        server.callback_url(&bare.id, &status),
        Err(CallbackUrlError::NoCallbackUrl(bare.id.clone()))
    );
    assert_eq!(
        server
            .callback_url("csn_nowhere", &status)
            .unwrap_err()
            .to_string(),
        "the mock holds no Connect Session `csn_nowhere`"
    );
}

/// The spec, as committed (its copy beside the generated code, so this runs in the
/// published package too): its examples are what readers copy.
const SPEC: &str = gigs_connect::__private::SPEC;

/// Every request body example in the spec (the media type's `example`/`examples`
/// and the body schema's own `example`), with the method and path to send it to
/// and the documented success status.
fn request_body_examples() -> Vec<(String, String, u16, Value)> {
    let spec: Value = serde_json::from_str(SPEC).unwrap();
    let mut found = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let Some(media) = operation["requestBody"]["content"].get("application/json") else {
                continue;
            };
            let status = operation["responses"]
                .as_object()
                .unwrap()
                .keys()
                .find(|s| s.starts_with('2'))
                .unwrap()
                .parse()
                .unwrap();
            let schema = media["schema"]["$ref"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap();
            let mut examples = vec![
                &spec["components"]["schemas"][schema]["example"],
                &media["example"],
            ];
            if let Some(named) = media.get("examples").and_then(Value::as_object) {
                examples.extend(named.values().map(|e| &e["value"]));
            }
            for example in examples.into_iter().filter(|e| !e.is_null()) {
                found.push((method.to_uppercase(), path.clone(), status, example.clone()));
            }
        }
    }
    found
}

#[tokio::test]
async fn every_request_body_example_in_the_spec_is_accepted() {
    let examples = request_body_examples();
    assert_eq!(examples.len(), 2, "one example per request body");
    for (method, path, status, example) in examples {
        // A fresh server each: an example's `userDetails.email` may be used once.
        let server = MockServer::start().await;
        let mut path = path.replace("{project}", MOCK_PROJECT);
        if path.contains("{connectSessionId}") {
            // An update needs a session, one without a user so `user` may be set.
            let body = CreateConnectSessionRequest::new(Intent::view_subscriptions());
            let session = server.client().create_connect_session(&body).await.unwrap();
            path = path.replace("{connectSessionId}", &session.id);
        }
        let response = support::raw_client()
            .request(method.parse().unwrap(), format!("{}{path}", server.url()))
            .bearer_auth(server.token())
            .header("content-type", "application/json")
            .body(example.to_string())
            .send()
            .await
            .unwrap();
        let answered = response.status().as_u16();
        let body: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
        assert_eq!(answered, status, "{method} {path} {example}: {body}");
    }
}
