//! `RequestOptions`, the settings one call may override, and `Response`, a
//! successful answer with its HTTP status and headers.

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::fmt;
use std::time::Duration;

/// Per-call settings that override the client's for one call.
///
/// Unset fields fall back to the [`ClientBuilder`](crate::ClientBuilder)'s settings.
/// Options may be built once and applied to many calls
/// ([`Call::options`](crate::Call::options)), so they hold nothing that belongs to
/// one call: an `Idempotency-Key` is set on the call itself with
/// [`Call::idempotency_key`](crate::Call::idempotency_key). (Gigs answers a repeated
/// key with the first call's result, so a key shared by two creates would hand the
/// second caller the first one's session and login `url`.)
///
/// ```compile_fail
/// // Options have no idempotency key to share: set it on the call.
/// let shared = gigs_connect::RequestOptions::new().idempotency_key("order-42");
/// ```
#[derive(Clone, Default)]
pub struct RequestOptions {
    /// Time allowed for each attempt.
    pub(crate) timeout: Option<Duration>,
    /// Time allowed for the whole call: every attempt and every wait between them.
    pub(crate) deadline: Option<Duration>,
    /// Retries after the first attempt.
    pub(crate) max_retries: Option<u32>,
    /// The largest response body read, instead of the client's limit for a
    /// single object or a page.
    pub(crate) max_response_bytes: Option<usize>,
    /// Extra headers sent with every attempt.
    pub(crate) headers: HeaderMap,
    /// The first framing header the caller tried to set: the call fails with
    /// `Error::InvalidArgument` naming it, before anything is sent.
    pub(crate) refused_header: Option<&'static str>,
}

/// Headers that frame the message or the connection. The HTTP stack writes them
/// from the body and the URL; a caller's value would corrupt what goes on the
/// wire (a short `content-length` truncates the body), so they cannot be set per
/// call. The list is codegen's, emitted with the generated code.
pub(crate) use crate::generated::FRAMING_HEADERS;

/// The framing header `name` is, if it is one (`HeaderName`s are lowercase).
pub(crate) fn framing_header(name: &HeaderName) -> Option<&'static str> {
    FRAMING_HEADERS
        .iter()
        .copied()
        .find(|framing| *framing == name.as_str())
}

impl RequestOptions {
    /// No overrides: the client's settings apply.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// Time allowed for each attempt, from sending to the last body byte.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed for the whole call: every attempt and every wait between them.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Retries after the first attempt (0 turns retrying off for this call).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// The largest response body this call reads, instead of the client's limit
    /// (a single object: [`MAX_RESPONSE_BYTES`](crate::MAX_RESPONSE_BYTES); each page
    /// of a list: [`DEFAULT_MAX_PAGE_BYTES`](crate::DEFAULT_MAX_PAGE_BYTES)). A larger
    /// body fails with [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge).
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// Adds a header to every attempt of this call: a
    /// [`HeaderName`](crate::HeaderName) and a [`HeaderValue`](crate::HeaderValue)
    /// (re-exported at this crate's root). A header the client sets itself
    /// (`Authorization`, `Content-Type`, `Idempotency-Key`) is not replaced by it.
    ///
    /// Headers that frame the message or the connection (`content-length`,
    /// `transfer-encoding`, `host`, `connection`, `te`, `upgrade`, `trailer`,
    /// `keep-alive`) are refused: the call fails with
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming the header,
    /// and nothing is sent.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        match framing_header(&name) {
            Some(framing) => {
                self.refused_header.get_or_insert(framing);
            }
            None => {
                self.headers.append(name, value);
            }
        }
        self
    }

    /// The refusal of a framing header set on these options, for `operation`.
    pub(crate) fn check(&self, operation: &'static str) -> Result<(), crate::Error> {
        match self.refused_header {
            Some(parameter) => Err(crate::Error::InvalidArgument {
                operation,
                parameter,
                reason: "is a header that frames the message or the connection; the HTTP client sets it itself",
            }),
            None => Ok(()),
        }
    }
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values may be credentials of the caller's own; names are enough to
        // see what is set.
        let header_names: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("max_retries", &self.max_retries)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("headers", &header_names)
            .field("refused_header", &self.refused_header)
            .finish()
    }
}

/// A successful answer with its HTTP metadata: the status and headers next to the
/// decoded value, e.g. to log a request id or rate-limit headers, and the
/// `Idempotency-Key` the call sent.
#[derive(Clone, Debug)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    idempotency_key: Option<String>,
    value: T,
}

impl<T> Response<T> {
    /// A response as a call would return it, e.g. for a test of code that reads
    /// one (the crate README's "Testing your code").
    pub fn new(status: StatusCode, headers: HeaderMap, value: T) -> Self {
        Response {
            status,
            headers,
            idempotency_key: None,
            value,
        }
    }

    /// The same answer, recorded as sent with `key`.
    pub(crate) fn with_idempotency_key(mut self, key: Option<String>) -> Self {
        self.idempotency_key = key;
        self
    }

    /// The `Idempotency-Key` the call sent (the one the client generated for a
    /// `POST` or `DELETE`, or the caller's own), `None` when it sent none.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.idempotency_key.as_deref()
    }

    /// The HTTP status (a 2xx).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers. Each value is marked sensitive, so `Debug` shows
    /// `Sensitive` in its place: read the ones you mean to log by name.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded value, without the metadata.
    pub fn into_value(self) -> T {
        self.value
    }

    /// Status, headers and value.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.value)
    }

    /// The same metadata around `f(value)`.
    pub(crate) fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            idempotency_key: self.idempotency_key,
            value: f(self.value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_header_names_but_never_their_values() {
        let options = RequestOptions::new()
            .deadline(Duration::from_secs(5))
            .header(
                HeaderName::from_static("x-partner-auth"),
                HeaderValue::from_static("SECRET-PARTNER-TOKEN"),
            );

        let shown = format!("{options:?}");

        assert!(shown.contains("x-partner-auth"), "{shown}");
        assert!(!shown.contains("SECRET"), "{shown}");
    }

    #[test]
    fn setters_fill_their_field_and_leave_the_rest_to_the_client() {
        let options = RequestOptions::new()
            .max_retries(0)
            .timeout(Duration::from_secs(1));
        assert_eq!(options.max_retries, Some(0));
        assert_eq!(options.timeout, Some(Duration::from_secs(1)));
        assert_eq!(options.deadline, None);
        assert!(options.headers.is_empty());
    }

    #[test]
    fn a_response_maps_its_value_and_keeps_its_metadata() {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", HeaderValue::from_static("req_1"));
        let response = Response::new(StatusCode::CREATED, headers, "2").map(|v| v.len());
        assert_eq!(*response.value(), 1);
        let (status, headers, value) = response.into_parts();
        assert_eq!((status, value), (StatusCode::CREATED, 1));
        assert_eq!(headers["x-request-id"], "req_1");
    }
}
