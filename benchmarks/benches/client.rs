//! Client overhead: requests per second for `retrieve_connect_session` against a
//! local keep-alive server, next to a hand-written minimal reqwest call of the same
//! request with the same decoding, and progenitor's generated client.

use benchmarks::progenitor_client as progenitor;
use benchmarks::samples;
use benchmarks::server::FixedResponseServer;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gigs_connect::types::ConnectSession;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue, USER_AGENT};
use std::hint::black_box;
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

const PROJECT: &str = "bench-project";
const SESSION_ID: &str = "csn_0SNlurA049MEWV1GWxpaE5D0t2D6";
const TOKEN: &str = "bench-token";

/// The headers gigs-connect sends, so every client makes the same request.
fn same_headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(
        AUTHORIZATION,
        HeaderValue::from_str(&format!("Bearer {TOKEN}")).unwrap(),
    );
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    headers.insert(
        USER_AGENT,
        HeaderValue::from_static(concat!("gigs-connect-rust/", env!("CARGO_PKG_VERSION"))),
    );
    headers
}

/// Times `iters` sequential requests on one keep-alive connection; the first
/// request, which opens the connection, is made before the clock starts.
fn time_requests<F, Fut, T>(runtime: &Runtime, iters: u64, request: F) -> Duration
where
    F: Fn() -> Fut,
    Fut: Future<Output = T>,
{
    runtime.block_on(async {
        black_box(request().await);
        let start = Instant::now();
        for _ in 0..iters {
            black_box(request().await);
        }
        start.elapsed()
    })
}

fn retrieve(c: &mut Criterion) {
    // The retrieve seed: the answer the real API gives to this call.
    let body = samples::seed_sessions()
        .into_iter()
        .find(|sample| sample.name == "reference-retrieve-response")
        .expect("the retrieve seed is among the seeds")
        .json;
    let server = FixedResponseServer::start(body);
    let base_url = server.base_url();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    let ours = gigs_connect::Client::builder()
        .project(PROJECT)
        .token(TOKEN)
        .base_url(&base_url)
        .max_retries(0)
        .build()
        .unwrap();
    benchmarks::raw_reqwest_provider();
    let raw = reqwest::Client::builder()
        .default_headers(same_headers())
        .build()
        .unwrap();
    let raw_timeouts = reqwest::Client::builder()
        .default_headers(same_headers())
        .connect_timeout(gigs_connect::DEFAULT_CONNECT_TIMEOUT)
        .timeout(gigs_connect::DEFAULT_TIMEOUT)
        .build()
        .unwrap();
    let raw_url = format!("{base_url}/projects/{PROJECT}/connectSessions/{SESSION_ID}");
    let theirs = progenitor::Client::new_with_client(
        &base_url,
        reqwest::Client::builder()
            .default_headers(same_headers())
            .build()
            .unwrap(),
    );

    let mut group = c.benchmark_group("client/retrieve_connect_session");
    group.throughput(Throughput::Elements(1));
    group.bench_function("gigs-connect", |b| {
        b.iter_custom(|iters| {
            time_requests(&runtime, iters, || async {
                ours.retrieve_connect_session(SESSION_ID).await.unwrap()
            })
        })
    });
    group.bench_function("raw-reqwest", |b| {
        b.iter_custom(|iters| time_requests(&runtime, iters, || raw_retrieve(&raw, &raw_url)))
    });
    group.bench_function("raw-reqwest-timeouts", |b| {
        b.iter_custom(|iters| {
            time_requests(&runtime, iters, || raw_retrieve(&raw_timeouts, &raw_url))
        })
    });
    group.bench_function("progenitor", |b| {
        b.iter_custom(|iters| {
            time_requests(&runtime, iters, || async {
                theirs
                    .retrieve_connect_session(PROJECT, SESSION_ID)
                    .await
                    .unwrap()
                    .into_inner()
            })
        })
    });
    group.finish();
}

criterion_group!(benches, retrieve);
criterion_main!(benches);

/// The hand-written call the client is measured against: the same request and the
/// same decode, nothing else.
async fn raw_retrieve(client: &reqwest::Client, url: &str) -> ConnectSession {
    let bytes = client
        .get(url)
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .bytes()
        .await
        .unwrap();
    serde_json::from_slice::<ConnectSession>(&bytes).unwrap()
}
