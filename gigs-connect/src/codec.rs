//! The (de)serialization machinery generated code calls, kept here so that each
//! generated type spells out only what is particular to it.

use crate::error::Error;
use crate::unknown::UnknownVariant;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, PercentEncode, utf8_percent_encode};
use serde::de::{self, Deserialize, DeserializeOwned, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::fmt;
use std::marker::PhantomData;

/// Everything but RFC 3986's unreserved characters is encoded, so a path parameter
/// can never add a segment (`/`), a query (`?`) or a fragment (`#`).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// One path parameter, percent-encoded as exactly one segment.
///
/// Empty values, `.` and `..` are refused: URL parsers resolve the dot segments
/// (encoded or not) and an empty one changes which endpoint is called.
pub(crate) fn path_segment<'a>(
    operation: &'static str,
    parameter: &'static str,
    value: &'a str,
) -> Result<PercentEncode<'a>, Error> {
    let reason = match value {
        "" => "is empty",
        "." | ".." => "is a dot segment",
        _ => return Ok(utf8_percent_encode(value, SEGMENT)),
    };
    Err(Error::InvalidArgument {
        operation,
        parameter,
        reason,
    })
}

/// Appends query parameters to a path: `?name=value&…` (or `&name=value…` after a
/// query the path already has), each name and value percent-encoded like a path
/// segment, so a value can never add a parameter.
pub(crate) struct Query<'p> {
    path: &'p mut String,
    first: bool,
}

impl<'p> Query<'p> {
    pub(crate) fn new(path: &'p mut String) -> Self {
        let first = !path.contains('?');
        Query { path, first }
    }

    /// Appends `name=value` once per value: none for an unset optional parameter,
    /// several for an array (form style, exploded: `status=a&status=b`).
    pub(crate) fn push<'v, T: fmt::Display + 'v>(
        &mut self,
        name: &str,
        values: impl IntoIterator<Item = &'v T>,
    ) {
        use std::fmt::Write;
        for value in values {
            self.path.push(if self.first { '?' } else { '&' });
            self.first = false;
            let value = value.to_string();
            // Writing to a String cannot fail.
            let _ = write!(
                self.path,
                "{}={}",
                utf8_percent_encode(name, SEGMENT),
                utf8_percent_encode(&value, SEGMENT)
            );
        }
    }
}

/// Refuses an integer parameter outside its documented bounds before anything is sent.
#[allow(
    dead_code,
    reason = "generated code uses it once the spec has such operations; the wider-api fixture crate does"
)]
pub(crate) fn check_range<'v>(
    operation: &'static str,
    parameter: &'static str,
    values: impl IntoIterator<Item = &'v i64>,
    range: std::ops::RangeInclusive<i64>,
    reason: &'static str,
) -> Result<(), Error> {
    match values.into_iter().all(|value| range.contains(value)) {
        true => Ok(()),
        false => Err(Error::InvalidArgument {
            operation,
            parameter,
            reason,
        }),
    }
}

/// Decodes JSON, naming the field that failed (`intent.checkoutNewSubscription.plan`).
///
/// Path tracking wraps every visitor and cost 70% more instructions per decode
/// (callgrind, retrieve through the client), so it runs only to explain a failure.
pub(crate) fn json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    serde_json::from_slice(bytes).map_err(|error| {
        let mut deserializer = serde_json::Deserializer::from_slice(bytes);
        match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Err(e) if e.path().to_string() != "." => {
                let path = e.path().to_string();
                format!("at `{path}`: {}", e.into_inner())
            }
            _ => error.to_string(),
        }
    })
}

/// A success answer the spec gives no content: whatever body arrived is ignored.
#[allow(
    dead_code,
    reason = "generated code uses it once the spec has such operations; the wider-api fixture crate does"
)]
pub(crate) fn no_content(_body: &[u8]) -> Result<(), String> {
    Ok(())
}

