//! `UnknownEvent`: an event type this SDK version does not know, kept whole.

use serde_json::{Map, Value};
use std::fmt;

/// An event whose `type` the spec does not list (Gigs sends many: subscriptions,
/// devices, …, and adds more). Its JSON is kept as received; `Debug` shows only
/// its id and type, since its data may carry secrets this SDK cannot recognise.
#[derive(Clone, PartialEq)]
pub struct UnknownEvent {
    id: String,
    event_type: String,
    raw: Map<String, Value>,
}

impl UnknownEvent {
    /// The event's `id`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The event's `type`.
    pub fn event_type(&self) -> &str {
        &self.event_type
    }

    /// The whole event as received.
    pub fn raw(&self) -> &Map<String, Value> {
        &self.raw
    }
}

impl fmt::Debug for UnknownEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnknownEvent")
            .field("id", &self.id)
            .field("type", &self.event_type)
            .field("raw", &"[redacted]")
            .finish()
    }
}

impl serde::Serialize for UnknownEvent {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for UnknownEvent {
    /// Any object with a string `id` and `type`.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let raw = Map::<String, Value>::deserialize(deserializer)?;
        let text = |key: &'static str| match raw.get(key) {
            Some(Value::String(text)) => Ok(text.clone()),
            Some(_) => Err(D::Error::custom(format_args!("`{key}` is not a string"))),
            None => Err(D::Error::missing_field(key)),
        };
        Ok(UnknownEvent {
            id: text("id")?,
            event_type: text("type")?,
            raw,
        })
    }
}
