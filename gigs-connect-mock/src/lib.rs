//! A spec-driven Gigs Connect Sessions server for tests: no credentials, no network.
//!
//! [`MockServer::start`] listens on 127.0.0.1 and serves the three operations from
//! memory with the documented behaviour. Which fields and values a request may
//! carry comes from the spec through codegen (the generated `shapes`), so a new
//! intent in the spec is accepted after `cargo xtask codegen` with no other change.
//!
//! ```
//! use gigs_connect_mock::MockServer;
//! use gigs_connect::types::{CreateConnectSessionRequest, Intent};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), gigs_connect::Error> {
//! let server = MockServer::start().await;
//! let client = server.client();
//! let body = CreateConnectSessionRequest::new(Intent::view_subscriptions());
//! let created = client.create_connect_session(&body).await?;
//! assert!(created.url.is_some());
//! let fetched = client.retrieve_connect_session(&created.id).await?;
//! assert_eq!(fetched.intent, created.intent);
//! assert_eq!(server.requests().len(), 2);
//! # Ok(())
//! # }
//! ```
//!
//! What it checks, in Gigs' order: the bearer token (401 `unauthenticated`; the
//! scheme is case-insensitive), the route (404 `notFound`; a known path with a
//! method it does not take is 405 with an `Allow` header) and project (403
//! `permissionDenied`), then the body: a `Content-Type` other than
//! `application/json` is 415 `malformed`, a body that is not JSON (or a broken
//! chunked encoding) is 400 `malformed`; unknown properties, wrong types, bad
//! dates, values outside an enum, missing required properties and `user` with
//! `userDetails` are 400 `invalid`, with a message naming the property
//! (`intent.checkoutNewSubscription.plan`, or `userDetails[""]` for a key that is
//! not a name). Request bodies are closed at every depth, as the spec's request
//! forms say; the error `code`s are the mock's own, as Gigs documents only some.
//!
//! # Hostile clients and long runs
//!
//! The server holds to [`MockConfig`]'s limits: a connection that sends no
//! complete request headers within `header_timeout` (idle, or half-sent) is
//! closed; a body that takes longer than `body_timeout` gets 408; bodies over
//! `max_body_bytes` (1 MiB) get 413. A failing `accept()` (out of file
//! descriptors) is retried with a backoff of 10 ms doubling to 1 s, never in a
//! busy loop. Memory is bounded in counts and in bytes: the request log keeps the
//! newest `max_logged_requests` requests within `max_logged_bytes` of paths,
//! headers and bodies, a request without a valid token cut to its first
//! [`UNAUTHENTICATED_KEPT_BYTES`] ([`MockServer::clear_requests`] empties it);
//! the store keeps the newest `max_sessions` sessions (older ones answer 404) and
//! as many emails of users created through `userDetails` (a repeated email is
//! refused as Gigs would), and sessions, emails and idempotency replays together
//! within `max_store_bytes`, the oldest going first.
//!
//! # State beyond the three operations
//!
//! An endpoint the spec adds over Connect Sessions gets state from its path and
//! shapes alone: a list in Gigs' shape answers from the sessions created (newest
//! first, `limit`, `after`/`before`, filters by field), a `DELETE` removes the
//! session (then 404 in Gigs' envelope), and an action on a session that does not
//! exist is 404. Other operations get their parameters checked and an example.
//! See ARCHITECTURE.md, "What the mock keeps state for".

mod answer;
mod budget;
mod check;
mod cli;
mod config;
mod example;
mod generic;
mod ids;
mod list;
mod log;
mod memory;
mod replays;
mod resource;
mod server;
mod sessions;
mod shape;
#[cfg(feature = "webhooks")]
mod webhooks;

pub use cli::run_process;
pub use config::MockConfig;
pub use shape::{Tables, TablesError};
#[cfg(feature = "webhooks")]
pub use webhooks::{DeliveryOutcome, WebhookDelivery, WebhookEndpoint, WebhookSettings};

