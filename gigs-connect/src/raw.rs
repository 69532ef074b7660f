//! The escape hatch, for what Gigs ships before the spec (and so this crate) has
//! it: [`Client::request`], a call of any method and path under the base URL, and
//! the extra query parameters and body fields a generated call may carry
//! ([`Call::extra_query`](crate::Call::extra_query),
//! [`Call::extra_body_field`](crate::Call::extra_body_field)). Both go through
//! the same sending as generated calls: authentication, retries by method,
//! idempotency keys on `POST` and `DELETE`, the deadline, size limits, scrubbing
//! and the call's span.

use crate::call::{Request, decode_answer};
use crate::client::Client;
use crate::codec::Query;
use crate::error::Error;
use crate::request::{RequestOptions, Response};
use reqwest::Method;
use reqwest::header::{HeaderName, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::Duration;

/// The operation name an escape-hatch call carries in errors, logs and its span.
pub const RAW_OPERATION: &str = "request";

impl Client {
    /// A call of `method` on `path` under the client's base URL, for an endpoint
    /// or parameter Gigs has and this crate does not yet: awaited, it resolves to
    /// the answer's JSON as a [`serde_json::Value`] (`Null` for an empty body), or
    /// to a type of yours with [`output`](RawCall::output).
    ///
    /// `path` starts with `/` and is sent as given, so percent-encode what you put
    /// in it; `?`, `#`, `.` and `..` segments, empty segments and characters a URL
    /// path cannot hold fail the call with [`Error::InvalidArgument`] before
    /// anything is sent. Query parameters ([`query`](RawCall::query)) and a JSON
    /// body ([`json`](RawCall::json)) are set on the call. It is sent like a
    /// generated call: the client's `Authorization`, retries as the method allows
    /// (see [`RetryPolicy`](crate::RetryPolicy)), a fresh `Idempotency-Key` on
    /// `POST` and `DELETE` (the same on each retry), the deadline, the response size
    /// limit and scrubbed errors. Its operation is `request` in errors and logs.
    ///
    /// ```
    /// # async fn run(client: gigs_connect::Client) -> Result<(), gigs_connect::Error> {
    /// use gigs_connect::Method;
    ///
    /// let path = format!("/projects/{}/connectSessions/csn_1/preview", client.project());
    /// let answer = client
    ///     .request(Method::POST, path)
    ///     .json(&serde_json::json!({ "locale": "de-DE" }))
    ///     .await?;
    /// println!("{}", answer["object"]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn request(&self, method: Method, path: impl Into<String>) -> RawCall<'_> {
        RawCall {
            client: self,
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            options: RequestOptions::default(),
            idempotency_key: None,
            output: PhantomData,
        }
    }
}

/// An escape-hatch call ([`Client::request`]), sent when awaited; resolves to `T`.
#[must_use = "a request does nothing until it is awaited"]
pub struct RawCall<'a, T = serde_json::Value> {
    client: &'a Client,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    /// The body as JSON, or why it does not encode (reported when sent).
    body: Option<Result<serde_json::Value, String>>,
    options: RequestOptions,
    /// This call's own `Idempotency-Key`, never part of `options`.
    idempotency_key: Option<String>,
    output: PhantomData<fn() -> T>,
}

impl<'a, T: DeserializeOwned> RawCall<'a, T> {
    /// Adds `name=value` to the query, both percent-encoded; repeat it for a
    /// parameter with several values.
    pub fn query(mut self, name: impl Into<String>, value: impl fmt::Display) -> Self {
        self.query.push((name.into(), value.to_string()));
        self
    }

    /// Sends `body` as JSON (`Content-Type: application/json`). A body that does
    /// not encode fails the call with [`Error::InvalidArgument`] when it is sent.
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.body = Some(serde_json::to_value(body).map_err(|e| e.to_string()));
        self
    }

    /// Decodes the answer as `U` instead: `client.request(…).output::<MyType>()`.
    pub fn output<U: DeserializeOwned>(self) -> RawCall<'a, U> {
        RawCall {
            client: self.client,
            method: self.method,
            path: self.path,
            query: self.query,
            body: self.body,
            options: self.options,
            idempotency_key: self.idempotency_key,
            output: PhantomData,
        }
    }

    /// The idempotency key for this call (`POST` and `DELETE`), instead of a
    /// generated one; as on [`Call::idempotency_key`](crate::Call::idempotency_key),
    /// a key belongs to one request.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Time allowed for each attempt, instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options = self.options.timeout(timeout);
        self
    }

    /// Time allowed for the whole call, instead of the client's.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.options = self.options.deadline(deadline);
        self
    }

    /// Retries after the first attempt (0: none), instead of the client's.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.options = self.options.max_retries(max_retries);
        self
    }

    /// The largest response body this call reads, instead of the client's
    /// single-object limit.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.options = self.options.max_response_bytes(limit);
        self
    }

    /// An extra header, as on [`RequestOptions::header`].
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.options = self.options.header(name, value);
        self
    }

    /// Replaces this call's options with `options`.
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// Sends the request and returns the decoded answer.
    pub async fn send(self) -> Result<T, Error> {
        self.with_response().await.map(Response::into_value)
    }

    /// Sends the request and returns the decoded answer with its status and headers.
    pub async fn with_response(self) -> Result<Response<T>, Error> {
        let invalid = |parameter, reason| Error::InvalidArgument {
            operation: RAW_OPERATION,
            parameter,
            reason,
        };
        check_path(&self.path).map_err(|reason| invalid("path", reason))?;
        let mut path_and_query = self.path.clone();
        let mut query = Query::new(&mut path_and_query);
        for (name, value) in &self.query {
            query.push(name, [value]);
        }
        let mut request = Request::new(RAW_OPERATION, self.method, path_and_query);
        request.route = self.path.into();
        request.idempotency_key = self.idempotency_key;
        if let Some(body) = self.body {
            let body = body.map_err(|_| invalid("body", "does not encode as JSON"))?;
            request = request.json(&body)?;
        }
        let response = self
            .client
            .inner
            .send_raw(request, &self.options, false)
            .await?;
        decode_answer(self.client, RAW_OPERATION, response, |bytes| {
            // An empty answer (a 204) decodes as JSON `null`: `Value::Null`, `()`,
            // `None`.
            crate::codec::json(if bytes.is_empty() { b"null" } else { bytes })
        })
    }
}

