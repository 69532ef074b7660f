//! `Call`: the request builder every generated endpoint method returns. It carries
//! the operation's own parameters (set by generated setters) and the per-call
//! options, and sends when awaited; `Pager` walks a list endpoint page by page.

use crate::client::Client;
use crate::error::{Error, PaginationStop, decode_reason, excerpt};
use crate::raw::Extras;
use crate::request::{RequestOptions, Response};
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::{Future, IntoFuture};
use std::hash::{BuildHasher, RandomState};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Instant;

/// One API operation as generated code describes it: how to build its request
/// and how to read its success body. Implemented only by the generated request
/// types in [`operations`](crate::operations).
pub trait Operation: sealed::Sealed + Send + Sync {
    /// What a successful call returns (`()` for an answer without content).
    type Output: Send;

    /// The spec's operationId, for errors and tracing.
    #[doc(hidden)]
    const ID: &'static str;

    /// The spec's path, `{name}` placeholders and all, for the call's span.
    #[doc(hidden)]
    const ROUTE: &'static str;

    /// The wire names of its typed query parameters, which an extra query
    /// parameter may not take.
    #[doc(hidden)]
    const QUERY_PARAMS: &'static [&'static str] = &[];

    /// The top-level wire names of its typed body, which an extra body field may
    /// not take.
    #[doc(hidden)]
    const BODY_FIELDS: &'static [&'static str] = &[];

    /// Whether its answer is a page of a list, read under the client's page limit.
    #[doc(hidden)]
    const PAGE: bool = false;

    /// The body's properties Gigs accepts only once (`x-gigs-set-once` in the
    /// spec): a request that sets one is not repeated after it may have reached
    /// Gigs.
    #[doc(hidden)]
    const SET_ONCE: &'static [&'static str] = &[];

    /// The method, encoded path and query, headers and body of the request.
    #[doc(hidden)]
    fn request(&self, client: &Client) -> Result<Request, Error>;

    /// Decodes a success body; the error names the field that failed.
    #[doc(hidden)]
    fn decode(body: &[u8]) -> Result<Self::Output, String>;
}

/// A list operation in the Gigs convention: its answer is a page of `items` with a
/// `moreItemsAfter` cursor, and its `after` parameter asks for the next page; a
/// list with `moreItemsBefore` and `before` walks backward too.
pub trait Paginated: Operation {
    /// One item of a page.
    type Item: Send;

    /// The page's items and the cursor of the next page (`None` at the end).
    #[doc(hidden)]
    fn into_items(page: Self::Output) -> (Vec<Self::Item>, Option<String>);

    /// Asks for the page after `cursor`.
    #[doc(hidden)]
    fn set_after(&mut self, cursor: String);

    /// Whether a walk from this request goes backward: the list has a
    /// `moreItemsBefore` cursor and a `before` parameter, and `before` is set.
    #[doc(hidden)]
    fn walks_backward(&self) -> bool {
        false
    }

    /// The page's items and the cursor of the page before it (`moreItemsBefore`;
    /// `None` at the start). Called only when [`walks_backward`](Self::walks_backward).
    #[doc(hidden)]
    fn into_items_before(page: Self::Output) -> (Vec<Self::Item>, Option<String>) {
        (Self::into_items(page).0, None)
    }

    /// Asks for the page before `cursor`. Called only when
    /// [`walks_backward`](Self::walks_backward), which a list without `before`
    /// never does.
    #[doc(hidden)]
    fn set_before(&mut self, _cursor: String) {}
}

/// An operation's HTTP request as generated code builds it: the runtime adds
/// authentication, idempotency and per-call options when it sends it.
pub use crate::client::RawRequest as Request;

impl Request {
    /// A request without body or header parameters; `path_and_query` is encoded.
    pub(crate) fn new(operation: &'static str, method: Method, path_and_query: String) -> Self {
        Request {
            operation,
            route: std::borrow::Cow::Borrowed(""),
            method,
            path_and_query,
            headers: HeaderMap::new(),
            body: None,
            idempotency_key: None,
            set_once: false,
        }
    }

    /// Sends `body` as JSON.
    pub(crate) fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self, Error> {
        let encoded = serde_json::to_vec(body).map_err(|e| Error::Config {
            reason: format!(
                "{}: request body does not encode as JSON: {e}",
                self.operation
            ),
        })?;
        self.body = Some(encoded);
        Ok(self)
    }