use answer::Answer;
use gigs_connect::Client;
use gigs_connect::types::{ApiError, Intent};
use log::RequestLog;
use memory::Memory;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::task::JoinHandle;

/// The project a [`MockServer`] serves.
pub const MOCK_PROJECT: &str = "mock-project";

/// A running mock server; it stops when dropped.
pub struct MockServer {
    addr: SocketAddr,
    state: Arc<State>,
    accept: JoinHandle<()>,
}

/// One request as the mock received it. The `Authorization` header is not kept.
///
/// A request without a valid token is logged cut short: the first
/// [`UNAUTHENTICATED_KEPT_BYTES`] of its path, of its body and of its header
/// values together, so a stranger cannot fill the log.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReceivedRequest {
    /// The method, e.g. `PATCH`.
    pub method: String,
    /// The request target as sent, percent-encoding included.
    pub path: String,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The request headers, `Authorization` left out.
    pub headers: ReceivedHeaders,
    /// The body bytes.
    pub body: Vec<u8>,
}

/// How much of a request without a valid token the log keeps: of its path, its
/// body, and its header values together.
pub const UNAUTHENTICATED_KEPT_BYTES: usize = 1024;

impl ReceivedRequest {
    /// The body as JSON, or `None` when it is empty or not JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The first value of the header called `name` (any case), e.g.
    /// `request.header("idempotency-key")`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }

    /// The bytes this entry holds, as the log counts them.
    fn size(&self) -> usize {
        self.method.len()
            + self.path.len()
            + self.content_type.as_ref().map_or(0, String::len)
            + self.headers.size()
            + self.body.len()
    }

    /// This request cut to `limit` bytes of path, of body and of header values.
    fn cut_to(mut self, limit: usize) -> Self {
        truncate(&mut self.path, limit);
        if let Some(content_type) = &mut self.content_type {
            truncate(content_type, limit);
        }
        self.body.truncate(limit);
        self.body.shrink_to_fit();
        let mut budget = limit;
        self.headers.0.retain_mut(|(name, value)| {
            truncate(value, budget);
            budget = budget.saturating_sub(value.len());
            name.len() <= limit && !value.is_empty()
        });
        self.headers.0.shrink_to_fit();
        self
    }
}

/// Cuts `text` to at most `limit` bytes, at a character boundary, and gives back
/// the memory past them (a cut that kept its capacity would keep it all).
fn truncate(text: &mut String, limit: usize) {
    let mut end = limit.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text.shrink_to_fit();
}

/// The headers of a [`ReceivedRequest`], in the order sent, names in lower case.
/// Values can carry secrets, so `Debug` shows the names only; read a value with
/// [`ReceivedHeaders::get`]. A value that is not UTF-8 is kept with `\u{fffd}` in
/// place of its bad bytes.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ReceivedHeaders(Vec<(String, String)>);

impl ReceivedHeaders {
    /// The first value of the header called `name` (any case).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Every value of the header called `name` (any case), in the order sent.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The names, in the order sent (a repeated header once per value).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(name, _)| name.as_str())
    }

    /// How many header lines there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn size(&self) -> usize {
        self.0
            .iter()
            .map(|(name, value)| name.len() + value.len())
            .sum()
    }

    /// Every header but `Authorization`.
    pub(crate) fn from_map(headers: &hyper::HeaderMap) -> Self {
        ReceivedHeaders(
            headers
                .iter()
                .filter(|(name, _)| *name != hyper::header::AUTHORIZATION)
                .map(|(name, value)| {
                    let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                    (name.as_str().to_owned(), value)
                })
                .collect(),
        )
    }
}

impl fmt::Debug for ReceivedHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(name, _)| (name, "[sensitive]")))
            .finish()
    }
}

/// Why [`MockServer::callback_url`] cannot say where Connect would redirect.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackUrlError {
    /// The mock holds no session with this id.
    #[error("the mock holds no Connect Session `{0}`")]
    SessionNotFound(String),
    /// The session has no `callbackUrl`: Connect redirects nowhere.
    #[error("the Connect Session `{0}` has no `callbackUrl`")]
    NoCallbackUrl(String),
    /// The session's `callbackUrl` is not an absolute URL.
    #[error("the `callbackUrl` of the Connect Session `{0}` does not parse: {1}")]
    InvalidCallbackUrl(String, String),
}