/// A map key, borrowed from the input when the format allows it.
pub(crate) enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(key) => key,
            Key::Owned(key) => key,
        }
    }

    fn into_owned(self) -> String {
        match self {
            Key::Borrowed(key) => key.to_owned(),
            Key::Owned(key) => key,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key::Borrowed(key))
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key::Owned(key.to_owned()))
            }
            fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key::Owned(key))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Decodes a tagged union `{"<tag>": X, X: {payload}}` in one pass over the map.
///
/// Generated code matches (tag, key) itself, so a payload that comes after the tag
/// decodes straight into its type; everything else goes through here: the tag,
/// keys seen before it (buffered, since only the tag says what they are), and
/// sibling payload keys of a known tag (skipped: reference docs send all of them).
///
/// Buffered values are kept as raw JSON text, not as `serde_json::Value`: copying
/// the text is one allocation, where a `Value` tree is one per node and must be
/// walked again to decode (profiled: buffering into `Value` was a third of the cost
/// of decoding a session whose payload precedes its `type`). The price is that a
/// buffered payload decodes from JSON deserializers only, which is what this SDK
/// reads.
pub(crate) struct UnionDecoder<T> {
    tag_property: &'static str,
    known_tags: &'static [&'static str],
    tag: Option<String>,
    decoded: Option<T>,
    buffered: Vec<(String, Box<RawValue>)>,
}

/// What a union's map held once it is read.
pub(crate) enum Finished<T> {
    /// The payload decoded directly.
    Decoded(T),
    /// The tag, and whatever was buffered: a payload that came first, a unit
    /// variant, or an unknown tag.
    Pending(Pending),
}

/// A union's map read to its end without a directly decoded payload.
pub(crate) struct Pending {
    tag_property: &'static str,
    tag: String,
    buffered: Vec<(String, Box<RawValue>)>,
}

impl<T> UnionDecoder<T> {
    pub(crate) fn new(tag_property: &'static str, known_tags: &'static [&'static str]) -> Self {
        UnionDecoder {
            tag_property,
            known_tags,
            tag: None,
            decoded: None,
            buffered: Vec::new(),
        }
    }

    /// The tag, once it has been read.
    pub(crate) fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// Takes a key the generated match did not.
    pub(crate) fn skip_or_buffer<'de, A: MapAccess<'de>>(
        &mut self,
        key: Key<'de>,
        map: &mut A,
    ) -> Result<(), A::Error> {
        if key.as_str() == self.tag_property {
            if self.tag.is_some() {
                return Err(de::Error::duplicate_field(self.tag_property));
            }
            self.tag = Some(map.next_value()?);
            return Ok(());
        }
        match &self.tag {
            Some(tag) if self.known_tags.contains(&tag.as_str()) => {
                map.next_value::<IgnoredAny>()?;
            }
            _ => self.buffered.push((key.into_owned(), map.next_value()?)),
        }
        Ok(())
    }

    /// Records the directly decoded payload.
    pub(crate) fn decoded<E: de::Error>(&mut self, value: T) -> Result<(), E> {
        match self.decoded.replace(value) {
            Some(_) => Err(E::custom(format_args!(
                "duplicate payload `{}`",
                self.tag.as_deref().unwrap_or_default()
            ))),
            None => Ok(()),
        }
    }

    /// Ends the map: a missing tag is an error, the rest is up to the caller.
    pub(crate) fn finish<E: de::Error>(self) -> Result<Finished<T>, E> {
        let Some(tag) = self.tag else {
            return Err(E::missing_field(self.tag_property));
        };
        Ok(match self.decoded {
            Some(value) => Finished::Decoded(value),
            None => Finished::Pending(Pending {
                tag_property: self.tag_property,
                tag,
                buffered: self.buffered,
            }),
        })
    }
}

impl Pending {
    pub(crate) fn tag(&self) -> &str {
        &self.tag
    }