    #[allow(
        dead_code,
        reason = "generated code uses it once the spec has an optional request body; the wider-api fixture crate does"
    )]
    /// Sends `body` as JSON when it is set, and no body (nor `Content-Type`) when not.
    pub(crate) fn json_if_set<B: Serialize + ?Sized>(
        self,
        body: Option<&B>,
    ) -> Result<Self, Error> {
        match body {
            Some(body) => self.json(body),
            None => Ok(self),
        }
    }

    #[allow(
        dead_code,
        reason = "generated code uses it once the spec has header parameters; the wider-api fixture crate does"
    )]
    /// Sends header parameter `name` once per value (none for an unset optional one).
    pub(crate) fn header<'v, T: fmt::Display + 'v>(
        mut self,
        name: &'static str,
        values: impl IntoIterator<Item = &'v T>,
    ) -> Result<Self, Error> {
        let invalid = |reason| Error::InvalidArgument {
            operation: self.operation,
            parameter: name,
            reason,
        };
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| invalid("is not a valid header name"))?;
        for value in values {
            let value = HeaderValue::try_from(value.to_string()).map_err(|_| {
                invalid("is not a valid header value (control characters or non-ASCII)")
            })?;
            self.headers.append(header.clone(), value);
        }
        Ok(self)
    }
}

pub(crate) mod sealed {
    /// Keeps [`Operation`](super::Operation) to the generated request types.
    pub trait Sealed {}
}

/// A request that is sent when awaited: `client.retrieve_connect_session(id).await?`.
///
/// Before awaiting, optional parameters (generated setters such as `.limit(20)`)
/// and per-call options can be set:
///
/// ```no_run
/// # async fn run(client: gigs_connect::Client, body: gigs_connect::types::CreateConnectSessionRequest) -> Result<(), gigs_connect::Error> {
/// use std::time::Duration;
/// let session = client
///     .create_connect_session(&body)
///     .idempotency_key("order-42-connect") // the same key on every retry
///     .deadline(Duration::from_secs(20)) // attempts and backoff together
///     .with_response() // the status and headers too
///     .await?;
/// println!("{} {}", session.status(), session.value().id);
/// # Ok(())
/// # }
/// ```
#[must_use = "a request does nothing until it is awaited"]
pub struct Call<'a, O> {
    client: &'a Client,
    operation: O,
    options: RequestOptions,
    extras: Extras,
    /// This call's own `Idempotency-Key`: never part of `options`, which may be
    /// shared by many calls.
    idempotency_key: Option<String>,
}

impl<'a, O: Operation> Call<'a, O> {
    /// A call of `operation` on `client` with the client's settings.
    pub(crate) fn new(client: &'a Client, operation: O) -> Self {
        Call {
            client,
            operation,
            options: RequestOptions::default(),
            extras: Extras::default(),
            idempotency_key: None,
        }
    }

