//! Tagged unions in the Gigs intent shape.

use super::Validator;
use crate::model::{DOC_ONLY_KEYS, Discriminator, Schema};
use crate::naming::{Case, UNION_METHODS, sanitize};
use crate::pointer::Pointer;
use serde_json::Value;
use std::collections::BTreeMap;

/// What a union's members have claimed so far, so a second claim is reported.
#[derive(Default)]
struct Claims {
    /// Tag value → the `$ref` of the member that has it.
    tags: BTreeMap<String, String>,
    /// Rust variant name → the tag value it came from.
    variants: BTreeMap<String, String>,
    /// Payload schema name → the tag value that carries it.
    payloads: BTreeMap<String, String>,
}

/// One `oneOf` member whose tag gave a Rust variant name.
struct Tagged<'s> {
    reference: &'s String,
    target: &'s Schema,
    value: String,
    variant: String,
}

impl<'a> Validator<'a> {
    pub(super) fn union(&mut self, name: &str, schema: &Schema, members: &[Schema], at: &Pointer) {
        self.extensions_only(at, &schema.other, DOC_ONLY_KEYS);
        let Some(discriminator) = &schema.discriminator else {
            self.report(
                at.join("oneOf"),
                "`oneOf` without a `discriminator` is not supported (decoding dispatches on the tag)",
            );
            return;
        };
        let mut claims = Claims::default();
        for (i, member) in members.iter().enumerate() {
            self.union_variant(
                discriminator,
                member,
                &at.join("oneOf").join(i),
                &mut claims,
            );
        }
        for (value, target) in &discriminator.mapping {
            if !claims.tags.contains_key(value) {
                self.report(
                    at.join("discriminator").join("mapping").join(value),
                    format!(
                        "mapping names `{target}`, which is not a `oneOf` member with tag `{value}`"
                    ),
                );
            }
        }
        if claims.variants.contains_key("Unknown") {
            self.report(
                at.join("oneOf"),
                format!("a tag of `{name}` becomes `Unknown`, the variant that keeps unknown tags"),
            );
        }
    }

    /// Checks one `oneOf` member: a `$ref` to a tagged object whose tag is its own
    /// and gives a Rust variant and constructor.
    fn union_variant(
        &mut self,
        discriminator: &Discriminator,
        member: &Schema,
        at: &Pointer,
        claims: &mut Claims,
    ) {
        let Some(reference) = &member.reference else {
            self.report(
                at.clone(),
                "`oneOf` members must be `$ref`s to object schemas",
            );
            return;
        };
        let Some(target) = self.reference(reference, at) else {
            return;
        };
        let target_at = Pointer::from_ref(reference);
        let tag = discriminator.property_name.as_str();
        let Some(value) = self.union_member(target, tag, &target_at) else {
            return;
        };
        if let Some(first) = claims.tags.insert(value.clone(), reference.clone()) {
            self.report(
                at.clone(),
                format!("tag `{value}` is used by `{first}` too"),
            );
        }
        let (Some(variant), Some(constructor)) = (
            sanitize(&value, Case::Pascal),
            sanitize(&value, Case::Snake),
        ) else {
            self.report(
                at.clone(),
                format!("tag `{value}` gives no Rust identifier"),
            );
            return;
        };
        if UNION_METHODS.contains(&constructor.as_str()) {
            self.report(
                at.clone(),
                format!("tag `{value}` would get the constructor `{constructor}`, which every union already has"),
            );
        }
        let tagged = Tagged {
            reference,
            target,
            value,
            variant,
        };
        self.union_variant_claims(discriminator, &tagged, at, claims);
    }

    /// Checks that one member's tag is in the `mapping` (when there is one) and
    /// points here, and that its payload and variant are not another member's.
    fn union_variant_claims(
        &mut self,
        discriminator: &Discriminator,
        tagged: &Tagged<'_>,
        at: &Pointer,
        claims: &mut Claims,
    ) {
        let Tagged {
            reference,
            target,
            value,
            variant,
        } = tagged;
        if !discriminator.mapping.is_empty() && !discriminator.mapping.contains_key(value) {
            self.report(
                at.clone(),
                format!("tag `{value}` is missing from the discriminator `mapping`; list every member there"),
            );
        }
        if let Some(payload) = target.properties.get(value).and_then(Schema::ref_name)
            && let Some(first) = claims.payloads.insert(payload.to_owned(), value.clone())
        {
            self.report(
                at.clone(),
                format!("tags `{first}` and `{value}` share the payload `{payload}`; each variant needs its own payload schema (it gets a `From` conversion)"),
            );
        }
        if let Some(first) = claims.variants.insert(variant.clone(), value.clone())
            && first != *value
        {
            self.report(
                at.clone(),
                format!("tag `{value}` collides with `{first}`: both become variant `{variant}`"),
            );
        }
        if let Some(mapped) = discriminator.mapping.get(value)
            && mapped != *reference
        {
            self.report(
                at.join("$ref"),
                format!("discriminator mapping sends `{value}` to `{mapped}`, not here"),
            );
        }
    }

    /// Checks one union member and returns its tag value.
    fn union_member(&mut self, member: &Schema, tag: &str, at: &Pointer) -> Option<String> {
        let Some(tag_schema) = member.properties.get(tag) else {
            self.report(
                at.join("properties"),
                format!("union member has no `{tag}` property"),
            );
            return None;
        };
        let tag_at = at.join("properties").join(tag);
        let value = match tag_schema.enum_values.as_deref() {
            Some([Value::String(value)]) => value.clone(),
            _ => {
                self.report(
                    tag_at.join("enum"),
                    format!("`{tag}` must be a string enum of exactly one value"),
                );
                return None;
            }
        };
        if value == tag {
            self.report(
                tag_at.join("enum"),
                format!("the tag value `{value}` is the discriminator property itself; the payload key would be `{tag}` too"),
            );
            return None;
        }
        if !member.required.iter().any(|r| r == tag) {
            self.report(at.join("required"), format!("`{tag}` must be required"));
        }
        for (key, payload) in &member.properties {
            if key == tag {
                continue;
            }
            let payload_at = at.join("properties").join(key);
            if *key != value {
                self.report(
                    payload_at,
                    format!("payload key `{key}` must be named like the type `{value}`"),
                );
                continue;
            }
            if payload.ref_name().is_none() {
                self.report(
                    payload_at,
                    "the payload must be a `$ref` to an object schema",
                );
            }
            if !member.required.iter().any(|r| r == key) {
                self.report(
                    at.join("required"),
                    format!("payload `{key}` must be required"),
                );
            }
        }
        Some(value)
    }
}
