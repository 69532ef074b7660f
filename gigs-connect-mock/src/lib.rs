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
//! The crate README's "What the mock keeps state for" has the whole table.
//!
//! # The Connect page
//!
//! A session's `url` is the mock's own page, `{url()}/entry?session=<id>&token=<token>`:
//! plain HTML with the intent, its payload, the user and the appearance, and one
//! `<form method="post">` per outcome (`success`, `auth_expired` and `not_allowed`,
//! the values Gigs documents; `aborted` and `failed`, the mock's choice for the
//! abort and failure Gigs names without a value). Choosing one answers `303 See
//! Other` to `callbackUrl` with `session_id` and `status` appended, its own query
//! kept; without `callbackUrl` the page says how the flow ended. The url works once
//! (a later visit gets `status=auth_expired`, or a 410 page without `callbackUrl`), a
//! wrong or missing token gets 403 with no outcome offered, and the request log keeps
//! `token=[redacted]` and no `Referer`. The page takes no API token and no injected
//! faults. [`MockServer::complete_flow`] does what the page does, for tests without
//! a browser, and [`MockServer::flow_outcome`] says how a flow ended.

mod answer;
mod budget;
mod check;
mod cli;
mod config;
mod example;
mod flow;
mod flow_page;
mod generic;
mod ids;
mod list;
mod log;
mod memory;
mod mock_server;
mod received;
mod replays;
mod resource;
mod server;
mod sessions;
mod shape;
mod state;
#[cfg(feature = "webhooks")]
mod webhooks;

pub use cli::run_process;
pub use config::MockConfig;
pub use mock_server::{CallbackUrlError, MOCK_PROJECT, MockServer};
pub use received::{ReceivedHeaders, ReceivedRequest, UNAUTHENTICATED_KEPT_BYTES};
pub use shape::{Tables, TablesError};
/// The URL type [`MockServer::complete_flow`] answers with (the `url` crate's).
pub use url::Url;
#[cfg(feature = "webhooks")]
pub use webhooks::{DeliveryOutcome, WebhookDelivery, WebhookEndpoint, WebhookSettings};
