//! Pipeline stage 3 of 5: a validated `model::Spec` → `ir::Api`. Names, Rust types
//! and field presence are decided here, so `emit` only spells them out.
//!
//! `types` lowers schemas, `operations` lowers endpoints (parameters, responses,
//! pagination), `events` lowers webhook events and their partial models, and `docs`
//! turns spec text into doc comments that are never compiled.

mod docs;
mod events;
mod operations;
mod types;

use docs::doc;

use crate::ir::Api;
use crate::model::{OrRef, Schema, Spec};
use crate::naming::{Case, sanitize};
use std::collections::BTreeSet;

/// Lowers a spec that `validate` found no problem in.
pub fn lower(spec: &Spec) -> Api {
    let lowering = Lowering {
        spec,
        union_members: union_members(spec),
        patch_bodies: patch_bodies(spec),
    };
    let mut types = Vec::new();
    for (name, schema) in &spec.components.schemas {
        if !lowering.union_members.contains(name.as_str()) && !schema.is_event_only() {
            lowering.schema(name, schema, &mut types);
        }
    }
    let operations = spec
        .paths
        .iter()
        .flat_map(|(path, item)| {
            item.operations()
                .map(move |(method, op)| (path, item, method, op))
        })
        .map(|(path, item, method, op)| {
            lowering.operation(path, &item.parameters, method, op, &types)
        })
        .collect();
    Api {
        title: spec.info.title.clone(),
        types,
        operations,
        events: lowering.events(),
    }
}

struct Lowering<'a> {
    spec: &'a Spec,
    /// Schemas folded into a union's variants instead of becoming types.
    union_members: BTreeSet<&'a str>,
    /// Schemas sent as PATCH bodies: their nullable fields become `Patch<T>`.
    patch_bodies: BTreeSet<&'a str>,
}

fn union_members(spec: &Spec) -> BTreeSet<&str> {
    spec.components
        .schemas
        .values()
        .filter_map(|s| s.one_of.as_ref())
        .flatten()
        .filter_map(Schema::ref_name)
        .collect()
}

fn patch_bodies(spec: &Spec) -> BTreeSet<&str> {
    spec.paths
        .values()
        .filter_map(|item| item.patch.as_ref())
        .filter_map(|op| match &op.request_body {
            Some(OrRef::Inline(body)) => body.content.values().next(),
            _ => None,
        })
        .filter_map(|media| media.schema.ref_name())
        .collect()
}

/// The Rust type name of a component schema.
fn type_name(name: &str) -> String {
    sanitize(name, Case::Pascal).expect("validated schema name")
}

impl<'a> Lowering<'a> {
    fn component(&self, name: &str) -> &'a Schema {
        &self.spec.components.schemas[name]
    }
}
