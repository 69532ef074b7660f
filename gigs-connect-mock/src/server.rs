//! The HTTP side of the mock: hyper on the configured address (127.0.0.1 by default), connection limits that hold up
//! against slow or hostile clients, and the order Gigs checks a request in:
//! faults injected by the test, then auth (headers), then the route and project
//! (path), then the content type and the body.

use crate::answer::Answer;
use crate::check::check;
use crate::list;
use crate::received::{ReceivedHeaders, ReceivedRequest};
use crate::resource::{self, Role};
use crate::sessions::{Sessions, not_found};
use crate::shape::{Operation, Tables};
use crate::state::State;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{ALLOW, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use hyper::{Request, Response};
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value as Json};
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

/// The first pause after a failed `accept()`; it doubles up to [`MAX_ACCEPT_BACKOFF`].
const ACCEPT_BACKOFF: Duration = Duration::from_millis(10);
const MAX_ACCEPT_BACKOFF: Duration = Duration::from_secs(1);

/// Accepts connections until the task is aborted; each is served on its own task,
/// inside a set that ends with this one.
pub(crate) async fn accept_loop(listener: tokio::net::TcpListener, state: Arc<State>) {
    let mut connections = tokio::task::JoinSet::new();
    let mut backoff = ACCEPT_BACKOFF;
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => {
                backoff = ACCEPT_BACKOFF;
                stream
            }
            // Out of file descriptors, say: the error repeats until something
            // closes, so wait instead of spinning a core on it.
            Err(_) => {
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_ACCEPT_BACKOFF);
                continue;
            }
        };
        let state = Arc::clone(&state);
        connections.spawn(serve(stream, state));
        while connections.try_join_next().is_some() {}
    }
}

/// Serves one connection. hyper's header timeout (which needs a timer to work)
/// also runs while a kept-alive connection waits for its next request, so an idle
/// or half-sent connection is closed after
/// [`MockConfig::header_timeout`](crate::MockConfig::header_timeout).
async fn serve(stream: tokio::net::TcpStream, state: Arc<State>) {
    let header_timeout = state.config.header_timeout;
    let service = hyper::service::service_fn(move |request| {
        let state = Arc::clone(&state);
        async move { Ok::<_, Infallible>(answer(&state, request).await) }
    });
    // A client hanging up mid-request is its business, not the mock's.
    let _ = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(header_timeout)
        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
        .await;
}

/// One request's answer: [`pipeline`]'s, whichever step gave it.
async fn answer(state: &State, request: Request<Incoming>) -> Response<Full<Bytes>> {
    match pipeline(state, request).await {
        Ok(response) | Err(response) => response,
    }
}

/// The steps of a request, in Gigs' order; each either passes the request on or
/// gives the answer (`Err`).
async fn pipeline(state: &State, request: Request<Incoming>) -> Result<Reply, Reply> {
    let (parts, body) = request.into_parts();
    let limits = (state.config.body_timeout, state.config.max_body_bytes);
    let body = read_body(body, limits)
        .await
        .map_err(|answer| close(respond(answer)))?;
    // The hosted flow page is for browsers: no API token, no faults.
    if crate::flow_page::is_flow_request(&parts) {
        return Ok(crate::flow_page::answer(state, &parts, &body));
    }
    let authenticated = authenticate(&parts.headers, &state.token);
    log_request(state, &parts, &body, authenticated.is_ok());
    apply_faults(state).await.map_err(respond)?;
    authenticated.map_err(respond)?;
    let tables = state.config.tables;
    let (operation, params) = route(tables, parts.method.as_str(), parts.uri.path())
        .map_err(|miss| refuse_route(miss, &parts.method, parts.uri.path()))?;
    let checked = check_request(state, operation, &params, &parts, &body).map_err(respond)?;
    Ok(respond(run(state, &parts.headers, checked)))
}

/// An HTTP answer.
type Reply = Response<Full<Bytes>>;