/// What the accept loop and the handle share.
pub(crate) struct State {
    token: String,
    project: String,
    config: MockConfig,
    memory: Mutex<Memory>,
    requests: Mutex<RequestLog>,
    faults: Mutex<Faults>,
    /// Webhook deliveries of creates and updates (feature `webhooks`).
    #[cfg(feature = "webhooks")]
    outbox: webhooks::Outbox,
}

/// Faults and scripted answers queued by the test, consumed one per request.
#[derive(Default)]
struct Faults {
    /// For any request, before any check.
    failures: VecDeque<Answer>,
    delays: VecDeque<Duration>,
    /// For requests to one operation (by operationId), once it is routed.
    scripted: HashMap<String, VecDeque<Answer>>,
}

/// The faults that apply to one request.
pub(crate) struct Fault {
    pub(crate) failure: Option<Answer>,
    pub(crate) delay: Option<Duration>,
}

impl State {
    /// Logs a request; one without a valid token is cut short first.
    pub(crate) fn log(&self, request: ReceivedRequest, authenticated: bool) {
        let request = match authenticated {
            true => request,
            false => request.cut_to(UNAUTHENTICATED_KEPT_BYTES),
        };
        let size = request.size();
        self.requests
            .lock()
            .expect("requests lock")
            .push(request, size);
    }

    pub(crate) fn take_fault(&self) -> Fault {
        let mut faults = self.faults.lock().expect("faults lock");
        Fault {
            failure: faults.failures.pop_front(),
            delay: faults.delays.pop_front(),
        }
    }

    /// The next answer scripted for `operation`, if any.
    pub(crate) fn take_scripted(&self, operation: &str) -> Option<Answer> {
        let mut faults = self.faults.lock().expect("faults lock");
        faults.scripted.get_mut(operation)?.pop_front()
    }
}

impl MockServer {
    /// Starts a server on 127.0.0.1 on a free port, with an empty store, a fresh
    /// random API token and the default [`MockConfig`].
    ///
    /// # Panics
    /// If no port on 127.0.0.1 can be bound, or outside a tokio runtime.
    pub async fn start() -> MockServer {
        MockServer::start_with(MockConfig::default()).await
    }

    /// [`MockServer::start`] with other timeouts and memory bounds.
    ///
    /// # Panics
    /// If [`MockConfig::address`] cannot be bound, or outside a tokio runtime.
    pub async fn start_with(config: MockConfig) -> MockServer {
        let listener = tokio::net::TcpListener::bind(config.address)
            .await
            .unwrap_or_else(|error| panic!("the mock server binds {}: {error}", config.address));
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let state = Arc::new(State {
            token: format!("sk_mock_{}", ids::random_chars(32)),
            project: MOCK_PROJECT.to_owned(),
            requests: Mutex::new(RequestLog::new(
                config.max_logged_requests,
                config.max_logged_bytes,
            )),
            memory: Mutex::new(Memory::new(
                config.tables,
                budget::Limits {
                    max_sessions: config.max_sessions,
                    max_bytes: config.max_store_bytes,
                },
            )),
            #[cfg(feature = "webhooks")]
            outbox: webhooks::Outbox::new(&config.webhooks),
            config,
            faults: Mutex::default(),
        });
        let accept = tokio::spawn(server::accept_loop(listener, Arc::clone(&state)));
        MockServer {
            addr,
            state,
            accept,
        }
    }

    /// The base URL to point a client at, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The project this server serves ([`MOCK_PROJECT`]); others get 403.
    pub fn project(&self) -> &str {
        &self.state.project
    }

    /// The API token this server accepts; any other gets 401.
    pub fn token(&self) -> &str {
        &self.state.token
    }

