//! `UnknownVariant`: a union member this SDK version does not know, kept whole.

use serde_json::{Map, Value};

/// An object whose tag (`type`) the spec does not list, for example an intent Gigs
/// added after this SDK was generated. It keeps the raw JSON, so it encodes back
/// exactly as it came.
///
/// Its `Debug` shows the object scrubbed (every `url` and `token` value removed, at
/// any depth): it came from the server and may carry a session url. The value
/// itself is kept whole.
#[derive(Clone, PartialEq)]
pub struct UnknownVariant {
    tag: String,
    raw: Map<String, Value>,
}

impl UnknownVariant {
    pub(crate) fn new(tag: String, raw: Map<String, Value>) -> Self {
        UnknownVariant { tag, raw }
    }

    /// The tag as received.
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The whole object as received, tag included.
    pub fn raw(&self) -> &Map<String, Value> {
        &self.raw
    }
}

impl std::fmt::Debug for UnknownVariant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UnknownVariant")
            .field("tag", &crate::scrub::Scrubbed(self.tag.as_str()))
            .field("raw", &crate::scrub::Scrubbed(&self.raw))
            .finish()
    }
}

impl serde::Serialize for UnknownVariant {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(serializer)
    }
}
