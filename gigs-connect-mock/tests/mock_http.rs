//! The mock speaks HTTP as independent tools expect: 405 with `Allow`, a
//! case-insensitive bearer scheme, 415 for a body that is not JSON by its type,
//! and a broken chunked body reported as malformed. Requests are written by hand
//! on raw TCP, so nothing in between fixes them up.

use gigs_connect_mock::{MOCK_PROJECT, MockServer};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A parsed answer: status, headers (lowercase names) and JSON body.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Value,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Writes `request` (with `{token}` replaced) and reads the answer up to close.
async fn exchange(server: &MockServer, request: &str) -> Answer {
    let request = request.replace("{token}", server.token());
    let mut stream = TcpStream::connect(server.url().trim_start_matches("http://"))
        .await
        .unwrap();
    // The mock may answer and close before reading a body it refuses: keep what
    // arrived rather than the write or read error that follows.
    let _ = stream.write_all(request.as_bytes()).await;
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw).await;
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete answer");
    let mut lines = head.lines();
    let status = lines.next().unwrap()[9..12].parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Answer {
        status,
        headers,
        body: serde_json::from_str(body).unwrap_or(Value::Null),
    }
}

fn assert_error(answer: &Answer, status: u16, kind: &str, code: &str) {
    assert_eq!(answer.status, status, "{}", answer.body);
    assert_eq!(answer.body["object"], "error", "{}", answer.body);
    assert_eq!(answer.body["type"], kind, "{}", answer.body);
    assert_eq!(answer.body["code"], code, "{}", answer.body);
}

/// The methods the spec declares on `path`, as `Allow` lists them (in the order
/// codegen reads a path item's operations).
fn allowed(path: &str) -> String {
    // The spec's copy that `cargo xtask codegen` keeps beside the generated code, so
    // this test also runs in the published package.
    let spec: Value = serde_json::from_str(gigs_connect::__private::SPEC).unwrap();
    let item = &spec["paths"][path];
    let methods: Vec<String> = ["get", "put", "post", "delete", "patch"]
        .into_iter()
        .filter(|method| item.get(method).is_some())
        .map(str::to_ascii_uppercase)
        .collect();
    methods.join(", ")
}

const CREATE_BODY: &str = r#"{"intent":{"type":"viewSubscriptions"}}"#;

fn post(content_type: &str, body: &str) -> String {
    format!(
        "POST /projects/{MOCK_PROJECT}/connectSessions HTTP/1.1\r\nhost: x\r\n\
         authorization: Bearer {{token}}\r\ncontent-type: {content_type}\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[tokio::test]
async fn a_method_the_path_does_not_take_is_405_with_allow() {
    let server = MockServer::start().await;
    let answer = exchange(
        &server,
        &format!(
            "DELETE /projects/{MOCK_PROJECT}/connectSessions/csn_1 HTTP/1.1\r\nhost: x\r\n\
             authorization: Bearer {{token}}\r\nconnection: close\r\n\r\n"
        ),
    )
    .await;
    assert_error(&answer, 405, "invalid", "methodNotAllowed");
    let allow = allowed("/projects/{project}/connectSessions/{connectSessionId}");
    assert!(
        !allow.contains("DELETE"),
        "the spec declares DELETE: pick another method"
    );
    assert_eq!(answer.header("allow"), Some(allow.as_str()));

    let answer = exchange(
        &server,
        &format!(
            "PUT /projects/{MOCK_PROJECT}/connectSessions HTTP/1.1\r\nhost: x\r\n\
             authorization: Bearer {{token}}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
        ),
    )
    .await;
    assert_eq!(answer.status, 405);
    let allow = allowed("/projects/{project}/connectSessions");
    assert!(
        !allow.contains("PUT"),
        "the spec declares PUT: pick another method"
    );
    assert_eq!(answer.header("allow"), Some(allow.as_str()));
}

#[tokio::test]
async fn an_unknown_path_is_still_404() {
    let server = MockServer::start().await;
    let answer = exchange(
        &server,
        "GET /projects/p/teleports HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {token}\r\n\
         connection: close\r\n\r\n",
    )
    .await;
    assert_error(&answer, 404, "notFound", "routeNotFound");
    assert_eq!(answer.header("allow"), None);
}

#[tokio::test]
async fn the_bearer_scheme_is_matched_case_insensitively() {
    let server = MockServer::start().await;
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let request = post("application/json", CREATE_BODY).replace("Bearer", scheme);
        let answer = exchange(&server, &request).await;
        assert_eq!(answer.status, 201, "{scheme}: {}", answer.body);
    }
    let request = post("application/json", CREATE_BODY).replace("Bearer", "Basic");
    assert_error(
        &exchange(&server, &request).await,
        401,
        "unauthenticated",
        "authorizationInvalid",
    );
}

#[tokio::test]
async fn a_body_that_is_not_json_by_its_content_type_is_415() {
    let server = MockServer::start().await;
    for content_type in ["text/plain", "application/x-www-form-urlencoded"] {
        let answer = exchange(&server, &post(content_type, CREATE_BODY)).await;
        assert_error(&answer, 415, "malformed", "contentTypeUnsupported");
        let message = answer.body["message"].as_str().unwrap();
        assert!(
            message.contains(content_type) && message.contains("application/json"),
            "{message}"
        );
    }
    let no_type =
        post("application/json", CREATE_BODY).replace("content-type: application/json\r\n", "");
    let answer = exchange(&server, &no_type).await;
    assert_error(&answer, 415, "malformed", "contentTypeUnsupported");
    assert!(server.requests().iter().all(|r| r.method == "POST"));
}

#[tokio::test]
async fn json_with_a_charset_parameter_is_json() {
    let server = MockServer::start().await;
    let answer = exchange(
        &server,
        &post("Application/JSON; charset=utf-8", CREATE_BODY),
    )
    .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
}

#[tokio::test]
async fn a_broken_chunked_body_is_malformed_not_too_large() {
    let server = MockServer::start().await;
    let request = format!(
        "POST /projects/{MOCK_PROJECT}/connectSessions HTTP/1.1\r\nhost: x\r\n\
         authorization: Bearer {{token}}\r\ncontent-type: application/json\r\n\
         transfer-encoding: chunked\r\n\r\n5\r\n{{\"int\r\nzz\r\n"
    );
    let answer = exchange(&server, &request).await;
    assert_error(&answer, 400, "malformed", "bodyMalformed");
    assert_eq!(answer.header("connection"), Some("close"));
}

#[tokio::test]
async fn a_body_over_the_limit_is_still_413() {
    let server = MockServer::start().await;
    let body = format!("{{\"pad\":\"{}\"}}", "x".repeat(1024 * 1024 + 1));
    let answer = exchange(&server, &post("application/json", &body)).await;
    assert_error(&answer, 413, "invalid", "bodyTooLarge");
}
