//! `UnknownVariant`: a union member this SDK version does not know, kept whole.

use serde_json::{Map, Value};

/// An object whose tag (`type`) the spec does not list, for example an intent Gigs
/// added after this SDK was generated. It keeps the raw JSON, so it encodes back
/// exactly as it came.
#[derive(Clone, Debug, PartialEq)]
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

impl serde::Serialize for UnknownVariant {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(serializer)
    }
}