    /// A client for this server: its URL, project and token, default settings.
    pub fn client(&self) -> Client {
        Client::builder()
            .project(self.project())
            .token(self.token())
            .base_url(self.url())
            .build()
            .expect("a loopback URL, a project and a token make a valid client")
    }

    /// The requests received so far, in order, faulted ones included: the newest
    /// [`MockConfig::max_logged_requests`] within [`MockConfig::max_logged_bytes`]
    /// of bodies, since the start or the last [`MockServer::clear_requests`].
    pub fn requests(&self) -> Vec<ReceivedRequest> {
        self.state.requests.lock().expect("requests lock").to_vec()
    }

    /// Empties the request log, e.g. between the steps of a long test.
    pub fn clear_requests(&self) {
        self.state.requests.lock().expect("requests lock").clear();
    }

    /// Answers the next `calls` requests with `status` and `error`, before any
    /// other check.
    pub fn fail_next(&self, calls: usize, status: u16, error: &ApiError) {
        let body = serde_json::to_value(error).expect("an ApiError encodes");
        let mut faults = self.state.faults.lock().expect("faults lock");
        for _ in 0..calls {
            faults.failures.push_back(Answer {
                status,
                body: body.clone(),
            });
        }
    }

    /// Answers the next `calls` requests with exactly `status` and `body` (no
    /// content for 204), before any other check; in one queue with
    /// [`MockServer::fail_next`], in the order queued. To script a success, such
    /// as a hand-made page:
    ///
    /// ```
    /// # use gigs_connect_mock::MockServer;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let server = MockServer::start().await;
    /// server.respond_next(1, 200, serde_json::json!({ "object": "connectSession" }));
    /// # }
    /// ```
    ///
    /// # Panics
    /// If `status` is not an HTTP status (100 to 999).
    pub fn respond_next(&self, calls: usize, status: u16, body: serde_json::Value) {
        let answer = scripted(status, body);
        let mut faults = self.state.faults.lock().expect("faults lock");
        faults.failures.extend(std::iter::repeat_n(answer, calls));
    }

    /// [`MockServer::respond_next`] for the next `calls` requests to the
    /// operation called `operation_id` (the spec's operationId, e.g.
    /// `retrieveConnectSession`) only: they get `status` and `body` once routed and
    /// authenticated, and requests to other operations are served as usual.
    ///
    /// # Panics
    /// If the spec has no operation `operation_id`, or `status` is not an HTTP
    /// status (100 to 999).
    pub fn respond_next_to(
        &self,
        operation_id: &str,
        calls: usize,
        status: u16,
        body: serde_json::Value,
    ) {
        let Some(operation) = self.state.config.tables.operation(operation_id) else {
            panic!("the spec has no operation `{operation_id}` to script an answer for");
        };
        let answer = scripted(status, body);
        let mut faults = self.state.faults.lock().expect("faults lock");
        let queue = faults.scripted.entry(operation.id.clone()).or_default();
        queue.extend(std::iter::repeat_n(answer, calls));
    }

