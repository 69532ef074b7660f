//! A verified body → `Event`: read once as a JSON object (no duplicate key, nothing
//! after it), its `type` taken from that object, then the event of that type
//! decoded with its field path tracked, so a failure names the field. Verifying
//! and the stored-event `Deserialize` read bodies the same way.

use super::{Event, WebhookError};
use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// At most this many characters of an event type go into an error.
const TYPE_CHARS: usize = 100;

/// Decodes an event; an unknown `type` becomes `Event::Unknown`.
pub(crate) fn decode_event(body: &[u8]) -> Result<Event, WebhookError> {
    let mut json = serde_json::Deserializer::from_slice(body);
    let object = StrictObject::deserialize(&mut json)
        .and_then(|object| json.end().map(|()| object.0))
        .map_err(|e| decode_error(None, ".".to_owned(), &e))?;
    let event_type = match object.get("type") {
        Some(Value::String(event_type)) => event_type.clone(),
        Some(_) => return Err(whole_body_error("`type` is not a string")),
        None => return Err(whole_body_error("missing field `type`")),
    };
    let mut track = serde_path_to_error::Track::new();
    let tracked = serde_path_to_error::Deserializer::new(Value::Object(object), &mut track);
    let typed = Some(event_type.chars().take(TYPE_CHARS).collect::<String>());
    Event::decode_as(&event_type, tracked)
        .map_err(|inner| decode_error(typed, track.path().to_string(), &inner))
}

fn whole_body_error(message: &str) -> WebhookError {
    WebhookError::Decode {
        event_type: None,
        path: ".".to_owned(),
        message: message.to_owned(),
    }
}

fn decode_error(
    event_type: Option<String>,
    path: String,
    error: &serde_json::Error,
) -> WebhookError {
    // serde's message quotes the value it failed on: no API token to hide here,
    // session urls and `token` values scrubbed, and cut short.
    let message = crate::error::decode_reason(&error.to_string(), None);
    WebhookError::Decode {
        event_type,
        path,
        message,
    }
}

/// A JSON object that refuses a key given twice: a body with two `type`s could
/// otherwise be read as one event type here and another elsewhere.
struct StrictObject(Map<String, Value>);

impl<'de> Deserialize<'de> for StrictObject {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Strict;
        impl<'de> Visitor<'de> for Strict {
            type Value = StrictObject;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an event: a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<StrictObject, A::Error> {
                let mut object = Map::new();
                while let Some(key) = access.next_key::<String>()? {
                    if object.contains_key(&key) {
                        let shown: String = key.chars().take(TYPE_CHARS).collect();
                        return Err(de::Error::custom(format_args!("duplicate key `{shown}`")));
                    }
                    let value = access.next_value()?;
                    object.insert(key, value);
                }
                Ok(StrictObject(object))
            }
        }
        deserializer.deserialize_map(Strict)
    }
}

impl<'de> Deserialize<'de> for Event {
    /// Any event, by its `type` (for events stored after verification); an unknown
    /// type becomes `Event::Unknown`. A key given twice is refused, as
    /// [`Webhook::verify`](super::Webhook::verify) refuses it.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let object = StrictObject::deserialize(deserializer)?.0;
        let event_type = match object.get("type") {
            Some(Value::String(event_type)) => event_type.clone(),
            _ => return Err(D::Error::missing_field("type")),
        };
        Event::decode_as(&event_type, Value::Object(object)).map_err(D::Error::custom)
    }
}
