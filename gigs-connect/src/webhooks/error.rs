//! `WebhookError`: why a delivery was refused, one variant per rule it broke.

use std::time::Duration;

/// Why [`Webhook::verify`](super::Webhook::verify) refused a delivery, or
/// [`Webhook::new`](super::Webhook::new) a secret. Answer a refused delivery with a
/// 4xx (Svix retries it) and never act on its body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The secret is not `whsec_` (optional) followed by base64 of at least one byte.
    #[error("the webhook secret is not valid: {reason}")]
    InvalidSecret {
        /// What is wrong with it (never the secret itself).
        reason: &'static str,
    },
    /// A required header is absent: neither the `svix-` nor the `webhook-` family
    /// of headers is complete (the two are never mixed).
    #[error("the `{header}` header is missing")]
    MissingHeader {
        /// The name missing from the family the delivery came closest to
        /// (`webhook-signature`, or `svix-signature` when it carries more `svix-`
        /// headers).
        header: &'static str,
    },
    /// The message id header is present but empty.
    #[error("the `{header}` header is empty")]
    EmptyHeader {
        /// The header's name as received (`webhook-id` or `svix-id`).
        header: &'static str,
    },
    /// A header is present but not visible ASCII text.
    #[error("the `{header}` header is not visible ASCII text")]
    InvalidHeader {
        /// The header's name as received.
        header: &'static str,
    },
    /// `webhook-timestamp` is not an integer number of seconds.
    #[error("the `{header}` header is not an integer number of seconds")]
    InvalidTimestamp {
        /// The header's name as received.
        header: &'static str,
    },
    /// The delivery was signed longer ago than the tolerance allows: an old
    /// delivery replayed, or a clock far behind.
    #[error(
        "the delivery is too old: signed {age:?} ago, more than the tolerance of {tolerance:?}"
    )]
    TimestampTooOld {
        /// How long ago it was signed.
        age: Duration,
        /// [`Webhook::tolerance`](super::Webhook::tolerance).
        tolerance: Duration,
    },
    /// The delivery claims to be signed in the future, beyond the tolerance.
    #[error(
        "the delivery is too new: signed {ahead:?} in the future, more than the tolerance of {tolerance:?}"
    )]
    TimestampTooNew {
        /// How far in the future.
        ahead: Duration,
        /// [`Webhook::tolerance`](super::Webhook::tolerance).
        tolerance: Duration,
    },
    /// No `v1` entry of `webhook-signature` is the signature of this id, timestamp
    /// and body with this secret (other versions are ignored).
    #[error("no v1 signature in the `webhook-signature` header matches the delivery")]
    NoMatchingSignature,
    /// The body is larger than [`Webhook::max_body_bytes`](super::Webhook::max_body_bytes).
    #[error("the body of {size} bytes is larger than the limit of {limit} bytes")]
    BodyTooLarge {
        /// The body's size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The body is signed but is not an event this SDK can read: not JSON, no
    /// `type`, or a known event with a field of the wrong shape.
    #[error("the event does not decode at `{path}`: {message}")]
    Decode {
        /// The event's `type`, when it was read.
        event_type: Option<String>,
        /// The field that failed (`data.intent.type`), `.` for the whole body.
        path: String,
        /// What failed, with anything like a session url or token masked.
        message: String,
    },
}
