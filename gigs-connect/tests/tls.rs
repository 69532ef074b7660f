//! The client's TLS, whatever backend features this build has: an `https` base URL
//! gets a TLS handshake (never a panic for lack of a rustls crypto provider), and a
//! build without a backend says which feature to enable.
//!
//! CI runs this file under every TLS feature combination, including reqwest's
//! `rustls-no-provider` turned on from outside (`.ci/run`, "TLS features").

use gigs_connect::{Client, Error};
use std::time::Duration;

/// A TCP listener on 127.0.0.1 that reads the first five bytes of one connection
/// and hangs up; returns its `https` URL and those bytes.
#[cfg(any(
    feature = "rustls-ring",
    feature = "rustls-aws-lc",
    feature = "native-tls"
))]
async fn first_bytes_server() -> (String, tokio::task::JoinHandle<Vec<u8>>) {
    use tokio::io::AsyncReadExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let handle = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut bytes = vec![0; 5];
        socket.read_exact(&mut bytes).await.unwrap();
        bytes
    });
    (url, handle)
}

fn client(base_url: &str) -> Result<Client, Error> {
    Client::builder()
        .project("acme")
        .token("sk_test_token")
        .base_url(base_url)
        .max_retries(0)
        .timeout(Duration::from_secs(10))
        .build()
}

#[cfg(any(
    feature = "rustls-ring",
    feature = "rustls-aws-lc",
    feature = "native-tls"
))]
#[tokio::test]
async fn an_https_base_url_opens_with_a_tls_handshake_and_fails_cleanly_when_the_server_hangs_up() {
    let (url, server) = first_bytes_server().await;
    let client = client(&url).expect("a client with a TLS backend builds");
    let error = client
        .retrieve_connect_session("csn_0SNlurA049MEWV1GWxpaE5D0t2D6")
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Transport { .. }),
        "expected a transport error, got {error:?}"
    );
    let first = server.await.unwrap();
    // A TLS record carrying a handshake message: content type 22, version 3.x.
    assert!(
        matches!(first.as_slice(), [22, 3, ..]),
        "the client opened with {first:?}, not a TLS handshake record"
    );
}

#[cfg(not(any(
    feature = "rustls-ring",
    feature = "rustls-aws-lc",
    feature = "native-tls"
)))]
#[test]
fn without_a_tls_backend_an_https_base_url_is_a_config_error_naming_the_features() {
    let error = client("https://api.gigs.com").unwrap_err();
    assert!(matches!(error, Error::Config { .. }), "{error:?}");
    let message = error.to_string();
    for feature in ["`rustls-ring`", "`rustls-aws-lc`", "`native-tls`"] {
        assert!(
            message.contains(feature),
            "{message} does not name {feature}"
        );
    }
}

#[test]
fn an_http_loopback_client_builds_with_any_tls_features() {
    client("http://127.0.0.1:9").expect("plain http on loopback needs no TLS");
}

/// Adding gigs-connect never makes another `reqwest::Client::new()` in the same
/// build panic for lack of a rustls crypto provider: with our default
/// `rustls-aws-lc`, reqwest gets its own provider (its `rustls` feature); with
/// `native-tls`, reqwest's default backend is native-tls. A plain client is
/// built before ours and after it, as an application's own code would.
#[cfg(any(feature = "rustls-aws-lc", feature = "native-tls"))]
#[test]
fn a_plain_reqwest_client_builds_beside_ours_without_a_provider_installed() {
    let before = std::panic::catch_unwind(reqwest::Client::new);
    assert!(before.is_ok(), "a plain client before ours panicked");
    client("https://api.gigs.com").expect("our client builds");
    let after = std::panic::catch_unwind(reqwest::Client::new);
    assert!(after.is_ok(), "a plain client after ours panicked");
}

/// `rustls-ring` alone turns on reqwest's `rustls-no-provider` (reqwest has no
/// feature for rustls with ring): a plain client of the application's then needs
/// a provider installed first, as the README says; with one, it builds beside ours.
#[cfg(all(
    feature = "rustls-ring",
    not(feature = "rustls-aws-lc"),
    not(feature = "native-tls")
))]
#[test]
fn with_rustls_ring_alone_a_plain_reqwest_client_builds_once_a_provider_is_installed() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    client("https://api.gigs.com").expect("our client builds");
    reqwest::Client::new();
}

/// Without a TLS feature of ours, we add no TLS to reqwest: a plain client builds.
#[cfg(not(any(
    feature = "rustls-ring",
    feature = "rustls-aws-lc",
    feature = "native-tls"
)))]
#[test]
fn without_a_tls_feature_a_plain_reqwest_client_builds_beside_ours() {
    client("http://127.0.0.1:9").expect("our client builds");
    let plain = std::panic::catch_unwind(reqwest::Client::new);
    assert!(plain.is_ok(), "a plain client panicked");
}

/// With a `reqwest::Client` of the caller's (`ClientBuilder::http_client`), its
/// TLS carries our requests: an `https` base URL builds whatever our TLS features,
/// none included. (With `rustls-ring` alone, the caller's plain client would need
/// a provider installed first; see the test above.)
#[cfg(not(all(
    feature = "rustls-ring",
    not(feature = "rustls-aws-lc"),
    not(feature = "native-tls")
)))]
#[test]
fn an_https_base_url_builds_with_the_callers_reqwest_client_whatever_our_tls_features() {
    let theirs = reqwest::Client::builder().build().unwrap();
    let ours = Client::builder()
        .project("acme")
        .token("sk_test_token")
        .base_url("https://api.gigs.com")
        .http_client(theirs)
        .build();
    assert!(ours.is_ok(), "{ours:?}");
}
