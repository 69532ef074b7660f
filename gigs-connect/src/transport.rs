//! What carries one attempt to the server: the client's own `reqwest::Client`, a
//! caller's (`ClientBuilder::http_client`), or a caller's middleware stack
//! (`ClientBuilder::middleware`, feature `middleware`).
//!
//! The retry, deadline and idempotency layer sits above this one: each attempt
//! is built in full (authentication and `Idempotency-Key` included) and handed
//! here as a finished `reqwest::Request`, so a middleware sees every attempt
//! exactly as it goes out, and nothing below can retry behind our back.

use crate::error::Error;
use crate::retry::Failure;

/// The HTTP stack under the client.
pub(crate) enum Transport {
    /// A `reqwest::Client`: the client's own, or a caller's.
    Reqwest(reqwest::Client),
    /// A caller's `reqwest_middleware` stack.
    #[cfg(feature = "middleware")]
    Middleware(reqwest_middleware::ClientWithMiddleware),
}

/// Why an attempt got no response, and whether it may have reached the server.
pub(crate) struct SendFailure {
    pub(crate) error: Error,
    pub(crate) failure: Failure,
}

impl Transport {
    /// Sends one attempt for `operation`. `token` is only for scrubbing a
    /// middleware's error message, which is text of the caller's code.
    #[cfg_attr(not(feature = "middleware"), allow(unused_variables))]
    pub(crate) async fn send(
        &self,
        operation: &'static str,
        request: reqwest::Request,
        token: &str,
    ) -> Result<reqwest::Response, SendFailure> {
        match self {
            Transport::Reqwest(client) => client
                .execute(request)
                .await
                .map_err(|source| from_reqwest(operation, source)),
            #[cfg(feature = "middleware")]
            Transport::Middleware(client) => {
                client.execute(request).await.map_err(|error| match error {
                    reqwest_middleware::Error::Reqwest(source) => from_reqwest(operation, source),
                    // A middleware's own error: it may have sent the request or not.
                    reqwest_middleware::Error::Middleware(source) => SendFailure {
                        error: Error::Middleware {
                            operation,
                            reason: crate::scrub::text(&format!("{source:#}"), Some(token)),
                            idempotency_key: None,
                        },
                        failure: Failure::MaybeSent,
                    },
                })
            }
        }
    }
}

fn from_reqwest(operation: &'static str, source: reqwest::Error) -> SendFailure {
    // A connect error (refused, DNS, TLS handshake) means nothing was sent.
    let failure = if source.is_connect() {
        Failure::NotSent
    } else {
        Failure::MaybeSent
    };
    SendFailure {
        error: transport_error(operation, source),
        failure,
    }
}

/// An `Error::Transport` without the URL (whose query could carry a caller's value).
pub(crate) fn transport_error(operation: &'static str, source: reqwest::Error) -> Error {
    Error::Transport {
        operation,
        source: source.without_url(),
        idempotency_key: None,
    }
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Transport::Reqwest(_) => "reqwest::Client",
            #[cfg(feature = "middleware")]
            Transport::Middleware(_) => "reqwest_middleware::ClientWithMiddleware",
        })
    }
}
