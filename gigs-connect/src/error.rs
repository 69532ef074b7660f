//! `Error`: everything a call can fail with, told apart so callers can react.

use crate::types::ApiError;
use reqwest::header::HeaderMap;
use std::time::Duration;

/// The result of every fallible call in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a call failed. Nothing in an error, `Display` or `Debug`, carries the API
/// token or a session `url`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be built from its configuration.
    #[error("invalid client configuration: {reason}")]
    Config {
        /// What is wrong.
        reason: String,
    },
    /// An argument cannot be sent as given (e.g. an empty id); nothing was sent.
    #[error("{operation}: argument `{parameter}` {reason}; nothing was sent")]
    InvalidArgument {
        /// The operation (its operationId).
        operation: &'static str,
        /// The parameter's name in the spec.
        parameter: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The request did not complete: connecting, sending or reading failed, or an
    /// attempt ran past the connect timeout or the per-attempt timeout
    /// ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout)). The message says which.
    #[error("{operation}: {}: {source}", transport_summary(source))]
    Transport {
        /// The operation (its operationId).
        operation: &'static str,
        /// The underlying error, with the URL removed.
        #[source]
        source: reqwest::Error,
        /// The `Idempotency-Key` the call sent, if any (see [`Error::idempotency_key`]).
        idempotency_key: Option<String>,
    },
    /// A middleware of the caller's ([`ClientBuilder::middleware`](crate::ClientBuilder::middleware))
    /// failed the attempt with an error of its own. Retried like a lost connection:
    /// the request may or may not have reached Gigs.
    #[cfg(feature = "middleware")]
    #[cfg_attr(docsrs, doc(cfg(feature = "middleware")))]
    #[error("{operation}: middleware failed: {reason}")]
    Middleware {
        /// The operation (its operationId).
        operation: &'static str,
        /// The middleware's error and its causes, with the API token and session
        /// urls masked.
        reason: String,
        /// The `Idempotency-Key` the attempt carried (see [`Error::idempotency_key`]).
        idempotency_key: Option<String>,
    },
    /// Gigs answered with an error envelope.
    #[error("{operation}: Gigs answered {status} ({}{}): {}", error.r#type, error.code.as_deref().map(|c| format!("/{c}")).unwrap_or_default(), error.message)]
    Api {
        /// The operation (its operationId).
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The decoded envelope: type, code, message, hint, details.
        error: Box<ApiError>,
        /// The response headers (see [`Error::headers`]).
        headers: Box<HeaderMap>,
        /// The `Idempotency-Key` the call sent, if any (see [`Error::idempotency_key`]).
        idempotency_key: Option<String>,
    },
    /// The call's overall deadline ([`ClientBuilder::deadline`](crate::ClientBuilder::deadline)
    /// or the call's own) passed before an answer arrived; the attempt under way was
    /// abandoned.
    #[error(
        "{operation}: no answer within the call's deadline of {deadline:?} (attempts started: {attempts})"
    )]
    DeadlineExceeded {
        /// The operation (its operationId).
        operation: &'static str,
        /// The deadline that passed: attempts and waits between them together.
        deadline: Duration,
        /// The attempts started, the abandoned one included.
        attempts: u32,
        /// The `Idempotency-Key` the call sent, if any (see [`Error::idempotency_key`]).
        idempotency_key: Option<String>,
    },
    /// The response could not be decoded: not JSON, or not the documented shape.
    #[error("{operation}: undecodable {status} response: {reason} (body starts: {excerpt:?})")]
    Decode {
        /// The operation (its operationId).
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// What failed to decode, with the path of the field (`intent.type`); server
        /// values it quotes are scrubbed and it is cut to a few hundred characters.
        reason: String,
        /// The start of the body, with secrets masked.
        excerpt: String,
        /// The response headers (see [`Error::headers`]).
        headers: Box<HeaderMap>,
        /// The `Idempotency-Key` the call sent, if any (see [`Error::idempotency_key`]).
        idempotency_key: Option<String>,
    },
    /// The response body was larger than the limit for it (a single object:
    /// [`MAX_RESPONSE_BYTES`](crate::MAX_RESPONSE_BYTES) by default; a page of a
    /// list: [`DEFAULT_MAX_PAGE_BYTES`](crate::DEFAULT_MAX_PAGE_BYTES); see
    /// [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes))
    /// and was not read to its end.
    #[error("{operation}: {status} response body exceeds {limit} bytes; refused")]
    ResponseTooLarge {
        /// The operation (its operationId).
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The limit it exceeded, in bytes.
        limit: usize,
        /// The response headers (see [`Error::headers`]).
        headers: Box<HeaderMap>,
        /// The `Idempotency-Key` the call sent, if any (see [`Error::idempotency_key`]).
        idempotency_key: Option<String>,
    },
    /// A request that sets a property Gigs accepts only once (an update's `user` or
    /// `userDetails`) failed after it may have reached Gigs (a timeout or a lost
    /// connection after sending, a 5xx), so it was not repeated: a repeat would be
    /// refused if the first was applied, and only the first answer carries the
    /// session's `url`. Whether Gigs applied it is unknown: retrieve the session to
    /// see (its `user`); if you need a `url` and the lost answer had it, create a
    /// new session. `source` is the failure itself.
    #[error(
        "{operation}: outcome unknown: the request sets a property Gigs accepts only once and may have reached Gigs, so it was not repeated; retrieve the session to see whether it was applied, and create a new session for a new `url`: {source}"
    )]
    OutcomeUnknown {
        /// The operation (its operationId).
        operation: &'static str,
        /// The failure of the request.
        #[source]
        source: Box<Error>,
    },
    /// A walk over a list ([`Pager`](crate::Pager)) stopped before the list's end:
    /// the server made no progress (a cursor it had already given, too many empty
    /// pages in a row) or a limit set on the pager was reached. The items before it
    /// were yielded.
    #[error("{operation}: list walk stopped after {pages} pages and {items} items: {stop}")]
    Pagination {
        /// The list operation (its operationId).
        operation: &'static str,
        /// Why the walk stopped.
        stop: PaginationStop,
        /// The pages received.
        pages: u64,
        /// The items yielded before this error.
        items: u64,
        /// The headers of the last page received, if any (see [`Error::headers`]).
        headers: Option<Box<HeaderMap>>,
    },
}

