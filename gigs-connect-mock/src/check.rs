//! Checks a request body against its model the way Gigs does: strictly. Unknown
//! properties, wrong types, malformed formats, values outside an enum and missing
//! required properties are refused, naming the property.

use crate::shape::{Property, Shape, Tables, Value, Variant};
use serde_json::Value as Json;

/// Why a body was refused: the path of the property (`intent.checkoutNewSubscription.plan`)
/// and a machine-readable code.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

/// Checks `json` against the model called `model`.
pub(crate) fn check(tables: &Tables, model: &str, json: &Json) -> Result<(), Refusal> {
    let shape = tables
        .model(model)
        .unwrap_or_else(|| panic!("no model `{model}` in the generated shapes"));
    check_model(tables, shape, json, &Path::root())
}

/// A property path for messages: `intent.checkoutNewSubscription.plan`, `addons[2]`.
#[derive(Clone)]
struct Path(String);

impl Path {
    fn root() -> Self {
        Path(String::new())
    }

    /// `a.b` for a key that reads as a name; `a[""]` (JSON-quoted) for one that does
    /// not (empty, spaces, dots, quotes), so a message never shows a dangling dot.
    fn key(&self, key: &str) -> Self {
        let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        match (plain, self.0.is_empty()) {
            (true, true) => Path(key.to_owned()),
            (true, false) => Path(format!("{}.{key}", self.0)),
            (false, _) => Path(format!("{}[{}]", self.0, Json::from(key))),
        }
    }

    fn index(&self, index: usize) -> Self {
        Path(format!("{}[{index}]", self.0))
    }

    /// How a message names this place.
    fn name(&self) -> String {
        if self.0.is_empty() {
            "the body".to_owned()
        } else {
            format!("`{}`", self.0)
        }
    }
}

fn invalid(code: &'static str, message: String) -> Result<(), Refusal> {
    Err(Refusal { code, message })
}

fn wrong_type(path: &Path, expected: &str, got: &Json) -> Result<(), Refusal> {
    let got = match got {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    };
    invalid(
        "parameterInvalid",
        format!("{} must be {expected}, not {got}.", path.name()),
    )
}

fn check_value(tables: &Tables, value: &Value, json: &Json, path: &Path) -> Result<(), Refusal> {
    match (value, json) {
        (Value::Any, _) => Ok(()),
        (Value::String, Json::String(_)) => Ok(()),
        (Value::String, other) => wrong_type(path, "a string", other),
        (Value::Date, Json::String(text)) => match text.parse::<gigs_connect::Date>() {
            Ok(_) => Ok(()),
            Err(_) => invalid(
                "parameterInvalid",
                format!("{} must be a date (YYYY-MM-DD), not {text:?}.", path.name()),
            ),
        },
        (Value::Date, other) => wrong_type(path, "a date string", other),
        (Value::Bool, Json::Bool(_)) => Ok(()),
        (Value::Bool, other) => wrong_type(path, "a boolean", other),
        (Value::Integer, Json::Number(n)) if n.is_i64() || n.is_u64() => Ok(()),
        (Value::Integer, other) => wrong_type(path, "an integer", other),
        (Value::Number, Json::Number(_)) => Ok(()),
        (Value::Number, other) => wrong_type(path, "a number", other),
        (Value::AnyObject, Json::Object(_)) => Ok(()),
        (Value::AnyObject, other) => wrong_type(path, "an object", other),
        (Value::Array(item), Json::Array(items)) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, json)| check_value(tables, item, json, &path.index(i))),
        (Value::Array(_), other) => wrong_type(path, "an array", other),
        (Value::Map(item), Json::Object(map)) => map
            .iter()
            .try_for_each(|(key, json)| check_value(tables, item, json, &path.key(key))),
        (Value::Map(_), other) => wrong_type(path, "an object", other),
        (Value::Named(name), json) => {
            let shape = tables
                .model(name)
                .unwrap_or_else(|| panic!("no model `{name}` in the generated shapes"));
            check_model(tables, shape, json, path)
        }
    }
}

fn check_model(tables: &Tables, shape: &Shape, json: &Json, path: &Path) -> Result<(), Refusal> {
    match shape {
        Shape::Alias(value) => check_value(tables, value, json, path),
        Shape::StringEnum(values) => check_enum(values, json, path),
        Shape::Object {
            properties,
            closed,
            exclusive,
        } => check_object(tables, (properties, *closed, exclusive), json, path),
        Shape::Union {
            tag,
            variants,
            closed,
        } => check_union(tables, (tag, variants, *closed), json, path),
    }
}

/// A string out of a closed set.
fn check_enum(values: &[String], json: &Json, path: &Path) -> Result<(), Refusal> {
    match json {
        Json::String(text) if values.contains(text) => Ok(()),
        Json::String(text) => invalid(
            "parameterInvalid",
            format!(
                "{} must be one of {}, not {text:?}.",
                path.name(),
                quoted(values)
            ),
        ),
        other => wrong_type(path, "a string", other),
    }
}

