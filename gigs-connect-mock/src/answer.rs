//! The mock's HTTP answer: a status and a JSON body, and Gigs' error envelope.

use serde_json::{Value as Json, json};

/// An answer: status and JSON body (no content for 204).
#[derive(Clone, Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: Json,
}

impl Answer {
    /// A Gigs error envelope.
    pub(crate) fn error(status: u16, kind: &str, code: &str, message: impl Into<String>) -> Self {
        Answer {
            status,
            body: json!({
                "object": "error",
                "type": kind,
                "code": code,
                "message": message.into(),
            }),
        }
    }
}
