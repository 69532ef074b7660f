//! Each call runs in one `tracing` span with its fields (operation, method, route
//! template, attempts, final status, Gigs request id), and its attempt events are
//! inside it. The only test in this binary: it installs its recording subscriber
//! process-wide, which no other test may share.

mod support;

use gigs_connect::{Client, RetryPolicy};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{Response, TestServer};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// A span as recorded: name, target and every field value given to it.
#[derive(Clone, Debug, Default)]
struct SpanRecord {
    name: String,
    target: String,
    fields: BTreeMap<String, String>,
}

/// An event's message and the index of the innermost span entered when it happened.
type EventRecord = (String, Option<usize>);

/// Records every span and, for each event, its message and the span it was in.
#[derive(Clone, Default)]
struct Recorder {
    spans: Arc<Mutex<Vec<SpanRecord>>>,
    events: Arc<Mutex<Vec<EventRecord>>>,
    entered: Arc<Mutex<Vec<usize>>>,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let mut record = SpanRecord {
            name: attributes.metadata().name().to_owned(),
            target: attributes.metadata().target().to_owned(),
            ..SpanRecord::default()
        };
        attributes.record(&mut Fields(&mut record.fields));
        let mut spans = self.spans.lock().unwrap();
        spans.push(record);
        Id::from_u64(spans.len() as u64)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = self.spans.lock().unwrap();
        let record = &mut spans[span.into_u64() as usize - 1];
        values.record(&mut Fields(&mut record.fields));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        let message = fields.remove("message").unwrap_or_default();
        let current = self.entered.lock().unwrap().last().copied();
        self.events.lock().unwrap().push((message, current));
    }
    fn enter(&self, span: &Id) {
        self.entered
            .lock()
            .unwrap()
            .push(span.into_u64() as usize - 1);
    }
    fn exit(&self, _: &Id) {
        self.entered.lock().unwrap().pop();
    }
}

#[tokio::test]
async fn a_retried_call_is_one_span_with_its_fields_and_its_attempt_events_inside_and_so_is_a_raw_call()
 {
    let recorder = Recorder::default();
    tracing::subscriber::set_global_default(recorder.clone()).unwrap();
    let server = TestServer::start().await;
    let client = retrying_client(&server);

    a_retried_call_is_one_span_with_its_fields_and_its_attempt_events_inside(
        &recorder, &server, &client,
    )
    .await;
    a_raw_call_is_a_span_of_its_own(&recorder, &server, &client).await;
}

/// A client that retries once quickly, with a token the spans must not show.
fn retrying_client(server: &TestServer) -> Client {
    Client::builder()
        .project("acme")
        .token("sk_test_spans")
        .base_url(server.url())
        .retry_policy(RetryPolicy {
            max_retries: 2,
            backoff_base: Duration::from_millis(1),
            backoff_cap: Duration::from_millis(5),
        })
        .build()
        .unwrap()
}

/// The first call of the run: a 503, then a session whose url holds a secret.
async fn a_retried_call_is_one_span_with_its_fields_and_its_attempt_events_inside(
    recorder: &Recorder,
    server: &TestServer,
    client: &Client,
) {
    server.respond(Response::new(503));
    server.respond(
        Response::json(
            200,
            &serde_json::json!({
                "object": "connectSession", "id": "csn_1", "callbackUrl": null,
                "intent": {"type": "viewSubscriptions"},
                "url": "https://connect.gigs.com/x?session=csn_1&token=SECRET_SESSION_TOKEN",
                "user": null
            }),
        )
        .header("x-request-id", "req_0SNlurA049"),
    );

    client.retrieve_connect_session("csn_1").await.unwrap();

    let spans = recorder.spans.lock().unwrap().clone();
    let ours: Vec<(usize, &SpanRecord)> = spans
        .iter()
        .enumerate()
        .filter(|(_, s)| s.target.starts_with("gigs_connect"))
        .collect();
    assert_eq!(ours.len(), 1, "one span per call: {ours:?}");
    let (index, span) = ours[0];
    assert_eq!(span.name, "gigs_connect.call");
    let field = |name: &str| span.fields.get(name).map(String::as_str);
    assert_eq!(field("operation"), Some("retrieveConnectSession"));
    assert_eq!(field("method"), Some("GET"));
    assert_eq!(
        field("route"),
        Some("/projects/{project}/connectSessions/{connectSessionId}")
    );
    assert_eq!(field("attempts"), Some("2"));
    assert_eq!(field("status"), Some("200"));
    assert_eq!(field("request_id"), Some("req_0SNlurA049"));
    let events = recorder.events.lock().unwrap().clone();
    let inside = |message: &str| {
        events
            .iter()
            .filter(|(m, span)| m == message && *span == Some(index))
            .count()
    };
    assert_eq!(inside("sending request"), 2, "{events:?}");
    assert_eq!(inside("received response"), 2, "{events:?}");
    assert_eq!(inside("retrying"), 1, "{events:?}");
    let everything = format!("{spans:?}{events:?}");
    assert!(!everything.contains("sk_test_spans"), "{everything}");
    assert!(!everything.contains("SECRET_SESSION_TOKEN"), "{everything}");
}

/// The second call of the run: an escape-hatch call has a span of its own,
/// operation `request`, the caller's path (without its query) as route.
async fn a_raw_call_is_a_span_of_its_own(
    recorder: &Recorder,
    server: &TestServer,
    client: &Client,
) {
    server.respond(Response::json(200, &serde_json::json!({"ok": true})));
    client
        .request(gigs_connect::Method::GET, "/projects/acme/previews")
        .query("locale", "de-DE")
        .await
        .unwrap();
    let spans = recorder.spans.lock().unwrap().clone();
    let raw: Vec<&SpanRecord> = spans
        .iter()
        .filter(|s| s.target.starts_with("gigs_connect"))
        .skip(1)
        .collect();
    assert_eq!(raw.len(), 1, "{raw:?}");
    let field = |name: &str| raw[0].fields.get(name).map(String::as_str);
    assert_eq!(field("operation"), Some("request"));
    assert_eq!(field("route"), Some("/projects/acme/previews"));
    assert_eq!(
        (field("attempts"), field("status")),
        (Some("1"), Some("200"))
    );
}
