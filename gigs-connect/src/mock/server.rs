//! The HTTP side of the mock: hyper on 127.0.0.1, and the order Gigs checks a
//! request in: faults injected by the test, then auth (headers), then the route
//! and project (path), then the body.

use super::check::check;
use super::idempotency::answer_once;
use super::shape::Operation;
use super::store::{Answer, Store};
use super::{ReceivedRequest, State};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use hyper::{Request, Response};
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value as Json};
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;

/// Request bodies above this are refused, as any API would.
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Accepts connections until the task is aborted; each is served on its own task,
/// inside a set that ends with this one.
pub(crate) async fn accept_loop(listener: tokio::net::TcpListener, state: Arc<State>) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let state = Arc::clone(&state);
        connections.spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let state = Arc::clone(&state);
                async move { Ok::<_, Infallible>(answer(&state, request).await) }
            });
            // A client hanging up mid-request is its business, not the mock's.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
        while connections.try_join_next().is_some() {}
    }
}

async fn answer(state: &State, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(body) => body.to_bytes(),
        Err(_) => {
            return respond(Answer::error(
                413,
                "invalid",
                "bodyTooLarge",
                format!("The body exceeds {MAX_BODY_BYTES} bytes."),
            ));
        }
    };
    let path = parts.uri.path().to_owned();
    state.log(ReceivedRequest {
        method: parts.method.to_string(),
        path: parts.uri.to_string(),
        content_type: header(parts.headers.get(CONTENT_TYPE)),
        body: body.to_vec(),
    });
    let fault = state.take_fault();
    if let Some(delay) = fault.delay {
        tokio::time::sleep(delay).await;
    }
    if let Some(failure) = fault.failure {
        return respond(failure);
    }
    let token = format!("Bearer {}", state.token);
    match parts.headers.get(AUTHORIZATION) {
        None => {
            return respond(Answer::error(
                401,
                "unauthenticated",
                "authorizationMissing",
                "The `Authorization` header is missing.",
            ));
        }
        Some(value) if value.as_bytes() != token.as_bytes() => {
            return respond(Answer::error(
                401,
                "unauthenticated",
                "authorizationInvalid",
                "The API key in the `Authorization` header is not valid.",
            ));
        }
        Some(_) => {}
    }
    let Some((operation, params)) = route(parts.method.as_str(), &path) else {
        return respond(Answer::error(
            404,
            "notFound",
            "routeNotFound",
            format!("No operation for `{} {path}`.", parts.method),
        ));
    };
    if params.get("project").is_some_and(|p| *p != state.project) {
        return respond(Answer::error(
            403,
            "permissionDenied",
            "projectForbidden",
            "The API key does not grant access to this project.",
        ));
    }
    if let Err(refusal) =
        super::generic::check_parameters(operation, parts.uri.query(), &parts.headers)
    {
        return respond(Answer::error(400, "invalid", refusal.code, refusal.message));
    }
    let body = match operation.body {
        None => Map::new(),
        Some(model) => match parse_body(model, &body) {
            Ok(body) => body,
            Err(answer) => return respond(answer),
        },
    };
    let mut store = state.store.lock().expect("mock store lock");
    let key = parts.headers.get("idempotency-key");
    let project = params.get("project").map_or("", String::as_str);
    respond(answer_once(
        &mut store,
        parts.method.as_str(),
        project,
        key,
        |store| dispatch(store, operation, &params, body),
    ))
}

/// Runs an operation on the store; the behaviours are the documented ones.
fn dispatch(
    store: &mut Store,
    operation: &Operation,
    params: &HashMap<&str, String>,
    body: Map<String, Json>,
) -> Answer {
    let id = || params.get("connectSessionId").map_or("", String::as_str);
    match operation.id {
        "createConnectSession" => store.create(operation.status, body),
        "retrieveConnectSession" => store.retrieve(operation.status, id()),
        "updateConnectSession" => store.update(operation.status, id(), body),
        // Operations without behaviour of their own answer with the spec's example.
        _ => super::generic::example_answer(operation),
    }
}

/// The body as a JSON object that passes the spec's checks for `model`.
fn parse_body(model: &str, bytes: &[u8]) -> Result<Map<String, Json>, Answer> {
    let json: Json = serde_json::from_slice(bytes).map_err(|e| {
        Answer::error(
            400,
            "malformed",
            "bodyMalformed",
            format!("The body is not valid JSON: {e}."),
        )
    })?;
    check(model, &json)
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

/// The operation whose method and path template match, with the decoded path
/// parameters by name.
fn route(method: &str, path: &str) -> Option<(&'static Operation, HashMap<&'static str, String>)> {
    let segments: Vec<&str> = path.split('/').collect();
    crate::generated::shapes::OPERATIONS
        .iter()
        .find_map(|operation| {
            if operation.method != method {
                return None;
            }
            let template: Vec<&'static str> = operation.path.split('/').collect();
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
            Some((operation, params))
        })
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
