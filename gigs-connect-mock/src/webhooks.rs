//! The mock's webhook deliveries (feature `webhooks`): every create and
//! update sends its event to each endpoint of [`MockConfig::webhook_endpoint`],
//! signed as Gigs (through Svix) signs, from a task of its own, so the API call that
//! caused it never waits for or fails with a delivery.

use crate::answer::Answer;
use crate::ids::{random_chars, random_id};
use crate::sessions::Sessions;
use crate::shape::Operation;
use gigs_connect::SecretString;
use gigs_connect::webhooks::{ConnectSessionCreatedEvent, ConnectSessionUpdatedEvent, Webhook};
use serde_json::{Map, Value as Json, json};
use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::Notify;
use tokio::task::JoinSet;

/// The API version events are serialised with, as Gigs' default.
const EVENT_VERSION: &str = "2024-10-28";
/// How long one delivery attempt may take.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);
/// The longest pause between two attempts.
const MAX_RETRY_DELAY: Duration = Duration::from_secs(5);

/// Where and how the mock delivers events (part of [`MockConfig`](crate::MockConfig)).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct WebhookSettings {
    /// The endpoints, in the order they were added.
    pub endpoints: Vec<WebhookEndpoint>,
    /// Attempts per event and endpoint: the first and the retries after a non-2xx
    /// answer or no answer. Default 4.
    pub max_attempts: u32,
    /// The pause before the first retry; it doubles for each next one, up to 5 s.
    /// Default 50 ms (Svix waits minutes; a test should not).
    pub first_retry_delay: Duration,
    /// [`MockServer::webhook_deliveries`](crate::MockServer::webhook_deliveries) keeps the newest this many attempts.
    /// Default 1,000.
    pub max_kept_deliveries: usize,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            endpoints: Vec::new(),
            max_attempts: 4,
            first_retry_delay: Duration::from_millis(50),
            max_kept_deliveries: 1_000,
        }
    }
}

/// One endpoint: its URL (`http` on loopback; `https` needs a TLS feature) and secret.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WebhookEndpoint {
    /// Where events are POSTed.
    pub url: String,
    /// The endpoint's signing secret (`whsec_…`); `Debug` redacts it.
    pub secret: SecretString,
}

impl fmt::Debug for WebhookEndpoint {
    /// The URL by its origin only: its path, query or userinfo may hold a secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookEndpoint")
            .field("url", &shown_url(&self.url))
            .field("secret", &self.secret)
            .finish()
    }
}

/// An endpoint URL as `Debug` shows it: scheme, host and port, the rest redacted
/// (`http://127.0.0.1:8080/[redacted]`).
fn shown_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(parsed) if parsed.has_host() => {
            format!("{}/[redacted]", parsed.origin().ascii_serialization())
        }
        _ => "[redacted]".to_owned(),
    }
}

/// One delivery attempt, as the endpoint received it and what it answered.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WebhookDelivery {
    /// The endpoint's URL.
    pub endpoint: String,
    /// `webhook-id`: one per event and endpoint, the same on every attempt.
    pub webhook_id: String,
    /// `webhook-timestamp`: the attempt's time, in seconds since the Unix epoch.
    pub webhook_timestamp: i64,
    /// `webhook-signature`: `v1,<base64>`.
    pub webhook_signature: String,
    /// The event, as sent.
    pub body: Vec<u8>,
    /// 1 for the first attempt, 2 for the first retry, …
    pub attempt: u32,
    /// What came back.
    pub outcome: DeliveryOutcome,
}

/// How a delivery attempt ended.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeliveryOutcome {
    /// The endpoint answered with this status.
    Status(u16),
    /// No answer: the connection failed or timed out. The reason never carries the
    /// endpoint's URL, which may hold a secret.
    Unreachable(String),
}

impl WebhookDelivery {
    /// Whether the endpoint answered 2xx.
    pub fn is_success(&self) -> bool {
        matches!(self.outcome, DeliveryOutcome::Status(status) if (200..300).contains(&status))
    }

    /// The three Standard Webhooks headers the attempt carried.
    pub fn headers(&self) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        for (name, value) in [
            ("webhook-id", self.webhook_id.clone()),
            ("webhook-timestamp", self.webhook_timestamp.to_string()),
            ("webhook-signature", self.webhook_signature.clone()),
        ] {
            if let Ok(value) = http::HeaderValue::try_from(value) {
                headers.insert(name, value);
            }
        }
        headers
    }

    /// The event, decoded (the signature is not checked: use [`Webhook::verify`]).
    pub fn event(
        &self,
    ) -> Result<gigs_connect::webhooks::Event, gigs_connect::webhooks::WebhookError> {
        gigs_connect::__private::decode_event(&self.body)
    }
}

