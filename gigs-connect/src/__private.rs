//! Not public API: the contract between the hand-written runtime and the code
//! built on it, with no semver promise of its own (serde's `__private` is the
//! model). It is the one module of the runtime that code outside the runtime may
//! name:
//!
//! - the generated code (`src/generated/`) names the runtime only as
//!   `crate::__private::…` (the crate-visible items below), never `crate::codec`,
//!   `crate::call` and the like directly; codegen's tests hold it to that
//!   (`codegen/tests/contract.rs`). The runtime names the generated modules, never
//!   the other way round except through here, so no module of either imports the
//!   other in a circle;
//! - the crates released in lockstep with this one (`=` version): gigs-connect-mock,
//!   which serves a spec from the generated tables and shares the client's rules
//!   (which requests take an `Idempotency-Key`, what a valid key is, which headers
//!   are the transport's), and the wider-api fixture's mock, which hands the mock
//!   its own tables. They reach the `pub` items as `gigs_connect::__private::…`.

// For the generated code: the runtime's public types it spells out, and the
// machinery behind them (decoders, path segments, scrubbing, calls).
pub(crate) use crate::call;
pub(crate) use crate::codec;
pub(crate) use crate::scrub;
#[cfg(feature = "webhooks")]
pub(crate) use crate::webhooks::unknown::UnknownEvent;
pub(crate) use crate::{Call, Client, Date, Error, Patch, SecretString, UnknownVariant};

/// The generated tables (models' wire shapes, operations' routes, which
/// operations are lists) as JSON: what gigs-connect-mock serves from.
pub use crate::generated::shapes::TABLES;

/// The spec the generated code comes from, as committed (`cargo xtask codegen`
/// keeps its copy beside the generated code, so it ships in the package).
#[cfg(not(gigs_wider_api))]
pub const SPEC: &str = include_str!("generated/connect-sessions.json");

pub use crate::idempotency::idempotency_key_rule;

/// The headers a call may not set (they frame the message): codegen's one list,
/// emitted with the generated code.
pub use crate::generated::FRAMING_HEADERS;

/// Sets up TLS on a `reqwest` builder for requests to `base_url` with the TLS
/// backend gigs-connect's features chose (the mock's webhook deliveries).
///
/// # Errors
/// An `https` URL in a build without a TLS feature.
pub fn tls_configure(
    builder: reqwest::ClientBuilder,
    base_url: &str,
) -> Result<reqwest::ClientBuilder, crate::Error> {
    crate::tls::configure(builder, base_url)
}

/// Decodes an event body without checking a signature (the mock's record of
/// its own deliveries).
///
/// # Errors
/// A body that is not an event.
#[cfg(feature = "webhooks")]
pub fn decode_event(body: &[u8]) -> Result<crate::webhooks::Event, crate::webhooks::WebhookError> {
    crate::webhooks::decode::decode_event(body)
}
