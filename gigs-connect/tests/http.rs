//! The client's HTTP behaviour against a real server on 127.0.0.1: what each
//! operation sends, how answers decode, and how failures come back.

mod support;

use gigs_connect::types::{
    ApiErrorType, CreateConnectSessionRequest, Intent, UpdateConnectSessionRequest,
};
use gigs_connect::{Client, Error};
use percent_encoding::percent_decode_str;
use serde_json::{Value, json};
use support::{Response, TestServer};

/// A token distinctive enough to search formatted output for.
const TOKEN: &str = "sk_test_SECRET_TOKEN_123";
const PROJECT: &str = "acme";
const SESSION_ID: &str = "csn_0SNlurA049MEWV1GWxpaE5D0t2D6";
const PLAN: &str = "pln_0SNlurA049MEWV3V0q7gjQbM4EVo";
const USER: &str = "usr_0SNlurA049MEWV4OpCwsNyC9Kn2d";
/// The secret part of a session url.
const SESSION_TOKEN: &str = "lzODbEyaUQjVRAmalD4pdaq5Nkn1Lw0qTL6Rdsh7PwLVES6N7ImWxnCYbJA99AXp";

/// A session token that reaches the client in a response body but must never
/// reach an error.
const LEAKED_TOKEN: &str = "tok_SESSION_SECRET_789";

fn session_url() -> String {
    format!("https://connect.gigs.com/checkout/entry?session={SESSION_ID}&token={SESSION_TOKEN}")
}

/// A session as Gigs returns it from a create.
fn session_json() -> Value {
    json!({
        "object": "connectSession",
        "id": SESSION_ID,
        "callbackUrl": "https://example.com",
        "intent": {
            "type": "checkoutNewSubscription",
            "checkoutNewSubscription": { "plan": PLAN }
        },
        "url": session_url(),
        "user": USER
    })
}

fn session_path(id_segment: &str) -> String {
    format!("/projects/{PROJECT}/connectSessions/{id_segment}")
}

fn client(server: &TestServer) -> Client {
    Client::builder()
        .project(PROJECT)
        .token(TOKEN)
        .base_url(server.url())
        .build()
        .expect("client builds")
}

/// A client that answers with the first failure, for tests about one response's
/// decoding (retries have their own tests in `faults.rs`).
fn client_without_retries(server: &TestServer) -> Client {
    Client::builder()
        .project(PROJECT)
        .token(TOKEN)
        .base_url(server.url())
        .max_retries(0)
        .build()
        .expect("client builds")
}

/// Checks the headers every request carries.
fn assert_common_headers(request: &support::Request) {
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(request.header("accept"), Some("application/json"));
    let user_agent = request.header("user-agent").unwrap_or_default();
    assert!(
        user_agent.starts_with("gigs-connect-rust/"),
        "user-agent: {user_agent:?}"
    );
}

#[tokio::test]
async fn create_posts_json_body_with_bearer_token() {
    let server = TestServer::start().await;
    server.respond(Response::json(201, &session_json()));
    let body = CreateConnectSessionRequest::new(Intent::checkout_new_subscription(PLAN))
        .user(USER)
        .callback_url("https://example.com");

    client(&server)
        .create_connect_session(&body)
        .await
        .expect("create succeeds");

    let request = server.single_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, format!("/projects/{PROJECT}/connectSessions"));
    assert_common_headers(&request);
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.json(),
        json!({
            "intent": {
                "type": "checkoutNewSubscription",
                "checkoutNewSubscription": { "plan": PLAN }
            },
            "user": USER,
            "callbackUrl": "https://example.com"
        })
    );
}

#[tokio::test]
async fn create_returns_the_typed_session() {
    let server = TestServer::start().await;
    server.respond(Response::json(201, &session_json()));
    let body = CreateConnectSessionRequest::new(Intent::checkout_new_subscription(PLAN));

    let session = client(&server)
        .create_connect_session(&body)
        .await
        .expect("create succeeds");

    assert_eq!(session.id, SESSION_ID);
    assert_eq!(session.user.as_deref(), Some(USER));
    match &session.intent {
        Intent::CheckoutNewSubscription(payload) => assert_eq!(payload.plan, PLAN),
        other => panic!("expected checkoutNewSubscription, got {other:?}"),
    }
    assert_eq!(session.url.as_ref().unwrap().expose_secret(), session_url());
}

