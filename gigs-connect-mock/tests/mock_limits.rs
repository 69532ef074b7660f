//! The mock holds to its `MockConfig` against slow and silent clients (raw TCP on
//! loopback, short timeouts) and keeps its memory bounded over long runs.

mod support;

use gigs_connect::types::{CreateConnectSessionRequest, Intent};
use gigs_connect_mock::{MOCK_PROJECT, MockConfig, MockServer, ReceivedRequest};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const SHORT: Duration = Duration::from_millis(200);
/// Far longer than `SHORT`: if nothing happens by then, the timeout did not work.
const PATIENCE: Duration = Duration::from_secs(10);

async fn connect(server: &MockServer) -> TcpStream {
    TcpStream::connect(server.url().trim_start_matches("http://"))
        .await
        .unwrap()
}

/// Reads until the server closes; `None` if it is still open after `wait`.
async fn read_until_closed(stream: &mut TcpStream, wait: Duration) -> Option<String> {
    let mut raw = Vec::new();
    match tokio::time::timeout(wait, stream.read_to_end(&mut raw)).await {
        Ok(_) => Some(String::from_utf8_lossy(&raw).into_owned()),
        Err(_) => None,
    }
}

fn short_timeouts() -> MockConfig {
    MockConfig::default()
        .header_timeout(SHORT)
        .body_timeout(SHORT)
}

fn head(content_length: usize, connection: &str) -> String {
    format!(
        "POST /projects/{MOCK_PROJECT}/connectSessions HTTP/1.1\r\nhost: x\r\n\
         content-type: application/json\r\ncontent-length: {content_length}\r\n\
         connection: {connection}\r\n\r\n"
    )
}

#[tokio::test]
async fn a_silent_connection_is_closed_after_the_header_timeout() {
    let server = MockServer::start_with(short_timeouts()).await;
    let mut stream = connect(&server).await;
    assert!(read_until_closed(&mut stream, PATIENCE).await.is_some());
}

#[tokio::test]
async fn a_silent_connection_stays_open_under_the_default_timeout() {
    let server = MockServer::start().await;
    let mut stream = connect(&server).await;
    // The default is 10 s: after half a second the connection is still there.
    assert_eq!(
        read_until_closed(&mut stream, Duration::from_millis(500)).await,
        None
    );
}

#[tokio::test]
async fn half_sent_headers_are_closed_after_the_header_timeout() {
    let server = MockServer::start_with(short_timeouts()).await;
    let mut stream = connect(&server).await;
    let head = head(2, "close");
    stream
        .write_all(&head.as_bytes()[..head.len() / 2])
        .await
        .unwrap();
    assert!(read_until_closed(&mut stream, PATIENCE).await.is_some());
    assert!(server.requests().is_empty(), "no request was read");
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed_after_the_header_timeout() {
    let server = MockServer::start_with(short_timeouts()).await;
    let mut stream = connect(&server).await;
    let request = format!(
        "GET /projects/{MOCK_PROJECT}/connectSessions/csn_1 HTTP/1.1\r\nhost: x\r\n\
         authorization: Bearer {}\r\n\r\n",
        server.token()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let answered = read_until_closed(&mut stream, PATIENCE)
        .await
        .expect("closed once idle");
    assert!(answered.starts_with("HTTP/1.1 404"), "{answered}");
}

#[tokio::test]
async fn a_late_body_gets_408_and_the_connection_closes() {
    let config = MockConfig::default()
        .header_timeout(PATIENCE)
        .body_timeout(SHORT);
    let server = MockServer::start_with(config).await;
    let mut stream = connect(&server).await;
    stream
        .write_all(head(100, "keep-alive").as_bytes())
        .await
        .unwrap();
    stream.write_all(b"{\"intent\":").await.unwrap();
    let answer = read_until_closed(&mut stream, PATIENCE)
        .await
        .expect("closed after the body timeout");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"code\":\"bodyTimeout\""), "{answer}");
}

