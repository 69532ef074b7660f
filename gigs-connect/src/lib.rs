//! Rust SDK for [Gigs Connect Sessions](https://developers.gigs.com): create a
//! session with an intent, redirect the user to its `url`, and retrieve it when
//! they come back to your `callbackUrl`.
//!
//! ```no_run
//! use gigs_connect::types::{CreateConnectSessionRequest, Intent};
//! use gigs_connect::{Callback, Client};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // 1. Create a session just before sending the user to Connect.
//! let client = Client::builder()
//!     .project(std::env::var("GIGS_PROJECT")?) // your project id
//!     .token(std::env::var("GIGS_TOKEN")?) // your API key
//!     .build()?;
//! let body = CreateConnectSessionRequest::new(Intent::checkout_new_subscription(
//!     "pln_0SNlurA049MEWV3V0q7gjQbM4EVo",
//! ))
//! .callback_url("https://example.com/connect/done?order=42");
//! let session = client.create_connect_session(&body).await?;
//! // Keep its id for this browser (a cookie, your session store).
//! let stored_id = session.id.clone();
//!
//! // 2. Redirect the user to its url (e.g. a 303). It carries a login token:
//! //    never store, log or cache it. Debug output shows it as [redacted].
//! let redirect_to = session.url.as_ref().ok_or("no url")?.expose_secret();
//! # let _ = redirect_to;
//!
//! // 3. Connect sends the user back to callbackUrl with session_id and status.
//! let returned = format!(
//!     "https://example.com/connect/done?order=42&session_id={}&status=success",
//!     session.id
//! );
//! // Anyone can open that URL with any session_id: bind it to the stored id
//! // (`CallbackError::SessionMismatch` otherwise).
//! let callback = Callback::parse(&returned)?.for_session(&stored_id)?;
//! assert_eq!(callback.param("order"), Some("42"));
//!
//! // 4. The status came through the browser: a hint. Read what the intent changed.
//! let session = client.retrieve_connect_session(callback.session_id()).await?;
//! assert!(callback.status().is_success());
//! println!("{} finished: {}", session.intent.tag(), callback.status());
//! # Ok(())
//! # }
//! ```
//!
//! Models live in [`types`] and are generated from the spec (`spec/` in the
//! repository) by `cargo xtask codegen`, with constructors that read like the docs
//! (`Intent::checkout_new_subscription(plan)`, payload setters, `From<Payload> for
//! Intent`). [`Client`], [`Error`] and [`Callback`] are written by hand.
//!
//! # Intents
//!
//! An [`Intent`](types::Intent) says what the user should do in Connect. Each
//! constructor takes the payload's required fields (`Intent::checkout_new_subscription(plan)`);
//! for the optional ones, build the payload with its setters and turn it into an
//! intent with `From` (`.into()`), or pass it where an intent is expected:
//!
//! ```
//! use gigs_connect::types::{CheckoutNewSubscriptionPayload, CreateConnectSessionRequest, Intent};
//!
//! let payload = CheckoutNewSubscriptionPayload::new("pln_0SNlurA049MEWV3V0q7gjQbM4EVo")
//!     .sim("sim_0SNlurA049MEWV1BAAmWZULA4lf6") // leave it out to let the user pick a SIM
//!     .voucher_code("WELCOME10")
//!     .addons(vec!["add_0SNlurA049MEWV4VxLfwJc7PJtHc".to_owned()]);
//! let intent: Intent = payload.into();
//! assert_eq!(intent.tag(), "checkoutNewSubscription");
//! let body = CreateConnectSessionRequest::new(intent).user("usr_0SNlurA049MEWV4OpCwsNyC9Kn2d");
//! # let _ = body;
//! ```
//!
//! A session's intent, as Gigs answers it, is matched on its variants. Gigs adds
//! intents over time: the enum is `#[non_exhaustive]`, and a type this version does
//! not know arrives as `Intent::Unknown` with its tag and raw JSON (and encodes back
//! unchanged), never as a decoding error:
//!
//! ```
//! use gigs_connect::types::{ConnectSession, Intent};
//!
//! let session: ConnectSession = serde_json::from_str(r#"{
//!     "object": "connectSession",
//!     "id": "csn_0SNlurA049MEWV1GWxpaE5D0t2D6",
//!     "callbackUrl": null,
//!     "intent": {"type": "transferNumber", "transferNumber": {"subscription": "sub_0SNlurA049MEWV2gSfSxi00xlPIi"}},
//!     "url": null,
//!     "user": null
//! }"#)?;
//! let what = match &session.intent {
//!     Intent::CheckoutNewSubscription(payload) => format!("checkout of {}", payload.plan),
//!     Intent::ViewSubscriptions => "the subscription list".to_owned(),
//!     Intent::Unknown(unknown) => format!(
//!         "{} (new in Gigs) for {}",
//!         unknown.tag(),
//!         unknown.raw()["transferNumber"]["subscription"]
//!     ),
//!     other => other.tag().to_owned(), // the other known intents
//! };
//! assert_eq!(what, r#"transferNumber (new in Gigs) for "sub_0SNlurA049MEWV2gSfSxi00xlPIi""#);
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! # In production: your HTTP client, middleware, and the escape hatch
//!
//! [`ClientBuilder::http_client`] sends through your own `reqwest::Client`, and
//! `ClientBuilder::middleware` (feature `middleware`) through a
//! `reqwest_middleware` stack, below our retries, deadline and idempotency keys:
//! their docs say which settings still apply. For what Gigs ships before this
//! crate has it, [`Client::request`] calls any path under the base URL, and
//! [`Call::extra_query`] and [`Call::extra_body_field`] add to a generated call
//! what its spec does not have yet. A [`Pager`] walks a list backward from
//! `.before(cursor)` when the list has `moreItemsBefore`.
//!
//! # Logging: the `tracing` span and events
//!
//! The client emits this [`tracing`](https://docs.rs/tracing) span and these
//! events; a subscriber of yours (for example `tracing_subscriber::fmt()`) shows
//! them. Each call runs in one span, `gigs_connect.call`, and its events happen
//! inside it, so a `tracing-opentelemetry` layer shows a call as one span with its
//! attempts. reqwest and hyper log through the `log` crate under their own targets.
//!
//! | target | level | message | fields |
//! | --- | --- | --- | --- |
//! | `gigs_connect::span` | INFO | span `gigs_connect.call` | `operation`, `method`, `route`, `attempts`, `status`, `request_id` |
//! | `gigs_connect::client` | DEBUG | `sending request` | `operation`, `method`, `path`, `retry` |
//! | `gigs_connect::client` | DEBUG | `received response` | `operation`, `status`, `bytes` |
//! | `gigs_connect::client` | WARN | `retrying` | `operation`, `retry`, `max_retries`, `delay_ms`, `error` |
//! | `gigs_connect::client` | WARN | `not retrying: the wait would end after the call's deadline` | `operation`, `delay_ms`, `error` |
//! | `gigs_connect::idempotency` | WARN | `no randomness from the operating system: sending without an idempotency key` | `operation` |
//!
//! The span's fields: `operation`, `method`, and `route`, the spec's path template
//! (`/projects/{project}/connectSessions/{connectSessionId}`, never the filled-in
//! path), are set when the call starts; `attempts` (the attempts started),
//! `status` (the last answer's HTTP status, when one arrived) and `request_id` (its
//! `x-request-id` header, when sent) when it ends. An escape-hatch call
//! ([`Client::request`]) has operation `request` and the caller's path as route.
//!
//! The events' fields: `operation` is the spec's operationId (`createConnectSession`);
//! `method` the HTTP method; `path` the request's path and query
//! (`/projects/{project}/connectSessions/{id}`, percent-encoded); `retry` 0 for the
//! first attempt and then the retry's number, out of `max_retries`; `status` and
//! `bytes` the answer's HTTP status and body length; `delay_ms` the wait before the
//! next attempt; `error` the failed attempt's [`Error`], as its `Display` shows it.
//! Never logged: the API token (nor the `Authorization` header), request and response
//! bodies, and a session's `url`.
//!
//! # Features
//!
//! | feature | default | what it adds |
//! | --- | --- | --- |
//! | `rustls-aws-lc` | on | TLS with rustls and the `aws-lc-rs` crypto provider, through reqwest's own `rustls` feature, so other reqwest clients in your build have a provider too |
//! | `rustls-ring` | off | TLS with rustls and the `ring` crypto provider: the cheapest build, but alone it leaves other reqwest clients in your build without a provider |
//! | `native-tls` | off | the platform's TLS (OpenSSL on Linux, needs its headers) |
//! | `idna-unicode-rs` | on | non-ASCII host names through unicode-rs instead of ICU4X: a smaller, faster build |
//! | `schemars` | off | `schemars::JsonSchema` for every model |
//! | `webhooks` | off | `webhooks::Webhook`: verified, typed Connect Session events |
//! | `middleware` | off | `ClientBuilder::middleware`: send through a `reqwest_middleware::ClientWithMiddleware` |
//!
//! Without a feature, [`ClientBuilder::http_client`] sends through your own
//! `reqwest::Client` (its TLS, proxy and pool).
//!
//! A spec-driven server to test against offline is the `gigs-connect-mock` crate,
//! released with this one in lockstep.
//!
//! With a rustls feature the client builds its TLS configuration with that
//! feature's crypto provider, so it neither relies on nor panics for lack of a
//! process-wide rustls default, whatever rustls or reqwest features other crates in
//! your build turn on. With several TLS features on, `native-tls` wins, then
//! `rustls-ring`. With none, the client reaches only `http` on loopback (the mock
//! server), and an `https` base URL is an [`Error::Config`] naming the features.

