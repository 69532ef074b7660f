//! The limits a [`MockServer`](crate::MockServer) holds to, so a slow client or a
//! long test run cannot hang it or grow its memory without bound.

use crate::shape::Tables;
use std::net::SocketAddr;
use std::time::Duration;

/// Timeouts and memory bounds of a [`MockServer`](crate::MockServer); start one
/// with [`MockServer::start_with`](crate::MockServer::start_with).
///
/// ```
/// use gigs_connect_mock::{MockConfig, MockServer};
/// use std::time::Duration;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let config = MockConfig::default()
///     .header_timeout(Duration::from_secs(2))
///     .max_logged_requests(100);
/// let server = MockServer::start_with(config).await;
/// # drop(server);
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct MockConfig {
    /// Where the server listens. Default `127.0.0.1:0`: loopback, a free port.
    pub address: SocketAddr,
    /// The spec the server serves, as its generated tables. Default
    /// [`Tables::connect_sessions`], gigs-connect's own; another crate generated
    /// in Gigs' conventions hands its own with [`Tables::from_json`].
    pub tables: &'static Tables,
    /// How long a connection may take to send a request's headers, counted from
    /// the first byte it sends or, on a kept-alive connection, from the end of the
    /// previous answer: an idle or half-sent connection is closed after it.
    /// Default 10 s.
    pub header_timeout: Duration,
    /// How long the body may take once the headers are in; a late body gets
    /// 408 and the connection is closed. Default 10 s.
    pub body_timeout: Duration,
    /// The request log keeps the newest this many requests. Default 1,000.
    pub max_logged_requests: usize,
    /// … and at most this many bytes in all, counting each request's path,
    /// headers and body (the oldest go first). Default 16 MiB.
    pub max_logged_bytes: usize,
    /// The store keeps the newest this many sessions; an older one answers 404,
    /// as an expired session would. The emails of users created through
    /// `userDetails` are capped at the same count. Default 10,000.
    pub max_sessions: usize,
    /// … and at most this many bytes of sessions, idempotency replays and
    /// emails together, as their JSON (the oldest go first). Default 64 MiB.
    pub max_store_bytes: usize,
    /// Request bodies above this many bytes get 413. Default 1 MiB.
    pub max_body_bytes: usize,
    /// Where creates and updates deliver their events (feature `webhooks`); set
    /// with [`MockConfig::webhook_endpoint`]. None by default.
    #[cfg(feature = "webhooks")]
    pub webhooks: crate::webhooks::WebhookSettings,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            address: SocketAddr::from(([127, 0, 0, 1], 0)),
            tables: Tables::connect_sessions(),
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            max_logged_requests: 1_000,
            max_logged_bytes: 16 * 1024 * 1024,
            max_sessions: 10_000,
            max_store_bytes: 64 * 1024 * 1024,
            max_body_bytes: 1024 * 1024,
            #[cfg(feature = "webhooks")]
            webhooks: crate::webhooks::WebhookSettings::default(),
        }
    }
}

impl MockConfig {
    /// Sets [`MockConfig::address`], e.g. `"127.0.0.1:8080".parse()?`.
    pub fn address(mut self, address: SocketAddr) -> Self {
        self.address = address;
        self
    }

    /// Sets [`MockConfig::tables`].
    pub fn tables(mut self, tables: &'static Tables) -> Self {
        self.tables = tables;
        self
    }

    /// Sets [`MockConfig::header_timeout`].
    pub fn header_timeout(mut self, timeout: Duration) -> Self {
        self.header_timeout = timeout;
        self
    }

    /// Sets [`MockConfig::body_timeout`].
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.body_timeout = timeout;
        self
    }

    /// Sets [`MockConfig::max_logged_requests`].
    pub fn max_logged_requests(mut self, requests: usize) -> Self {
        self.max_logged_requests = requests;
        self
    }

    /// Sets [`MockConfig::max_logged_bytes`].
    pub fn max_logged_bytes(mut self, bytes: usize) -> Self {
        self.max_logged_bytes = bytes;
        self
    }

    /// Sets [`MockConfig::max_sessions`].
    pub fn max_sessions(mut self, sessions: usize) -> Self {
        self.max_sessions = sessions;
        self
    }

    /// Sets [`MockConfig::max_store_bytes`].
    pub fn max_store_bytes(mut self, bytes: usize) -> Self {
        self.max_store_bytes = bytes;
        self
    }

    /// Sets [`MockConfig::max_body_bytes`].
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }
}

#[cfg(feature = "webhooks")]
impl MockConfig {
    /// Delivers every create's and update's event to `url`, signed with `secret`
    /// (`whsec_` and base64, as [`Webhook::new`](gigs_connect::webhooks::Webhook::new) takes it). May be called for
    /// several endpoints.
    ///
    /// # Panics
    /// If `secret` is not a valid webhook secret: a mistake in the test itself.
    pub fn webhook_endpoint(mut self, url: &str, secret: &str) -> MockConfig {
        if let Err(error) = gigs_connect::webhooks::Webhook::new(secret) {
            panic!("MockConfig::webhook_endpoint: {error}");
        }
        self.webhooks
            .endpoints
            .push(crate::webhooks::WebhookEndpoint {
                url: url.to_owned(),
                secret: gigs_connect::SecretString::new(secret),
            });
        self
    }

    /// Sets [`WebhookSettings::max_attempts`](crate::WebhookSettings::max_attempts) (at least 1).
    pub fn webhook_max_attempts(mut self, attempts: u32) -> MockConfig {
        self.webhooks.max_attempts = attempts.max(1);
        self
    }

    /// Sets [`WebhookSettings::first_retry_delay`](crate::WebhookSettings::first_retry_delay).
    pub fn webhook_retry_delay(mut self, delay: Duration) -> MockConfig {
        self.webhooks.first_retry_delay = delay;
        self
    }
}