/// An object: its properties, `closed` to others, with `exclusive` groups.
fn check_object(
    tables: &Tables,
    (properties, closed, exclusive): (&[Property], bool, &[Vec<String>]),
    json: &Json,
    path: &Path,
) -> Result<(), Refusal> {
    let Json::Object(map) = json else {
        return wrong_type(path, "an object", json);
    };
    if let Some(unknown) = map
        .keys()
        .find(|key| closed && !properties.iter().any(|p| p.wire == key.as_str()))
    {
        return invalid(
            "parameterUnknown",
            format!("{} is not a known parameter.", path.key(unknown).name()),
        );
    }
    for property in properties {
        let at = path.key(&property.wire);
        match map.get(&property.wire) {
            None if property.required => {
                return invalid("parameterMissing", format!("{} is required.", at.name()));
            }
            None => {}
            Some(Json::Null) if property.nullable => {}
            Some(json) => check_value(tables, &property.value, json, &at)?,
        }
    }
    match exclusive
        .iter()
        .find(|group| group.iter().all(|key| map.contains_key(key)))
    {
        Some(group) => {
            let names: Vec<String> = group.iter().map(|key| path.key(key).name()).collect();
            invalid(
                "parameterConflict",
                format!("{} cannot be set together.", names.join(" and ")),
            )
        }
        None => Ok(()),
    }
}

/// A tagged union in the Gigs intent shape.
fn check_union(
    tables: &Tables,
    (tag, variants, closed): (&str, &[Variant], bool),
    json: &Json,
    path: &Path,
) -> Result<(), Refusal> {
    let Json::Object(map) = json else {
        return wrong_type(path, "an object", json);
    };
    let tag_at = path.key(tag);
    let name = match map.get(tag) {
        None => {
            return invalid(
                "parameterMissing",
                format!("{} is required.", tag_at.name()),
            );
        }
        Some(Json::String(name)) => name,
        Some(other) => return wrong_type(&tag_at, "a string", other),
    };
    let Some(variant) = variants.iter().find(|v| v.tag == *name) else {
        let tags: Vec<&str> = variants.iter().map(|v| v.tag.as_str()).collect();
        return invalid(
            "parameterInvalid",
            format!(
                "{} must be one of {}, not {name:?}.",
                tag_at.name(),
                quoted(&tags)
            ),
        );
    };
    let payload_key = variant.payload.as_ref().map(|_| variant.tag.as_str());
    if let Some(unknown) = map
        .keys()
        .find(|key| closed && key.as_str() != tag && Some(key.as_str()) != payload_key)
    {
        return invalid(
            "parameterUnknown",
            format!(
                "{} is not a known parameter for {} {name:?}.",
                path.key(unknown).name(),
                tag_at.name()
            ),
        );
    }
    match &variant.payload {
        None => Ok(()),
        Some(payload) => {
            let at = path.key(&variant.tag);
            let shape = tables
                .model(payload)
                .unwrap_or_else(|| panic!("no model `{payload}` in the generated shapes"));
            match map.get(&variant.tag) {
                None => invalid("parameterMissing", format!("{} is required.", at.name())),
                Some(json) => check_model(tables, shape, json, &at),
            }
        }
    }
}

