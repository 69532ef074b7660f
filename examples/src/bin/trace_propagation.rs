//! W3C trace-context propagation through `ClientBuilder::middleware`: each
//! attempt carries a `traceparent` header naming the trace of the code that made
//! the call, so Gigs' side (or a proxy's) can join your trace.
//!
//! ```text
//! cargo run -p gigs-connect-examples --bin trace_propagation --features trace-propagation
//! ```
//!
//! It runs against the embedded mock server and prints the `traceparent` each
//! attempt carried, next to the trace id of the span that made the call. The
//! tracer is OpenTelemetry's SDK with no exporter: in your service, add the
//! exporter you use (OTLP, say) to the provider.

use gigs_connect::types::{CreateConnectSessionRequest, Intent};
use gigs_connect::{Client, RetryPolicy};
use gigs_connect_mock::MockServer;
use opentelemetry::trace::{TraceContextExt, TracerProvider};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::SdkTracerProvider;
use std::time::Duration;
use tracing::Instrument;
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::layer::SubscriberExt;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. Once per process: W3C trace context on the wire, an OpenTelemetry tracer
    //    under `tracing`.
    opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new());
    let provider = SdkTracerProvider::builder().build();
    let tracer = provider.tracer("trace-propagation-example");
    let subscriber =
        tracing_subscriber::registry().with(tracing_opentelemetry::layer().with_tracer(tracer));
    tracing::subscriber::set_global_default(subscriber)?;

    // 2. The client sends through a middleware stack with reqwest-tracing, which
    //    opens a span per attempt and injects its context as `traceparent`.
    let mock = MockServer::start().await;
    let stack = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(reqwest_tracing::TracingMiddleware::default())
        .build();
    let client = Client::builder()
        .project(mock.project())
        .token(mock.token())
        .base_url(mock.url())
        .retry_policy(RetryPolicy {
            max_retries: 1,
            backoff_base: Duration::from_millis(10),
            backoff_cap: Duration::from_millis(50),
        })
        .middleware(stack)
        .build()?;

    // 3. A call inside a span of the application's: the first attempt fails with
    //    a 503 (injected), the retry succeeds; both carry the same trace.
    mock.fail_next(
        1,
        503,
        &gigs_connect::types::ApiError::new("serviceUnavailable", "try again"),
    );
    let checkout = tracing::info_span!("checkout");
    let trace_id = checkout.context().span().span_context().trace_id();
    let body = CreateConnectSessionRequest::new(Intent::view_subscriptions());
    let session = client
        .create_connect_session(&body)
        .send()
        .instrument(checkout)
        .await?;
    println!("created {} in trace {trace_id}", session.id);

    for request in mock.requests() {
        let traceparent = request.header("traceparent").unwrap_or("(none)");
        println!(
            "{} {}: traceparent {traceparent}",
            request.method, request.path
        );
        if !traceparent.contains(&trace_id.to_string()) {
            return Err("an attempt did not carry the call's trace".into());
        }
    }
    provider.shutdown()?;
    Ok(())
}
