//! A webhook endpoint for Gigs' Connect Session events, with axum:
//! `POST /webhooks/gigs` verifies each delivery (Standard Webhooks signature,
//! timestamp, body size) with `verify_delivery`, skips a message id it has already
//! taken (`Delivery::message_id`: the id the signature covers), hands the
//! event to a background worker and answers 204 at once, so Svix never times out
//! and retries a delivery that was in fact received.
//!
//! ```text
//! GIGS_WEBHOOK_SECRET=whsec_… cargo run -p gigs-connect-examples --bin axum_webhooks --features axum
//! ```
//!
//! Without `GIGS_WEBHOOK_SECRET` it registers itself with the embedded mock server,
//! creates and updates a session there and shows the events arrive. With `--once`
//! it also replays a delivery (ignored as a duplicate) and exits.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use gigs_connect::types::{CreateConnectSessionRequest, Intent, UpdateConnectSessionRequest};
use gigs_connect::webhooks::{DEFAULT_MAX_BODY_BYTES, Event, Webhook};
use gigs_connect_mock::{MockConfig, MockServer, WebhookDelivery};
use std::collections::{HashSet, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

const PATH: &str = "/webhooks/gigs";
/// The secret of the mock mode's endpoint (a real one comes from Gigs' dashboard).
const MOCK_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// How many delivery ids to remember: Svix retries for days, but a duplicate
/// almost always arrives within minutes.
const REMEMBERED_IDS: usize = 10_000;

struct Endpoint {
    webhook: Webhook,
    seen: Mutex<RecentIds>,
    work: mpsc::Sender<Event>,
    duplicates: AtomicUsize,
}

/// The newest `REMEMBERED_IDS` delivery ids. Keep them in your database instead
/// if several instances share the endpoint.
#[derive(Default)]
struct RecentIds {
    ids: HashSet<String>,
    order: VecDeque<String>,
}

impl RecentIds {
    /// Remembers `id`; false if it was already there.
    fn first_time(&mut self, id: &str) -> bool {
        if !self.ids.insert(id.to_owned()) {
            return false;
        }
        self.order.push_back(id.to_owned());
        if self.order.len() > REMEMBERED_IDS
            && let Some(oldest) = self.order.pop_front()
        {
            self.ids.remove(&oldest);
        }
        true
    }

    fn forget(&mut self, id: &str) {
        self.ids.remove(id);
        self.order.retain(|kept| kept != id);
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let once = std::env::args().any(|arg| arg == "--once");
    let secret = std::env::var("GIGS_WEBHOOK_SECRET").ok();
    let webhook = Webhook::new(secret.as_deref().unwrap_or(MOCK_SECRET))?;
    let (work, queue) = mpsc::channel(1_000);
    let endpoint = Arc::new(Endpoint {
        webhook,
        seen: Mutex::default(),
        work,
        duplicates: AtomicUsize::new(0),
    });
    let processed = Arc::new(AtomicUsize::new(0));
    tokio::spawn(process(queue, Arc::clone(&processed)));
    let router = Router::new()
        .route(PATH, post(receive))
        // Refuse bigger bodies before reading them, as `verify` would after.
        .layer(DefaultBodyLimit::max(DEFAULT_MAX_BODY_BYTES))
        .with_state(Arc::clone(&endpoint));
    let address = if once {
        "127.0.0.1:0"
    } else {
        "127.0.0.1:3001"
    };
    let listener = tokio::net::TcpListener::bind(address).await?;
    let url = format!("http://{}{PATH}", listener.local_addr()?);
    println!("Listening on {url}");
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    if secret.is_some() {
        server.await??;
        return Ok(());
    }

    // Mock mode: the mock delivers its events here, signed with MOCK_SECRET.
    let mock =
        MockServer::start_with(MockConfig::default().webhook_endpoint(&url, MOCK_SECRET)).await;
    let client = mock.client();
    let body = CreateConnectSessionRequest::new(Intent::view_subscriptions())
        .callback_url("https://example.com/connect/done");
    let session = client.create_connect_session(&body).await?;
    mock.wait_for_deliveries(1, Duration::from_secs(10)).await;
    let update =
        UpdateConnectSessionRequest::new().callback_url("https://example.com/connect/other");
    client.update_connect_session(&session.id, &update).await?;
    let deliveries = mock.wait_for_deliveries(2, Duration::from_secs(10)).await;
    if !once {
        server.await??;
        return Ok(());
    }
    // A redelivery of the first event: verified again, then skipped as a duplicate.
    let first = deliveries.first().ok_or("the mock delivered nothing")?;
    let status = post_again(&url, first).await?;
    println!("redelivered {}: answered {status}", first.webhook_id);
    for _ in 0..100 {
        if processed.load(Ordering::SeqCst) >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    println!(
        "processed {} events, skipped {} duplicate",
        processed.load(Ordering::SeqCst),
        endpoint.duplicates.load(Ordering::SeqCst)
    );
    Ok(())
}

/// Verify, deduplicate, queue, answer: no slow work before the answer.
async fn receive(
    State(endpoint): State<Arc<Endpoint>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let delivery = match endpoint.webhook.verify_delivery(&headers, &body) {
        Ok(delivery) => delivery,
        Err(error) => {
            // Secret-free: says which check failed, never the body.
            eprintln!("refused a delivery: {error}");
            return StatusCode::BAD_REQUEST;
        }
    };
    // The id the signature covers, from the same header family: never a header of
    // the other family that nobody signed.
    let id = delivery.message_id().to_owned();
    let event = delivery.into_event();
    if !endpoint.seen.lock().expect("ids lock").first_time(&id) {
        endpoint.duplicates.fetch_add(1, Ordering::SeqCst);
        return StatusCode::NO_CONTENT;
    }
    match endpoint.work.try_send(event) {
        Ok(()) => StatusCode::NO_CONTENT,
        Err(_) => {
            // Overloaded: let Svix deliver it again later.
            endpoint.seen.lock().expect("ids lock").forget(&id);
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}

/// The slow part, after the answer: your own handling of each event.
async fn process(mut queue: mpsc::Receiver<Event>, processed: Arc<AtomicUsize>) {
    while let Some(event) = queue.recv().await {
        match &event {
            Event::ConnectSessionCreated(created) => {
                println!("{}: session {} created", event.id(), created.data.id);
            }
            Event::ConnectSessionUpdated(updated) => {
                let previous = &updated.previous_data;
                println!(
                    "{}: session {} updated (callbackUrl changed: {})",
                    event.id(),
                    updated.data.id,
                    !previous.callback_url.is_unchanged()
                );
            }
            other => println!("{}: {} (not handled here)", other.id(), other.event_type()),
        }
        processed.fetch_add(1, Ordering::SeqCst);
    }
}

/// POSTs a recorded delivery again, as Svix does on a retry; returns the status.
async fn post_again(
    url: &str,
    delivery: &WebhookDelivery,
) -> Result<String, Box<dyn std::error::Error>> {
    let authority = url
        .strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .ok_or("an http URL")?;
    let mut stream = tokio::net::TcpStream::connect(authority).await?;
    let mut request = format!("POST {PATH} HTTP/1.1\r\nhost: {authority}\r\nconnection: close\r\n");
    for (name, value) in &delivery.headers() {
        request.push_str(&format!("{name}: {}\r\n", value.to_str()?));
    }
    request.push_str(&format!(
        "content-type: application/json\r\ncontent-length: {}\r\n\r\n",
        delivery.body.len()
    ));
    stream.write_all(request.as_bytes()).await?;
    stream.write_all(&delivery.body).await?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await?;
    Ok(answer.lines().next().unwrap_or_default().to_owned())
}
