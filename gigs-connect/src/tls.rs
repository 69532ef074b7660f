//! The TLS backend under the client's connections, chosen by Cargo feature, and the
//! reqwest configuration that makes it never depend on a process-wide rustls default.
//!
//! With a rustls feature the client hands reqwest a finished `rustls::ClientConfig`
//! built with an explicit crypto provider (`builder_with_provider`). reqwest's own
//! path would ask rustls for the process default and, when another crate in the
//! build turned on reqwest's `rustls-no-provider` or both rustls providers, panic
//! for lack of one; this path has nothing to look up.

use crate::error::Error;

/// A TLS implementation compiled into this build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TlsBackend {
    /// rustls with the `ring` crypto provider (feature `rustls-ring`).
    #[cfg(feature = "rustls-ring")]
    RustlsRing,
    /// rustls with the `aws-lc-rs` crypto provider (feature `rustls-aws-lc`, the
    /// default).
    #[cfg(feature = "rustls-aws-lc")]
    RustlsAwsLc,
    /// The platform's TLS through `native-tls` (feature `native-tls`).
    #[cfg(feature = "native-tls")]
    NativeTls,
}

/// Every backend compiled in, the one the client uses first: a non-default
/// feature is on only because someone asked for it, so it wins over the default.
pub(crate) const COMPILED_IN: &[TlsBackend] = &[
    #[cfg(feature = "native-tls")]
    TlsBackend::NativeTls,
    #[cfg(feature = "rustls-ring")]
    TlsBackend::RustlsRing,
    #[cfg(feature = "rustls-aws-lc")]
    TlsBackend::RustlsAwsLc,
];

/// Sets up TLS on `builder` for a client whose requests go to `base_url`.
///
/// Without a TLS feature only `http` (loopback, e.g. the mock server) works, and an
/// `https` base URL is a configuration error naming the features to enable.
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
    base_url: &str,
) -> Result<reqwest::ClientBuilder, Error> {
    let https = base_url.starts_with("https:");
    match COMPILED_IN.first() {
        Some(backend) => backend.configure(builder, https),
        None if https => Err(Error::Config {
            reason: "this build of gigs-connect has no TLS backend, so it cannot reach an \
                     `https` base URL; enable one of its features `rustls-aws-lc` (the default), \
                     `rustls-ring` or `native-tls`"
                .to_owned(),
        }),
        None => Ok(builder),
    }
}

impl TlsBackend {
    /// Sets up `builder` to use this backend. `https` says whether the client will
    /// ever make a TLS connection: redirects are off, so an `http` client never does.
    // Only rustls looks at `https`, and with no backend at all there is no variant.
    #[cfg_attr(
        not(any(feature = "rustls-ring", feature = "rustls-aws-lc")),
        allow(unused_variables)
    )]
    pub(crate) fn configure(
        self,
        builder: reqwest::ClientBuilder,
        https: bool,
    ) -> Result<reqwest::ClientBuilder, Error> {
        match self {
            #[cfg(feature = "rustls-ring")]
            TlsBackend::RustlsRing => Ok(builder.tls_backend_preconfigured(rustls_config(
                rustls::crypto::ring::default_provider(),
                https,
            )?)),
            #[cfg(feature = "rustls-aws-lc")]
            TlsBackend::RustlsAwsLc => Ok(builder.tls_backend_preconfigured(rustls_config(
                rustls::crypto::aws_lc_rs::default_provider(),
                https,
            )?)),
            #[cfg(feature = "native-tls")]
            TlsBackend::NativeTls => Ok(builder.tls_backend_native()),
        }
    }
}