#[tokio::test]
async fn retrieve_gets_the_session_path() {
    let server = TestServer::start().await;
    server.respond(Response::json(200, &session_json()));

    client(&server)
        .retrieve_connect_session(SESSION_ID)
        .await
        .expect("retrieve succeeds");

    let request = server.single_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, session_path(SESSION_ID));
    assert_common_headers(&request);
    assert_eq!(request.header("content-type"), None);
    assert!(request.body.is_empty(), "GET sent a body: {request:?}");
}

#[tokio::test]
async fn retrieve_decodes_the_reference_example() {
    let server = TestServer::start().await;
    let path = format!(
        "{}/tests/fixtures/seeds/reference-retrieve-response.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let example = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    server.respond(Response::text(200, "application/json", &example));

    let session = client(&server)
        .retrieve_connect_session(SESSION_ID)
        .await
        .expect("retrieve succeeds");

    assert_eq!(session.id, SESSION_ID);
    match &session.intent {
        Intent::CancelSubscription(payload) => {
            assert_eq!(payload.subscription, "sub_0SNlurA049MEWV2gSfSxi00xlPIi");
        }
        other => panic!("expected cancelSubscription, got {other:?}"),
    }
    assert_eq!(session.url.as_ref().unwrap().expose_secret(), session_url());
}

#[tokio::test]
async fn update_patches_only_fields_set_and_null_to_clear() {
    let server = TestServer::start().await;
    server.respond(Response::json(200, &session_json()));
    let body = UpdateConnectSessionRequest::new().clear_callback_url();

    client(&server)
        .update_connect_session(SESSION_ID, &body)
        .await
        .expect("update succeeds");

    let request = server.single_request();
    assert_eq!(request.method, "PATCH");
    assert_eq!(request.path, session_path(SESSION_ID));
    assert_common_headers(&request);
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.json(), json!({ "callbackUrl": null }));
}

#[tokio::test]
async fn update_leaves_unchanged_fields_out_rather_than_null() {
    let server = TestServer::start().await;
    server.respond(Response::json(200, &session_json()));
    let body = UpdateConnectSessionRequest::new().user(USER);

    client(&server)
        .update_connect_session(SESSION_ID, &body)
        .await
        .expect("update succeeds");

    assert_eq!(server.single_request().json(), json!({ "user": USER }));
}

/// The error a retrieve returns when the server answers Gigs' 404 envelope.
async fn retrieve_not_found() -> Error {
    let server = TestServer::start().await;
    server.respond(Response::json(
        404,
        &json!({
            "object": "error",
            "type": "notFound",
            "code": "connectSessionNotFound",
            "message": "The Connect Session was not found."
        }),
    ));
    client(&server)
        .retrieve_connect_session(SESSION_ID)
        .await
        .expect_err("a 404 is an error")
}