    #[allow(
        dead_code,
        reason = "generated setters use it once the spec has optional parameters; the wider-api fixture crate does"
    )]
    /// The operation's parameters, for the generated setters.
    pub(crate) fn operation_mut(&mut self) -> &mut O {
        &mut self.operation
    }

    /// The idempotency key for this call (POST and DELETE), instead of a generated
    /// one: the same key on a later call (after a restart, say) gets the stored first
    /// answer instead of doing the work twice. Gigs (and the mock) answer a repeated
    /// key with the first call's result for 24 hours, so a key belongs to one
    /// request: never reuse it for a different one (another user's create would get
    /// the first user's session and `url`). At most 255 visible ASCII characters, or
    /// the call fails with [`Error::InvalidArgument`] before sending.
    /// [`Response::idempotency_key`] and [`Error::idempotency_key`] give back the
    /// key that was sent, generated or not.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Time allowed for each attempt, instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options = self.options.timeout(timeout);
        self
    }

    /// Time allowed for the whole call, every attempt and wait included, instead
    /// of the client's.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.options = self.options.deadline(deadline);
        self
    }

    /// Retries after the first attempt (0: none), instead of the client's.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.options = self.options.max_retries(max_retries);
        self
    }

    /// The largest response body this call reads (each page, for a walk), instead
    /// of the client's; see [`RequestOptions::max_response_bytes`].
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.options = self.options.max_response_bytes(limit);
        self
    }

    /// An extra header on this call's requests: a [`HeaderName`](crate::HeaderName)
    /// and a [`HeaderValue`](crate::HeaderValue), the `http` crate's types that
    /// reqwest uses, re-exported at this crate's root. A header the client sets
    /// itself (`Authorization`, `Content-Type`, `Idempotency-Key`) is not replaced. A header that frames the message or the connection
    /// (`content-length`, `host`, …, as on [`RequestOptions::header`]) fails the call
    /// with [`Error::InvalidArgument`] before anything is sent.
    ///
    /// ```
    /// use gigs_connect::{HeaderName, HeaderValue};
    ///
    /// # async fn run(client: gigs_connect::Client) -> Result<(), gigs_connect::Error> {
    /// let session = client
    ///     .retrieve_connect_session("csn_0SNlurA049MEWV1GWxpaE5D0t2D6")
    ///     .header(
    ///         HeaderName::from_static("x-request-source"),
    ///         HeaderValue::from_static("checkout"),
    ///     )
    ///     .await?;
    /// # let _ = session;
    /// # Ok(())
    /// # }
    /// ```
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.options = self.options.header(name, value);
        self
    }

    /// An extra query parameter, `name=value` (both percent-encoded) after the
    /// operation's own, for a parameter Gigs accepts before this crate's spec has
    /// it; repeat it for several values. A name the operation has a typed
    /// parameter for fails the call with [`Error::InvalidArgument`] naming it,
    /// before anything is sent. On a list walk, every page carries it.
    pub fn extra_query(mut self, name: impl Into<String>, value: impl fmt::Display) -> Self {
        self.extras.query(name.into(), value.to_string());
        self
    }

    /// An extra top-level field in the JSON body, for a field Gigs accepts before
    /// this crate's spec has it. A name the body's type has a field for (set or
    /// not), a name given twice, or an operation without a JSON object body fails
    /// the call with [`Error::InvalidArgument`], before anything is sent.
    ///
    /// ```
    /// # async fn run(client: gigs_connect::Client, body: gigs_connect::types::CreateConnectSessionRequest) -> Result<(), gigs_connect::Error> {
    /// let session = client
    ///     .create_connect_session(&body)
    ///     .extra_body_field("locale", serde_json::json!("de-DE"))
    ///     .await?;
    /// # let _ = session;
    /// # Ok(())
    /// # }
    /// ```
    pub fn extra_body_field(mut self, name: impl Into<String>, value: serde_json::Value) -> Self {
        self.extras.body_field(name.into(), value);
        self
    }

    /// Replaces this call's options with `options` (built once, used for many calls).
    /// The call's [`idempotency_key`](Self::idempotency_key) is its own and stays.
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// Sends the request and returns the decoded answer; the same as awaiting the call.
    pub async fn send(self) -> Result<O::Output, Error> {
        self.with_response().await.map(Response::into_value)
    }

    /// Sends the request and returns the decoded answer with its HTTP status and
    /// headers (to log a request id, say).
    pub async fn with_response(self) -> Result<Response<O::Output>, Error> {
        let key = self.idempotency_key.as_deref();
        send(
            self.client,
            &self.operation,
            &self.options,
            &self.extras,
            key,
        )
        .await
    }
}

impl<'a, O: Paginated + 'a> Call<'a, O> {
    /// Every item of the list from this call's page on, fetched a page at a time
    /// as they are consumed: `while let Some(item) = pager.next().await { … }`,
    /// or as a [`Stream`](futures_core::Stream).
    pub fn items(self) -> Pager<'a, O> {
        Pager {
            client: self.client,
            operation: Some(self.operation),
            options: self.options,
            extras: self.extras,
            buffered: VecDeque::new(),
            in_flight: None,
            stuck: None,
            seen_cursors: HashSet::new(),
            cursor_hasher: RandomState::new(),
            empty_in_a_row: 0,
            max_empty_pages: DEFAULT_MAX_EMPTY_PAGES,
            max_pages: DEFAULT_MAX_PAGES,
            deadline: None,
            deadline_at: None,
            max_items: None,
            pages: 0,
            yielded: 0,
            last_headers: None,
        }
    }
}

impl<'a, O> IntoFuture for Call<'a, O>
where
    O: Operation + 'a,
{
    type Output = Result<O::Output, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<O: fmt::Debug> fmt::Debug for Call<'_, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("operation", &self.operation)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// One request: build, send (with the client's retries), decode.