/// A rustls client configuration on `provider`: the platform's certificate
/// verifier (as reqwest's default uses) for an `https` client, and HTTP/1.1, the
/// only protocol the client speaks.
///
/// An `http` client gets an empty root store instead: it never makes a TLS
/// connection, and so it works (against the mock server, say) on a machine
/// without CA certificates, where the platform verifier refuses to load.
#[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc"))]
fn rustls_config(
    provider: rustls::crypto::CryptoProvider,
    https: bool,
) -> Result<rustls::ClientConfig, Error> {
    use std::sync::Arc;
    let tls_error = |what: &str, error: rustls::Error| Error::Config {
        reason: format!("TLS {what}: {error}"),
    };
    let provider = Arc::new(provider);
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error("protocol versions", e))?;
    let mut config = if https {
        let verifier = rustls_platform_verifier::Verifier::new(provider)
            .map_err(|e| tls_error("certificate verifier", e))?;
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth()
    } else {
        builder
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth()
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use tokio::io::AsyncReadExt;
    use tokio::net::TcpListener;

    /// A TLS record carrying a handshake message (RFC 8446 §5.1: content type 22,
    /// then the legacy record version 3.x).
    fn is_tls_handshake_record(bytes: &[u8]) -> bool {
        matches!(bytes, [22, 3, _, ..])
    }

    /// Starts a TCP listener on 127.0.0.1 that reads the first bytes of one
    /// connection, then closes it; returns its https URL and those bytes.
    async fn first_bytes_server() -> (String, tokio::task::JoinHandle<Vec<u8>>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("https://{}", listener.local_addr().unwrap());
        let handle = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut bytes = vec![0; 5];
            socket.read_exact(&mut bytes).await.unwrap();
            bytes
        });
        (url, handle)
    }

    #[tokio::test]
    async fn every_compiled_in_backend_builds_a_client_that_speaks_tls() {
        for &backend in COMPILED_IN {
            let (url, server) = first_bytes_server().await;
            let builder = reqwest::Client::builder().timeout(Duration::from_secs(10));
            let client = backend
                .configure(builder, true)
                .unwrap_or_else(|e| panic!("{backend:?}: {e}"))
                .build()
                .unwrap_or_else(|e| panic!("{backend:?}: {e}"));
            let sent = client.get(format!("{url}/")).send().await;
            assert!(
                sent.is_err(),
                "{backend:?}: a server that hangs up cannot answer"
            );
            let first = server.await.unwrap();
            assert!(
                is_tls_handshake_record(&first),
                "{backend:?} opened with {first:?}, not a TLS handshake record"
            );
        }
    }

    #[test]
    fn an_http_client_builds_with_every_compiled_in_backend() {
        for &backend in COMPILED_IN {
            let builder = backend
                .configure(reqwest::Client::builder(), false)
                .unwrap_or_else(|e| panic!("{backend:?}: {e}"));
            builder
                .build()
                .unwrap_or_else(|e| panic!("{backend:?}: {e}"));
        }
    }

    #[cfg(all(
        feature = "rustls-aws-lc",
        not(feature = "rustls-ring"),
        not(feature = "native-tls")
    ))]
    #[test]
    fn the_default_features_compile_in_rustls_with_aws_lc_alone() {
        assert_eq!(COMPILED_IN, &[TlsBackend::RustlsAwsLc]);
    }

    #[cfg(any(feature = "rustls-ring", feature = "native-tls"))]
    #[test]
    fn a_backend_turned_on_by_hand_wins_over_the_default() {
        let expected = if cfg!(feature = "native-tls") {
            "NativeTls"
        } else {
            "RustlsRing"
        };
        assert_eq!(format!("{:?}", COMPILED_IN[0]), expected);
    }

    #[cfg(not(any(
        feature = "rustls-ring",
        feature = "rustls-aws-lc",
        feature = "native-tls"
    )))]
    #[test]
    fn without_a_backend_an_https_base_url_is_a_config_error_naming_the_features() {
        let error = configure(reqwest::Client::builder(), "https://api.gigs.com").unwrap_err();
        let message = error.to_string();
        assert!(message.contains("`rustls-aws-lc`"), "{message}");
        assert!(configure(reqwest::Client::builder(), "http://127.0.0.1:1").is_ok());
    }
}
