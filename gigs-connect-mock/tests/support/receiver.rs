//! A webhook endpoint on 127.0.0.1 for the mock's deliveries: it records every
//! request and answers it with the next scripted status (then a fixed one),
//! after an optional delay.

use http_body_util::{BodyExt, Empty};
use hyper::body::{Bytes, Incoming};
use hyper::{HeaderMap, StatusCode};
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};

/// One request as the endpoint received it.
#[derive(Clone, Debug)]
pub struct Received {
    /// The method, e.g. `POST`.
    pub method: String,
    /// The request target, e.g. `/webhooks`.
    pub path: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Received {
    /// The value of the header called `name`, if it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }
}

/// What the accept task and the test share.
struct State {
    received: Mutex<Vec<Received>>,
    script: Mutex<VecDeque<u16>>,
    fallback: u16,
    delay: Duration,
}

/// A running endpoint; it stops (and drops its open connections) when dropped.
pub struct WebhookReceiver {
    addr: SocketAddr,
    state: Arc<State>,
    accept: JoinHandle<()>,
}

impl WebhookReceiver {
    /// Starts an endpoint that answers `status` once its script runs out.
    pub async fn answering(status: u16) -> Self {
        Self::answering_after(status, Duration::ZERO).await
    }

    /// Starts an endpoint that answers `status` once its script runs out, and
    /// waits `delay` before every answer.
    pub async fn answering_after(status: u16, delay: Duration) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(State {
            received: Mutex::new(Vec::new()),
            script: Mutex::new(VecDeque::new()),
            fallback: status,
            delay,
        });
        let accept = tokio::spawn(accept_loop(listener, Arc::clone(&state)));
        WebhookReceiver {
            addr,
            state,
            accept,
        }
    }

    /// The base URL to configure as the endpoint, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Queues `status` as the answer to the next unanswered request.
    pub fn respond(&self, status: u16) {
        self.state.script.lock().unwrap().push_back(status);
    }

    /// Every request received so far, in the order they came.
    pub fn requests(&self) -> Vec<Received> {
        self.state.received.lock().unwrap().clone()
    }

    /// The only request received so far; panics if there were none or several.
    pub fn single_request(&self) -> Received {
        let requests = self.requests();
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request: {requests:#?}"
        );
        requests.into_iter().next().unwrap()
    }
}

impl Drop for WebhookReceiver {
    fn drop(&mut self) {
        // The connection tasks live in the accept task's JoinSet, so they end too.
        self.accept.abort();
    }
}

/// Accepts connections until aborted, serving each with hyper on its own task.
async fn accept_loop(listener: TcpListener, state: Arc<State>) {
    let mut connections = JoinSet::new();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let state = Arc::clone(&state);
        let service =
            hyper::service::service_fn(move |request| answer(Arc::clone(&state), request));
        connections.spawn(
            hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service),
        );
        // Reaps finished connections so the set does not grow for ever.
        while connections.try_join_next().is_some() {}
    }
}

/// Records `request`, then answers it with the next status after the delay.
async fn answer(
    state: Arc<State>,
    request: hyper::Request<Incoming>,
) -> Result<hyper::Response<Empty<Bytes>>, hyper::Error> {
    let (parts, body) = request.into_parts();
    let body = body.collect().await?.to_bytes().to_vec();
    state.received.lock().unwrap().push(Received {
        method: parts.method.to_string(),
        path: parts.uri.to_string(),
        headers: parts.headers,
        body,
    });
    let status = state.script.lock().unwrap().pop_front();
    tokio::time::sleep(state.delay).await;
    let mut response = hyper::Response::new(Empty::new());
    *response.status_mut() =
        StatusCode::from_u16(status.unwrap_or(state.fallback)).expect("a valid status code");
    Ok(response)
}
