//! `Client` and `ClientBuilder`: configuration and the one function every
//! generated endpoint method sends through.

use crate::error::{Error, decode_reason, excerpt};
use crate::idempotency::{IDEMPOTENCY_KEY, key_for_call};
use crate::request::{RequestOptions, Response};
use crate::retry::{
    Failure, RetryPolicy, is_safe_to_retry, parse_retry_after, takes_idempotency_key,
};
use crate::secret::SecretString;
use crate::transport::{Transport, transport_error};
use crate::types::ApiError;
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, RETRY_AFTER, USER_AGENT,
};
use reqwest::{Method, Url};
use std::borrow::Cow;
use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::time::Instant;
use tracing::Instrument;

/// Where requests go unless [`ClientBuilder::base_url`] says otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.gigs.com";
/// Default time allowed to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for one attempt, from sending to the last body byte.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default time allowed for a whole call: every attempt and every wait between them.
///
/// Two full per-attempt timeouts fit, so a call that hangs once still gets a retry,
/// and a caller waits at most a minute whatever the server does.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(60);
/// Response bodies larger than this are refused instead of read into memory, unless
/// [`ClientBuilder::max_response_bytes`] or the call says otherwise. A page of a list
/// has its own, larger limit: [`DEFAULT_MAX_PAGE_BYTES`].
pub const MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;
/// The default limit on one page of a list ([`ClientBuilder::max_page_bytes`]):
/// room for a page of 100,000 small items (about 7.5 MB) with margin, while a
/// broken server's endless body is still refused before it costs much memory.
pub const DEFAULT_MAX_PAGE_BYTES: usize = 32 * 1024 * 1024;

/// A client for the Gigs Connect Sessions API, bound to one project.
///
/// Cheap to clone: clones share one connection pool. Build it once and reuse it.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = gigs_connect::Client::builder()
///     .project("my-project")
///     .token(std::env::var("GIGS_TOKEN")?)
///     .build()?;
/// let session = client.retrieve_connect_session("csn_0SNlurA049MEWV1GWxpaE5D0t2D6").await?;
/// println!("{}", session.intent.tag());
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    /// What the client is, shared by its clones, and the machinery every call
    /// runs through (`send_raw` and its steps): generated code adds an endpoint
    /// method per operation to `Client` itself, so `Client`'s own inherent
    /// methods are its public API only and every helper lives on `Inner`.
    pub(crate) inner: Arc<Inner>,
}

/// The client's configuration and its sending machinery (see `Client::inner`).
pub(crate) struct Inner {
    /// What carries each attempt: ours, or the caller's client or middleware.
    transport: Transport,
    /// `Authorization` (marked sensitive), `Accept` and `User-Agent`, on every attempt.
    headers: HeaderMap,
    /// The per-attempt timeout of a call that sets none of its own.
    timeout: Duration,
    /// The API token, to scrub from server text the client prints or logs.
    token: SecretString,
    base_url: String,
    project: String,
    retry: RetryPolicy,
    deadline: Duration,
    idempotency_keys: bool,
    max_response_bytes: usize,
    max_page_bytes: usize,
}

impl Client {
    /// A builder; `project` and `token` are required.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The project every request is made for.
    pub fn project(&self) -> &str {
        &self.inner.project
    }

    /// The base URL requests go to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

impl Inner {
    /// The API token, for scrubbing server text (never for printing).
    pub(crate) fn token(&self) -> &str {
        self.token.expose_secret()
    }

    /// The deadline of a call that sets none of its own.
    pub(crate) fn call_deadline(&self) -> Duration {
        self.deadline
    }

