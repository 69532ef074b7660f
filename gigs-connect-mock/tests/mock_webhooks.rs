//! The mock's webhook deliveries (features `mock` and `webhooks`), received by a
//! real HTTP server on 127.0.0.1 and verified with `Webhook`: an event per create
//! and update, `previousData` on updates, one `webhook-id` per event kept across
//! retries, and API calls that never wait for a delivery.

mod support;

use gigs_connect::Patch;
use gigs_connect::types::{
    ConnectSession, CreateConnectSessionRequest, Intent, UpdateConnectSessionRequest,
};
use gigs_connect::webhooks::{Event, Webhook};
use gigs_connect_mock::{DeliveryOutcome, MockConfig, MockServer};
use std::net::SocketAddr;
use std::time::Duration;
use support::WebhookReceiver;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const WAIT: Duration = Duration::from_secs(10);

fn fast_retries(config: MockConfig) -> MockConfig {
    config.webhook_retry_delay(Duration::from_millis(10))
}

async fn receiver() -> WebhookReceiver {
    WebhookReceiver::answering(204).await
}

fn create_body() -> CreateConnectSessionRequest {
    CreateConnectSessionRequest::new(Intent::view_subscriptions())
        .callback_url("https://example.com/a")
}

/// Creates a session on `server`: the call whose delivery a test watches.
async fn create_session(server: &MockServer) -> ConnectSession {
    server
        .client()
        .create_connect_session(&create_body())
        .await
        .unwrap()
}

/// An address on 127.0.0.1 where nothing listens: a port that was just free.
fn closed_address() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

#[tokio::test]
async fn create_and_update_each_deliver_a_verified_event() {
    let endpoint = receiver().await;
    let url = format!("{}/webhooks", endpoint.url());
    let server = MockServer::start_with(MockConfig::default().webhook_endpoint(&url, SECRET)).await;
    let client = server.client();
    let created = client.create_connect_session(&create_body()).await.unwrap();
    // Wait for the first, so the two arrive in order for the asserts below.
    assert_eq!(server.wait_for_deliveries(1, WAIT).await.len(), 1);
    let update = UpdateConnectSessionRequest::new().callback_url("https://example.com/b");
    client
        .update_connect_session(&created.id, &update)
        .await
        .unwrap();
    let deliveries = server.wait_for_deliveries(2, WAIT).await;
    assert_eq!(deliveries.len(), 2);
    assert!(deliveries.iter().all(|d| d.is_success() && d.attempt == 1));

    let webhook = Webhook::new(SECRET).unwrap();
    let received = endpoint.requests();
    assert_eq!(received.len(), 2);
    let events: Vec<Event> = received
        .iter()
        .map(|request| {
            assert_eq!(request.method, "POST");
            assert_eq!(request.path, "/webhooks");
            assert_eq!(request.header("content-type"), Some("application/json"));
            webhook.verify(&request.headers, &request.body).unwrap()
        })
        .collect();
    let Event::ConnectSessionCreated(first) = &events[0] else {
        panic!("{:?}", events[0]);
    };
    assert_eq!(first.data.id, created.id);
    assert_eq!(
        first.data.url, created.url,
        "the created event carries the url"
    );
    assert_eq!(first.project, server.project());
    assert_eq!(first.specversion, "1.0");
    let Event::ConnectSessionUpdated(second) = &events[1] else {
        panic!("{:?}", events[1]);
    };
    assert_eq!(
        second.data.callback_url.as_deref(),
        Some("https://example.com/b")
    );
    assert_eq!(
        second.previous_data.callback_url,
        Patch::Set("https://example.com/a".to_owned())
    );
    assert!(second.previous_data.intent.is_none());
    assert!(second.previous_data.extra.is_empty());
    // A fresh webhook-id (and event id) per event.
    assert_ne!(
        received[0].header("webhook-id"),
        received[1].header("webhook-id")
    );
    assert_ne!(events[0].id(), events[1].id());
    // What the server recorded is what the endpoint received.
    assert_eq!(deliveries[0].body, received[0].body);
    assert_eq!(
        Some(deliveries[0].webhook_id.as_str()),
        received[0].header("webhook-id")
    );
    assert!(
        webhook
            .verify(&deliveries[1].headers(), &deliveries[1].body)
            .is_ok()
    );
}