async fn send<O: Operation>(
    client: &Client,
    operation: &O,
    options: &RequestOptions,
    extras: &Extras,
    idempotency_key: Option<&str>,
) -> Result<Response<O::Output>, Error> {
    let mut request = operation.request(client)?;
    request.route = O::ROUTE.into();
    extras.apply(&mut request, O::QUERY_PARAMS, O::BODY_FIELDS)?;
    request.idempotency_key = idempotency_key.map(str::to_owned);
    request.set_once = sets_any(request.body.as_deref(), O::SET_ONCE);
    let response = client.inner.send_raw(request, options, O::PAGE).await?;
    decode_answer(client, O::ID, response, O::decode)
}

/// A success body decoded with `decode`, or the `Error::Decode` saying why not.
pub(crate) fn decode_answer<T>(
    client: &Client,
    operation: &'static str,
    response: Response<Vec<u8>>,
    decode: impl FnOnce(&[u8]) -> Result<T, String>,
) -> Result<Response<T>, Error> {
    let status = response.status().as_u16();
    let body = response.value();
    match decode(body) {
        Ok(value) => Ok(response.map(|_| value)),
        Err(reason) => Err(Error::Decode {
            operation,
            status,
            // A decode error may quote what it failed on: server text, scrubbed
            // and cut short.
            reason: decode_reason(&reason, Some(client.inner.token())),
            excerpt: excerpt(body, Some(client.inner.token())),
            headers: Box::new(response.headers().clone()),
            idempotency_key: response.idempotency_key().map(str::to_owned),
        }),
    }
}

/// Whether a JSON `body` sets (holds, not as `null`) any of the top-level
/// properties `keys`.
fn sets_any(body: Option<&[u8]>, keys: &[&str]) -> bool {
    if keys.is_empty() {
        return false;
    }
    let Some(body) = body else {
        return false;
    };
    match serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(body) {
        Ok(object) => keys
            .iter()
            .any(|key| object.get(*key).is_some_and(|value| !value.is_null())),
        // The client encoded it; if it is not an object, be safe: assume it sets one.
        Err(_) => true,
    }
}

type PageFuture<'a, O> = Pin<
    Box<dyn Future<Output = (O, Result<Response<<O as Operation>::Output>, Error>)> + Send + 'a>,
>;

/// Pages without items allowed in a row before a [`Pager`] stops the walk
/// ([`Pager::max_empty_pages`]).
pub const DEFAULT_MAX_EMPTY_PAGES: u32 = 10;

/// Pages a [`Pager`] fetches in one walk before it stops
/// ([`Pager::max_pages`]): it bounds the set of cursors the walk remembers (one
/// 64-bit hash per page, under 4 MiB at this bound) and, with the page size
/// limit, what [`Pager::collect`] can gather.
pub const DEFAULT_MAX_PAGES: u64 = 100_000;

/// The items of a list endpoint, across pages: it asks for the next page (with
/// `after` set to the last page's `moreItemsAfter`) only when the items it holds
/// run out, stops after the last page, and ends after yielding an error.
///
/// A walk from a call with `.before(cursor)` goes backward, on a list that has
/// `moreItemsBefore`: it follows `moreItemsBefore` with `before`, yields the
/// items nearest the cursor first (each page reversed, so the list's order
/// reversed), and stops at the list's start, under the same guards as a forward walk.
///
/// A walk that makes no progress ends with [`Error::Pagination`] instead of
/// running for ever: a cursor the server already gave in this walk
/// ([`PaginationStop::RepeatedCursor`]; the pager keeps a 64-bit hash per page,
/// not the cursors), or [`max_empty_pages`](Self::max_empty_pages) pages without
/// items in a row. The remembered cursors are bounded: a walk ends with
/// [`PaginationStop::PageLimit`] after [`max_pages`](Self::max_pages) pages
/// ([`DEFAULT_MAX_PAGES`] by default). [`deadline`](Self::deadline) and
/// [`max_items`](Self::max_items) bound the whole walk further. Each page is read under the client's page limit
/// ([`ClientBuilder::max_page_bytes`](crate::ClientBuilder::max_page_bytes)).
#[must_use = "a pager fetches nothing until it is polled"]
pub struct Pager<'a, O: Paginated> {
    client: &'a Client,
    /// The request for the next page; `None` after the last page or an error.
    operation: Option<O>,
    options: RequestOptions,
    extras: Extras,
    buffered: VecDeque<O::Item>,
    in_flight: Option<PageFuture<'a, O>>,
    /// An error to yield once the buffered items are out.
    stuck: Option<Error>,
    /// Hashes of every cursor the server gave in this walk.
    seen_cursors: HashSet<u64>,
    cursor_hasher: RandomState,
    empty_in_a_row: u32,
    max_empty_pages: u32,
    max_pages: u64,
    deadline: Option<Duration>,
    /// When the walk's deadline passes, set when the first page is asked for.
    deadline_at: Option<Instant>,
    max_items: Option<u64>,
    pages: u64,
    yielded: u64,
    /// The headers of the last page, for an error that stops the walk.
    last_headers: Option<HeaderMap>,
}

