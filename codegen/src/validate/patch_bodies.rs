//! A type's Rust shape never depends on which operations use it: a PATCH body's
//! nullable fields are `Patch<T>`, so a schema that is a PATCH body is that and
//! nothing else. Adding a PATCH endpoint must never change an existing type.

use super::Validator;
use crate::model::{AdditionalProperties, OrRef, Schema};
use crate::pointer::Pointer;
use std::collections::BTreeMap;

impl<'a> Validator<'a> {
    /// Refuses a schema used as a PATCH body and anywhere else, at the PATCH body.
    pub(super) fn patch_bodies(&mut self) {
        let spec = self.spec;
        let mut patch_bodies: Vec<(&str, Pointer)> = Vec::new();
        // Every other `$ref` to a component: where it is first met.
        let mut other_uses: BTreeMap<&str, Pointer> = BTreeMap::new();
        let paths = Pointer::root().join("paths");
        for (path, item) in &spec.paths {
            for (method, op) in item.operations() {
                let at = paths.join(path).join(method);
                if let Some(OrRef::Inline(body)) = &op.request_body {
                    for (media_type, media) in &body.content {
                        let at = at
                            .join("requestBody")
                            .join("content")
                            .join(media_type)
                            .join("schema");
                        match (method, media.schema.ref_name()) {
                            ("patch", Some(name)) => patch_bodies.push((name, at)),
                            _ => refs(&media.schema, &at, &mut other_uses),
                        }
                    }
                }
                for (status, response) in &op.responses {
                    let OrRef::Inline(response) = response else {
                        continue;
                    };
                    for (media_type, media) in &response.content {
                        let at = at
                            .join("responses")
                            .join(status)
                            .join("content")
                            .join(media_type)
                            .join("schema");
                        refs(&media.schema, &at, &mut other_uses);
                    }
                }
            }
        }
        let responses = Pointer::root().join("components").join("responses");
        for (name, response) in &spec.components.responses {
            for (media_type, media) in &response.content {
                let at = responses
                    .join(name)
                    .join("content")
                    .join(media_type)
                    .join("schema");
                refs(&media.schema, &at, &mut other_uses);
            }
        }
        let schemas = Pointer::root().join("components").join("schemas");
        for (name, schema) in &spec.components.schemas {
            refs(schema, &schemas.join(name), &mut other_uses);
        }
        for (name, at) in patch_bodies {
            if let Some(used) = other_uses.get(name) {
                self.report(
                    at,
                    format!(
                        "`{name}` is this PATCH's body and is also used at {used}; a PATCH body's \
                         nullable fields become `Patch<T>`, so one type cannot be both: give the \
                         PATCH a schema of its own (e.g. `Update{name}`)"
                    ),
                );
            }
        }
    }
}

/// Records every `$ref` `schema` holds (itself included), with where it is.
/// A worklist, not recursion: nesting as deep as the spec must not overflow the stack.
fn refs<'s>(schema: &'s Schema, at: &Pointer, out: &mut BTreeMap<&'s str, Pointer>) {
    let mut work: Vec<(&'s Schema, Pointer)> = vec![(schema, at.clone())];
    while let Some((schema, at)) = work.pop() {
        if let Some(name) = schema.ref_name() {
            out.entry(name).or_insert(at.clone());
        }
        for (key, property) in &schema.properties {
            work.push((property, at.join("properties").join(key)));
        }
        if let Some(items) = &schema.items {
            work.push((items, at.join("items")));
        }
        if let Some(AdditionalProperties::Schema(values)) = &schema.additional_properties {
            work.push((values, at.join("additionalProperties")));
        }
        for (keyword, list) in [("allOf", &schema.all_of), ("oneOf", &schema.one_of)] {
            for (i, member) in list.iter().flatten().enumerate() {
                work.push((member, at.join(keyword).join(i)));
            }
        }
    }
}