impl fmt::Debug for WebhookDelivery {
    /// Without the body (it carries the session's url) and with the endpoint by its
    /// origin only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookDelivery")
            .field("endpoint", &shown_url(&self.endpoint))
            .field("webhook_id", &self.webhook_id)
            .field("webhook_timestamp", &self.webhook_timestamp)
            .field("attempt", &self.attempt)
            .field("outcome", &self.outcome)
            .field("body", &format_args!("[{} bytes]", self.body.len()))
            .finish()
    }
}

/// The attempts so far, and a signal for those waiting on them.
#[derive(Default)]
struct DeliveryLog {
    kept: Mutex<VecDeque<WebhookDelivery>>,
    limit: usize,
    added: Notify,
}

impl DeliveryLog {
    fn push(&self, delivery: WebhookDelivery) {
        let mut kept = self.kept.lock().expect("webhook log lock");
        kept.push_back(delivery);
        while kept.len() > self.limit {
            kept.pop_front();
        }
        drop(kept);
        self.added.notify_waiters();
    }

    fn to_vec(&self) -> Vec<WebhookDelivery> {
        self.kept
            .lock()
            .expect("webhook log lock")
            .iter()
            .cloned()
            .collect()
    }
}

/// What the server holds for deliveries: the endpoints with their keys, an HTTP
/// client, the running delivery tasks and the log.
pub(crate) struct Outbox {
    endpoints: Vec<(String, Webhook)>,
    max_attempts: u32,
    first_retry_delay: Duration,
    http: Option<reqwest::Client>,
    log: Arc<DeliveryLog>,
    /// Aborted with the server: no delivery outlives it.
    tasks: Mutex<JoinSet<()>>,
}

impl Outbox {
    pub(crate) fn new(settings: &WebhookSettings) -> Outbox {
        let endpoints: Vec<_> = settings
            .endpoints
            .iter()
            .filter_map(|endpoint| {
                let webhook = Webhook::new(endpoint.secret.expose_secret()).ok()?;
                Some((endpoint.url.clone(), webhook))
            })
            .collect();
        let http = (!endpoints.is_empty())
            .then(|| {
                let builder = reqwest::Client::builder()
                    .timeout(ATTEMPT_TIMEOUT)
                    .redirect(reqwest::redirect::Policy::none())
                    .no_proxy();
                gigs_connect::__private::tls_configure(builder, "http://127.0.0.1")
                    .ok()?
                    .build()
                    .ok()
            })
            .flatten();
        Outbox {
            endpoints,
            max_attempts: settings.max_attempts.max(1),
            first_retry_delay: settings.first_retry_delay,
            http,
            log: Arc::new(DeliveryLog {
                limit: settings.max_kept_deliveries,
                ..DeliveryLog::default()
            }),
            tasks: Mutex::default(),
        }
    }

    /// Runs `operation` on the store and, when it created or updated a session,
    /// sends the event. A replayed answer (an idempotency key seen before) never
    /// gets here, so it sends nothing, as Gigs makes no second session.
    pub(crate) fn observe(
        &self,
        project: &str,
        store: &mut Sessions,
        operation: &Operation,
        id: &str,
        run: impl FnOnce(&mut Sessions) -> Answer,
    ) -> Answer {
        if self.endpoints.is_empty() {
            return run(store);
        }
        let stored = |store: &Sessions| match store.retrieve(200, id) {
            Answer { status: 200, body } => Some(body),
            _ => None,
        };
        let before = (operation.id == "updateConnectSession")
            .then(|| stored(store))
            .flatten();
        let answer = run(store);
        if answer.status != operation.status {
            return answer;
        }
        match (operation.id.as_str(), before) {
            ("createConnectSession", _) => self.send(
                ConnectSessionCreatedEvent::TYPE,
                project,
                &answer.body,
                None,
            ),
            ("updateConnectSession", Some(before)) => {
                let after = stored(store).unwrap_or(Json::Null);
                let previous = shallow_diff(&before, &after);
                self.send(
                    ConnectSessionUpdatedEvent::TYPE,
                    project,
                    &answer.body,
                    Some(previous),
                );
            }
            _ => {}
        }
        answer
    }

    /// Builds the event and starts one delivery task per endpoint.
    fn send(&self, event_type: &str, project: &str, data: &Json, previous: Option<Json>) {
        let mut event = json!({
            "object": "event",
            "id": random_id("evt_"),
            "type": event_type,
            "specversion": "1.0",
            "source": "https://api.gigs.com",
            "project": project,
            "time": rfc3339(SystemTime::now()),
            "version": EVENT_VERSION,
            "datacontenttype": "application/json",
            "data": data,
        });
        if let Some(previous) = previous {
            event["previousData"] = previous;
        }
        let body = serde_json::to_vec(&event).expect("a JSON value encodes");
        let mut tasks = self.tasks.lock().expect("webhook tasks lock");
        // Reap finished deliveries so the set stays as small as what is in flight.
        while tasks.try_join_next().is_some() {}
        for (url, webhook) in &self.endpoints {
            let attempt = Attempt {
                http: self.http.clone(),
                url: url.clone(),
                webhook: webhook.clone(),
                webhook_id: format!("msg_{}", random_chars(27)),
                body: body.clone(),
                log: Arc::clone(&self.log),
            };
            tasks.spawn(attempt.deliver(self.max_attempts, self.first_retry_delay));
        }
    }
}

