//! A spec-driven Gigs Connect Sessions server for tests: no credentials, no network.
//!
//! [`MockServer::start`] listens on 127.0.0.1 and serves the three operations from
//! memory with the documented behaviour. Which fields and values a request may
//! carry comes from the spec through codegen (the generated `shapes`), so a new
//! intent in the spec is accepted after `cargo xtask codegen` with no other change.
//!
//! ```
//! use gigs_connect::mock::MockServer;
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
//! 1 MiB get 413. A failing `accept()` (out of file descriptors) is retried with
//! a backoff of 10 ms doubling to 1 s, never in a busy loop. Memory is bounded:
//! the request log keeps the newest `max_logged_requests` requests within
//! `max_logged_bytes` of bodies ([`MockServer::clear_requests`] empties it), and
//! the store keeps the newest `max_sessions` sessions (older ones answer 404).
//! The emails of users created through `userDetails` are kept for the server's
//! life, so a repeated email is refused as Gigs would.

mod check;
mod config;
mod example;
mod generic;
mod idempotency;
mod log;
mod server;
pub(crate) mod shape;
mod store;
#[cfg(feature = "webhooks")]
mod webhooks;

pub use config::MockConfig;
#[cfg(feature = "webhooks")]
pub use webhooks::{DeliveryOutcome, WebhookDelivery, WebhookEndpoint, WebhookSettings};

use crate::client::Client;
use crate::types::{ApiError, Intent};
use log::RequestLog;
use std::collections::VecDeque;
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use store::{Answer, Store};
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
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReceivedRequest {
    /// The method, e.g. `PATCH`.
    pub method: String,
    /// The request target as sent, percent-encoding included.
    pub path: String,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl ReceivedRequest {
    /// The body as JSON, or `None` when it is empty or not JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// What the accept loop and the handle share.
pub(crate) struct State {
    token: String,
    project: String,
    config: MockConfig,
    store: Mutex<Store>,
    /// Session ids in creation order, to drop the oldest past `max_sessions`.
    session_order: Mutex<VecDeque<String>>,
    requests: Mutex<RequestLog>,
    faults: Mutex<Faults>,
    /// Webhook deliveries of creates and updates (feature `webhooks`).
    #[cfg(feature = "webhooks")]
    outbox: webhooks::Outbox,
}

/// Faults queued by the test, consumed one per request.
#[derive(Default)]
struct Faults {
    failures: VecDeque<Answer>,
    delays: VecDeque<Duration>,
}

/// The faults that apply to one request.
pub(crate) struct Fault {
    pub(crate) failure: Option<Answer>,
    pub(crate) delay: Option<Duration>,
}

impl State {
    pub(crate) fn log(&self, request: ReceivedRequest) {
        self.requests.lock().expect("requests lock").push(request);
    }

    /// Notes a session a create made, and forgets the oldest past `max_sessions`.
    pub(crate) fn remember_session(&self, operation: &shape::Operation, answer: &Answer) {
        if operation.id != "createConnectSession" || answer.status != operation.status {
            return;
        }
        let Some(id) = answer.body["id"].as_str() else {
            return;
        };
        let mut order = self.session_order.lock().expect("session order lock");
        order.push_back(id.to_owned());
        while order.len() > self.config.max_sessions {
            if let Some(oldest) = order.pop_front() {
                self.store.lock().expect("mock store lock").remove(&oldest);
            }
        }
    }

    pub(crate) fn take_fault(&self) -> Fault {
        let mut faults = self.faults.lock().expect("faults lock");
        Fault {
            failure: faults.failures.pop_front(),
            delay: faults.delays.pop_front(),
        }
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
    /// If no port on 127.0.0.1 can be bound, or outside a tokio runtime.
    pub async fn start_with(config: MockConfig) -> MockServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("the mock server binds a port on 127.0.0.1");
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let state = Arc::new(State {
            token: format!("sk_mock_{}", store::random_chars(32)),
            project: MOCK_PROJECT.to_owned(),
            requests: Mutex::new(RequestLog::new(
                config.max_logged_requests,
                config.max_logged_bytes,
            )),
            #[cfg(feature = "webhooks")]
            outbox: webhooks::Outbox::new(&config.webhooks),
            config,
            store: Mutex::default(),
            session_order: Mutex::default(),
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

    /// Delays the next `calls` answers by `delay`.
    pub fn delay_next(&self, calls: usize, delay: Duration) {
        let mut faults = self.state.faults.lock().expect("faults lock");
        faults.delays.extend(std::iter::repeat_n(delay, calls));
    }

    /// One example intent per intent type the spec knows, in spec order, with every
    /// required payload field filled from the spec's examples.
    pub fn example_intents() -> Vec<Intent> {
        example::union_examples("Intent")
            .into_iter()
            .map(|json| {
                serde_json::from_value(json).expect("an example built from the spec decodes")
            })
            .collect()
    }
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
