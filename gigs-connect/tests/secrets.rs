//! Secrets never leak: the API token and a session `url` (its `token` query
//! parameter above all) appear in no Debug, no Display, no error and no log line,
//! however a run goes.

mod support;

use gigs_connect::types::{
    ApiError, ConnectSession, CreateConnectSessionRequest, Intent, UpdateConnectSessionRequest,
    UserDetails,
};
use gigs_connect::{Client, Error, RetryPolicy, SecretString};
use serde_json::json;
use std::time::Duration;
use support::{Response, TestServer, capture_logs};

const API_TOKEN: &str = "sk_live_API_TOKEN_must_not_leak";
const URL_TOKEN: &str = "URL_TOKEN_must_not_leak_0123456789";
const SESSION_ID: &str = "csn_0SNlurA049MEWV1GWxpaE5D0t2D6";
const PLAN: &str = "pln_0SNlurA049MEWV3V0q7gjQbM4EVo";

fn session_url() -> String {
    format!("https://connect.gigs.com/checkout/entry?session={SESSION_ID}&token={URL_TOKEN}")
}

fn session_json(with_url: bool) -> serde_json::Value {
    json!({
        "object": "connectSession",
        "id": SESSION_ID,
        "appearance": { "theme": "dark" },
        "callbackUrl": "https://example.com/back",
        "intent": {
            "type": "checkoutNewSubscription",
            "checkoutNewSubscription": { "plan": PLAN }
        },
        "url": if with_url { json!(session_url()) } else { json!(null) },
        "user": "usr_0SNlurA049MEWV4OpCwsNyC9Kn2d"
    })
}

fn client(server: &TestServer) -> Client {
    Client::builder()
        .project("acme")
        .token(API_TOKEN)
        .base_url(server.url())
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy {
            max_retries: 2,
            backoff_base: Duration::from_millis(1),
            backoff_cap: Duration::from_millis(10),
        })
        .build()
        .expect("client builds")
}

/// Fails naming the place when `text` holds either secret. (A url whose token is
/// masked may show, e.g. quoted in a proxy's error page: what it says about where
/// the failure happened is worth more than the session id it also holds.)
fn assert_secret_free(place: &str, text: &str) {
    // The secrets, and what is left of them JSON-escaped or percent-encoded.
    for secret in [API_TOKEN, URL_TOKEN, "must_not_leak", "must%5Fnot%5Fleak"] {
        assert!(!text.contains(secret), "{place} leaks {secret:?}:\n{text}");
    }
}

/// Every kind of error a client can return, each produced for real.
async fn every_error(server: &TestServer) -> Vec<Error> {
    let client = client(server);
    let mut errors = config_errors();
    errors.push(
        client
            .retrieve_connect_session("..")
            .await
            .expect_err("a dot segment"),
    );
    errors.extend(answer_errors(server, &client).await);
    errors.extend(transport_errors(server, &client).await);
    errors
}

/// Errors of a client that cannot be built, each with our token in what it was given.
fn config_errors() -> Vec<Error> {
    vec![
        Client::builder()
            .project("acme")
            .token(API_TOKEN)
            .base_url(format!("https://user:{API_TOKEN}@api.gigs.com"))
            .build()
            .expect_err("credentials in the base URL"),
        Client::builder()
            .project("acme")
            .token(format!("{API_TOKEN}\n"))
            .build()
            .expect_err("a newline cannot go in a header"),
    ]
}

/// Errors for answers that hold the session url: an API error, an undecodable
/// success and a proxy's error page.
async fn answer_errors(server: &TestServer, client: &Client) -> Vec<Error> {
    let mut errors = Vec::new();
    // API error with the url in a header, as a careless upstream might send.
    server.respond(
        Response::json(
            400,
            &json!({
                "object": "error",
                "type": "invalid",
                "code": "userAlreadySet",
                "message": "The session already has a user.",
            }),
        )
        .header("location", &session_url()),
    );
    errors.push(
        client
            .update_connect_session(SESSION_ID, &UpdateConnectSessionRequest::new())
            .await
            .expect_err("400"),
    );
    // Undecodable success that carries the url.
    let mut broken = session_json(true);
    broken["intent"] = json!({});
    server.respond(Response::json(201, &broken));
    errors.push(
        client
            .create_connect_session(&CreateConnectSessionRequest::new(
                Intent::checkout_new_subscription(PLAN),
            ))
            .await
            .expect_err("no intent type"),
    );
    // A proxy page that echoes the url.
    server.respond(Response::text(
        500,
        "text/plain",
        &format!("upstream failed for {}", session_url()),
    ));
    errors.push(
        client
            .retrieve_connect_session(SESSION_ID)
            .await
            .expect_err("500"),
    );
    errors
}