#[tokio::test]
async fn a_failed_delivery_is_retried_with_the_same_webhook_id() {
    let endpoint = receiver().await;
    endpoint.respond(503);
    endpoint.respond(500);
    let server = MockServer::start_with(fast_retries(
        MockConfig::default().webhook_endpoint(&endpoint.url(), SECRET),
    ))
    .await;
    create_session(&server).await;
    let deliveries = server.wait_for_deliveries(3, WAIT).await;
    let outcomes: Vec<_> = deliveries
        .iter()
        .map(|d| (d.attempt, d.outcome.clone()))
        .collect();
    assert_eq!(
        outcomes,
        [
            (1, DeliveryOutcome::Status(503)),
            (2, DeliveryOutcome::Status(500)),
            (3, DeliveryOutcome::Status(204)),
        ]
    );
    let received = endpoint.requests();
    assert_eq!(received.len(), 3);
    let webhook = Webhook::new(SECRET).unwrap();
    for request in &received {
        assert_eq!(
            request.header("webhook-id"),
            received[0].header("webhook-id")
        );
        assert_eq!(request.body, received[0].body);
        webhook.verify(&request.headers, &request.body).unwrap();
    }
}

#[tokio::test]
async fn an_unreachable_endpoint_is_tried_a_bounded_number_of_times() {
    let closed = format!("http://{}", closed_address());
    let server = MockServer::start_with(fast_retries(
        MockConfig::default()
            .webhook_endpoint(&closed, SECRET)
            .webhook_max_attempts(3),
    ))
    .await;
    let created = create_session(&server).await;
    assert!(created.url.is_some());
    let deliveries = server.wait_for_deliveries(3, WAIT).await;
    assert_eq!(deliveries.len(), 3);
    assert!(
        deliveries
            .iter()
            .all(|d| matches!(d.outcome, DeliveryOutcome::Unreachable(_)))
    );
    assert_eq!(
        deliveries.iter().map(|d| d.attempt).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    // No fourth attempt comes.
    assert_eq!(
        server
            .wait_for_deliveries(4, Duration::from_millis(300))
            .await
            .len(),
        3
    );
}

#[tokio::test]
async fn the_api_call_answers_while_its_delivery_is_still_in_flight() {
    // The endpoint takes 3 s to answer; the create must not wait for it.
    let endpoint = WebhookReceiver::answering_after(204, Duration::from_secs(3)).await;
    let server =
        MockServer::start_with(MockConfig::default().webhook_endpoint(&endpoint.url(), SECRET))
            .await;
    create_session(&server).await;
    assert!(
        server.webhook_deliveries().is_empty(),
        "the call waited for its delivery"
    );
    let deliveries = server.wait_for_deliveries(1, WAIT).await;
    assert!(deliveries[0].is_success());
}

#[tokio::test]
async fn every_endpoint_gets_the_event_under_its_own_webhook_id() {
    let (a, b) = (receiver().await, receiver().await);
    let other_secret = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    let server = MockServer::start_with(
        MockConfig::default()
            .webhook_endpoint(&a.url(), SECRET)
            .webhook_endpoint(&b.url(), other_secret),
    )
    .await;
    create_session(&server).await;
    assert_eq!(server.wait_for_deliveries(2, WAIT).await.len(), 2);
    let (from_a, from_b) = (a.single_request(), b.single_request());
    assert_eq!(from_a.body, from_b.body);
    assert_ne!(from_a.header("webhook-id"), from_b.header("webhook-id"));
    Webhook::new(SECRET)
        .unwrap()
        .verify(&from_a.headers, &from_a.body)
        .unwrap();
    Webhook::new(other_secret)
        .unwrap()
        .verify(&from_b.headers, &from_b.body)
        .unwrap();
}

#[tokio::test]
async fn a_replayed_create_and_a_failed_call_send_no_event() {
    let endpoint = receiver().await;
    let server =
        MockServer::start_with(MockConfig::default().webhook_endpoint(&endpoint.url(), SECRET))
            .await;
    let client = server.client();
    for _ in 0..2 {
        client
            .create_connect_session(&create_body())
            .idempotency_key("same-key")
            .await
            .unwrap();
    }
    let missing = UpdateConnectSessionRequest::new().callback_url("https://example.com/x");
    assert!(
        client
            .update_connect_session("csn_missing", &missing)
            .await
            .is_err()
    );
    let deliveries = server
        .wait_for_deliveries(2, Duration::from_millis(500))
        .await;
    assert_eq!(deliveries.len(), 1, "{deliveries:?}");
    assert!(matches!(
        deliveries[0].event().unwrap(),
        Event::ConnectSessionCreated(_)
    ));
}

#[tokio::test]
async fn without_endpoints_nothing_is_delivered_and_debug_hides_secrets() {
    let server = MockServer::start().await;
    create_session(&server).await;
    assert!(
        server
            .wait_for_deliveries(1, Duration::from_millis(200))
            .await
            .is_empty()
    );
    let config = MockConfig::default().webhook_endpoint("http://127.0.0.1:9/", SECRET);
    let debug = format!("{config:?}");
    assert!(
        !debug.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
        "{debug}"
    );
}

#[tokio::test]
async fn a_delivery_debug_shows_no_body_or_url_token() {
    let endpoint = receiver().await;
    let server =
        MockServer::start_with(MockConfig::default().webhook_endpoint(&endpoint.url(), SECRET))
            .await;
    let created = create_session(&server).await;
    let deliveries = server.wait_for_deliveries(1, WAIT).await;
    let token = created
        .url
        .unwrap()
        .expose_secret()
        .rsplit("token=")
        .next()
        .unwrap()
        .to_owned();
    assert!(String::from_utf8_lossy(&deliveries[0].body).contains(&token));
    let debug = format!("{deliveries:?}");
    assert!(!debug.contains(&token), "{debug}");
}

#[tokio::test]
async fn by_default_an_endpoint_gets_four_attempts() {
    let endpoint = WebhookReceiver::answering(500).await;
    let config = MockConfig::default().webhook_endpoint(&endpoint.url(), SECRET);
    assert_eq!(config.webhooks.first_retry_delay, Duration::from_millis(50));
    let server = MockServer::start_with(config).await;
    create_session(&server).await;
    // Pauses of 50, 100 and 200 ms between the four attempts.
    let deliveries = server.wait_for_deliveries(4, WAIT).await;
    assert_eq!(
        deliveries.iter().map(|d| d.attempt).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
    assert_eq!(
        server
            .wait_for_deliveries(5, Duration::from_millis(600))
            .await
            .len(),
        4
    );
    assert_eq!(endpoint.requests().len(), 4);
}

#[tokio::test]
async fn an_endpoint_url_with_a_secret_shows_in_no_outcome_or_debug() {
    // An endpoint URL that carries credentials.
    let closed = closed_address();
    let url = format!("http://hook:PW-S3CR3T@{closed}/in/PATH-S3CR3T?key=Q-S3CR3T");
    let config = MockConfig::default()
        .webhook_endpoint(&url, SECRET)
        .webhook_max_attempts(1);
    let shown_config = format!("{config:?}");
    let server = MockServer::start_with(config).await;
    create_session(&server).await;
    let deliveries = server.wait_for_deliveries(1, WAIT).await;
    let DeliveryOutcome::Unreachable(reason) = &deliveries[0].outcome else {
        panic!("{:?}", deliveries[0]);
    };

    for shown in [reason.clone(), format!("{:?}", deliveries[0]), shown_config] {
        assert!(!shown.contains("S3CR3T"), "{shown}");
    }
    assert!(
        format!("{:?}", deliveries[0]).contains(&closed.to_string()),
        "the endpoint is still named by its origin"
    );
}