/// One event on its way to one endpoint.
struct Attempt {
    http: Option<reqwest::Client>,
    url: String,
    webhook: Webhook,
    webhook_id: String,
    body: Vec<u8>,
    log: Arc<DeliveryLog>,
}

impl Attempt {
    /// POSTs the event until a 2xx or `max_attempts`, with a doubling pause between.
    async fn deliver(self, max_attempts: u32, first_retry_delay: Duration) {
        let mut delay = first_retry_delay;
        for attempt in 1..=max_attempts {
            let now = SystemTime::now();
            let timestamp = now.duration_since(UNIX_EPOCH).map_or(0, |since| {
                i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
            });
            let signature = self.webhook.sign(&self.webhook_id, now, &self.body);
            let outcome = self.post(timestamp, &signature).await;
            let delivery = WebhookDelivery {
                endpoint: self.url.clone(),
                webhook_id: self.webhook_id.clone(),
                webhook_timestamp: timestamp,
                webhook_signature: signature,
                body: self.body.clone(),
                attempt,
                outcome,
            };
            let delivered = delivery.is_success();
            self.log.push(delivery);
            if delivered || attempt == max_attempts {
                return;
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(MAX_RETRY_DELAY);
        }
    }

    async fn post(&self, timestamp: i64, signature: &str) -> DeliveryOutcome {
        let Some(http) = &self.http else {
            return DeliveryOutcome::Unreachable("no HTTP client could be built".to_owned());
        };
        let sent = http
            .post(&self.url)
            .header("content-type", "application/json")
            .header("webhook-id", &self.webhook_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(self.body.clone())
            .send()
            .await;
        match sent {
            Ok(response) => DeliveryOutcome::Status(response.status().as_u16()),
            // Without the URL: its path or query may carry a secret of the endpoint's.
            Err(error) => DeliveryOutcome::Unreachable(error.without_url().to_string()),
        }
    }
}

impl Outbox {
    /// Every delivery attempt so far, in the order they ended.
    pub(crate) fn deliveries(&self) -> Vec<WebhookDelivery> {
        self.log.to_vec()
    }

    /// Waits until at least `count` delivery attempts have ended, or `timeout`
    /// has passed; the attempts so far either way.
    pub(crate) async fn wait_for(&self, count: usize, timeout: Duration) -> Vec<WebhookDelivery> {
        let log = &self.log;
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let added = log.added.notified();
            tokio::pin!(added);
            // Registered before looking, so an attempt that ends in between still wakes us.
            added.as_mut().enable();
            let deliveries = log.to_vec();
            if deliveries.len() >= count {
                return deliveries;
            }
            if tokio::time::timeout_at(deadline, added).await.is_err() {
                return log.to_vec();
            }
        }
    }
}

/// The previous value of every top-level field that differs (`null` for one that
/// was absent): Gigs' `previousData`.
fn shallow_diff(before: &Json, after: &Json) -> Json {
    let empty = Map::new();
    let before = before.as_object().unwrap_or(&empty);
    let after = after.as_object().unwrap_or(&empty);
    let changed = before
        .keys()
        .chain(after.keys().filter(|key| !before.contains_key(*key)))
        .filter(|key| before.get(*key) != after.get(*key))
        .map(|key| (key.clone(), before.get(key).cloned().unwrap_or(Json::Null)));
    Json::Object(changed.collect())
}

/// `time` of an event: RFC 3339 in UTC, whole seconds.
fn rfc3339(time: SystemTime) -> String {
    let seconds = time
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let (days, of_day) = (seconds / 86_400, seconds % 86_400);
    // Days since 1970-01-01 to a civil date (Howard Hinnant's `civil_from_days`).
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        of_day / 3_600,
        of_day % 3_600 / 60,
        of_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_time_is_rfc3339_in_utc() {
        let at = |seconds| rfc3339(UNIX_EPOCH + Duration::from_secs(seconds));
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        // 2024-02-29 (a leap day) 12:34:56 and 2000-03-01, the day after a 400-year leap day.
        assert_eq!(at(1_709_210_096), "2024-02-29T12:34:56Z");
        assert_eq!(at(951_868_800), "2000-03-01T00:00:00Z");
    }

    #[test]
    fn previous_data_holds_the_old_value_of_each_changed_field() {
        let before = json!({"id": "csn_1", "callbackUrl": null, "appearance": {"theme": "dark"}, "user": "usr_1"});
        let after = json!({"id": "csn_1", "callbackUrl": "https://e.com", "appearance": {"theme": "light"}, "user": "usr_1"});
        assert_eq!(
            shallow_diff(&before, &after),
            json!({"callbackUrl": null, "appearance": {"theme": "dark"}})
        );
    }
}