impl<'a, O: Paginated + 'a> Pager<'a, O> {
    /// Time allowed for the whole walk, from the first page's request: when it
    /// passes, the page under way is abandoned and the walk ends with
    /// [`PaginationStop::Deadline`] (`is_timeout()`). Default: none (each page
    /// still has the call's own deadline).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The most items the walk yields: once `cap` are out and the list has more,
    /// the walk ends with [`PaginationStop::ItemCap`]. A list that ends at the cap
    /// ends as usual. Default: none.
    pub fn max_items(mut self, cap: u64) -> Self {
        self.max_items = Some(cap);
        self
    }

    /// Pages without items allowed in a row, each with a further cursor, before
    /// the walk ends with [`PaginationStop::EmptyPages`]; default
    /// [`DEFAULT_MAX_EMPTY_PAGES`]. Only empty pages count, and a page with items
    /// resets the count: with 0, the first empty page with a further cursor ends
    /// the walk, and pages with items go on.
    pub fn max_empty_pages(mut self, limit: u32) -> Self {
        self.max_empty_pages = limit;
        self
    }

    /// The most pages the walk fetches: when the last of them still has a further
    /// cursor, the walk ends with [`PaginationStop::PageLimit`]. Default
    /// [`DEFAULT_MAX_PAGES`]; it bounds the cursors the walk remembers.
    pub fn max_pages(mut self, limit: u64) -> Self {
        self.max_pages = limit;
        self
    }

    /// The next item, fetching the next page when needed; `None` at the end.
    pub async fn next(&mut self) -> Option<Result<O::Item, Error>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    /// Every remaining item, or the first error. The walk's bounds apply: at most
    /// [`max_pages`](Self::max_pages) pages, each under the page size limit; set
    /// [`max_items`](Self::max_items) for a tighter one.
    pub async fn collect(mut self) -> Result<Vec<O::Item>, Error> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }

    /// The error that ends the walk for `stop`; the walk asks for no more pages.
    fn stop(&mut self, stop: PaginationStop) -> Error {
        self.operation = None;
        self.in_flight = None;
        Error::Pagination {
            operation: O::ID,
            stop,
            pages: self.pages,
            // The items still held are yielded before this error.
            items: self.yielded + self.buffered.len() as u64,
            headers: self.last_headers.take().map(Box::new),
        }
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<O::Item, Error>>> {
        loop {
            if let Some(cap) = self.max_items
                && self.yielded >= cap
            {
                return Poll::Ready(self.end_at_item_cap(cap));
            }
            if let Some(item) = self.buffered.pop_front() {
                self.yielded += 1;
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(error) = self.stuck.take() {
                return Poll::Ready(Some(Err(error)));
            }
            if self.in_flight.is_none() {
                let Some(operation) = self.operation.take() else {
                    return Poll::Ready(None);
                };
                self.request_page(operation);
            }
            let in_flight = self
                .in_flight
                .as_mut()
                .expect("a page request was just set");
            let (operation, page) = std::task::ready!(in_flight.as_mut().poll(cx));
            self.in_flight = None;
            match self.stop_at_walk_deadline(page) {
                Ok(page) => self.take_page(operation, page),
                Err(error) => return Poll::Ready(Some(Err(error))),
            }
        }
    }

    /// Ends the walk once `cap` items are out: the items still held are dropped,
    /// and [`PaginationStop::ItemCap`] is yielded only if the list had more (an
    /// error already waiting is yielded instead).
    fn end_at_item_cap(&mut self, cap: u64) -> Option<Result<O::Item, Error>> {
        let more_left = !self.buffered.is_empty() || self.operation.is_some();
        self.buffered.clear();
        self.in_flight = None;
        if more_left && self.stuck.is_none() {
            self.stuck = Some(self.stop(PaginationStop::ItemCap { cap }));
        }
        self.operation = None;
        self.stuck.take().map(Err)
    }

    /// Sends the request for the next page, under what is left of the walk's
    /// deadline (which starts with the first page).
    fn request_page(&mut self, operation: O) {
        let (client, mut options) = (self.client, self.options.clone());
        let extras = self.extras.clone();
        if let Some(deadline) = self.deadline
            && self.deadline_at.is_none()
        {
            // A deadline too far away to represent is no deadline.
            self.deadline_at = Instant::now().checked_add(deadline);
        }
        if let Some(at) = self.deadline_at {
            // No page outlives the walk: its own deadline is what is left.
            let left = at.saturating_duration_since(Instant::now());
            let own = options.deadline.unwrap_or(client.inner.call_deadline());
            options.deadline = Some(own.min(left));
        }
        self.in_flight = Some(Box::pin(async move {
            let page = send(client, &operation, &options, &extras, None).await;
            (operation, page)
        }));
    }

    /// A page's error as the walk reports it: a page cut short because the walk's
    /// deadline passed ends the walk with [`PaginationStop::Deadline`].
    fn stop_at_walk_deadline(
        &mut self,
        page: Result<Response<O::Output>, Error>,
    ) -> Result<Response<O::Output>, Error> {
        match page {
            Err(Error::DeadlineExceeded { .. })
                if self.deadline_at.is_some_and(|at| Instant::now() >= at) =>
            {
                let deadline = self.deadline.unwrap_or_default();
                Err(self.stop(PaginationStop::Deadline { deadline }))
            }
            page => page,
        }
    }

    /// Buffers a page's items and, when it has a further cursor the walk's guards
    /// allow, sets the request for the next page; otherwise the walk ends (at the
    /// list's end, or with the guard's error after these items).
    fn take_page(&mut self, mut operation: O, page: Response<O::Output>) {
        self.pages += 1;
        let (_, headers, value) = page.into_parts();
        self.last_headers = Some(headers);
        // A backward walk yields the items nearest its cursor first: each
        // page, in the list's order, is reversed.
        let backward = operation.walks_backward();
        let (items, next) = match backward {
            true => O::into_items_before(value),
            false => O::into_items(value),
        };
        let empty = items.is_empty();
        match backward {
            true => self.buffered.extend(items.into_iter().rev()),
            false => self.buffered.extend(items),
        }
        let Some(cursor) = next else {
            return;
        };
        if let Some(stop) = self.guard_next_page(&cursor, empty) {
            self.stuck = Some(self.stop(stop));
            return;
        }
        match backward {
            true => operation.set_before(cursor),
            false => operation.set_after(cursor),
        }
        self.operation = Some(operation);
    }

    /// Why the walk must not follow `cursor`, checked in this order: a cursor
    /// already given (following it would walk the same pages again, for ever),
    /// too many empty pages in a row, the page limit.
    fn guard_next_page(&mut self, cursor: &str, empty: bool) -> Option<PaginationStop> {
        if !self
            .seen_cursors
            .insert(self.cursor_hasher.hash_one(cursor))
        {
            return Some(PaginationStop::RepeatedCursor);
        }
        self.empty_in_a_row = if empty { self.empty_in_a_row + 1 } else { 0 };
        if empty && self.empty_in_a_row >= self.max_empty_pages {
            let limit = self.max_empty_pages;
            return Some(PaginationStop::EmptyPages { limit });
        }
        if self.pages >= self.max_pages {
            let limit = self.max_pages;
            return Some(PaginationStop::PageLimit { limit });
        }
        None
    }
}

impl<'a, O: Paginated + 'a> futures_core::Stream for Pager<'a, O> {
    type Item = Result<O::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

// The pager holds only boxed futures and owned data; it never relies on being pinned.
impl<O: Paginated> Unpin for Pager<'_, O> {}

impl<O: Paginated + fmt::Debug> fmt::Debug for Pager<'_, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pager")
            .field("next_page", &self.operation)
            .field("buffered", &self.buffered.len())
            .field("fetching", &self.in_flight.is_some())
            .finish_non_exhaustive()
    }
}