    /// Sends with retries; `Ok` for any 2xx with status, headers and the raw body
    /// bytes (empty for 204); `Err(Error::Api / Decode / Transport /
    /// ResponseTooLarge …)` otherwise. Failures that are safe to retry for the
    /// method are retried under the client's [`RetryPolicy`], or the call's
    /// `options` where they override it.
    ///
    /// A `page` of a list is read under the page limit, anything else under the
    /// single-object limit, unless the call sets its own. The whole call runs in
    /// one `tracing` span (`span.rs`) that ends up with its attempts, final status
    /// and Gigs request id.
    pub(crate) async fn send_raw(
        &self,
        request: RawRequest,
        options: &RequestOptions,
        page: bool,
    ) -> Result<Response<Vec<u8>>, Error> {
        let span = crate::span::call(request.operation, &request.method, &request.route);
        let outcome = self
            .send_with_retries(&request, options, page, &span)
            .instrument(span.clone())
            .await;
        crate::span::record_outcome(&span, &outcome);
        outcome
    }

    async fn send_with_retries(
        &self,
        request: &RawRequest,
        options: &RequestOptions,
        page: bool,
        span: &tracing::Span,
    ) -> Result<Response<Vec<u8>>, Error> {
        let (operation, method, path_and_query) =
            (request.operation, &request.method, &request.path_and_query);
        options.check(operation)?;
        let key = key_for_call(
            operation,
            method,
            request.idempotency_key.as_deref(),
            self.idempotency_keys,
        )?;
        let (keyed, key_text) = (key.is_some(), key_text(key.as_ref()));
        let once_only = once_only(request, keyed);
        let unknown_outcome = |error: Error, failure: Failure| {
            outcome_unknown_if(once_only && failure.may_have_applied(), operation, error)
        };
        let url = self.url_for(operation, path_and_query)?;
        let policy = self.retry;
        let max_retries = options.max_retries.unwrap_or(policy.max_retries);
        let deadline = options.deadline.unwrap_or(self.deadline);
        let limit = self.body_limit(options, page);
        // A deadline too far away to represent is no deadline.
        let deadline_at = Instant::now().checked_add(deadline);
        let mut attempts: u32 = 0;
        loop {
            let retry = attempts;
            attempts += 1;
            span.record("attempts", attempts);
            tracing::debug!(operation, %method, path = %path_and_query, retry, "sending request");
            let attempt = self.attempt(request, &url, key.as_ref(), options, limit);
            let outcome = match deadline_at {
                Some(at) => tokio::time::timeout_at(at, attempt).await.map_err(|_| {
                    let error = Error::DeadlineExceeded {
                        operation,
                        deadline,
                        attempts,
                        idempotency_key: key_text.clone(),
                    };
                    // The abandoned attempt may have been sent.
                    unknown_outcome(error, Failure::MaybeSent)
                })?,
                None => attempt.await,
            };
            let mut failed = match outcome {
                Ok(response) => return Ok(response.with_idempotency_key(key_text)),
                Err(failed) => failed,
            };
            failed.error.set_idempotency_key(key_text.clone());
            if retry >= max_retries || !is_safe_to_retry(method, failed.failure, keyed, once_only) {
                return Err(unknown_outcome(failed.error, failed.failure));
            }
            let delay = policy.delay(retry, failed.retry_after);
            if ends_past(delay, deadline_at) {
                // Waiting would only turn this failure into a passed deadline.
                tracing::warn!(
                    operation,
                    delay_ms = delay.as_millis() as u64,
                    error = %failed.error,
                    "not retrying: the wait would end after the call's deadline"
                );
                return Err(unknown_outcome(failed.error, failed.failure));
            }
            // The error's Display is secret-free by construction, so it may be logged.
            tracing::warn!(
                operation,
                retry = retry + 1,
                max_retries,
                delay_ms = delay.as_millis() as u64,
                error = %failed.error,
                "retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// The largest body a call reads: its own limit, else the client's for a
    /// `page` of a list or for a single object.
    fn body_limit(&self, options: &RequestOptions, page: bool) -> usize {
        options.max_response_bytes.unwrap_or(match page {
            true => self.max_page_bytes,
            false => self.max_response_bytes,
        })
    }

    /// The URL of `path_and_query` (already encoded) under the base URL.
    fn url_for(&self, operation: &'static str, path_and_query: &str) -> Result<Url, Error> {
        Url::parse(&format!("{}{path_and_query}", self.base_url)).map_err(|_| {
            Error::InvalidArgument {
                operation,
                parameter: "path",
                reason: "does not make a valid URL under the base URL",
            }
        })
    }

    /// One attempt: build it, hand it to the transport, read the answer.
    async fn attempt(
        &self,
        request: &RawRequest,
        url: &Url,
        key: Option<&HeaderValue>,
        options: &RequestOptions,
        limit: usize,
    ) -> Result<Response<Vec<u8>>, Failed> {
        let outgoing = self.outgoing(request, url, key, options);
        let token = self.token.expose_secret();
        let response = self
            .transport
            .send(request.operation, outgoing, token)
            .await
            .map_err(|sent| Failed::new(sent.error, sent.failure))?;
        self.read_answer(request.operation, response, limit).await
    }

    /// The attempt as it goes out: the operation's header parameters, then the
    /// caller's extra headers, then the client's own (which win), the body and
    /// the per-attempt timeout. Built whole here, so a caller's middleware or
    /// HTTP client sees the `Authorization` and `Idempotency-Key` each attempt carries.
    fn outgoing(
        &self,
        request: &RawRequest,
        url: &Url,
        key: Option<&HeaderValue>,
        options: &RequestOptions,
    ) -> reqwest::Request {
        let mut headers = request.headers.clone();
        for (name, value) in &options.headers {
            headers.append(name.clone(), value.clone());
        }
        for name in [AUTHORIZATION, CONTENT_TYPE, IDEMPOTENCY_KEY] {
            headers.remove(name);
        }
        for (name, value) in &self.headers {
            if name == AUTHORIZATION || !headers.contains_key(name) {
                headers.insert(name.clone(), value.clone());
            }
        }
        if let Some(key) = key {
            headers.insert(IDEMPOTENCY_KEY, key.clone());
        }
        let mut outgoing = reqwest::Request::new(request.method.clone(), url.clone());
        if let Some(body) = &request.body {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            *outgoing.body_mut() = Some(body.clone().into());
        }
        *outgoing.headers_mut() = headers;
        *outgoing.timeout_mut() = Some(options.timeout.unwrap_or(self.timeout));
        outgoing
    }

    /// Reads the body under the size limit; a 2xx is returned as bytes, anything
    /// else decoded as the Gigs error envelope.
    async fn read_answer(
        &self,
        operation: &'static str,
        response: reqwest::Response,
        limit: usize,
    ) -> Result<Response<Vec<u8>>, Failed> {
        let status = response.status();
        let mut headers = response.headers().clone();
        // A header may carry what must never be logged (a session url in a
        // `Location`, say): sensitive values read as usual but show as `Sensitive`
        // in `Debug`, so neither a `Response` nor an `Error` can print them.
        for value in headers.values_mut() {
            value.set_sensitive(true);
        }
        let bytes = read_limited(response, limit).await.map_err(|e| match e {
            ReadError::Transport(source) => {
                Failed::new(transport_error(operation, source), Failure::MaybeSent)
            }
            ReadError::TooLarge => Failed::new(
                Error::ResponseTooLarge {
                    operation,
                    status: status.as_u16(),
                    limit,
                    headers: Box::new(headers.clone()),
                    idempotency_key: None,
                },
                Failure::Status(status.as_u16()),
            ),
        })?;
        tracing::debug!(
            operation,
            status = status.as_u16(),
            bytes = bytes.len(),
            "received response"
        );
        if status.is_success() {
            return Ok(Response::new(status, headers, bytes));
        }
        Err(self.failure(operation, status.as_u16(), headers, &bytes))
    }

    /// A non-2xx answer as an error: the Gigs envelope when it is one, scrubbed.
    fn failure(
        &self,
        operation: &'static str,
        status: u16,
        headers: HeaderMap,
        bytes: &[u8],
    ) -> Failed {
        // Read only on failures: nothing in a successful answer may fail the call.
        let retry_after = headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let token = Some(self.token.expose_secret());
        // Server text goes into Display, Debug and the "retrying" log: scrubbed here,
        // once, whatever the server echoed (our token, a session url).
        let error = match crate::codec::json::<ApiError>(bytes) {
            Ok(error) => Error::Api {
                operation,
                status,
                error: Box::new(crate::scrub::serialized(error, token)),
                headers: Box::new(headers),
                idempotency_key: None,
            },
            Err(reason) => Error::Decode {
                operation,
                status,
                reason: decode_reason(&format!("not a Gigs error envelope: {reason}"), token),
                excerpt: excerpt(bytes, token),
                headers: Box::new(headers),
                idempotency_key: None,
            },
        };
        Failed {
            error,
            failure: Failure::Status(status),
            retry_after,
        }
    }
}

/// One request as generated code builds it (`call.rs` has its builder methods) and
/// hands it to `Inner::send_raw`. Public only because the hidden
/// `Operation::request` returns it; nothing outside the crate can build one.
#[doc(hidden)]
pub struct RawRequest {
    /// The operationId, for errors and tracing.
    pub(crate) operation: &'static str,
    /// The route template (`/projects/{project}/connectSessions/{id}`), for tracing.
    pub(crate) route: Cow<'static, str>,
    pub(crate) method: Method,
    /// Already percent-encoded, e.g. `/projects/p/things?limit=3`.
    pub(crate) path_and_query: String,
    /// The operation's header parameters.
    pub(crate) headers: HeaderMap,
    /// JSON bytes, sent with `Content-Type: application/json`.
    pub(crate) body: Option<Vec<u8>>,
    /// The caller's `Idempotency-Key` for this call, set by `Call`.
    pub(crate) idempotency_key: Option<String>,
    /// Whether the body sets a property Gigs accepts only once (`SET_ONCE`).
    pub(crate) set_once: bool,
}

/// A failed attempt and what it says about retrying.
struct Failed {
    error: Error,
    failure: Failure,
    retry_after: Option<Duration>,
}

impl Failed {
    fn new(error: Error, failure: Failure) -> Self {
        Failed {
            error,
            failure,
            retry_after: None,
        }
    }
}

/// Whether a wait of `delay` from now ends at or after `deadline_at` (if any).
fn ends_past(delay: Duration, deadline_at: Option<Instant>) -> bool {
    deadline_at.is_some_and(|at| {
        Instant::now()
            .checked_add(delay)
            .is_none_or(|end| end >= at)
    })
}

/// Whether `request` may not be repeated once it may have reached Gigs: it sets a
/// property Gigs accepts once, and no idempotency key (`keyed`, on a method that
/// takes one) makes Gigs answer a repeat with the first result.
fn once_only(request: &RawRequest, keyed: bool) -> bool {
    request.set_once && !(keyed && takes_idempotency_key(&request.method))
}

/// `error` as [`Error::OutcomeUnknown`] when `unknown`, else as it is.
fn outcome_unknown_if(unknown: bool, operation: &'static str, error: Error) -> Error {
    match unknown {
        true => Error::OutcomeUnknown {
            operation,
            source: Box::new(error),
        },
        false => error,
    }
}

/// A key as the text an error or a response gives back.
fn key_text(key: Option<&HeaderValue>) -> Option<String> {
    key.and_then(|key| key.to_str().ok()).map(str::to_owned)
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("project", &self.inner.project)
            .field("token", &"[redacted]")
            .finish()
    }
}

enum ReadError {
    Transport(reqwest::Error),
    TooLarge,
}

/// Reads the body, refusing to hold more than `limit` bytes.
async fn read_limited(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, ReadError> {
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(ReadError::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Transport)? {
        if body.len() + chunk.len() > limit {
            return Err(ReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Configures a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    project: Option<String>,
    token: Option<SecretString>,
    base_url: Option<String>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    retry: RetryPolicy,
    no_idempotency_keys: bool,
    max_response_bytes: Option<usize>,
    max_page_bytes: Option<usize>,
    /// The caller's HTTP client or middleware; `None`: the client builds its own.
    transport: Option<Transport>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("project", &self.project)
            .field("token", &self.token)
            .field("base_url", &self.base_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("retry", &self.retry)
            .field("idempotency_keys", &!self.no_idempotency_keys)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("max_page_bytes", &self.max_page_bytes)
            .field("transport", &self.transport)
            .finish()
    }
}

impl ClientBuilder {
    /// The project requests are made for (required). API keys are scoped to one project.
    pub fn project(mut self, project: impl Into<String>) -> Self {
        self.project = Some(project.into());
        self
    }

    /// The API key, sent as `Authorization: Bearer <token>` (required). Never logged.
    pub fn token(mut self, token: impl Into<SecretString>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Where requests go; default [`DEFAULT_BASE_URL`]. Must be `https`, except for
    /// loopback hosts (`127.0.0.1`, `[::1]`, `localhost`), which may use `http` for tests.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Time allowed to establish a connection; default [`DEFAULT_CONNECT_TIMEOUT`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for each attempt, from sending to the last body byte; default
    /// [`DEFAULT_TIMEOUT`]. An attempt that runs past it fails with
    /// [`Error::Transport`] (`is_timeout()`), which is retried like a lost connection.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed for a whole call: every attempt and every wait between them;
    /// default [`DEFAULT_DEADLINE`]. When it passes, the attempt under way is
    /// abandoned and the call fails with [`Error::DeadlineExceeded`]; a retry whose
    /// wait would end after it is not attempted. `Duration::MAX` means none.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Whether each `POST` and `DELETE` call carries a fresh `Idempotency-Key`
    /// (default: yes), the same one on each of its retries.
    ///
    /// On by default because it is what makes a create safe to retry: Gigs stores
    /// the first successful answer to a key for 24 hours and answers a repeat with
    /// it, so a create whose answer was lost (reset connection, timeout, 502/503/504)
    /// is retried without making a second session. Gigs accepts the header on every
    /// `POST` and `DELETE`. (An older version of Gigs' docs called idempotency keys a
    /// private beta in which an unexpected key failed the request; that is no longer
    /// so.) Switch it off only for a gateway that refuses the header: creates are then
    /// retried only when the connection was never made. A key given per call with
    /// [`Call::idempotency_key`](crate::Call::idempotency_key) is sent either way. The table of what is
    /// retried is on [`RetryPolicy`].
    pub fn idempotency_keys(mut self, on: bool) -> Self {
        self.no_idempotency_keys = !on;
        self
    }

    /// How failed requests are retried; default [`RetryPolicy::default`] (up to
    /// [`DEFAULT_MAX_RETRIES`](crate::DEFAULT_MAX_RETRIES) retries, exponential backoff
    /// with full jitter capped at [`DEFAULT_BACKOFF_CAP`](crate::DEFAULT_BACKOFF_CAP)).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Retries after the first attempt (0 turns retrying off); other settings of the
    /// retry policy stay as they are.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.retry.max_retries = max_retries;
        self
    }

    /// The largest response body read for a single object (anything but a page of
    /// a list); default [`MAX_RESPONSE_BYTES`] (4 MiB). A larger one fails the call
    /// with [`Error::ResponseTooLarge`] without being read to its end.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// The largest page of a list read, apart from the single-object limit;
    /// default [`DEFAULT_MAX_PAGE_BYTES`] (32 MiB). A larger page fails with
    /// [`Error::ResponseTooLarge`]. A call's own
    /// [`max_response_bytes`](crate::RequestOptions::max_response_bytes) overrides
    /// both.
    pub fn max_page_bytes(mut self, limit: usize) -> Self {
        self.max_page_bytes = Some(limit);
        self
    }

    /// Sends every request through `client`, your own `reqwest::Client` (its TLS
    /// roots, proxy, connection pool, DNS), instead of one this builder makes.
    ///
    /// What still applies: the base URL and its checks, authentication, the
    /// per-attempt [`timeout`](Self::timeout) (set on each request, so it wins over
    /// `client`'s own), the [`deadline`](Self::deadline), retries, idempotency
    /// keys, size limits and scrubbing. What no longer applies, because it lives in
    /// the `reqwest::Client`: [`connect_timeout`](Self::connect_timeout), this
    /// crate's TLS features (your client's TLS is used; a build without a TLS
    /// feature of ours can then reach `https`), and the redirect policy: ours
    /// follows none, reqwest's default follows up to 10, so build yours with
    /// `.redirect(reqwest::redirect::Policy::none())` to keep a redirect from
    /// being followed. `client`'s default headers are sent too, but never in place
    /// of `Authorization`. Replaces an earlier `middleware` (feature `middleware`).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.transport = Some(Transport::Reqwest(client));
        self
    }

    /// Sends every request through a [`reqwest_middleware`] stack of yours
    /// (`reqwest-tracing`'s trace-context propagation, caching, your own auth
    /// refresh), with everything [`http_client`](Self::http_client) says: the same
    /// settings apply, and the same ones are left to the stack's client.
    ///
    /// Our retry, deadline and idempotency layer runs above yours: your
    /// middleware sees each attempt once, as it goes out, with its
    /// `Authorization` and `Idempotency-Key` headers, and may add or change
    /// headers. Above, because a retry must resend the same idempotency key and
    /// stay within the call's deadline, which only this layer knows; and because a
    /// span or a header your middleware adds then describes one real attempt.
    /// Leave retries out of the stack (`reqwest-retry`): they would multiply
    /// ours. An error your middleware returns fails the attempt with
    /// [`Error::Middleware`], retried as a request that may have been sent.
    /// Replaces an earlier [`http_client`](Self::http_client).
    #[cfg(feature = "middleware")]
    #[cfg_attr(docsrs, doc(cfg(feature = "middleware")))]
    pub fn middleware(mut self, client: reqwest_middleware::ClientWithMiddleware) -> Self {
        self.transport = Some(Transport::Middleware(client));
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let config = |reason: &str| Error::Config {
            reason: reason.to_owned(),
        };
        let project = self
            .project
            .filter(|p| !p.is_empty())
            .ok_or_else(|| config("`project` is required"))?;
        let token = self
            .token
            .filter(|t| !t.expose_secret().is_empty())
            .ok_or_else(|| config("`token` is required"))?;
        let base_url = check_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let mut authorization = HeaderValue::from_str(&format!("Bearer {}", token.expose_secret()))
            .map_err(|_| config("`token` contains characters not allowed in an HTTP header"))?;
        // Keeps the header out of reqwest's and hyper's own debug output.
        authorization.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, authorization);
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(
            USER_AGENT,
            HeaderValue::from_static(concat!("gigs-connect-rust/", env!("CARGO_PKG_VERSION"))),
        );
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let transport = match self.transport {
            Some(transport) => transport,
            None => Transport::Reqwest(
                crate::tls::configure(reqwest::Client::builder(), &base_url)?
                    .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                    .timeout(timeout)
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .map_err(|e| Error::Config {
                        reason: format!("HTTP client: {}", e.without_url()),
                    })?,
            ),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                headers,
                timeout,
                token,
                base_url,
                project,
                retry: self.retry,
                deadline: self.deadline.unwrap_or(DEFAULT_DEADLINE),
                idempotency_keys: !self.no_idempotency_keys,
                max_response_bytes: self.max_response_bytes.unwrap_or(MAX_RESPONSE_BYTES),
                max_page_bytes: self.max_page_bytes.unwrap_or(DEFAULT_MAX_PAGE_BYTES),
            }),
        })
    }
}

/// `https` anywhere, `http` only on loopback; no credentials, query or fragment.
///
/// Errors never quote the URL whole: a misplaced token in its userinfo or query
/// must not reach a log through them.
fn check_base_url(raw: &str) -> Result<String, Error> {
    let config = |reason: String| Error::Config { reason };
    let url = Url::parse(raw).map_err(|e| config(format!("base URL is not a URL: {e}")))?;
    if url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(config(
            "base URL must not carry credentials, a query or a fragment".to_owned(),
        ));
    }
    let loopback = match url.host() {
        Some(url::Host::Domain(domain)) => domain == "localhost",
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => return Err(config(format!("base URL {url} has no host"))),
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        scheme => {
            return Err(config(format!(
                "base URL {url} uses `{scheme}`; only `https` is allowed (and `http` for loopback hosts)"
            )));
        }
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}
