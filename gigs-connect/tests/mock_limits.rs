//! The mock holds to its `MockConfig` against slow and silent clients (raw TCP on
//! loopback, short timeouts) and keeps its memory bounded over long runs.

use gigs_connect::mock::{MOCK_PROJECT, MockConfig, MockServer};
use gigs_connect::types::{CreateConnectSessionRequest, Intent};
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
    let server = MockServer::start_with(MockConfig::default().max_logged_bytes(200)).await;
    let client = server.client();
    for i in 0..10 {
        let url = format!("https://example.com/{i}");
        client.create_connect_session(&create(&url)).await.unwrap();
    }
    let requests = server.requests();
    let bytes: usize = requests.iter().map(|r| r.body.len()).sum();
    assert!(bytes <= 200, "{bytes} bytes logged");
    assert!(
        !requests.is_empty() && requests.len() < 10,
        "{}",
        requests.len()
    );
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