/// Why a [`Pager`](crate::Pager) stopped walking a list before its end
/// ([`Error::Pagination`]).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PaginationStop {
    /// The server handed out a cursor it had already given in this walk: following
    /// it would walk the same pages for ever.
    #[error(
        "the next cursor (`moreItemsAfter`, or `moreItemsBefore` walking backward) repeats that of an earlier page"
    )]
    RepeatedCursor,
    /// `limit` pages in a row brought no items, each with a further cursor
    /// ([`Pager::max_empty_pages`](crate::Pager::max_empty_pages)).
    #[error("{limit} empty pages in a row, each with a further cursor")]
    EmptyPages {
        /// The pages without items allowed in a row.
        limit: u32,
    },
    /// The walk fetched its limit of pages and the last one had a further cursor
    /// ([`Pager::max_pages`](crate::Pager::max_pages)): the bound on the cursors a
    /// walk remembers.
    #[error("{limit} pages fetched, the most a walk fetches, and the last had a further cursor")]
    PageLimit {
        /// The pages allowed in the walk.
        limit: u64,
    },
    /// The walk's own deadline passed ([`Pager::deadline`](crate::Pager::deadline)).
    #[error("the walk's deadline of {deadline:?} passed")]
    Deadline {
        /// The deadline of the whole walk.
        deadline: Duration,
    },
    /// The walk yielded its cap of items and the list had more
    /// ([`Pager::max_items`](crate::Pager::max_items)).
    #[error("the walk's cap of {cap} items was reached with more items left")]
    ItemCap {
        /// The items allowed in the walk.
        cap: u64,
    },
}

/// Matches `$error` (an `&Error` or `&mut Error`) on where it keeps the
/// `Idempotency-Key` the call sent: `$key` binds the field of each variant that
/// has one, `$source` the inner error of an `OutcomeUnknown`, and `none` is for
/// the variants that never carry one. The one list of which variants carry a key,
/// so that [`Error::idempotency_key`] and its setter cannot disagree (a macro, as
/// one reads through `&` and the other writes through `&mut`).
macro_rules! match_idempotency_key {
    ($error:expr, $key:ident => $keyed:expr, $source:ident => $outcome_unknown:expr, none => $none:expr $(,)?) => {
        match $error {
            Error::Transport {
                idempotency_key: $key,
                ..
            }
            | Error::Api {
                idempotency_key: $key,
                ..
            }
            | Error::Decode {
                idempotency_key: $key,
                ..
            }
            | Error::ResponseTooLarge {
                idempotency_key: $key,
                ..
            }
            | Error::DeadlineExceeded {
                idempotency_key: $key,
                ..
            } => $keyed,
            #[cfg(feature = "middleware")]
            Error::Middleware {
                idempotency_key: $key,
                ..
            } => $keyed,
            Error::OutcomeUnknown {
                source: $source, ..
            } => $outcome_unknown,
            Error::Config { .. } | Error::InvalidArgument { .. } | Error::Pagination { .. } => {
                $none
            }
        }
    };
}