#[tokio::test]
async fn api_error_envelope_comes_back_typed() {
    let err = retrieve_not_found().await;

    assert!(
        matches!(
            err,
            Error::Api {
                operation: "retrieveConnectSession",
                status: 404,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.status(), Some(404));
    let api_error = err.api_error().expect("the envelope is kept");
    assert_eq!(api_error.r#type, ApiErrorType::NotFound);
    assert_eq!(api_error.code.as_deref(), Some("connectSessionNotFound"));
    assert_eq!(api_error.message, "The Connect Session was not found.");
}

#[tokio::test]
async fn api_errors_keep_their_response_headers() {
    let server = TestServer::start().await;
    server.respond(
        Response::json(
            404,
            &json!({"object": "error", "type": "notFound", "message": "Not found."}),
        )
        .header("x-request-id", "req_0SNlurA049"),
    );

    let err = client(&server)
        .retrieve_connect_session(SESSION_ID)
        .await
        .expect_err("a 404");

    let headers = err.headers().expect("an API error keeps its headers");
    assert_eq!(headers["x-request-id"], "req_0SNlurA049");
    assert!(
        !err.to_string().contains("req_0SNlurA049"),
        "headers stay out of Display"
    );
}

#[tokio::test]
async fn api_error_details_of_any_object_shape_decode() {
    let server = TestServer::start().await;
    server.respond(Response::json(
        400,
        &json!({
            "object": "error",
            "type": "invalid",
            "message": "The request is not valid.",
            "details": [
                {"field": "intent.checkoutNewSubscription.plan", "reason": "missing"},
                {"aShapeFromTheFuture": {"nested": [1, 2.5, null]}},
                {}
            ]
        }),
    ));

    let err = client(&server)
        .retrieve_connect_session(SESSION_ID)
        .await
        .expect_err("a 400");

    let details = err
        .api_error()
        .and_then(|e| e.details.as_ref())
        .expect("details are kept");
    assert_eq!(details.len(), 3);
    assert_eq!(details[0]["field"], "intent.checkoutNewSubscription.plan");
    assert_eq!(details[1]["aShapeFromTheFuture"]["nested"][1], 2.5);
    assert!(details[2].is_empty());
}

#[tokio::test]
async fn api_error_display_names_operation_status_and_type() {
    let shown = retrieve_not_found().await.to_string();

    for part in ["retrieveConnectSession", "404", "notFound"] {
        assert!(shown.contains(part), "{part:?} missing from {shown:?}");
    }
}

#[tokio::test]
async fn hostile_ids_stay_one_path_segment() {
    let server = TestServer::start().await;
    let client = client(&server);
    let cases = [
        ("../users", "..%2Fusers"),
        ("a/b", "a%2Fb"),
        ("x?y=1", "x%3Fy%3D1"),
        ("%2F", "%252F"),
        ("café", "caf%C3%A9"),
        ("a#b", "a%23b"),
        ("a b", "a%20b"),
    ];
    for (id, _) in cases {
        server.respond(Response::json(200, &session_json()));
        client
            .retrieve_connect_session(id)
            .await
            .unwrap_or_else(|e| panic!("retrieve {id:?}: {e}"));
        server.respond(Response::json(200, &session_json()));
        client
            .update_connect_session(id, &UpdateConnectSessionRequest::new())
            .await
            .unwrap_or_else(|e| panic!("update {id:?}: {e}"));
    }

    let requests = server.requests();
    assert_eq!(requests.len(), cases.len() * 2);
    let prefix = format!("/projects/{PROJECT}/connectSessions/");
    for (request, (id, encoded)) in requests.iter().zip(cases.iter().flat_map(|c| [c, c])) {
        let segment = request
            .path
            .strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("{id:?} left the collection: {}", request.path));
        assert_eq!(segment, *encoded, "{} {id:?}", request.method);
        assert!(
            !segment.contains(['/', '?', '#']),
            "{id:?} became more than one segment: {segment}"
        );
        assert_eq!(
            percent_decode_str(segment).decode_utf8().unwrap(),
            *id,
            "{id:?} does not decode back"
        );
    }
}

#[tokio::test]
async fn hostile_project_stays_one_path_segment() {
    let server = TestServer::start().await;
    server.respond(Response::json(200, &session_json()));
    let client = Client::builder()
        .project("../other?x=1")
        .token(TOKEN)
        .base_url(server.url())
        .build()
        .unwrap();

    client.retrieve_connect_session(SESSION_ID).await.unwrap();

    assert_eq!(
        server.single_request().path,
        format!("/projects/..%2Fother%3Fx%3D1/connectSessions/{SESSION_ID}")
    );
}

#[tokio::test]
async fn empty_or_dot_ids_are_refused_before_sending() {
    let server = TestServer::start().await;
    let client = client(&server);

    for id in ["", ".", ".."] {
        let retrieve = client.retrieve_connect_session(id).await;
        let update = client
            .update_connect_session(id, &UpdateConnectSessionRequest::new())
            .await;
        for (operation, result) in [
            ("retrieveConnectSession", retrieve),
            ("updateConnectSession", update),
        ] {
            let err = result.expect_err("the id is refused");
            assert!(
                matches!(
                    err,
                    Error::InvalidArgument {
                        operation: op,
                        parameter: "connectSessionId",
                        ..
                    } if op == operation
                ),
                "{operation} {id:?}: {err:?}"
            );
        }
    }

    assert!(
        server.requests().is_empty(),
        "refused calls reached the server: {:#?}",
        server.requests()
    );
}

#[tokio::test]
async fn non_envelope_error_body_is_a_decode_error_with_status_and_excerpt() {
    let server = TestServer::start().await;
    server.respond(Response::text(
        502,
        "text/html",
        "<html><head><title>502 Bad Gateway</title></head><body>upstream down</body></html>",
    ));

    let err = client_without_retries(&server)
        .retrieve_connect_session(SESSION_ID)
        .await
        .expect_err("a 502 is an error");

    let Error::Decode {
        operation,
        status,
        excerpt,
        ..
    } = &err
    else {
        panic!("expected a decode error, got {err:?}");
    };
    assert_eq!(*operation, "retrieveConnectSession");
    assert_eq!(*status, 502);
    assert_eq!(err.status(), Some(502));
    assert!(
        excerpt.starts_with("<html><head><title>502 Bad Gateway"),
        "excerpt: {excerpt:?}"
    );
}

#[tokio::test]
async fn undecodable_success_names_the_failing_field() {
    let server = TestServer::start().await;
    let mut session = session_json();
    session["id"] = json!(5);
    server.respond(Response::json(200, &session));

    let err = client(&server)
        .retrieve_connect_session(SESSION_ID)
        .await
        .expect_err("an integer id does not decode");

    let Error::Decode { status, reason, .. } = &err else {
        panic!("expected a decode error, got {err:?}");
    };
    assert_eq!(*status, 200);
    assert!(reason.contains("`id`"), "reason: {reason:?}");
}

#[tokio::test]
async fn session_url_in_a_non_json_error_body_never_reaches_the_error() {
    let server = TestServer::start().await;
    // Short enough that the whole url falls inside the excerpt.
    server.respond(Response::text(
        500,
        "text/plain",
        &format!("redirect failed: https://connect.gigs.com/e?token={LEAKED_TOKEN}&session=csn_1"),
    ));

    let err = client(&server)
        .retrieve_connect_session(SESSION_ID)
        .await
        .expect_err("a 500 is an error");

    let Error::Decode {
        status, excerpt, ..
    } = &err
    else {
        panic!("expected a decode error, got {err:?}");
    };
    assert_eq!(*status, 500);
    assert!(excerpt.contains("&session=csn_1"), "excerpt: {excerpt:?}");
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(
            !shown.contains(LEAKED_TOKEN),
            "session token leaked: {shown}"
        );
    }
}

#[tokio::test]
async fn session_url_in_an_undecodable_success_never_reaches_the_error() {
    let server = TestServer::start().await;
    // The url comes first so that it falls inside the excerpt; the intent has no type.
    let body = format!(
        r#"{{"url":"https://connect.gigs.com/e?session=csn_1&token={LEAKED_TOKEN}","object":"connectSession","id":"csn_1","intent":{{}}}}"#
    );
    server.respond(Response::text(201, "application/json", &body));

    let err = client(&server)
        .create_connect_session(&CreateConnectSessionRequest::new(
            Intent::checkout_new_subscription(PLAN),
        ))
        .await
        .expect_err("an intent without a type does not decode");

    let Error::Decode {
        status, excerpt, ..
    } = &err
    else {
        panic!("expected a decode error, got {err:?}");
    };
    assert_eq!(*status, 201);
    assert!(excerpt.contains(r#""object""#), "excerpt: {excerpt:?}");
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(
            !shown.contains(LEAKED_TOKEN),
            "session token leaked: {shown}"
        );
        assert!(
            !shown.contains("connect.gigs.com"),
            "session url leaked: {shown}"
        );
    }
}

#[tokio::test]
async fn a_trailing_slash_on_the_base_url_is_not_doubled() {
    let server = TestServer::start().await;
    server.respond(Response::json(200, &session_json()));
    let client = Client::builder()
        .project(PROJECT)
        .token(TOKEN)
        .base_url(format!("{}/", server.url()))
        .build()
        .unwrap();

    client.retrieve_connect_session(SESSION_ID).await.unwrap();

    assert_eq!(server.single_request().path, session_path(SESSION_ID));
}

#[tokio::test]
async fn clones_share_one_connection() {
    let server = TestServer::start().await;
    let first = client(&server);
    let second = first.clone();
    server.respond(Response::json(200, &session_json()));
    server.respond(Response::json(200, &session_json()));

    first.retrieve_connect_session(SESSION_ID).await.unwrap();
    second.retrieve_connect_session(SESSION_ID).await.unwrap();

    let connections: Vec<usize> = server.requests().iter().map(|r| r.connection).collect();
    assert_eq!(connections, [0, 0]);
}

#[test]
fn missing_project_or_token_is_a_config_error() {
    let no_project = Client::builder().token(TOKEN).build();
    let no_token = Client::builder().project(PROJECT).build();
    let empty_project = Client::builder().project("").token(TOKEN).build();
    let empty_token = Client::builder().project(PROJECT).token("").build();

    for (case, result) in [
        ("no project", no_project),
        ("no token", no_token),
        ("empty project", empty_project),
        ("empty token", empty_token),
    ] {
        let err = result.expect_err(case);
        assert!(matches!(err, Error::Config { .. }), "{case}: {err:?}");
    }
}

#[test]
fn http_base_url_is_refused_unless_loopback() {
    let build = |base_url: &str| {
        Client::builder()
            .project(PROJECT)
            .token(TOKEN)
            .base_url(base_url)
            .build()
    };

    let err = build("http://example.com").expect_err("plain http to a remote host");
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    for loopback in ["http://127.0.0.1:1", "http://localhost:1", "http://[::1]:1"] {
        build(loopback).unwrap_or_else(|e| panic!("{loopback}: {e}"));
    }
    build("https://example.com").expect("https anywhere");
}

#[test]
fn a_non_ascii_host_name_in_the_base_url_becomes_punycode() {
    // UTS 46 processing by `url` → `idna`, with the Unicode back end the default
    // `idna-unicode-rs` feature picks (unicode-rs); ICU4X gives the same answer, the
    // ASCII-only stub (idna_adapter 1.0) refuses the name.
    let client = Client::builder()
        .project(PROJECT)
        .token(TOKEN)
        .base_url("https://Bücher.Example/v1/")
        .build()
        .unwrap();

    assert_eq!(client.base_url(), "https://xn--bcher-kva.example/v1");
}

#[test]
fn client_and_builder_debug_hide_the_token() {
    let builder = Client::builder()
        .project(PROJECT)
        .token(TOKEN)
        .base_url("http://127.0.0.1:1");
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();
    let client_debug = format!("{client:?}");

    for shown in [builder_debug, client_debug] {
        assert!(!shown.contains(TOKEN), "token leaked: {shown}");
        assert!(shown.contains(PROJECT), "not a useful Debug: {shown}");
    }
}

#[tokio::test]
async fn a_decode_error_quotes_no_more_than_a_few_hundred_characters_of_a_huge_value() {
    let server = TestServer::start().await;
    let mut session = session_json();
    // A megabyte where an object belongs: serde's message quotes the value it got.
    session["appearance"] = json!("A".repeat(1024 * 1024));
    server.respond(Response::json(200, &session));

    let err = client(&server)
        .retrieve_connect_session(SESSION_ID)
        .await
        .expect_err("a string is no appearance");

    let Error::Decode { reason, .. } = &err else {
        panic!("expected a decode error, got {err:?}");
    };
    assert!(
        reason.contains("appearance"),
        "names the field: {}",
        &reason[..200.min(reason.len())]
    );
    assert!(
        reason.chars().count() <= 301,
        "{} characters",
        reason.chars().count()
    );
    assert!(
        err.to_string().len() < 1000,
        "{} bytes of Display",
        err.to_string().len()
    );
}
