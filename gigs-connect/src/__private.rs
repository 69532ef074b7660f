//! Not public API: the one module of the runtime that code outside the
//! hand-written runtime may name, with no semver promise of its own (its users
//! are released in lockstep with this crate, `=` version).
//!
//! Its users are the crates built with gigs-connect: gigs-connect-mock, which
//! serves a spec from the generated tables and shares the client's rules (which
//! requests take an `Idempotency-Key`, what a valid key is, which headers are
//! the transport's); and the wider-api fixture's mock, which hands the mock its
//! own tables. Anything here is reached as `gigs_connect::__private::…`.

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
