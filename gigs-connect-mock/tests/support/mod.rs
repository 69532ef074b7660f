//! Helpers the mock's tests share: a plain reqwest client, [`HangUpProxy`] (a
//! proxy that loses the server's answer on the way back) and [`WebhookReceiver`]
//! (an endpoint for the mock's webhook deliveries).

// Each test file uses a subset of these helpers.
#![allow(dead_code)]

mod proxy;
mod receiver;

#[allow(unused_imports)]
pub use proxy::HangUpProxy;
#[allow(unused_imports)]
pub use receiver::{Received, WebhookReceiver};

/// A plain reqwest client, for requests the typed client cannot send, with the
/// TLS setup gigs-connect's features chose (under reqwest's `rustls-no-provider`,
/// `reqwest::Client::new()` would panic without a process-wide crypto provider).
pub fn raw_client() -> reqwest::Client {
    gigs_connect::__private::tls_configure(reqwest::Client::builder(), "http://127.0.0.1")
        .expect("plain http needs no TLS")
        .build()
        .expect("a reqwest client builds")
}
