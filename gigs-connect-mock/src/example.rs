//! Example values built from the shapes: every required property filled from the
//! spec's example (or a placeholder of the right type), so tests can exercise every
//! intent the spec knows without a hand-kept list.

use crate::shape::{Shape, Tables, Value, Variant};
use serde_json::{Map, Value as Json, json};

/// An example of the model called `model`: required properties only.
pub(crate) fn example(tables: &Tables, model: &str) -> Json {
    let shape = tables
        .model(model)
        .unwrap_or_else(|| panic!("no model `{model}` in the generated shapes"));
    example_model(tables, shape)
}

/// One example per variant of the union called `union`, in spec order.
pub(crate) fn union_examples(tables: &Tables, union: &str) -> Vec<Json> {
    let Some(Shape::Union { tag, variants, .. }) = tables.model(union) else {
        panic!("`{union}` is not a union in the generated shapes");
    };
    variants
        .iter()
        .map(|v| variant_example(tables, tag, v))
        .collect()
}

/// `{"<tag>": X}` plus, for a variant with payload, `X: {example payload}`.
fn variant_example(tables: &Tables, tag: &str, variant: &Variant) -> Json {
    let mut object = Map::new();
    object.insert(tag.to_owned(), json!(variant.tag));
    if let Some(payload) = &variant.payload {
        object.insert(variant.tag.clone(), example(tables, payload));
    }
    Json::Object(object)
}

fn example_model(tables: &Tables, shape: &Shape) -> Json {
    match shape {
        Shape::Alias(value) => example_value(tables, value),
        Shape::StringEnum(values) => json!(values.first().cloned().unwrap_or_default()),
        Shape::Object { properties, .. } => Json::Object(
            properties
                .iter()
                .filter(|p| p.required)
                .map(|p| {
                    // Without an example a nullable property is null: a list's
                    // `moreItemsAfter` cursor then says "last page".
                    let value = p
                        .example
                        .as_ref()
                        .and_then(|text| serde_json::from_str(text).ok())
                        .unwrap_or_else(|| match p.nullable {
                            true => Json::Null,
                            false => example_value(tables, &p.value),
                        });
                    (p.wire.clone(), value)
                })
                .collect(),
        ),
        Shape::Union { tag, variants, .. } => variants
            .first()
            .map_or(Json::Null, |v| variant_example(tables, tag, v)),
    }
}

fn example_value(tables: &Tables, value: &Value) -> Json {
    match value {
        Value::String => json!("example"),
        Value::Date => json!("2000-01-01"),
        Value::Bool => json!(false),
        Value::Integer => json!(0),
        Value::Number => json!(0.0),
        Value::Any | Value::AnyObject | Value::Map(_) => json!({}),
        Value::Array(_) => json!([]),
        Value::Named(name) => example(tables, name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::check;

    #[test]
    fn every_intent_example_passes_the_check_and_decodes() {
        let tables = Tables::connect_sessions();
        let examples = union_examples(tables, "Intent");
        assert_eq!(examples.len(), gigs_connect::types::Intent::TAGS.len());
        for example in examples {
            check(tables, "Intent", &example).unwrap_or_else(|r| panic!("{example}: {r:?}"));
            let intent: gigs_connect::types::Intent =
                serde_json::from_value(example.clone()).unwrap();
            assert!(
                !matches!(intent, gigs_connect::types::Intent::Unknown(_)),
                "{example}"
            );
        }
    }

    #[test]
    fn examples_use_the_spec_examples() {
        assert_eq!(
            example(Tables::connect_sessions(), "CheckoutNewSubscriptionPayload"),
            json!({ "plan": "pln_0SNlurA049MEWV3V0q7gjQbM4EVo" })
        );
    }
}