/// Errors of answers that never come whole: every attempt times out, the call's
/// deadline passes, the body is too large.
async fn transport_errors(server: &TestServer, client: &Client) -> Vec<Error> {
    let mut errors = Vec::new();
    // Transport: every attempt times out.
    for _ in 0..3 {
        server.respond(Response::json(200, &session_json(true)).delay(Duration::from_secs(2)));
    }
    errors.push(
        client
            .retrieve_connect_session(SESSION_ID)
            .await
            .expect_err("timeout"),
    );
    // DeadlineExceeded: the answer never comes.
    server.respond(Response::json(200, &session_json(true)).delay(Duration::from_secs(2)));
    let impatient = Client::builder()
        .project("acme")
        .token(API_TOKEN)
        .base_url(server.url())
        .deadline(Duration::from_millis(100))
        .build()
        .expect("client builds");
    errors.push(
        impatient
            .retrieve_connect_session(SESSION_ID)
            .await
            .expect_err("deadline"),
    );
    server.respond(
        Response::new(200)
            .body(vec![b' '; gigs_connect::MAX_RESPONSE_BYTES + 1])
            .close_delimited(),
    );
    errors.push(
        client
            .retrieve_connect_session(SESSION_ID)
            .await
            .expect_err("too large"),
    );
    errors
}

#[tokio::test]
async fn no_error_of_any_kind_shows_a_secret() {
    let server = TestServer::start().await;
    let errors = every_error(&server).await;

    let kinds: Vec<&str> = errors
        .iter()
        .map(|e| match e {
            Error::Config { .. } => "Config",
            Error::InvalidArgument { .. } => "InvalidArgument",
            Error::Transport { .. } => "Transport",
            Error::Api { .. } => "Api",
            Error::Decode { .. } => "Decode",
            Error::ResponseTooLarge { .. } => "ResponseTooLarge",
            Error::DeadlineExceeded { .. } => "DeadlineExceeded",
            _ => "new kind: add it to this test",
        })
        .collect();
    for kind in [
        "Config",
        "InvalidArgument",
        "Transport",
        "Api",
        "Decode",
        "ResponseTooLarge",
        "DeadlineExceeded",
    ] {
        assert!(kinds.contains(&kind), "no {kind} error produced: {kinds:?}");
    }
    for err in &errors {
        assert_secret_free("Display", &err.to_string());
        assert_secret_free("Debug", &format!("{err:?}"));
        assert_secret_free("alternate Debug", &format!("{err:#?}"));
        let mut source = std::error::Error::source(err);
        while let Some(cause) = source {
            assert_secret_free("error source", &cause.to_string());
            source = cause.source();
        }
    }
}

