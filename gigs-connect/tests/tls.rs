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