impl Error {
    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::OutcomeUnknown { source, .. } => source.status(),
            Error::Api { status, .. }
            | Error::Decode { status, .. }
            | Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status().map(|s| s.as_u16()),
            _ => None,
        }
    }

    /// The Gigs error envelope, when Gigs sent one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api { error, .. } => Some(error),
            Error::OutcomeUnknown { source, .. } => source.api_error(),
            _ => None,
        }
    }

    /// The response headers, when a response arrived ([`Error::Api`],
    /// [`Error::Decode`], [`Error::ResponseTooLarge`]), e.g. to log a request id or
    /// the id a proxy gives its error pages. Each value is marked sensitive, so
    /// `Debug` shows `Sensitive` in its place: read the ones you mean to log by name.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api { headers, .. }
            | Error::Decode { headers, .. }
            | Error::ResponseTooLarge { headers, .. } => Some(headers),
            Error::Pagination { headers, .. } => headers.as_deref(),
            Error::OutcomeUnknown { source, .. } => source.headers(),
            _ => None,
        }
    }

    /// The `Idempotency-Key` the failed call sent: the one the client generated
    /// for a `POST` or `DELETE` (a create), or the caller's own; `None` when it sent
    /// none or nothing was sent. After a timeout, send the same request again with
    /// this key ([`Call::idempotency_key`](crate::Call::idempotency_key)) to get the
    /// first attempt's result instead of a second session.
    pub fn idempotency_key(&self) -> Option<&str> {
        match_idempotency_key!(self,
            key => key.as_deref(),
            source => source.idempotency_key(),
            none => None,
        )
    }

    /// Whether the call's outcome is unknown ([`Error::OutcomeUnknown`]): it set a
    /// property Gigs accepts once, may have been applied, and was not repeated.
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(self, Error::OutcomeUnknown { .. })
    }

    /// Records the key the call sent on an error of one of its attempts.
    pub(crate) fn set_idempotency_key(&mut self, key: Option<String>) {
        match_idempotency_key!(self,
            slot => *slot = key,
            source => source.set_idempotency_key(key),
            none => {},
        )
    }

    /// Why a list walk stopped, when it stopped before the list's end
    /// ([`Error::Pagination`]).
    pub fn pagination_stop(&self) -> Option<&PaginationStop> {
        match self {
            Error::Pagination { stop, .. } => Some(stop),
            _ => None,
        }
    }

    /// Whether a timeout ended the call: the connect or per-attempt timeout
    /// ([`Error::Transport`]), the call's overall deadline
    /// ([`Error::DeadlineExceeded`]) or a list walk's deadline
    /// ([`PaginationStop::Deadline`]).
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Transport { source, .. } => source.is_timeout(),
            Error::DeadlineExceeded { .. } => true,
            Error::Pagination { stop, .. } => matches!(stop, PaginationStop::Deadline { .. }),
            Error::OutcomeUnknown { source, .. } => source.is_timeout(),
            _ => false,
        }
    }

    /// Whether trying again later may succeed: connection failures, timeouts, a
    /// passed deadline and the statuses 429, 502, 503 and 504. The client already
    /// retried what was safe to retry (see [`RetryPolicy`](crate::RetryPolicy)). A
    /// create that failed this way may or may not have made a session: send it again
    /// with the same key ([`Error::idempotency_key`], set with
    /// [`Call::idempotency_key`](crate::Call::idempotency_key)) to be sure it makes at
    /// most one. [`Error::OutcomeUnknown`] is never retryable as it is.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { .. } | Error::DeadlineExceeded { .. } => true,
            #[cfg(feature = "middleware")]
            Error::Middleware { .. } => true,
            Error::Api { status, .. } | Error::Decode { status, .. } => {
                crate::retry::is_retryable_status(*status)
            }
            Error::Config { .. }
            | Error::InvalidArgument { .. }
            | Error::ResponseTooLarge { .. }
            | Error::OutcomeUnknown { .. }
            | Error::Pagination { .. } => false,
        }
    }

    /// The operation that failed, when the error came from one.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::InvalidArgument { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Api { operation, .. }
            | Error::Decode { operation, .. }
            | Error::ResponseTooLarge { operation, .. }
            | Error::DeadlineExceeded { operation, .. }
            | Error::OutcomeUnknown { operation, .. }
            | Error::Pagination { operation, .. } => Some(operation),
            #[cfg(feature = "middleware")]
            Error::Middleware { operation, .. } => Some(operation),
            Error::Config { .. } => None,
        }
    }
}

