//! Example values built from the shapes: every required property filled from the
//! spec's example (or a placeholder of the right type), so tests can exercise every
//! intent the spec knows without a hand-kept list.

use super::shape::{self, Shape, Value, Variant};
use serde_json::{Map, Value as Json, json};

/// An example of the model called `model`: required properties only.
pub(crate) fn example(model: &str) -> Json {
    let shape =
        shape::model(model).unwrap_or_else(|| panic!("no model `{model}` in the generated shapes"));
    example_model(shape)
}

/// One example per variant of the union called `union`, in spec order.
pub(crate) fn union_examples(union: &str) -> Vec<Json> {
    let Some(Shape::Union { tag, variants }) = shape::model(union) else {
        panic!("`{union}` is not a union in the generated shapes");
    };
    variants.iter().map(|v| variant_example(tag, v)).collect()
}

/// `{"<tag>": X}` plus, for a variant with payload, `X: {example payload}`.
fn variant_example(tag: &str, variant: &Variant) -> Json {
    let mut object = Map::new();
    object.insert(tag.to_owned(), json!(variant.tag));
    if let Some(payload) = variant.payload {
        object.insert(variant.tag.to_owned(), example(payload));
    }
    Json::Object(object)
}

fn example_model(shape: &Shape) -> Json {
    match shape {
        Shape::Alias(value) => example_value(value),
        Shape::StringEnum(values) => json!(values.first().copied().unwrap_or_default()),
        Shape::Object { properties } => Json::Object(
            properties
                .iter()
                .filter(|p| p.required)
                .map(|p| {
                    // Without an example a nullable property is null: a list's
                    // `moreItemsAfter` cursor then says "last page".
                    let value = p
                        .example
                        .and_then(|text| serde_json::from_str(text).ok())
                        .unwrap_or_else(|| match p.nullable {
                            true => Json::Null,
                            false => example_value(&p.value),
                        });
                    (p.wire.to_owned(), value)
                })
                .collect(),
        ),
        Shape::Union { tag, variants } => variants
            .first()
            .map_or(Json::Null, |v| variant_example(tag, v)),
    }
}

fn example_value(value: &Value) -> Json {
    match value {
        Value::String => json!("example"),
        Value::Date => json!("2000-01-01"),
        Value::Bool => json!(false),
        Value::Integer => json!(0),
        Value::Number => json!(0.0),
        Value::Any | Value::AnyObject | Value::Map(_) => json!({}),
        Value::Array(_) => json!([]),
        Value::Named(name) => example(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::check::check;

    #[test]
    fn every_intent_example_passes_the_check_and_decodes() {
        let examples = union_examples("Intent");
        assert_eq!(examples.len(), crate::types::Intent::TAGS.len());
        for example in examples {
            check("Intent", &example).unwrap_or_else(|r| panic!("{example}: {r:?}"));
            let intent: crate::types::Intent = serde_json::from_value(example.clone()).unwrap();
            assert!(
                !matches!(intent, crate::types::Intent::Unknown(_)),
                "{example}"
            );
        }
    }

    #[test]
    fn examples_use_the_spec_examples() {
        assert_eq!(
            example("CheckoutNewSubscriptionPayload"),
            json!({ "plan": "pln_0SNlurA049MEWV3V0q7gjQbM4EVo" })
        );
    }
}