/// Logs the request as received (a request without a valid token cut short).
fn log_request(state: &State, parts: &hyper::http::request::Parts, body: &Bytes, valid: bool) {
    let request = ReceivedRequest {
        method: parts.method.to_string(),
        path: parts.uri.to_string(),
        content_type: header(parts.headers.get(CONTENT_TYPE)),
        headers: ReceivedHeaders::from_map(&parts.headers),
        body: body.to_vec(),
    };
    state.log(request, valid);
}

/// The test's injected delay and failure for this request, before any check.
async fn apply_faults(state: &State) -> Result<(), Answer> {
    let fault = state.take_fault();
    if let Some(delay) = fault.delay {
        tokio::time::sleep(delay).await;
    }
    fault.failure.map_or(Ok(()), Err)
}

/// 404 for a path no operation has; 405 with `Allow` for a method it does not take.
fn refuse_route(miss: Miss, method: &hyper::Method, path: &str) -> Reply {
    match miss {
        Miss::Path => respond(Answer::error(
            404,
            "notFound",
            "routeNotFound",
            format!("No operation for `{method} {path}`."),
        )),
        Miss::Method(allowed) => {
            let allow = allowed.join(", ");
            let mut response = respond(Answer::error(
                405,
                "invalid",
                "methodNotAllowed",
                format!("`{path}` does not take `{method}`; it takes {allow}."),
            ));
            let allow = HeaderValue::from_str(&allow).expect("method names are header-safe");
            response.headers_mut().insert(ALLOW, allow);
            response
        }
    }
}

/// A routed request's checks after the route: a scripted answer, the project,
/// the query and header parameters, the content type and the body.
fn check_request<'r>(
    state: &State,
    operation: &'static Operation,
    params: &'r HashMap<&'static str, String>,
    parts: &hyper::http::request::Parts,
    body: &Bytes,
) -> Result<Dispatched<'r>, Answer> {
    if let Some(scripted) = state.take_scripted(&operation.id) {
        return Err(scripted);
    }
    if params.get("project").is_some_and(|p| *p != state.project) {
        return Err(Answer::error(
            403,
            "permissionDenied",
            "projectForbidden",
            "The API key does not grant access to this project.",
        ));
    }
    let tables = state.config.tables;
    let query = crate::generic::query_pairs(parts.uri.query())
        .and_then(|query| {
            crate::generic::check_parameters(tables, operation, &query, &parts.headers)
                .map(|()| query)
        })
        .map_err(|refusal| Answer::error(400, "invalid", refusal.code, refusal.message))?;
    let body = match &operation.body {
        None => Map::new(),
        Some(_) if body.is_empty() && !operation.body_required => Map::new(),
        Some(model) => {
            json_content_type(&parts.headers)?;
            parse_body(tables, model, body)?
        }
    };
    Ok(Dispatched {
        tables,
        operation,
        params,
        query,
        body,
    })
}

/// Runs a checked request on the memory, once per idempotency key; with
/// webhooks, a create or update also sends its event (never waiting for it).
fn run(state: &State, headers: &HeaderMap, request: Dispatched<'_>) -> Answer {
    let mut memory = state.memory.lock().expect("mock memory lock");
    let key = headers.get("idempotency-key");
    let method = request.operation.method.as_str();
    let project = request.params.get("project").map_or("", String::as_str);
    #[cfg(feature = "webhooks")]
    let (operation, id) = (request.operation, item_id(request.tables, request.params));
    let run = |sessions: &mut Sessions| dispatch(sessions, request);
    #[cfg(feature = "webhooks")]
    let run = |sessions: &mut Sessions| state.outbox.observe(project, sessions, operation, id, run);
    memory.answer_once(method, project, key, run)
}

/// The whole body, within the body timeout and the size limit.
async fn read_body(body: Incoming, (timeout, max): (Duration, usize)) -> Result<Bytes, Answer> {
    let collected = tokio::time::timeout(timeout, Limited::new(body, max).collect());
    match collected.await {
        Ok(Ok(body)) => Ok(body.to_bytes()),
        Ok(Err(error)) if error.is::<LengthLimitError>() => Err(Answer::error(
            413,
            "invalid",
            "bodyTooLarge",
            format!("The body exceeds {max} bytes."),
        )),
        // A broken chunked encoding, or a connection cut mid-body.
        Ok(Err(error)) => Err(Answer::error(
            400,
            "malformed",
            "bodyMalformed",
            format!("The body could not be read: {error}."),
        )),
        Err(_) => Err(Answer::error(
            408,
            "malformed",
            "bodyTimeout",
            format!("The body did not arrive within {} ms.", timeout.as_millis()),
        )),
    }
}

