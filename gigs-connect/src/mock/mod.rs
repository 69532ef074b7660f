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
//! What it checks, in Gigs' order: the bearer token (401 `unauthenticated`), the
//! route (404 `notFound`) and project (403 `permissionDenied`), then the body: not
//! JSON is 400 `malformed`; unknown properties, wrong types, bad dates, values
//! outside an enum and missing required properties are 400 `invalid`, with a
//! message naming the property (`intent.checkoutNewSubscription.plan`). The error
//! `code`s are the mock's own; Gigs documents only some of its codes.

mod check;
mod example;
mod generic;
mod idempotency;
mod server;
pub(crate) mod shape;
mod store;

use crate::client::Client;
use crate::types::{ApiError, Intent};
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
    store: Mutex<Store>,
    requests: Mutex<Vec<ReceivedRequest>>,
    faults: Mutex<Faults>,
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

    pub(crate) fn take_fault(&self) -> Fault {
        let mut faults = self.faults.lock().expect("faults lock");
        Fault {
            failure: faults.failures.pop_front(),
            delay: faults.delays.pop_front(),
        }
    }
}

impl MockServer {
    /// Starts a server on 127.0.0.1 on a free port, with an empty store and a fresh
    /// random API token.
    ///
    /// # Panics
    /// If no port on 127.0.0.1 can be bound, or outside a tokio runtime.
    pub async fn start() -> MockServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("the mock server binds a port on 127.0.0.1");
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let state = Arc::new(State {
            token: format!("sk_mock_{}", store::random_chars(32)),
            project: MOCK_PROJECT.to_owned(),
            store: Mutex::default(),
            requests: Mutex::default(),
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

    /// Every request received so far, in order, faulted ones included.
    pub fn requests(&self) -> Vec<ReceivedRequest> {
        self.state.requests.lock().expect("requests lock").clone()
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
