//! Nesting depth: every stage after `load` walks a schema's nesting by recursion
//! (checks, lowering to Rust types, emitting them), so validation bounds it first.

use super::Validator;
use crate::model::{AdditionalProperties, Schema};
use crate::pointer::Pointer;

/// The deepest a schema may nest inline schemas (`properties`, `items`,
/// `additionalProperties`, `oneOf`, `allOf`, `not`), counted from its component.
/// serde_json already refuses JSON nested past 128 levels while loading; this
/// keeps the rest of the pipeline to a depth it handles on any thread's stack.
pub const MAX_SCHEMA_DEPTH: usize = 32;

impl<'a> Validator<'a> {
    /// Reports each component schema nested deeper than [`MAX_SCHEMA_DEPTH`], at
    /// the schema where the limit is reached. An explicit stack, not recursion.
    pub(super) fn schema_depths(&mut self) {
        let schemas = Pointer::root().join("components").join("schemas");
        for (name, schema) in &self.spec.components.schemas {
            let mut pending = vec![(schema, schemas.join(name), 0)];
            while let Some((schema, at, depth)) = pending.pop() {
                let nested = nested(schema);
                if nested.is_empty() {
                    continue;
                }
                if depth == MAX_SCHEMA_DEPTH {
                    self.report(
                        at,
                        format!(
                            "schemas nested deeper than {MAX_SCHEMA_DEPTH} levels are not supported; move inner ones to `#/components/schemas` and `$ref` them"
                        ),
                    );
                    continue;
                }
                for (steps, child) in nested {
                    let child_at = steps.iter().fold(at.clone(), |at, step| at.join(step));
                    pending.push((child, child_at, depth + 1));
                }
            }
        }
    }
}

/// The schemas nested directly in `schema`, each with the pointer steps to it.
pub(super) fn nested(schema: &Schema) -> Vec<(Vec<String>, &Schema)> {
    let mut out: Vec<(Vec<String>, &Schema)> = Vec::new();
    for (name, property) in &schema.properties {
        out.push((vec!["properties".to_owned(), name.clone()], property));
    }
    if let Some(items) = &schema.items {
        out.push((vec!["items".to_owned()], items));
    }
    if let Some(AdditionalProperties::Schema(values)) = &schema.additional_properties {
        out.push((vec!["additionalProperties".to_owned()], values));
    }
    for (key, members) in [("oneOf", &schema.one_of), ("allOf", &schema.all_of)] {
        for (i, member) in members.iter().flatten().enumerate() {
            out.push((vec![key.to_owned(), i.to_string()], member));
        }
    }
    if let Some(not) = &schema.not {
        out.push((vec!["not".to_owned()], not));
    }
    out
}