/// `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 9110 §11.1).
fn authenticate(headers: &HeaderMap, token: &str) -> Result<(), Answer> {
    let Some(value) = headers.get(AUTHORIZATION) else {
        return Err(Answer::error(
            401,
            "unauthenticated",
            "authorizationMissing",
            "The `Authorization` header is missing.",
        ));
    };
    let credentials = value
        .to_str()
        .ok()
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, credentials)| credentials.trim_start());
    if credentials == Some(token) {
        Ok(())
    } else {
        Err(Answer::error(
            401,
            "unauthenticated",
            "authorizationInvalid",
            "The API key in the `Authorization` header is not valid.",
        ))
    }
}

/// The spec's bodies are `application/json` only (parameters such as `charset`
/// are fine); anything else is refused before the body is read as JSON.
fn json_content_type(headers: &HeaderMap) -> Result<(), Answer> {
    let content_type = headers.get(CONTENT_TYPE).map(|v| v.to_str().unwrap_or("?"));
    let essence = content_type
        .and_then(|v| v.split(';').next())
        .map(str::trim);
    if essence.is_some_and(|e| e.eq_ignore_ascii_case("application/json")) {
        return Ok(());
    }
    let got = match content_type {
        None => "no `Content-Type`".to_owned(),
        Some(value) => format!("`{value}`"),
    };
    Err(Answer::error(
        415,
        "malformed",
        "contentTypeUnsupported",
        format!("The body must be sent as `application/json`, not {got}."),
    ))
}

/// A routed request whose parameters and body passed the checks.
struct Dispatched<'a> {
    tables: &'static Tables,
    operation: &'static Operation,
    params: &'a HashMap<&'static str, String>,
    query: Vec<(String, String)>,
    body: Map<String, Json>,
}

/// The held item's id in the request's path: the value of the item path's last
/// parameter (`connectSessionId`, read from the tables); empty when there is none.
fn item_id<'p>(tables: &Tables, params: &'p HashMap<&'static str, String>) -> &'p str {
    resource::held(tables)
        .and_then(|held| params.get(held.id_param))
        .map_or("", String::as_str)
}

/// Runs an operation on the store: the three Connect Sessions operations by
/// their documented behaviour, every other operation over the held resource by
/// the role its path and shapes give it (`resource.rs`), and the rest with an
/// example of their answer.
fn dispatch(sessions: &mut Sessions, request: Dispatched<'_>) -> Answer {
    let Dispatched {
        tables,
        operation,
        params,
        query,
        body,
    } = request;
    let held = resource::held(tables);
    let id = item_id(tables, params);
    match operation.id.as_str() {
        "createConnectSession" => return sessions.create(operation.status, body),
        resource::STORE_RETRIEVE => return sessions.retrieve(operation.status, id),
        "updateConnectSession" => return sessions.update(operation.status, id, body),
        _ => {}
    }
    let example = || crate::generic::example_answer(tables, operation);
    match (resource::role(tables, operation), held) {
        (Some(Role::List), Some(held)) => {
            list::page(tables, sessions, operation, held.model, &query)
        }
        (Some(Role::Delete), _) => sessions.delete(operation.status, id, example().body),
        (Some(Role::OnItem { answers_item }), _) => match sessions.session(id) {
            None => not_found(id),
            Some(item) if answers_item => Answer {
                status: operation.status,
                body: Json::Object(item.clone()),
            },
            Some(_) => example(),
        },
        _ => example(),
    }
}