    /// The URL Connect would send the user back to at the end of the session
    /// `session_id`: its `callbackUrl` with `session_id` and `status` appended,
    /// the URL's own query parameters kept. For end-to-end tests of a web app's
    /// callback handler.
    ///
    /// ```
    /// # use gigs_connect_mock::MockServer;
    /// # use gigs_connect::types::{CreateConnectSessionRequest, Intent};
    /// # use gigs_connect::{Callback, CallbackStatus};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = MockServer::start().await;
    /// let body = CreateConnectSessionRequest::new(Intent::view_subscriptions())
    ///     .callback_url("https://app.example/back?order=42");
    /// let session = server.client().create_connect_session(&body).await?;
    /// let url = server.callback_url(&session.id, &CallbackStatus::Success)?;
    /// let callback = Callback::parse(&url)?;
    /// assert_eq!(callback.session_id(), session.id);
    /// assert_eq!(callback.param("order"), Some("42"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn callback_url(
        &self,
        session_id: &str,
        status: &gigs_connect::CallbackStatus,
    ) -> Result<String, CallbackUrlError> {
        let memory = self.state.memory.lock().expect("mock memory lock");
        let Some(session) = memory.sessions.session(session_id) else {
            return Err(CallbackUrlError::SessionNotFound(session_id.to_owned()));
        };
        let Some(callback) = session.get("callbackUrl").and_then(|v| v.as_str()) else {
            return Err(CallbackUrlError::NoCallbackUrl(session_id.to_owned()));
        };
        let mut url = url::Url::parse(callback).map_err(|e| {
            CallbackUrlError::InvalidCallbackUrl(session_id.to_owned(), e.to_string())
        })?;
        url.query_pairs_mut()
            .append_pair("session_id", session_id)
            .append_pair("status", status.as_str());
        Ok(url.into())
    }

    /// Delays the next `calls` answers by `delay`.
    pub fn delay_next(&self, calls: usize, delay: Duration) {
        let mut faults = self.state.faults.lock().expect("faults lock");
        faults.delays.extend(std::iter::repeat_n(delay, calls));
    }

    /// One example intent per intent type the spec knows, in spec order, with every
    /// required payload field filled from the spec's examples.
    pub fn example_intents() -> Vec<Intent> {
        example::union_examples(Tables::connect_sessions(), "Intent")
            .into_iter()
            .map(|json| {
                serde_json::from_value(json).expect("an example built from the spec decodes")
            })
            .collect()
    }
}

/// A scripted answer, its status checked now rather than when it is sent.
fn scripted(status: u16, body: serde_json::Value) -> Answer {
    assert!(
        hyper::StatusCode::from_u16(status).is_ok(),
        "{status} is not an HTTP status (100 to 999)"
    );
    Answer { status, body }
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("url", &self.url())
            .field("project", &self.state.project)
            .field("token", &"[redacted]")
            .finish()
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        // The connection tasks live in the accept task's JoinSet, so they end too.
        self.accept.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hostile() -> ReceivedRequest {
        let mut headers = hyper::HeaderMap::new();
        headers.insert("x-a", "é".repeat(150_000).parse().unwrap());
        headers.insert("x-b", "b".repeat(300_000).parse().unwrap());
        headers.insert(hyper::header::AUTHORIZATION, "Bearer sk_x".parse().unwrap());
        ReceivedRequest {
            method: "POST".into(),
            path: format!("/{}", "é".repeat(30_000)),
            content_type: Some("c".repeat(300_000)),
            headers: ReceivedHeaders::from_map(&headers),
            body: vec![b'x'; 1 << 20],
        }
    }

    #[test]
    fn a_request_cut_short_keeps_the_first_bytes_and_gives_the_rest_back() {
        let limit = UNAUTHENTICATED_KEPT_BYTES;
        let cut = hostile().cut_to(limit);
        assert!(
            cut.path.len() <= limit && cut.path.starts_with("/é"),
            "{}",
            cut.path.len()
        );
        // The memory goes too, not only the length: 1,000 such requests would
        // otherwise keep 700 MB.
        assert!(cut.path.capacity() <= limit);
        assert!(cut.content_type.as_ref().unwrap().capacity() <= limit);
        assert!(cut.body.capacity() <= limit);
        let values: usize = cut.headers.0.iter().map(|(_, v)| v.capacity()).sum();
        assert!(values <= limit, "{values}");
        assert_eq!(cut.header("x-a").map(str::len), Some(limit));
        assert_eq!(cut.header("x-b"), None, "past the budget");
        assert_eq!(cut.header("authorization"), None);
        assert!(cut.size() <= 4 * limit + 16, "{}", cut.size());
    }

    #[test]
    fn header_values_are_hidden_from_debug_and_read_by_name_in_any_case() {
        let request = hostile();
        let debug = format!("{:?}", request.headers);
        assert_eq!(debug, r#"{"x-a": "[sensitive]", "x-b": "[sensitive]"}"#);
        assert_eq!(request.header("X-B").map(str::len), Some(300_000));
        assert_eq!(request.headers.get_all("x-a").count(), 1);
    }
}
