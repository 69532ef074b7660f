//! A scripted HTTP/1.1 test server on 127.0.0.1 that records every request.
//!
//! Each request read is logged (method, raw path, headers, body) and answered with
//! the next queued [`Response`], or a fallback once the queue is empty.
//!
//! The server speaks just enough HTTP/1.1 for the client under test: a request
//! line, headers and a `Content-Length` body (chunked request bodies are not
//! supported), with keep-alive so one connection can carry several requests.
//! Responses always carry a `Content-Length` computed from their body.
//!
//! Fault injection lives on [`Response`] and is applied in [`write_response`]:
//! [`Response::delay`] (slow headers), [`Response::trickle`] (slow body),
//! [`Response::reset_after`] (connection reset mid-body),
//! [`Response::hang_up`] (request read, connection reset before any answer) and
//! [`Response::close_delimited`] (no `Content-Length`, body ends at close).

// Each test file uses a subset of these helpers.
#![allow(dead_code)]

mod logs;

#[allow(unused_imports)]
pub use logs::capture_logs;

/// A plain reqwest client, for requests the typed client cannot send.
///
/// gigs-connect's `rustls-ring` feature turns on reqwest's `rustls-no-provider`
/// (reqwest 0.13 has no feature for rustls with ring), under which, without the
/// default `rustls-aws-lc`, `reqwest::Client::new()` panics without a
/// process-wide rustls crypto provider; installing one first is
/// what an application that builds its own reqwest clients does too (README,
/// "No panics for lack of a crypto provider").
pub fn raw_client() -> reqwest::Client {
    #[cfg(feature = "rustls-ring")]
    let _ = rustls::crypto::ring::default_provider().install_default();
    #[cfg(all(feature = "rustls-aws-lc", not(feature = "rustls-ring")))]
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    reqwest::Client::new()
}

/// A Connect Session as Gigs answers it, without a url: the body of a scripted 200 or 201.
pub fn session_json(id: &str) -> serde_json::Value {
    serde_json::json!({
        "object": "connectSession", "id": id, "callbackUrl": null,
        "intent": {"type": "viewSubscriptions"}, "url": null, "user": null
    })
}

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// One request as the server read it off the wire.
#[derive(Clone, Debug)]
pub struct Request {
    /// The index of the connection it came on, counted from 0 in accept order.
    pub connection: usize,
    /// The method, e.g. `PATCH`.
    pub method: String,
    /// The request target exactly as sent, percent-encoding included.
    pub path: String,
    /// The headers in the order sent, with names lowercased.
    pub headers: Vec<(String, String)>,
    /// The body bytes (empty when there was no `Content-Length`).
    pub body: Vec<u8>,
}

impl Request {
    /// The value of the first header called `name`, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON; panics with the body when it is not JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "request body is not JSON ({e}): {:?}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

/// One scripted answer, built with [`Response::new`] and friends.
#[derive(Clone, Debug)]
pub struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Option<Duration>,
    trickle: Option<(usize, Duration)>,
    reset_after: Option<usize>,
    hang_up: bool,
    close_delimited: bool,
}

impl Response {
    /// An answer with `status`, no headers and an empty body.
    pub fn new(status: u16) -> Self {
        Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: None,
            trickle: None,
            reset_after: None,
            hang_up: false,
            close_delimited: false,
        }
    }

    /// An answer with `status` and `body` as `application/json`.
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Response::new(status)
            .header("content-type", "application/json")
            .body(serde_json::to_vec(body).expect("a JSON value encodes"))
    }

    /// An answer with `status` and `body` sent as is, with the given content type.
    pub fn text(status: u16, content_type: &str, body: &str) -> Self {
        Response::new(status)
            .header("content-type", content_type)
            .body(body.as_bytes().to_vec())
    }

    /// Adds a header. `content-length` is written by the server and must not be added.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        assert!(
            !name.eq_ignore_ascii_case("content-length"),
            "the server writes content-length itself"
        );
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Replaces the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Waits this long after reading the request before sending anything back.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Sends the body `chunk` bytes at a time with `pause` before each chunk.
    pub fn trickle(mut self, chunk: usize, pause: Duration) -> Self {
        self.trickle = Some((chunk.max(1), pause));
        self
    }

    /// Announces the whole body's length, sends only its first `bytes`, then resets
    /// the connection (TCP RST).
    pub fn reset_after(mut self, bytes: usize) -> Self {
        self.reset_after = Some(bytes);
        self
    }

    /// Reads the request, then resets the connection (TCP RST) without sending a
    /// byte: the server got the request, the client never learns what became of it.
    pub fn hang_up(mut self) -> Self {
        self.hang_up = true;
        self
    }

    /// Sends no `Content-Length`: the body ends when the server closes the connection,
    /// so the client cannot know its size in advance.
    pub fn close_delimited(mut self) -> Self {
        self.close_delimited = true;
        self
    }
}

/// What the accept task and the test share.
struct State {
    /// Connections accepted, whether or not a request came on them.
    connections: std::sync::atomic::AtomicUsize,
    requests: Mutex<Vec<Request>>,
    script: Mutex<VecDeque<Response>>,
    fallback: Response,
}

/// A running server; it stops (and drops its open connections) when dropped.
pub struct TestServer {
    addr: SocketAddr,
    state: Arc<State>,
    accept: JoinHandle<()>,
}

