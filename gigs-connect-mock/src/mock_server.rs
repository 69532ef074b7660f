//! [`MockServer`]: the handle a test holds, which starts the server, queues
//! faults and scripted answers, and reads the log and the sessions.

use crate::answer::Answer;
use crate::config::MockConfig;
use crate::log::RequestLog;
use crate::memory::Memory;
use crate::received::ReceivedRequest;
use crate::shape::Tables;
use crate::state::State;
use crate::{budget, example, ids, server};
use gigs_connect::Client;
use gigs_connect::types::{ApiError, Intent};
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
    pub(crate) state: Arc<State>,
    accept: JoinHandle<()>,
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
    /// The session's flow has already ended ([`MockServer::complete_flow`] only):
    /// its url is used up.
    #[error("the flow of the Connect Session `{0}` has already ended")]
    FlowEnded(String),
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
            outbox: crate::webhooks::Outbox::new(&config.webhooks),
            config,
            faults: Mutex::default(),
        });
        // Session urls lead to this server's own Connect page.
        state
            .memory
            .lock()
            .expect("mock memory lock")
            .sessions
            .flows = crate::flow::Flows::new(format!("http://{addr}"));
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
        crate::flow::callback_target(session_id, session, status.as_str()).map(String::from)
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

#[cfg(feature = "webhooks")]
impl MockServer {
    /// Every delivery attempt so far (the newest
    /// [`WebhookSettings::max_kept_deliveries`](crate::WebhookSettings::max_kept_deliveries)),
    /// in the order they ended. Events go out in parallel, so their order is not
    /// the order of the calls, as with Gigs.
    pub fn webhook_deliveries(&self) -> Vec<crate::webhooks::WebhookDelivery> {
        self.state.outbox.deliveries()
    }

    /// Waits until at least `count` delivery attempts have ended, or `timeout`
    /// has passed; returns the attempts so far either way.
    pub async fn wait_for_deliveries(
        &self,
        count: usize,
        timeout: Duration,
    ) -> Vec<crate::webhooks::WebhookDelivery> {
        self.state.outbox.wait_for(count, timeout).await
    }
}
