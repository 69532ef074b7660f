//! Pipeline stage 2 of 5: check the typed model against every rule `lower` and
//! `emit` rely on, and report all problems at once, each with its JSON pointer.
//!
//! One `Validator` walks the spec; each concern has its file: `schemas`, `unions`,
//! `cycles`, `depth`, `operations`, `parameters`, `responses`, `events` (webhook events),
//! `set_once` (properties a request may set only once),
//! and `runtime` (the shapes the hand-written runtime relies on). A spec that passes
//! yields code that compiles.

mod cycles;
mod depth;
mod events;
mod operations;
mod parameters;
mod patch_bodies;
mod request_forms;
mod responses;
mod runtime;
mod schemas;
mod set_once;
mod unions;

use crate::error::Problem;
use crate::model::{Schema, Spec, schema_ref_name};
use crate::pointer::Pointer;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

pub use depth::MAX_SCHEMA_DEPTH;

/// String formats that only annotate a `String`; `date` is typed.
/// `date-time` stays a `String` in Rust: the API's timestamps are RFC 3339 text,
/// and keeping the text exact (offset and fractional seconds as sent) needs no
/// date-time dependency; `date` alone becomes the runtime's `Date`.
pub(super) const STRING_FORMATS: &[&str] =
    &["date", "date-time", "email", "uri", "uuid", "hostname"];

/// Every problem in `spec`; empty when `lower` may run.
pub fn validate(spec: &Spec) -> Vec<Problem> {
    let mut v = Validator {
        spec,
        problems: Vec::new(),
        rust_schema_names: BTreeSet::new(),
    };
    v.document();
    v.problems.sort();
    v.problems.dedup();
    v.problems
}

pub(super) struct Validator<'a> {
    pub(super) spec: &'a Spec,
    pub(super) problems: Vec<Problem>,
    /// The Rust name of every schema, filled by `schema_names` so later checks look
    /// names up instead of converting every schema name again (that was quadratic).
    pub(super) rust_schema_names: BTreeSet<String>,
}

impl<'a> Validator<'a> {
    pub(super) fn report(&mut self, pointer: Pointer, message: impl Into<String>) {
        self.problems.push(Problem::new(pointer, message));
    }

    fn document(&mut self) {
        let root = Pointer::root();
        if !self.spec.openapi.starts_with("3.0.") {
            self.report(
                root.join("openapi"),
                format!(
                    "unsupported OpenAPI version `{}`; codegen reads 3.0.x",
                    self.spec.openapi
                ),
            );
        }
        self.extensions_only(&root, &self.spec.other, &[]);
        self.extensions_only(&root.join("components"), &self.spec.components.other, &[]);
        if !self.spec.components.request_bodies.is_empty() {
            self.report(
                root.join("components").join("requestBodies"),
                "shared request bodies are not supported; put the body in the operation",
            );
        }
        self.schema_names();
        self.schema_depths();
        let schemas = root.join("components").join("schemas");
        for (name, schema) in &self.spec.components.schemas {
            let pointer = schemas.join(name);
            self.top_level_schema(name, schema, &pointer);
        }
        self.ref_cycles();
        self.request_forms();
        self.patch_bodies();
        self.set_once();
        self.events();
        self.operations();
        self.runtime_contract();
    }

    /// Unknown keys are unsupported constructs unless they are extensions or
    /// documentation-only.
    pub(super) fn extensions_only(
        &mut self,
        at: &Pointer,
        other: &BTreeMap<String, Value>,
        allowed: &[&str],
    ) {
        for key in other.keys() {
            if !key.starts_with("x-") && !allowed.contains(&key.as_str()) {
                self.report(at.join(key), format!("unsupported keyword `{key}`"));
            }
        }
    }

    pub(super) fn reference(&mut self, reference: &str, at: &Pointer) -> Option<&'a Schema> {
        let Some(name) = schema_ref_name(reference) else {
            self.report(
                at.join("$ref"),
                format!("`$ref` `{reference}` must point into `#/components/schemas`"),
            );
            return None;
        };
        let found = self.spec.components.schemas.get(name);
        if found.is_none() {
            self.report(
                at.join("$ref"),
                format!("`$ref` `{reference}` points at nothing"),
            );
        }
        found
    }
}

/// `{name}` segments of a path template, in order.
pub fn template_params(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}
