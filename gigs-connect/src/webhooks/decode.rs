//! A verified body → `Event`: its `type` first, then the event of that type in one
//! pass that tracks the path, so a failure names the field.

use super::{Event, WebhookError};
use serde::Deserialize;
use std::borrow::Cow;

/// At most this many characters of an event type go into an error.
const TYPE_CHARS: usize = 100;

/// Decodes an event; an unknown `type` becomes `Event::Unknown`.
pub(crate) fn decode_event(body: &[u8]) -> Result<Event, WebhookError> {
    #[derive(Deserialize)]
    struct TypeOnly<'a> {
        #[serde(rename = "type", borrow)]
        event_type: Cow<'a, str>,
    }
    let mut json = serde_json::Deserializer::from_slice(body);
    let head: TypeOnly<'_> =
        serde_path_to_error::deserialize(&mut json).map_err(|e| decode_error(None, e))?;
    let event_type = head.event_type;
    let mut json = serde_json::Deserializer::from_slice(body);
    let mut track = serde_path_to_error::Track::new();
    let tracked = serde_path_to_error::Deserializer::new(&mut json, &mut track);
    let typed = Some(event_type.chars().take(TYPE_CHARS).collect::<String>());
    match Event::decode_as(&event_type, tracked) {
        Ok(event) => Ok(event),
        Err(inner) => Err(decode_error(
            typed,
            serde_path_to_error::Error::new(track.path(), inner),
        )),
    }
}

fn decode_error(
    event_type: Option<String>,
    error: serde_path_to_error::Error<serde_json::Error>,
) -> WebhookError {
    let path = error.path().to_string();
    // No API token to hide here; session urls and `token` values are scrubbed.
    let message = crate::scrub::text(&error.into_inner().to_string(), None);
    WebhookError::Decode {
        event_type,
        path,
        message,
    }
}

impl<'de> Deserialize<'de> for Event {
    /// Any event, by its `type` (for events stored after verification); an unknown
    /// type becomes `Event::Unknown`.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = serde_json::Value::deserialize(deserializer)?;
        let event_type = match value.get("type") {
            Some(serde_json::Value::String(event_type)) => event_type.clone(),
            _ => return Err(D::Error::missing_field("type")),
        };
        Event::decode_as(&event_type, value).map_err(D::Error::custom)
    }
}
