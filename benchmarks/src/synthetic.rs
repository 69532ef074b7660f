//! Synthetic specs for the codegen scaling bench: our spec with its intent union
//! resized to N intents, each a renamed copy of a real one, so the generator sees the
//! same shapes (payload or none, nested objects, arrays) in the same proportions.

use serde_json::{Map, Value};

/// The committed spec, the one both generators are timed on.
pub const SPEC: &str = include_str!("../../spec/connect-sessions.json");

const SCHEMA_REF: &str = "#/components/schemas/";

/// The spec with exactly `intents` intents in its `Intent` union. Intent `i` copies
/// real intent `i % 13` under the tag `<tag><i>`: a member schema, a payload schema
/// when the original has one, a `oneOf` entry and a discriminator mapping entry, all
/// structured exactly like the real ones; and the same again for their request forms
/// in `IntentCreate` (`XxxIntentInput`, `XxxPayloadInput`).
pub fn synthetic_spec(intents: usize) -> String {
    let mut spec: Value = serde_json::from_str(SPEC).expect("the committed spec is JSON");
    let schemas = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
        .expect("the spec has components.schemas");
    for (union, suffix) in [("Intent", ""), ("IntentCreate", "Input")] {
        let templates = take_real_intents(schemas, union);
        let mut one_of = Vec::with_capacity(intents);
        let mut mapping = Map::new();
        for index in 0..intents {
            let copy = templates[index % templates.len()].copy(index, suffix);
            let member_ref = Value::String(format!("{SCHEMA_REF}{}", copy.member_name));
            one_of.push(serde_json::json!({ "$ref": member_ref }));
            mapping.insert(copy.tag, member_ref);
            schemas.insert(copy.member_name, copy.member);
            if let Some((name, payload)) = copy.payload {
                schemas.insert(name, payload);
            }
        }
        let union = schemas.get_mut(union).expect("the spec has the union");
        union["oneOf"] = Value::Array(one_of);
        union["discriminator"]["mapping"] = Value::Object(mapping);
    }
    serde_json::to_string_pretty(&spec).expect("a JSON value serializes")
}

/// One real intent: its tag, member schema and payload schema.
struct IntentTemplate {
    tag: String,
    member_name: String,
    member: Value,
    payload: Option<(String, Value)>,
}

/// Removes the real intents' member and payload schemas, returning them in union
/// order. Shared schemas they point to (e.g. `CompletePortingBehavior`) stay.
fn take_real_intents(schemas: &mut Map<String, Value>, union: &str) -> Vec<IntentTemplate> {
    let mapping = schemas[union]["discriminator"]["mapping"]
        .as_object()
        .expect("the Intent union has a discriminator mapping")
        .clone();
    mapping
        .into_iter()
        .map(|(tag, member_ref)| {
            let member_name = schema_name(&member_ref);
            let member = schemas
                .remove(&member_name)
                .expect("every mapping entry names a schema");
            let payload = member["properties"].get(&tag).map(|payload_ref| {
                let name = schema_name(&payload_ref["$ref"]);
                let payload = schemas
                    .remove(&name)
                    .expect("every payload property names a schema");
                (name, payload)
            });
            IntentTemplate {
                tag,
                member_name,
                member,
                payload,
            }
        })
        .collect()
}

impl IntentTemplate {
    /// This intent renamed for position `index`: `viewSubscription` becomes
    /// `viewSubscription7` and `ViewSubscriptionIntent` becomes `ViewSubscription7Intent`
    /// (`ViewSubscription7IntentInput` for a request form, `suffix` `Input`, which
    /// then names the copy of its original).
    fn copy(&self, index: usize, suffix: &str) -> IntentTemplate {
        let tag = format!("{}{index}", self.tag);
        let renamed = |name: &str, kind: &str| {
            let stem = name.strip_suffix(suffix).expect("a request form's name");
            format!("{}{suffix}", numbered(stem, kind, index))
        };
        let member_name = renamed(&self.member_name, "Intent");
        let payload = self.payload.as_ref().map(|(name, payload)| {
            let mut payload = payload.clone();
            if !suffix.is_empty() {
                let original = name.strip_suffix(suffix).expect("a request form's name");
                payload["x-gigs-request-form-of"] = Value::String(format!(
                    "{SCHEMA_REF}{}",
                    numbered(original, "Payload", index)
                ));
            }
            (renamed(name, "Payload"), payload)
        });
        let mut member = self.member.clone();
        if !suffix.is_empty() {
            let original = numbered(
                &self.member_name[..self.member_name.len() - suffix.len()],
                "Intent",
                index,
            );
            member["x-gigs-request-form-of"] = Value::String(format!("{SCHEMA_REF}{original}"));
        }
        member["properties"]["type"]["enum"] = serde_json::json!([tag]);
        let properties = member["properties"]
            .as_object()
            .expect("an intent member is an object schema")
            .iter()
            .map(|(key, property)| match &payload {
                Some((payload_name, _)) if *key == self.tag => (
                    tag.clone(),
                    serde_json::json!({ "$ref": format!("{SCHEMA_REF}{payload_name}") }),
                ),
                _ => (key.clone(), property.clone()),
            })
            .collect();
        member["properties"] = Value::Object(properties);
        if let Some(required) = member["required"].as_array_mut() {
            for name in required.iter_mut().filter(|name| **name == *self.tag) {
                *name = Value::String(tag.clone());
            }
        }
        IntentTemplate {
            tag,
            member_name,
            member,
            payload,
        }
    }
}

/// `ViewSubscriptionIntent` with suffix `Intent` and index 7 → `ViewSubscription7Intent`.
fn numbered(name: &str, suffix: &str, index: usize) -> String {
    let stem = name
        .strip_suffix(suffix)
        .unwrap_or_else(|| panic!("schema {name} does not end in {suffix}"));
    format!("{stem}{index}{suffix}")
}

fn schema_name(reference: &Value) -> String {
    reference
        .as_str()
        .and_then(|r| r.strip_prefix(SCHEMA_REF))
        .unwrap_or_else(|| panic!("{reference} is not a local schema reference"))
        .to_owned()
}