fn create(callback: &str) -> CreateConnectSessionRequest {
    CreateConnectSessionRequest::new(Intent::view_subscriptions()).callback_url(callback)
}

#[tokio::test]
async fn the_request_log_keeps_the_newest_requests_and_can_be_cleared() {
    let server = MockServer::start_with(MockConfig::default().max_logged_requests(3)).await;
    let client = server.client();
    for i in 0..5 {
        let url = format!("https://example.com/{i}");
        client.create_connect_session(&create(&url)).await.unwrap();
    }
    let logged: Vec<String> = server
        .requests()
        .iter()
        .map(|r| {
            r.json().unwrap()["callbackUrl"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        logged,
        [
            "https://example.com/2",
            "https://example.com/3",
            "https://example.com/4"
        ]
    );

    server.clear_requests();
    assert!(server.requests().is_empty());
    client
        .create_connect_session(&create("https://example.com/5"))
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn the_request_log_keeps_its_byte_budget() {
    let server = MockServer::start_with(MockConfig::default().max_logged_bytes(2_000)).await;
    let client = server.client();
    for i in 0..10 {
        let url = format!("https://example.com/{i}");
        client.create_connect_session(&create(&url)).await.unwrap();
    }
    let requests = server.requests();
    let bytes: usize = requests.iter().map(logged_bytes).sum();
    assert!(bytes <= 2_000, "{bytes} bytes logged");
    assert!(
        !requests.is_empty() && requests.len() < 10,
        "{}",
        requests.len()
    );
}

/// What the log counts of a request: method, path, headers and body.
fn logged_bytes(request: &ReceivedRequest) -> usize {
    let headers: usize = request
        .headers
        .names()
        .map(|name| name.len())
        .sum::<usize>()
        + request
            .headers
            .names()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .flat_map(|name| request.headers.get_all(name))
            .map(str::len)
            .sum::<usize>();
    request.method.len()
        + request.path.len()
        + request.content_type.as_ref().map_or(0, String::len)
        + headers
        + request.body.len()
}

#[tokio::test]
async fn the_store_keeps_the_newest_sessions() {
    let server = MockServer::start_with(MockConfig::default().max_sessions(2)).await;
    let client = server.client();
    let mut ids = Vec::new();
    for i in 0..3 {
        let url = format!("https://example.com/{i}");
        ids.push(
            client
                .create_connect_session(&create(&url))
                .await
                .unwrap()
                .id,
        );
    }
    let oldest = client.retrieve_connect_session(&ids[0]).await.unwrap_err();
    assert_eq!(oldest.status(), Some(404));
    for id in &ids[1..] {
        assert_eq!(&client.retrieve_connect_session(id).await.unwrap().id, id);
    }
}

#[tokio::test]
async fn the_store_keeps_its_byte_budget_sessions_and_replays_oldest_first() {
    let server = MockServer::start_with(MockConfig::default().max_store_bytes(1024 * 1024)).await;
    let client = server.client();
    let long = "x".repeat(100_000);
    let mut created = Vec::new();
    for i in 0..20 {
        let url = format!("https://example.com/{i}?{long}");
        let key = format!("key-{i}");
        let session = client
            .create_connect_session(&create(&url))
            .idempotency_key(key.clone())
            .await
            .unwrap();
        created.push((key, session.id));
    }
    // Each create keeps about 200 KB (the session and its replay): 1 MiB holds
    // the newest few, and the oldest are gone.
    let oldest = client
        .retrieve_connect_session(&created[0].1)
        .await
        .unwrap_err();
    assert_eq!(oldest.status(), Some(404));
    let (key, id) = created.last().unwrap();
    assert_eq!(&client.retrieve_connect_session(id).await.unwrap().id, id);
    let replayed = client
        .create_connect_session(&create("https://example.com/other"))
        .idempotency_key(key.clone())
        .await
        .unwrap();
    assert_eq!(&replayed.id, id, "the newest key still replays");
    let kept = futures_count(&client, &created).await;
    assert!(
        (3..=5).contains(&kept),
        "{kept} of 20 sessions kept in 1 MiB"
    );
}

/// How many of `created` the store still holds.
async fn futures_count(client: &gigs_connect::Client, created: &[(String, String)]) -> usize {
    let mut kept = 0;
    for (_, id) in created {
        kept += usize::from(client.retrieve_connect_session(id).await.is_ok());
    }
    kept
}

#[tokio::test]
async fn the_request_log_counts_paths_and_headers_in_its_byte_budget() {
    let server = MockServer::start_with(MockConfig::default().max_logged_bytes(100_000)).await;
    let http = support::raw_client();
    let id = "i".repeat(20_000);
    for _ in 0..10 {
        http.get(format!(
            "{}/projects/{MOCK_PROJECT}/connectSessions/{id}",
            server.url()
        ))
        .bearer_auth(server.token())
        .header("x-padding", "p".repeat(20_000))
        .send()
        .await
        .unwrap();
    }
    let requests = server.requests();
    let bytes: usize = requests.iter().map(logged_bytes).sum();
    assert!(
        bytes <= 100_000,
        "{bytes} bytes of paths and headers logged"
    );
    assert!((1..10).contains(&requests.len()), "{}", requests.len());
    assert_eq!(
        requests
            .last()
            .unwrap()
            .headers
            .get("x-padding")
            .map(str::len),
        Some(20_000)
    );
}

#[tokio::test]
async fn a_request_without_a_valid_token_is_logged_cut_short() {
    let server = MockServer::start().await;
    let http = support::raw_client();
    let path = format!(
        "/projects/{MOCK_PROJECT}/connectSessions/{}",
        "i".repeat(60_000)
    );
    let response = http
        .post(format!("{}{path}", server.url()))
        .header(
            "content-type",
            format!("application/json; x={}", "c".repeat(300_000)),
        )
        .header("authorization", "Bearer sk_wrong")
        .body("b".repeat(100_000))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    let logged = server.requests().pop().unwrap();
    let kept = gigs_connect_mock::UNAUTHENTICATED_KEPT_BYTES;
    assert_eq!(logged.path, path[..kept]);
    assert_eq!(logged.body.len(), kept);
    let header_bytes: usize = logged
        .headers
        .names()
        .map(|name| logged.headers.get_all(name).map(str::len).sum::<usize>())
        .sum();
    assert!(
        header_bytes <= kept,
        "{header_bytes} bytes of header values"
    );
    assert!(
        logged.headers.get("content-type").is_some(),
        "the first values are kept"
    );
    assert!(
        logged
            .content_type
            .as_ref()
            .is_some_and(|c| c.len() <= kept)
    );
    assert_eq!(logged.header("authorization"), None);
}

#[tokio::test]
async fn the_request_body_limit_is_configurable() {
    let body = |bytes: usize| create(&format!("https://example.com/?{}", "x".repeat(bytes)));
    let small = MockServer::start_with(MockConfig::default().max_body_bytes(1_000)).await;
    let refused = small
        .client()
        .create_connect_session(&body(2_000))
        .await
        .unwrap_err();
    assert_eq!(refused.status(), Some(413));
    assert!(refused.to_string().contains("1000 bytes"), "{refused}");
    small
        .client()
        .create_connect_session(&body(500))
        .await
        .unwrap();

    let large = MockServer::start_with(MockConfig::default().max_body_bytes(4 << 20)).await;
    let session = large
        .client()
        .create_connect_session(&body(2 << 20))
        .await
        .unwrap();
    assert!(session.callback_url.unwrap().len() > 2 << 20);
    let default = MockServer::start().await;
    let refused = default
        .client()
        .create_connect_session(&body(2 << 20))
        .await
        .unwrap_err();
    assert_eq!(refused.status(), Some(413), "1 MiB by default");
}