#![deny(missing_docs)]
// docs.rs builds with `--cfg docsrs` (see Cargo.toml): mark feature-gated items.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[doc(hidden)]
pub mod __private;
mod call;
mod callback;
mod client;
mod codec;
mod date;
mod error;
mod idempotency;
// Generated by `cargo xtask codegen` and formatted by prettyplease; rustfmt must not
// reformat it, or the drift check would fail. The wider-API fixture crate compiles
// this same runtime with its own generated code (see fixtures/wider-api).
#[rustfmt::skip]
#[cfg_attr(gigs_wider_api, path = "../../fixtures/wider-api/generated/mod.rs")]
mod generated;
mod patch;
mod raw;
mod request;
mod retry;
mod scrub;
mod secret;
mod span;
mod tls;
mod transport;
mod unknown;
#[cfg(feature = "webhooks")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
pub mod webhooks;

pub use call::{Call, DEFAULT_MAX_EMPTY_PAGES, DEFAULT_MAX_PAGES, Operation, Pager, Paginated};
pub use callback::{Callback, CallbackError, CallbackStatus};
pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_DEADLINE,
    DEFAULT_MAX_PAGE_BYTES, DEFAULT_TIMEOUT, MAX_RESPONSE_BYTES,
};
pub use date::{Date, DateError};
pub use error::{Error, PaginationStop, Result};
pub use generated::{operations, types};
pub use patch::Patch;
pub use raw::{RAW_OPERATION, RawCall};
pub use request::{RequestOptions, Response};
pub use retry::{DEFAULT_BACKOFF_BASE, DEFAULT_BACKOFF_CAP, DEFAULT_MAX_RETRIES, RetryPolicy};
pub use secret::SecretString;
pub use unknown::UnknownVariant;
// The `http` types in this crate's API (a call's extra headers, a response's
// status and headers), as reqwest re-exports them: no `http` dependency of the
// user's own needed, and never a second version of it.
pub use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
pub use reqwest::{Method, StatusCode};

// The README's examples compile as doctests, so the quickstart cannot rot. It is
// the crate's own README (shipped in the package), and its webhook examples need
// the `webhooks` feature, as `cargo test --all-features` has it.
#[cfg(all(doctest, feature = "webhooks"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
