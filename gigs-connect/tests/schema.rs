//! The JSON Schema schemars derives for each generated type agrees with the spec:
//! same property names, same required set, same enum values, same intent tags.

use gigs_connect::types::*;
use serde_json::Value;
use std::collections::BTreeSet;

/// The spec's copy that `cargo xtask codegen` keeps beside the generated code, so
/// this test also runs in the published package.
fn spec() -> Value {
    serde_json::from_str(include_str!("../src/generated/connect-sessions.json")).unwrap()
}

fn names(value: Option<&Value>) -> BTreeSet<String> {
    match value {
        Some(Value::Object(map)) => map.keys().cloned().collect(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect(),
        _ => BTreeSet::new(),
    }
}

/// Compares one generated type's schema with the spec schema it came from.
fn agrees(spec: &Value, name: &str, derived: &schemars::Schema) {
    let mut spec_schema = &spec["components"]["schemas"][name];
    // A partial model (`previousData`) has its original's properties, none required.
    let partial;
    if let Some(original) = spec_schema["x-gigs-partial-of"].as_str() {
        let original = original.rsplit('/').next().unwrap();
        partial = serde_json::json!({
            "properties": spec["components"]["schemas"][original]["properties"]
        });
        spec_schema = &partial;
    }
    let derived = derived.as_value();
    if let Some(members) = spec_schema.get("oneOf") {
        let tags: BTreeSet<String> = members
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                let member = m["$ref"].as_str().unwrap().rsplit('/').next().unwrap();
                spec["components"]["schemas"][member]["properties"]["type"]["enum"][0]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        let derived_tags: BTreeSet<String> = derived["oneOf"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                v["properties"]["type"]["enum"][0]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(derived_tags, tags, "{name}: union tags");
        return;
    }
    assert_eq!(
        names(derived.get("enum")),
        names(spec_schema.get("enum")),
        "{name}: enum values"
    );
    assert_eq!(
        names(derived.get("properties")),
        names(spec_schema.get("properties")),
        "{name}: properties"
    );
    assert_eq!(
        names(derived.get("required")),
        names(spec_schema.get("required")),
        "{name}: required"
    );
    // Request-only schemas refuse unknown keys; response schemas stay open.
    assert_eq!(
        derived.get("additionalProperties") == Some(&Value::Bool(false)),
        spec_schema.get("additionalProperties") == Some(&Value::Bool(false)),
        "{name}: additionalProperties"
    );
}

#[test]
fn every_generated_type_agrees_with_its_spec_schema() {
    let spec = spec();
    // Every generated model, listed by codegen: the spec is the only list of types.
    let mut checked = BTreeSet::new();
    // The event envelopes and `previousData`'s partial models (`webhooks` feature) too.
    let models = gigs_connect::types::__json_schemas()
        .into_iter()
        .chain(gigs_connect::webhooks::__json_schemas());
    for (name, derived) in models {
        // Enums declared inline in a property (`ConnectSessionObject`) have no
        // schema of their own in the spec; their values are checked with the
        // property's type below.
        if spec["components"]["schemas"].get(name).is_none() {
            continue;
        }
        agrees(&spec, name, &derived);
        checked.insert(name.to_owned());
    }
    // Every spec schema that becomes a type of its own is checked: union members are
    // folded into `Intent`, and request forms (`IntentCreate`, `AppearanceInput`, …)
    // are aliases of the type they restate.
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    let members: BTreeSet<String> = names(Some(
        &spec["components"]["schemas"]["Intent"]["discriminator"]["mapping"],
    ))
    .into_iter()
    .map(|tag| format!("{}{}Intent", tag[..1].to_uppercase(), &tag[1..]))
    .collect();
    let expected: BTreeSet<String> = schemas
        .iter()
        .filter(|(name, schema)| {
            !members.contains(*name) && schema.get("x-gigs-request-form-of").is_none()
        })
        .map(|(name, _)| name)
        .cloned()
        .collect();
    assert_eq!(checked, expected);
}

#[test]
fn intent_create_is_the_same_type_as_intent() {
    let intent: IntentCreate = Intent::view_subscriptions();
    assert_eq!(intent.tag(), "viewSubscriptions");
}

#[test]
fn every_request_form_is_closed_and_lists_its_originals_properties() {
    let spec = spec();
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    let forms: Vec<(&String, &Value)> = schemas
        .iter()
        .filter(|(_, schema)| schema.get("x-gigs-request-form-of").is_some())
        .collect();
    assert!(forms.len() > 20, "the intents, payloads and appearance");
    for (name, form) in forms {
        let of = form["x-gigs-request-form-of"].as_str().unwrap();
        let original = &schemas[of.rsplit('/').next().unwrap()];
        if form.get("oneOf").is_some() {
            assert_eq!(
                form["oneOf"].as_array().unwrap().len(),
                original["oneOf"].as_array().unwrap().len(),
                "{name}"
            );
            continue;
        }
        assert_eq!(form["additionalProperties"], Value::Bool(false), "{name}");
        assert_eq!(original.get("additionalProperties"), None, "{name}: {of}");
        assert_eq!(
            names(form.get("properties")),
            names(original.get("properties")),
            "{name}"
        );
    }
}

/// The schemas a response reaches, through `$ref`s, `oneOf`s and `allOf`s.
fn reached_from(spec: &Value, schema: &Value, seen: &mut BTreeSet<String>) {
    match schema {
        Value::Object(map) => {
            if let Some(name) = map.get("$ref").and_then(Value::as_str) {
                let name = name.rsplit('/').next().unwrap().to_owned();
                if seen.insert(name.clone()) {
                    reached_from(spec, &spec["components"]["schemas"][&name], seen);
                }
            }
            map.values().for_each(|v| reached_from(spec, v, seen));
        }
        Value::Array(items) => items.iter().for_each(|v| reached_from(spec, v, seen)),
        _ => {}
    }
}

#[test]
fn no_schema_a_response_reaches_refuses_new_properties() {
    let spec = spec();
    let mut reached = BTreeSet::new();
    for item in spec["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            reached_from(&spec, &operation["responses"], &mut reached);
        }
    }
    reached_from(&spec, &spec["components"]["responses"], &mut reached);
    assert!(reached.contains("CompletePortingBehavior"), "{reached:?}");
    for name in &reached {
        let schema = &spec["components"]["schemas"][name];
        assert_ne!(
            schema.get("additionalProperties"),
            Some(&Value::Bool(false)),
            "{name} is in a response: Gigs may add properties to it"
        );
    }
}
