//! The one `tracing` span each call runs in: what the call is (operation, method,
//! route template) from the start, and how it ended (attempts, final status, Gigs
//! request id) recorded when it ends. The attempt events (`sending request`,
//! `retrying`, …) happen inside it, so a `tracing-opentelemetry` layer shows a call
//! as one span with its attempts. No field holds a secret: the route is the
//! template, never the filled-in path, and no header but the request id is read.

use crate::error::Error;
use crate::request::Response;
use reqwest::Method;
use reqwest::header::HeaderMap;
use tracing::field::Empty;

/// The response header whose value the span records as `request_id`.
pub(crate) const REQUEST_ID_HEADER: &str = "x-request-id";

/// The span of one call of `operation`, not yet entered.
pub(crate) fn call(operation: &'static str, method: &Method, route: &str) -> tracing::Span {
    tracing::info_span!(
        "gigs_connect.call",
        operation,
        method = %method,
        route,
        attempts = Empty,
        status = Empty,
        request_id = Empty
    )
}

/// Records how the call ended: the status of the last answer and its request id,
/// when an answer arrived (a transport failure or a passed deadline has neither).
pub(crate) fn record_outcome(span: &tracing::Span, outcome: &Result<Response<Vec<u8>>, Error>) {
    let (status, headers) = match outcome {
        Ok(response) => (Some(response.status().as_u16()), Some(response.headers())),
        Err(error) => (error.status(), error.headers()),
    };
    if let Some(status) = status {
        span.record("status", status);
    }
    if let Some(id) = headers.and_then(request_id) {
        span.record("request_id", id);
    }
}

/// The Gigs request id of an answer, when it sent a printable one.
fn request_id(headers: &HeaderMap) -> Option<&str> {
    headers.get(REQUEST_ID_HEADER)?.to_str().ok()
}
