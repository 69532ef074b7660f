//! The requests the mock received, as the log keeps them: `Authorization` left
//! out, header values hidden from `Debug`, a request without a valid token cut
//! short.

use std::fmt;

/// One request as the mock received it. The `Authorization` header is not kept.
///
/// A request without a valid token is logged cut short: the first
/// [`UNAUTHENTICATED_KEPT_BYTES`] of its path, of its body and of its header
/// values together, so a stranger cannot fill the log.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReceivedRequest {
    /// The method, e.g. `PATCH`.
    pub method: String,
    /// The request target as sent, percent-encoding included.
    pub path: String,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The request headers, `Authorization` left out.
    pub headers: ReceivedHeaders,
    /// The body bytes.
    pub body: Vec<u8>,
}

/// How much of a request without a valid token the log keeps: of its path, its
/// body, and its header values together.
pub const UNAUTHENTICATED_KEPT_BYTES: usize = 1024;

impl ReceivedRequest {
    /// The body as JSON, or `None` when it is empty or not JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The first value of the header called `name` (any case), e.g.
    /// `request.header("idempotency-key")`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }

    /// The bytes this entry holds, as the log counts them.
    pub(crate) fn size(&self) -> usize {
        self.method.len()
            + self.path.len()
            + self.content_type.as_ref().map_or(0, String::len)
            + self.headers.size()
            + self.body.len()
    }

    /// This request cut to `limit` bytes of path, of body and of header values.
    pub(crate) fn cut_to(mut self, limit: usize) -> Self {
        truncate(&mut self.path, limit);
        if let Some(content_type) = &mut self.content_type {
            truncate(content_type, limit);
        }
        self.body.truncate(limit);
        self.body.shrink_to_fit();
        let mut budget = limit;
        self.headers.0.retain_mut(|(name, value)| {
            truncate(value, budget);
            budget = budget.saturating_sub(value.len());
            name.len() <= limit && !value.is_empty()
        });
        self.headers.0.shrink_to_fit();
        self
    }
}

/// Cuts `text` to at most `limit` bytes, at a character boundary, and gives back
/// the memory past them (a cut that kept its capacity would keep it all).
fn truncate(text: &mut String, limit: usize) {
    let mut end = limit.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text.shrink_to_fit();
}

/// The headers of a [`ReceivedRequest`], in the order sent, names in lower case.
/// Values can carry secrets, so `Debug` shows the names only; read a value with
/// [`ReceivedHeaders::get`]. A value that is not UTF-8 is kept with `\u{fffd}` in
/// place of its bad bytes.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ReceivedHeaders(pub(crate) Vec<(String, String)>);

impl ReceivedHeaders {
    /// The first value of the header called `name` (any case).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Every value of the header called `name` (any case), in the order sent.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The names, in the order sent (a repeated header once per value).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(name, _)| name.as_str())
    }

    /// How many header lines there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn size(&self) -> usize {
        self.0
            .iter()
            .map(|(name, value)| name.len() + value.len())
            .sum()
    }

    /// Every header but `Authorization`.
    pub(crate) fn from_map(headers: &hyper::HeaderMap) -> Self {
        ReceivedHeaders(
            headers
                .iter()
                .filter(|(name, _)| *name != hyper::header::AUTHORIZATION)
                .map(|(name, value)| {
                    let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                    (name.as_str().to_owned(), value)
                })
                .collect(),
        )
    }
}

impl fmt::Debug for ReceivedHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(name, _)| (name, "[sensitive]")))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hostile() -> ReceivedRequest {
        let mut headers = hyper::HeaderMap::new();
        headers.insert("x-a", "é".repeat(150_000).parse().unwrap());
        headers.insert("x-b", "b".repeat(300_000).parse().unwrap());
        headers.insert(hyper::header::AUTHORIZATION, "Bearer sk_x".parse().unwrap());
        ReceivedRequest {
            method: "POST".into(),
            path: format!("/{}", "é".repeat(30_000)),
            content_type: Some("c".repeat(300_000)),
            headers: ReceivedHeaders::from_map(&headers),
            body: vec![b'x'; 1 << 20],
        }
    }

    #[test]
    fn a_request_cut_short_keeps_the_first_bytes_and_gives_the_rest_back() {
        let limit = UNAUTHENTICATED_KEPT_BYTES;
        let cut = hostile().cut_to(limit);
        assert!(
            cut.path.len() <= limit && cut.path.starts_with("/é"),
            "{}",
            cut.path.len()
        );
        // The memory goes too, not only the length: 1,000 such requests would
        // otherwise keep 700 MB.
        assert!(cut.path.capacity() <= limit);
        assert!(cut.content_type.as_ref().unwrap().capacity() <= limit);
        assert!(cut.body.capacity() <= limit);
        let values: usize = cut.headers.0.iter().map(|(_, v)| v.capacity()).sum();
        assert!(values <= limit, "{values}");
        assert_eq!(cut.header("x-a").map(str::len), Some(limit));
        assert_eq!(cut.header("x-b"), None, "past the budget");
        assert_eq!(cut.header("authorization"), None);
        assert!(cut.size() <= 4 * limit + 16, "{}", cut.size());
    }

    #[test]
    fn header_values_are_hidden_from_debug_and_read_by_name_in_any_case() {
        let request = hostile();
        let debug = format!("{:?}", request.headers);
        assert_eq!(debug, r#"{"x-a": "[sensitive]", "x-b": "[sensitive]"}"#);
        assert_eq!(request.header("X-B").map(str::len), Some(300_000));
        assert_eq!(request.headers.get_all("x-a").count(), 1);
    }
}