/// The body as a JSON object that passes the spec's checks for `model`.
fn parse_body(tables: &Tables, model: &str, bytes: &[u8]) -> Result<Map<String, Json>, Answer> {
    let json: Json = serde_json::from_slice(bytes).map_err(|e| {
        Answer::error(
            400,
            "malformed",
            "bodyMalformed",
            format!("The body is not valid JSON: {e}."),
        )
    })?;
    check(tables, model, &json)
        .map_err(|refusal| Answer::error(400, "invalid", refusal.code, refusal.message))?;
    match json {
        Json::Object(map) => Ok(map),
        // Only if the spec gave an operation a body that is not an object model.
        _ => Err(Answer::error(
            400,
            "invalid",
            "parameterInvalid",
            "The body must be an object.",
        )),
    }
}

/// Why no operation matched.
enum Miss {
    /// No path template matches.
    Path,
    /// A template matches, but not with this method: the methods it takes.
    Method(Vec<&'static str>),
}

/// The operation whose method and path template match, with the decoded path
/// parameters by name.
fn route(
    tables: &'static Tables,
    method: &str,
    path: &str,
) -> Result<(&'static Operation, HashMap<&'static str, String>), Miss> {
    let mut allowed = Vec::new();
    for operation in tables.operations() {
        let Some(params) = match_path(&operation.path, path) else {
            continue;
        };
        if operation.method == method {
            return Ok((operation, params));
        }
        allowed.push(operation.method.as_str());
    }
    if allowed.is_empty() {
        Err(Miss::Path)
    } else {
        Err(Miss::Method(allowed))
    }
}

/// The decoded parameters when `path` fits `template`.
fn match_path(template: &'static str, path: &str) -> Option<HashMap<&'static str, String>> {
    let segments: Vec<&str> = path.split('/').collect();
    let template: Vec<&'static str> = template.split('/').collect();
    if template.len() != segments.len() {
        return None;
    }
    let mut params = HashMap::new();
    for (expected, actual) in template.iter().zip(&segments) {
        match expected.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(name) => {
                let value = percent_decode_str(actual).decode_utf8().ok()?;
                if value.is_empty() {
                    return None;
                }
                params.insert(name, value.into_owned());
            }
            None if expected == actual => {}
            None => return None,
        }
    }
    Some(params)
}

fn header(value: Option<&HeaderValue>) -> Option<String> {
    value.and_then(|v| v.to_str().ok()).map(str::to_owned)
}

fn respond(answer: Answer) -> Response<Full<Bytes>> {
    if answer.status == 204 {
        return Response::builder()
            .status(204)
            .body(Full::new(Bytes::new()))
            .expect("a valid status");
    }
    let body = serde_json::to_vec(&answer.body).expect("a JSON value encodes");
    Response::builder()
        .status(answer.status)
        .header(CONTENT_TYPE, "application/json")
        .body(Full::new(Bytes::from(body)))
        .expect("a valid status and header")
}

/// Asks hyper to close the connection after this answer: the rest of the body
/// is unread (too large, broken or late), so the next request cannot be found.
fn close(mut response: Response<Full<Bytes>>) -> Response<Full<Bytes>> {
    response
        .headers_mut()
        .insert(hyper::header::CONNECTION, HeaderValue::from_static("close"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bearer(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn the_bearer_scheme_is_case_insensitive() {
        for value in ["Bearer sk_1", "bearer sk_1", "BEARER  sk_1"] {
            assert!(authenticate(&bearer(value), "sk_1").is_ok(), "{value}");
        }
        for value in ["Bearer sk_2", "Basic sk_1", "Bearersk_1", "sk_1"] {
            assert!(authenticate(&bearer(value), "sk_1").is_err(), "{value}");
        }
    }

    #[test]
    fn a_known_path_with_another_method_names_the_methods_it_takes() {
        let path = "/projects/p/connectSessions/csn_1";
        let tables = Tables::connect_sessions();
        match route(tables, "TRACE", path) {
            Err(Miss::Method(allowed)) => {
                assert!(
                    allowed.contains(&"GET") && allowed.contains(&"PATCH"),
                    "{allowed:?}"
                );
                assert!(!allowed.contains(&"TRACE"), "{allowed:?}");
            }
            _ => panic!("TRACE {path} should be a method miss"),
        }
        assert!(matches!(route(tables, "GET", "/nowhere"), Err(Miss::Path)));
    }
}
