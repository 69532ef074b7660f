//! The rules that keep request bodies strict while responses stay open: every
//! object a request body reaches says `additionalProperties: false`, and a schema
//! shared with responses is restated as a request form (`x-gigs-request-form-of`)
//! that must match it key for key.

use super::Validator;
use crate::model::{OrRef, Schema, schema_ref_name};
use crate::pointer::Pointer;
use std::collections::BTreeSet;

const FORM_OF: &str = "x-gigs-request-form-of";

impl<'a> Validator<'a> {
    pub(super) fn request_forms(&mut self) {
        let schemas = Pointer::root().join("components").join("schemas");
        let spec = self.spec;
        // Union members become variants, not types: their inline tag enum is fine.
        let members: BTreeSet<&str> = spec
            .components
            .schemas
            .values()
            .filter_map(|s| s.one_of.as_ref())
            .flatten()
            .filter_map(Schema::ref_name)
            .collect();
        for (name, form) in &spec.components.schemas {
            if let Some(reference) = &form.request_form_of {
                let member = members.contains(name.as_str());
                self.request_form(form, reference, member, &schemas.join(name));
            }
        }
        let mut seen = BTreeSet::new();
        let spec = self.spec;
        for item in spec.paths.values() {
            for (_, op) in item.operations() {
                let Some(OrRef::Inline(body)) = &op.request_body else {
                    continue;
                };
                for media in body.content.values() {
                    self.closed_request(&media.schema, &mut seen);
                }
            }
        }
    }

    /// `form` restates the schema `reference` names, with its `$ref`s pointing at
    /// request forms of the originals' targets.
    fn request_form(&mut self, form: &Schema, reference: &str, member: bool, at: &Pointer) {
        let Some(original) = schema_ref_name(reference).and_then(|n| self.component(n)) else {
            self.report(
                at.join(FORM_OF),
                format!("`{reference}` is not a schema in `#/components/schemas`"),
            );
            return;
        };
        let original_at = Pointer::from_ref(reference);
        if original.request_form_of.is_some() {
            self.report(
                at.join(FORM_OF),
                format!("`{reference}` is itself a request form; name the original"),
            );
            return;
        }
        if let (Some(members), Some(originals)) = (&form.one_of, &original.one_of) {
            self.request_form_union(form, original, members, originals, at);
            return;
        }
        if form.one_of.is_some() || original.one_of.is_some() {
            self.report(
                at.clone(),
                format!("a request form of `{reference}` must be a union exactly when it is"),
            );
            return;
        }
        if !form.is_closed() {
            self.report(
                at.join("additionalProperties"),
                "a request form must say `additionalProperties: false`",
            );
        }
        if form.kind != original.kind || form.required != original.required {
            self.report(
                at.clone(),
                format!("`type` and `required` must be those of `{original_at}`"),
            );
        }
        if form.not != original.not {
            self.report(
                at.join("not"),
                format!("`not` must be that of `{original_at}`"),
            );
        }
        let keys = |s: &Schema| s.properties.keys().cloned().collect::<Vec<_>>();
        if keys(form) != keys(original) {
            self.report(
                at.join("properties"),
                format!("the properties must be those of `{original_at}`, in its order"),
            );
            return;
        }
        for ((key, mine), theirs) in form.properties.iter().zip(original.properties.values()) {
            if !member && mine.enum_values.is_some() && mine.reference.is_none() {
                // An inline enum would become a second Rust enum of the same values.
                self.report(
                    at.join("properties").join(key),
                    "a request form cannot define an inline enum; `$ref` a named one",
                );
            } else if !self.restates(mine, theirs) {
                self.report(
                    at.join("properties").join(key),
                    format!(
                        "differs from `{original_at}/properties/{key}`; a request form restates \
                         it, with `$ref`s to request forms of its targets"
                    ),
                );
            }
        }
    }

    fn request_form_union(
        &mut self,
        form: &Schema,
        original: &Schema,
        members: &[Schema],
        originals: &[Schema],
        at: &Pointer,
    ) {
        let same_tag = match (&form.discriminator, &original.discriminator) {
            (Some(mine), Some(theirs)) => mine.property_name == theirs.property_name,
            _ => false,
        };
        let same_members = members.len() == originals.len()
            && members
                .iter()
                .zip(originals)
                .all(|(m, o)| self.restates(m, o));
        if !same_tag || !same_members {
            self.report(
                at.join("oneOf"),
                "a request form of a union lists request forms of its members, in its order, \
                 with the same discriminator",
            );
        }
    }

    /// `mine` equals `theirs`, or is a `$ref` to a request form of `theirs`' target
    /// (or an array of such).
    fn restates(&self, mine: &Schema, theirs: &Schema) -> bool {
        if mine == theirs {
            return true;
        }
        if let (Some(items), Some(their_items)) = (&mine.items, &theirs.items) {
            return mine.kind == theirs.kind && self.restates(items, their_items);
        }
        match (mine.ref_name(), &theirs.reference) {
            (Some(target), Some(their_ref)) => self
                .component(target)
                .is_some_and(|t| t.request_form_of.as_ref() == Some(their_ref)),
            _ => false,
        }
    }

    /// Every object schema a request body reaches refuses unknown keys, as Gigs does.
    ///
    /// A worklist, not recursion: a chain of `$ref`s as long as the spec is long
    /// must not overflow the stack.
    fn closed_request(&mut self, schema: &'a Schema, seen: &mut BTreeSet<&'a str>) {
        let mut reached = vec![schema];
        while let Some(schema) = reached.pop() {
            if let Some(name) = schema.ref_name() {
                let Some((name, target)) = self.spec.components.schemas.get_key_value(name) else {
                    continue;
                };
                if seen.insert(name.as_str()) {
                    let at = Pointer::root()
                        .join("components")
                        .join("schemas")
                        .join(name);
                    self.closed_schema(target, &at, &mut reached);
                }
                continue;
            }
            if let Some(items) = &schema.items {
                reached.push(items);
            }
        }
    }

    /// Checks one component schema a request body reaches and queues what it refers to.
    fn closed_schema(&mut self, schema: &'a Schema, at: &Pointer, reached: &mut Vec<&'a Schema>) {
        reached.extend(schema.one_of.iter().chain(&schema.all_of).flatten());
        if schema.properties.is_empty() {
            return;
        }
        if !schema.is_closed() {
            self.report(
                at.join("additionalProperties"),
                "a request body reaches this object: say `additionalProperties: false` (Gigs \
                 refuses unknown parameters); if a response shares it, give the request its \
                 own form (`x-gigs-request-form-of`)",
            );
        }
        reached.extend(schema.properties.values());
    }

    fn component(&self, name: &str) -> Option<&'a Schema> {
        self.spec.components.schemas.get(name)
    }
}