fn quoted(values: &[impl AsRef<str>]) -> String {
    values
        .iter()
        .map(|v| format!("`{}`", v.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn refusal(model: &str, body: Json) -> Refusal {
        check(Tables::connect_sessions(), model, &body).expect_err("the body is refused")
    }

    #[test]
    fn a_valid_create_body_passes() {
        let body = json!({
            "intent": { "type": "completePorting", "completePorting": {
                "subscription": "sub_1", "behavior": { "hideIntroPage": true } } },
            "appearance": { "theme": "dark" },
            "callbackUrl": null,
            "userDetails": { "email": "a@example.com", "birthday": "2000-02-29", "metadata": { "x": [1] } }
        });
        assert_eq!(
            check(
                Tables::connect_sessions(),
                "CreateConnectSessionRequest",
                &body
            ),
            Ok(())
        );
    }

    #[test]
    fn refusals_name_the_property() {
        let cases = [
            (json!({}), "parameterMissing", "`intent` is required."),
            (
                json!({ "intent": { "type": "viewSubscriptions" }, "colour": 1 }),
                "parameterUnknown",
                "`colour` is not a known parameter.",
            ),
            (
                json!({ "intent": { "type": "checkoutNewSubscription", "checkoutNewSubscription": {} } }),
                "parameterMissing",
                "`intent.checkoutNewSubscription.plan` is required.",
            ),
            (
                json!({ "intent": { "type": "checkoutNewSubscription", "checkoutNewSubscription": { "plan": 7 } } }),
                "parameterInvalid",
                "`intent.checkoutNewSubscription.plan` must be a string, not a number.",
            ),
            (
                json!({ "intent": { "type": "viewSubscriptions" }, "appearance": { "theme": "blue" } }),
                "parameterInvalid",
                // A prefix: a value the spec adds to `Theme` is listed after these.
                "`appearance.theme` must be one of `light`, `dark`",
            ),
            (
                json!({ "intent": { "type": "teleport" } }),
                "parameterInvalid",
                "`intent.type` must be one of",
            ),
            (
                json!({ "intent": { "type": "viewSubscriptions", "cancelSubscription": {} } }),
                "parameterUnknown",
                "`intent.cancelSubscription` is not a known parameter",
            ),
            (
                json!({ "intent": { "type": "viewSubscriptions" }, "userDetails": { "email": "a@b.c", "birthday": "21/07/2017" } }),
                "parameterInvalid",
                "`userDetails.birthday` must be a date",
            ),
            (
                json!({ "intent": { "type": "checkoutAddon", "checkoutAddon": { "subscription": "s", "addons": ["a", 2] } } }),
                "parameterInvalid",
                "`intent.checkoutAddon.addons[1]` must be a string",
            ),
            (json!([]), "parameterInvalid", "the body must be an object"),
        ];
        for (body, code, message) in cases {
            let refusal = refusal("CreateConnectSessionRequest", body.clone());
            assert_eq!(refusal.code, code, "{body}");
            assert!(
                refusal.message.starts_with(message),
                "{body}: {:?} does not start with {message:?}",
                refusal.message
            );
        }
    }

    #[test]
    fn null_is_refused_where_the_spec_does_not_allow_it() {
        let refusal = refusal("UpdateConnectSessionRequest", json!({ "appearance": null }));
        assert_eq!(refusal.message, "`appearance` must be an object, not null.");
        assert_eq!(
            check(
                Tables::connect_sessions(),
                "UpdateConnectSessionRequest",
                &json!({ "callbackUrl": null, "user": null })
            ),
            Ok(())
        );
    }

    #[test]
    fn an_unknown_key_that_is_not_a_name_is_quoted() {
        let cases = [
            (json!({ "": 1 }), "`[\"\"]` is not a known parameter."),
            (
                json!({ "userDetails": { "email": "a@b.c", "": 1 } }),
                "`userDetails[\"\"]` is not a known parameter.",
            ),
            (
                json!({ "appearance": { "the.me": 1 } }),
                "`appearance[\"the.me\"]` is not a known parameter.",
            ),
        ];
        for (body, message) in cases {
            let refusal = refusal("UpdateConnectSessionRequest", body);
            assert_eq!(refusal.code, "parameterUnknown");
            assert_eq!(refusal.message, message);
        }
    }

    #[test]
    fn request_forms_refuse_unknown_keys_at_every_depth() {
        let cases = [
            (
                json!({ "intent": { "type": "viewSubscriptions" }, "appearance": { "font": "x" } }),
                "`appearance.font` is not a known parameter.",
            ),
            (
                json!({ "intent": { "type": "completePorting", "completePorting": {
                    "subscription": "s", "behavior": { "hideIntroPage": true, "skip": 1 } } } }),
                "`intent.completePorting.behavior.skip` is not a known parameter.",
            ),
            (
                json!({ "intent": { "type": "viewSubscription", "viewSubscription": {
                    "subscription": "s", "plan": "p" } } }),
                "`intent.viewSubscription.plan` is not a known parameter.",
            ),
            (
                json!({ "intent": { "type": "viewSubscriptions" },
                        "userDetails": { "email": "a@b.c", "nickname": "x" } }),
                "`userDetails.nickname` is not a known parameter.",
            ),
        ];
        for (body, message) in cases {
            let refusal = refusal("CreateConnectSessionRequest", body);
            assert_eq!(refusal.code, "parameterUnknown");
            assert_eq!(refusal.message, message);
        }
    }

    #[test]
    fn response_schemas_stay_open_to_keys_gigs_adds_later() {
        let intent = json!({ "type": "viewSubscription",
            "viewSubscription": { "subscription": "s", "newField": 1 },
            "cancelSubscription": { "subscription": "s" } });
        assert_eq!(check(Tables::connect_sessions(), "Intent", &intent), Ok(()));
        assert_eq!(
            check(
                Tables::connect_sessions(),
                "Appearance",
                &json!({ "theme": "dark", "font": "x" })
            ),
            Ok(())
        );
        assert!(check(Tables::connect_sessions(), "IntentCreate", &intent).is_err());
    }

    #[test]
    fn user_and_user_details_together_conflict_even_when_user_is_null() {
        for user in [json!("usr_1"), Json::Null] {
            let body = json!({ "intent": { "type": "viewSubscriptions" },
                "user": user, "userDetails": { "email": "a@b.c" } });
            let refusal = refusal("CreateConnectSessionRequest", body);
            assert_eq!(refusal.code, "parameterConflict");
            assert_eq!(
                refusal.message,
                "`user` and `userDetails` cannot be set together."
            );
        }
    }
}