#[tokio::test]
async fn no_type_debug_shows_a_secret() {
    let server = TestServer::start().await;
    server.respond(Response::json(201, &session_json(true)));
    let client = client(&server);
    let session: ConnectSession = client
        .create_connect_session(
            &CreateConnectSessionRequest::new(Intent::checkout_new_subscription(PLAN))
                .user_details(UserDetails::new("jane@example.com").full_name("Jane Doe")),
        )
        .await
        .expect("create succeeds");
    assert_eq!(
        session.url.as_ref().map(SecretString::expose_secret),
        Some(session_url().as_str()),
        "the url is there for the caller to redirect to"
    );

    let builder = Client::builder().project("acme").token(API_TOKEN);
    let error: ApiError = serde_json::from_value(json!({
        "object": "error", "type": "notFound", "message": "Not found."
    }))
    .unwrap();
    for (place, text) in [
        ("ConnectSession", format!("{session:?}")),
        ("ConnectSession pretty", format!("{session:#?}")),
        ("Intent", format!("{:?}", session.intent)),
        ("url", format!("{:?}", session.url)),
        ("Client", format!("{client:?}")),
        ("ClientBuilder", format!("{builder:?}")),
        ("ApiError", format!("{error:?}")),
        (
            "SecretString",
            format!("{:?}", SecretString::from(API_TOKEN)),
        ),
    ] {
        assert_secret_free(place, &text);
        assert!(
            !text.contains("connect.gigs.com"),
            "{place} shows the session url: {text}"
        );
    }
    // Serializing is not formatting: the url must survive it, or no one can redirect.
    assert!(serde_json::to_string(&session).unwrap().contains(URL_TOKEN));
}

#[tokio::test]
async fn the_logs_of_a_full_run_hold_no_secret() {
    let server = TestServer::start().await;
    let client = client(&server);
    let run = async {
        server.respond(Response::json(201, &session_json(true)));
        let created = client
            .create_connect_session(&CreateConnectSessionRequest::new(
                Intent::checkout_new_subscription(PLAN),
            ))
            .await
            .expect("create");
        server.respond(Response::text(503, "text/plain", "try later"));
        server.respond(Response::json(200, &session_json(false)));
        client
            .retrieve_connect_session(&created.id)
            .await
            .expect("retrieve after one retry");
        server.respond(Response::json(200, &session_json(true)).reset_after(40));
        server.respond(Response::json(200, &session_json(true)));
        client
            .update_connect_session(
                &created.id,
                // Not `user`: an update that sets it is not repeated (x-gigs-set-once).
                &UpdateConnectSessionRequest::new().callback_url("https://example.com/back"),
            )
            .await
            .expect("update after one retry");
        every_error(&server).await
    };

    let (errors, log) = capture_logs(run).await;

    assert!(!errors.is_empty());
    assert!(
        log.contains("retrying") && log.contains("sending request") && log.contains("hyper_util"),
        "the capture missed the client's events:\n{log}"
    );
    assert_secret_free("tracing output", &log);
}

/// Answers of a hostile or careless server, each hiding a secret in a way a plain
/// `"url"` or `token=` match misses: the status, the content type and the body.
fn hostile_answers() -> Vec<HostileAnswer> {
    let mut answers = hostile_envelopes();
    answers.extend(hostile_bodies());
    answers
}

/// What a hostile answer is (the test's message), its status, content type and body.
type HostileAnswer = (&'static str, u16, &'static str, String);

/// Error envelopes that hide a secret in their fields.
fn hostile_envelopes() -> Vec<HostileAnswer> {
    let url = session_url();
    let json = "application/json";
    vec![
        (
            "an envelope echoing our token in its message and a url in its hint",
            400,
            json,
            json!({ "object": "error", "type": "invalid", "code": "badAuth",
                "message": format!("Header was: Authorization: Bearer {API_TOKEN}"),
                "hint": format!("Open {url} instead.") })
            .to_string(),
        ),
        (
            "a retried envelope echoing our token (logged by the retry WARN)",
            503,
            json,
            json!({ "object": "error", "type": "unavailable",
                "message": format!("busy; your key {API_TOKEN} is queued"),
                "hint": format!("retry at {url}") })
            .to_string(),
        ),
        (
            "an envelope with a url and a token deep in its details",
            409,
            json,
            json!({ "object": "error", "type": "invalid", "message": "Conflict.",
                "details": [{ "session": { "URL": url, "nested": [{ "accessToken": URL_TOKEN }] } }] })
            .to_string(),
        ),
        (
            "an envelope whose unknown type is a url",
            400,
            json,
            json!({ "object": "error", "type": url, "code": "x", "message": "?" }).to_string(),
        ),
    ]
}

