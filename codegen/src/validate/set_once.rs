//! Once-only properties: `x-gigs-set-once: true` marks a property of a request
//! body that Gigs accepts once per resource (a session's `user`), so the runtime
//! does not repeat a request that sets it. Only a direct property of an
//! operation's request body may carry it, and only as `true`.

use super::Validator;
use super::depth::nested;
use crate::model::{OrRef, SET_ONCE, Schema};
use crate::pointer::Pointer;
use serde_json::Value;
use std::collections::BTreeSet;

impl<'a> Validator<'a> {
    pub(super) fn set_once(&mut self) {
        let bodies: BTreeSet<&str> = self
            .spec
            .paths
            .values()
            .flat_map(|item| item.operations())
            .filter_map(|(_, op)| match &op.request_body {
                Some(OrRef::Inline(body)) => Some(body),
                _ => None,
            })
            .flat_map(|body| body.content.values())
            .filter_map(|media| media.schema.ref_name())
            .collect();
        let schemas = Pointer::root().join("components").join("schemas");
        for (name, schema) in &self.spec.components.schemas {
            let at = schemas.join(name);
            if schema.set_once().is_some() {
                self.report(
                    at.join(SET_ONCE),
                    format!("`{SET_ONCE}` marks a property of a request body, not a whole schema"),
                );
            }
            for (wire, property) in &schema.properties {
                let at = at.join("properties").join(wire);
                match property.set_once() {
                    None => {}
                    Some(Value::Bool(true)) if !bodies.contains(name.as_str()) => self.report(
                        at.join(SET_ONCE),
                        format!(
                            "`{name}` is no operation's request body, so `{SET_ONCE}` on its property `{wire}` would change nothing"
                        ),
                    ),
                    Some(Value::Bool(true)) => {}
                    Some(_) => self.report(
                        at.join(SET_ONCE),
                        format!("`{SET_ONCE}` is `true` or absent"),
                    ),
                }
                self.set_once_below(children(property, &at));
            }
            self.set_once_below(children(schema, &at));
        }
    }

    /// Reports the extension on `roots` and anywhere below them: only a direct
    /// property of a component schema may carry it.
    fn set_once_below(&mut self, roots: Vec<(&'a Schema, Pointer)>) {
        let mut pending = roots;
        while let Some((schema, at)) = pending.pop() {
            if schema.set_once().is_some() {
                self.report(
                    at.join(SET_ONCE),
                    format!("`{SET_ONCE}` marks a direct property of a request body, not a nested schema"),
                );
            }
            pending.extend(children(schema, &at));
            for (wire, property) in &schema.properties {
                pending.push((property, at.join("properties").join(wire)));
            }
        }
    }
}

/// The schemas directly inside `schema` other than its properties (items,
/// additional properties, union members, `not`: depth.rs's `nested`), with their
/// pointers.
fn children<'s>(schema: &'s Schema, at: &Pointer) -> Vec<(&'s Schema, Pointer)> {
    nested(schema)
        .into_iter()
        .filter(|(steps, _)| steps[0] != "properties")
        .map(|(steps, child)| {
            (
                child,
                steps.iter().fold(at.clone(), |at, step| at.join(step)),
            )
        })
        .collect()
}