/// What kind of transport failure `source` is, for the error message: a timeout
/// names the limit it hit.
fn transport_summary(source: &reqwest::Error) -> &'static str {
    match (source.is_timeout(), source.is_connect()) {
        (true, true) => "no connection within the connect timeout",
        (true, false) => "no complete answer within the per-attempt timeout",
        (false, _) => "request failed",
    }
}

/// At most this many characters of a body go into an error.
const EXCERPT_CHARS: usize = 120;

/// At most this many characters of a decode reason go into an error: room for
/// the field path and what was expected, never a whole server value.
pub(crate) const REASON_CHARS: usize = 300;

/// At most this many bytes of a body are read to make its excerpt.
const EXCERPT_SCANNED_BYTES: usize = 64 * 1024;

/// A decode failure's reason for an error message: serde's text quotes the value
/// it failed on (up to a whole body), so it is scrubbed like an excerpt and cut to
/// [`REASON_CHARS`].
pub(crate) fn decode_reason(reason: &str, token: Option<&str>) -> String {
    shortened(reason.as_bytes(), token, REASON_CHARS)
}

/// The start of a response body for an error message, scrubbed (see
/// `scrub.rs`): the client's `token`, session urls and `token` values removed,
/// however the body spells them. Scrubbed whole, then cut, so a cut cannot leave
/// half a secret behind.
pub(crate) fn excerpt(body: &[u8], token: Option<&str>) -> String {
    shortened(body, token, EXCERPT_CHARS)
}

/// The first `chars` characters of `text`, scrubbed, with `…` when cut.
fn shortened(text: &[u8], token: Option<&str>, chars: usize) -> String {
    // Only the start is shown: scrubbing a whole 32 MiB page to show a few hundred
    // characters would cost more than the error is worth. Text cut here is
    // scrubbed as JSON cut short.
    let start = &text[..text.len().min(EXCERPT_SCANNED_BYTES)];
    let masked = crate::scrub::text(&String::from_utf8_lossy(start), token);
    let mut out: String = masked.chars().take(chars).collect();
    if masked.chars().count() > chars {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn excerpt_masks_session_urls_and_tokens() {
        let body = br#"{"id":"csn_1","url": "https://connect.gigs.com/x?session=csn_1&token=SECRET123","note":"a?token=SECRET456&b=1"}"#;
        let text = excerpt(body, None);
        assert!(!text.contains("SECRET"), "{text}");
        assert!(text.contains(r#""url":"[redacted]""#), "{text}");
        assert!(text.contains("token=[redacted]&b=1"), "{text}");
    }

    #[test]
    fn excerpt_masks_a_url_cut_off_mid_string() {
        let text = excerpt(
            br#"{"url":"https://connect.gigs.com/x?session=csn_1&tok"#,
            None,
        );
        assert!(!text.contains("connect.gigs.com"), "{text}");
    }

    #[test]
    fn excerpt_of_a_huge_body_masks_what_it_shows() {
        let mut body = br#"{"note":"x","url":"https://c/x?token=SECRET1","items":["#.to_vec();
        body.extend(b"1,".repeat(1_000_000));
        body.extend(b"2]}");
        let text = excerpt(&body, None);
        assert!(!text.contains("SECRET1"), "{text}");
        assert!(
            text.starts_with(r#"{"note":"x","url":"[redacted]""#),
            "{text}"
        );
    }

    #[test]
    fn excerpt_is_short() {
        let text = excerpt("<html>".repeat(100).as_bytes(), None);
        assert_eq!(text.chars().count(), 121);
        assert!(text.ends_with('…'));
    }
}