/// Bodies that are no envelope (undecodable successes, error pages, a body cut
/// short), each hiding a secret.
fn hostile_bodies() -> Vec<HostileAnswer> {
    let json = "application/json";
    vec![
        (
            "an undecodable 200 with an escaped url key and an escaped token parameter",
            200,
            json,
            format!(
                r#"{{"\u0075rl": "https://connect.gigs.com/x?tok\u0065n={URL_TOKEN}", "id": 5}}"#
            ),
        ),
        (
            "an undecodable 200 with an upper-case URL key",
            200,
            json,
            format!(r#"{{"URL":"{URL_TOKEN}","id":7}}"#),
        ),
        (
            "a 500 page with an upper-case TOKEN parameter",
            500,
            "text/html",
            format!(r#"<a href="https://connect.gigs.com/x?TOKEN={URL_TOKEN}">go</a>"#),
        ),
        (
            "a 502 page with a percent-encoded token parameter",
            502,
            "text/html",
            format!("<p>upstream: /x?%74oken={URL_TOKEN}</p>"),
        ),
        (
            "a 502 page quoting a url encoded twice in a redirect parameter",
            502,
            "text/html",
            format!("<p>redirect=https%253A%252F%252Fc%252Fx%253F%2574oken%253D{URL_TOKEN}</p>"),
        ),
        (
            "a 504 page echoing our Authorization header",
            504,
            "text/plain",
            format!("request headers: authorization: Bearer {API_TOKEN}"),
        ),
        (
            "a body cut short inside a url",
            200,
            json,
            format!(r#"{{"id":"csn_1","URL": "https://connect.gigs.com/x?tok\u0065n={URL_TOKEN}"#),
        ),
        (
            "a 502 page with token pairs quoted, spaced, after a colon and as an entity",
            502,
            "text/html",
            format!(
                "<div data-token=\"{URL_TOKEN}\" x='1'>token = {URL_TOKEN}; token: {URL_TOKEN}; token&#61;{URL_TOKEN}</div>"
            ),
        ),
        (
            "a 503 page quoting our token JSON-escaped and percent-encoded",
            503,
            "text/html",
            format!(
                "<p>key \"{}\" rejected; see /keys?k={}</p>",
                API_TOKEN.replacen('s', "\\u0073", 1),
                API_TOKEN.replace('_', "%5F")
            ),
        ),
    ]
}

#[tokio::test(flavor = "current_thread")]
async fn hostile_server_text_is_scrubbed_from_display_debug_and_logs() {
    for (what, status, content_type, body) in hostile_answers() {
        let server = TestServer::start().await;
        // Enough answers for every retry the status allows.
        for _ in 0..3 {
            server.respond(Response::text(status, content_type, &body));
        }
        let client = client(&server);

        let (result, log) = capture_logs(client.retrieve_connect_session(SESSION_ID)).await;

        let err = result.expect_err(what);
        assert_secret_free(&format!("{what}: Display"), &err.to_string());
        assert_secret_free(&format!("{what}: Debug"), &format!("{err:?}"));
        assert_secret_free(&format!("{what}: alternate Debug"), &format!("{err:#?}"));
        assert_secret_free(&format!("{what}: TRACE log"), &log);
    }
}

#[tokio::test]
async fn unknown_intents_and_enum_values_are_scrubbed_in_debug_and_kept_in_the_value() {
    let server = TestServer::start().await;
    let mut session = session_json(false);
    session["intent"] = json!({
        "type": "futureIntent",
        "futureIntent": { "steps": [{ "url": session_url() }], "note": format!("?token={URL_TOKEN}") }
    });
    session["appearance"] = json!({ "theme": session_url() });
    server.respond(Response::json(200, &session));

    let session = client(&server)
        .retrieve_connect_session(SESSION_ID)
        .await
        .expect("an unknown intent and theme decode");

    for text in [
        format!("{session:?}"),
        format!("{session:#?}"),
        format!("{:?}", session.intent),
    ] {
        assert_secret_free("Debug of an unknown intent and theme", &text);
        assert!(text.contains("futureIntent"), "{text}");
    }
    // The value itself is whole: it encodes back as it came.
    let encoded = serde_json::to_string(&session).unwrap();
    assert_eq!(encoded.matches(URL_TOKEN).count(), 3, "{encoded}");
}