impl TestServer {
    /// Starts a server that answers a plain-text 500 once its script runs out, so
    /// an unscripted request shows up as a failure.
    pub async fn start() -> Self {
        Self::with_fallback(Response::text(
            500,
            "text/plain",
            "test server: no scripted response left",
        ))
        .await
    }

    /// Starts a server that answers `fallback` once its script runs out.
    pub async fn with_fallback(fallback: Response) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(State {
            connections: Default::default(),
            requests: Mutex::new(Vec::new()),
            script: Mutex::new(VecDeque::new()),
            fallback,
        });
        let accept = tokio::spawn(accept_loop(listener, Arc::clone(&state)));
        TestServer {
            addr,
            state,
            accept,
        }
    }

    /// The base URL to point a client at, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Queues `response` as the answer to the next unanswered request.
    pub fn respond(&self, response: Response) {
        self.state.script.lock().unwrap().push_back(response);
    }

    /// Every request read so far, in the order they were read.
    pub fn requests(&self) -> Vec<Request> {
        self.state.requests.lock().unwrap().clone()
    }

    /// The connections accepted so far, with or without a request on them.
    pub fn connections(&self) -> usize {
        self.state
            .connections
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The only request read so far; panics if there were none or several.
    pub fn single_request(&self) -> Request {
        let requests = self.requests();
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request: {requests:#?}"
        );
        requests.into_iter().next().unwrap()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        // The connection tasks live in the accept task's JoinSet, so they end too.
        self.accept.abort();
    }
}

/// Accepts connections until aborted, serving each on its own task.
async fn accept_loop(listener: TcpListener, state: Arc<State>) {
    let mut connections = JoinSet::new();
    for index in 0.. {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        state
            .connections
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        connections.spawn(serve_connection(stream, index, Arc::clone(&state)));
        // Reaps finished connections so the set does not grow for ever.
        while connections.try_join_next().is_some() {}
    }
}

/// Serves requests on one connection until the client closes it or sends
/// something this server does not understand.
async fn serve_connection(stream: TcpStream, connection: usize, state: Arc<State>) {
    let mut stream = BufReader::new(stream);
    while let Some(request) = read_request(&mut stream, connection).await {
        state.requests.lock().unwrap().push(request);
        let response = state
            .script
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| state.fallback.clone());
        match write_response(stream.get_mut(), &response).await {
            Ok(Connection::KeepAlive) => {}
            Ok(Connection::Close) | Err(_) => return,
        }
    }
}

/// Reads one request; `None` at end of stream or on anything malformed.
async fn read_request(stream: &mut BufReader<TcpStream>, connection: usize) -> Option<Request> {
    let request_line = read_line(stream).await?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(path), Some(_version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let mut headers = Vec::new();
    loop {
        let line = read_line(stream).await?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let mut request = Request {
        connection,
        method: method.to_owned(),
        path: path.to_owned(),
        headers,
        body: Vec::new(),
    };
    if request.header("transfer-encoding").is_some() {
        return None;
    }
    if let Some(length) = request.header("content-length") {
        let length: usize = length.parse().ok()?;
        let mut body = vec![0; length];
        stream.read_exact(&mut body).await.ok()?;
        request.body = body;
    }
    Some(request)
}

/// Reads one CRLF-terminated line without its terminator; `None` at end of stream.
async fn read_line(stream: &mut BufReader<TcpStream>) -> Option<String> {
    let mut line = Vec::new();
    if stream.read_until(b'\n', &mut line).await.ok()? == 0 {
        return None;
    }
    while matches!(line.last(), Some(b'\n' | b'\r')) {
        line.pop();
    }
    Some(String::from_utf8_lossy(&line).into_owned())
}

/// Whether a connection can carry another request after a response.
enum Connection {
    KeepAlive,
    Close,
}

/// Writes `response`, applying its fault options.
async fn write_response(
    stream: &mut TcpStream,
    response: &Response,
) -> std::io::Result<Connection> {
    if let Some(delay) = response.delay {
        tokio::time::sleep(delay).await;
    }
    if response.hang_up {
        stream.set_zero_linger()?;
        return Ok(Connection::Close);
    }
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if response.close_delimited {
        head.push_str("connection: close\r\n\r\n");
    } else {
        head.push_str(&format!("content-length: {}\r\n\r\n", response.body.len()));
    }
    stream.write_all(head.as_bytes()).await?;
    stream.flush().await?;
    let body = match response.reset_after {
        Some(bytes) => &response.body[..bytes.min(response.body.len())],
        None => &response.body[..],
    };
    match response.trickle {
        Some((chunk, pause)) => {
            for part in body.chunks(chunk) {
                tokio::time::sleep(pause).await;
                stream.write_all(part).await?;
                stream.flush().await?;
            }
        }
        None => stream.write_all(body).await?,
    }
    stream.flush().await?;
    if response.reset_after.is_some() {
        // Linger 0 turns the close into a reset, as a crashed proxy would.
        stream.set_zero_linger()?;
        return Ok(Connection::Close);
    }
    if response.close_delimited {
        stream.shutdown().await?;
        return Ok(Connection::Close);
    }
    Ok(Connection::KeepAlive)
}

/// A reason phrase for the status line; clients ignore it, humans reading a capture do not.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