impl<'a, T: DeserializeOwned + Send + 'a> IntoFuture for RawCall<'a, T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<T> fmt::Debug for RawCall<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Query values and the body may be the caller's data: names only.
        let query: Vec<&str> = self.query.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("RawCall")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &query)
            .field("body", &self.body.is_some())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// Why `path` cannot be sent as the path of a request under the base URL.
fn check_path(path: &str) -> Result<(), &'static str> {
    let rest = path
        .strip_prefix('/')
        .ok_or("must start with `/` (it goes under the client's base URL)")?;
    if path.contains(['?', '#']) {
        return Err("must not hold `?` or `#`: set query parameters with `.query(name, value)`");
    }
    if rest
        .split('/')
        .any(|s| s.is_empty() || s == "." || s == "..")
    {
        return Err("must not hold empty, `.` or `..` segments");
    }
    let bytes = path.as_bytes();
    let hex = |at: usize| bytes.get(at).is_some_and(u8::is_ascii_hexdigit);
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte == b'%' && hex(at + 1) && hex(at + 2) {
            at += 3;
            continue;
        }
        if !(byte.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&byte)) {
            return Err("holds a character a URL path cannot (percent-encode it)");
        }
        at += 1;
    }
    Ok(())
}

/// A caller's extra query parameters and top-level body fields on a generated
/// call, added to the request the operation builds.
#[derive(Clone, Debug, Default)]
pub(crate) struct Extras {
    query: Vec<(String, String)>,
    body: Vec<(String, serde_json::Value)>,
}

impl Extras {
    pub(crate) fn query(&mut self, name: String, value: String) {
        self.query.push((name, value));
    }

    pub(crate) fn body_field(&mut self, name: String, value: serde_json::Value) {
        self.body.push((name, value));
    }

    /// Adds the extras to `request` of `operation`, whose typed query parameters
    /// and body fields are `typed_query` and `typed_body`. An extra that collides
    /// with a typed one (or with a key the body already has) fails the call with
    /// [`Error::InvalidArgument`] naming it, before anything is sent.
    pub(crate) fn apply(
        &self,
        request: &mut Request,
        typed_query: &'static [&'static str],
        typed_body: &'static [&'static str],
    ) -> Result<(), Error> {
        let operation = request.operation;
        let invalid = |parameter, reason| Error::InvalidArgument {
            operation,
            parameter,
            reason,
        };
        for (name, _) in &self.query {
            if let Some(typed) = typed_query.iter().find(|typed| *typed == name) {
                return Err(invalid(
                    typed,
                    "is a typed query parameter of this operation: set it with its setter, not as an extra",
                ));
            }
        }
        if !self.query.is_empty() {
            // Generated code puts its own parameters first; the extras follow.
            let mut query = Query::new(&mut request.path_and_query);
            for (name, value) in &self.query {
                query.push(name, [value]);
            }
        }
        if self.body.is_empty() {
            return Ok(());
        }
        let no_object = "this operation sends no JSON object body to add fields to";
        let body = request.body.as_deref().ok_or(invalid("body", no_object))?;
        let mut object: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(body).map_err(|_| invalid("body", no_object))?;
        for (name, value) in &self.body {
            if let Some(typed) = typed_body.iter().find(|typed| *typed == name) {
                return Err(invalid(
                    typed,
                    "is a typed body field of this operation: set it on the body, not as an extra",
                ));
            }
            if object.contains_key(name) {
                return Err(invalid("body", "already has an extra field of that name"));
            }
            object.insert(name.clone(), value.clone());
        }
        request.body = Some(serde_json::to_vec(&object).map_err(|_| invalid("body", no_object))?);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::check_path;

    #[test]
    fn a_path_under_the_base_url_passes_and_escapes_out_of_it_are_refused() {
        assert_eq!(check_path("/projects/p/things/a%2Fb"), Ok(()));
        for bad in [
            "projects/p",
            "/projects/../admin",
            "/projects//p",
            "/p?x=1",
            "/p#f",
            "/p q",
            "/p%zz",
            "/p\r\nHost: evil",
            "//evil.example/p",
        ] {
            assert!(check_path(bad).is_err(), "{bad} passed");
        }
    }
}