    /// Decodes the buffered payload, the value under the key named like the tag.
    pub(crate) fn payload<P: DeserializeOwned, E: de::Error>(&mut self) -> Result<P, E> {
        let Some(at) = self.buffered.iter().position(|(key, _)| *key == self.tag) else {
            return Err(E::custom(format_args!("missing field `{}`", self.tag)));
        };
        let (_, raw) = self.buffered.swap_remove(at);
        serde_json::from_str(raw.get()).map_err(|error| {
            // The outer path ends at the union; decoding again with path tracking
            // (on failure only, it costs) names the field inside the payload.
            let mut deserializer = serde_json::Deserializer::from_str(raw.get());
            match serde_path_to_error::deserialize::<_, P>(&mut deserializer) {
                Err(e) if e.path().to_string() != "." => {
                    let path = e.path().to_string();
                    E::custom(format_args!("{}.{path}: {}", self.tag, e.into_inner()))
                }
                _ => E::custom(format_args!("{}: {error}", self.tag)),
            }
        })
    }

    /// Keeps an object with an unknown tag whole, tag first.
    pub(crate) fn into_unknown<E: de::Error>(self) -> Result<UnknownVariant, E> {
        let mut raw = Map::with_capacity(self.buffered.len() + 1);
        raw.insert(
            self.tag_property.to_owned(),
            Value::String(self.tag.clone()),
        );
        for (key, value) in self.buffered {
            raw.insert(key, serde_json::from_str(value.get()).map_err(E::custom)?);
        }
        Ok(UnknownVariant::new(self.tag, raw))
    }
}

/// Encodes one union variant: `{"<tag property>": tag, tag: payload}`.
pub(crate) fn serialize_variant<S: Serializer, P: serde::Serialize>(
    serializer: S,
    tag_property: &str,
    tag: &str,
    payload: Option<&P>,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(1 + usize::from(payload.is_some())))?;
    map.serialize_entry(tag_property, tag)?;
    if let Some(payload) = payload {
        map.serialize_entry(tag, payload)?;
    }
    map.end()
}

/// Implements `Display`, `Serialize`, `Deserialize` and (with the `schemars`
/// feature) `JsonSchema` for a generated string enum from its `as_str`, `From<&str>` and `VALUES`: the same four impls for
/// every enum, so the generated file spells out only what differs.
macro_rules! string_enum_traits {
    ($name:ident) => {
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::codec::deserialize_string_enum(deserializer)
            }
        }

        #[cfg(feature = "schemars")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                $crate::codec::string_enum_schema(Self::VALUES)
            }
        }
    };
}
pub(crate) use string_enum_traits;

/// Decodes a string enum through `From<&str>`, which keeps values it does not know.
pub(crate) fn deserialize_string_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: de::Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    struct StringEnumVisitor<T>(PhantomData<T>);
    impl<T: for<'a> From<&'a str>> Visitor<'_> for StringEnumVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
            Ok(T::from(value))
        }
    }
    deserializer.deserialize_str(StringEnumVisitor(PhantomData))
}

/// The JSON Schema of a string enum.
#[cfg(feature = "schemars")]
pub(crate) fn string_enum_schema(values: &[&str]) -> schemars::Schema {
    schemars::json_schema!({ "type": "string", "enum": values })
}

/// The JSON Schema of one union variant.
#[cfg(feature = "schemars")]
pub(crate) fn variant_schema(
    tag_property: &str,
    tag: &str,
    payload: Option<schemars::Schema>,
) -> schemars::Schema {
    let mut properties = Map::new();
    properties.insert(
        tag_property.to_owned(),
        serde_json::json!({ "type": "string", "enum": [tag] }),
    );
    let mut required = vec![tag_property.to_owned()];
    if let Some(payload) = payload {
        properties.insert(tag.to_owned(), payload.to_value());
        required.push(tag.to_owned());
    }
    schemars::json_schema!({ "type": "object", "properties": properties, "required": required })
}

/// The JSON Schema of a tagged union.
#[cfg(feature = "schemars")]
pub(crate) fn union_schema<const N: usize>(variants: [schemars::Schema; N]) -> schemars::Schema {
    schemars::json_schema!({ "oneOf": variants.to_vec() })
}
