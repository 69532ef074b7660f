//! Webhook events: `x-gigs-event` envelopes and the `x-gigs-partial-of` models of
//! their `previousData`. They are generated behind the `webhooks` feature, so no
//! API model may refer to them, and `Event::id()` / `event_type()` read their `id`
//! and `type`.

use super::Validator;
use crate::model::{AdditionalProperties, OrRef, Schema};
use crate::naming::{EVENT_MODULE_NAMES, EVENT_TYPE_PREFIX, event_variant};
use crate::pointer::Pointer;
use std::collections::BTreeMap;

/// Envelope properties `Event`'s accessors read: required, plain strings.
const ENVELOPE_STRINGS: &[&str] = &["id", "type"];

impl<'a> Validator<'a> {
    pub(super) fn events(&mut self) {
        let schemas = Pointer::root().join("components").join("schemas");
        let mut variants: BTreeMap<String, &str> = BTreeMap::new();
        let has_events = self
            .spec
            .components
            .schemas
            .values()
            .any(|schema| schema.event.is_some());
        for (name, schema) in &self.spec.components.schemas {
            let at = schemas.join(name);
            if has_events && EVENT_MODULE_NAMES.contains(&name.as_str()) {
                self.report(
                    at.clone(),
                    format!(
                        "schema name `{name}` is taken by the webhooks module of a spec with events"
                    ),
                );
            }
            match (&schema.event, schema.partial_of.as_deref()) {
                (Some(_), Some(_)) => self.report(
                    at.join("x-gigs-partial-of"),
                    "a schema is either an event (`x-gigs-event`) or a partial model, not both",
                ),
                (Some(event_type), None) => {
                    self.envelope(event_type, schema, &at);
                    if let Some(variant) = event_variant(event_type)
                        && let Some(first) = variants.insert(variant.clone(), name)
                    {
                        self.report(
                            at.join("x-gigs-event"),
                            format!("event type `{event_type}` collides with `{first}`'s: both become `Event::{variant}`"),
                        );
                    }
                }
                (None, Some(original)) => self.partial(original, schema, &at),
                (None, None) => {}
            }
        }
        self.event_only_references();
    }

    fn envelope(&mut self, event_type: &str, schema: &Schema, at: &Pointer) {
        match event_variant(event_type) {
            None => self.report(
                at.join("x-gigs-event"),
                format!("event type `{event_type}` must be `{EVENT_TYPE_PREFIX}` and a name that gives a Rust identifier"),
            ),
            Some(variant) if variant == "Unknown" => self.report(
                at.join("x-gigs-event"),
                format!("event type `{event_type}` collides with `Event::Unknown`, which keeps unknown events"),
            ),
            Some(_) => {}
        }
        if schema.one_of.is_some() || schema.all_of.is_some() || schema.properties.is_empty() {
            self.report(
                at.clone(),
                "an event is an object schema with `properties` (the envelope)",
            );
            return;
        }
        for property in ENVELOPE_STRINGS {
            let plain_string = schema.properties.get(*property).is_some_and(|p| {
                p.kind.as_deref() == Some("string")
                    && p.reference.is_none()
                    && p.enum_values.is_none()
                    && !p.nullable
                    && !p.secret
            });
            if !plain_string || !schema.required.iter().any(|r| r == property) {
                self.report(
                    at.join("properties").join(property),
                    format!("an event needs a required, non-nullable `{property}` of type string without `enum`"),
                );
            }
        }
    }

    fn partial(&mut self, original: &str, schema: &Schema, at: &Pointer) {
        let pointer = at.join("x-gigs-partial-of");
        let Some(name) = crate::model::schema_ref_name(original) else {
            self.report(
                pointer,
                format!("`{original}` must point into `#/components/schemas`"),
            );
            return;
        };
        let Some(target) = self.spec.components.schemas.get(name) else {
            self.report(pointer, format!("`{original}` points at nothing"));
            return;
        };
        let plain_object = target.one_of.is_none()
            && target.all_of.is_none()
            && target.enum_values.is_none()
            && !target.properties.is_empty()
            && !target.is_event_only()
            && target.request_form_of.is_none();
        if !plain_object {
            self.report(
                pointer.clone(),
                format!("`{original}` must be an API model with `properties`"),
            );
        }
        if target.properties.keys().any(|wire| wire == "extra") {
            self.report(
                pointer,
                format!(
                    "`{original}` has a property `extra`, the field a partial keeps unknown keys in"
                ),
            );
        }
        if !schema.properties.is_empty() || !schema.required.is_empty() {
            self.report(
                at.join("properties"),
                "a partial model takes its properties from `x-gigs-partial-of`; list none",
            );
        }
        if matches!(
            schema.additional_properties,
            Some(AdditionalProperties::Allowed(false))
        ) {
            self.report(
                at.join("additionalProperties"),
                "a partial model keeps unknown keys; it cannot be closed",
            );
        }
    }

    /// Event envelopes and partial models exist only with the `webhooks` feature:
    /// only event schemas may refer to them, and nothing to an envelope.
    fn event_only_references(&mut self) {
        let schemas = Pointer::root().join("components").join("schemas");
        let mut uses: Vec<(Pointer, &str, bool)> = Vec::new();
        for (name, schema) in &self.spec.components.schemas {
            let from_event = schema.event.is_some();
            collect_refs(schema, &schemas.join(name), from_event, &mut uses);
        }
        for (path, item) in &self.spec.paths {
            for (method, op) in item.operations() {
                let at = Pointer::root().join("paths").join(path).join(method);
                if let Some(OrRef::Inline(body)) = &op.request_body {
                    for (media, content) in &body.content {
                        let at = at
                            .join("requestBody")
                            .join("content")
                            .join(media)
                            .join("schema");
                        collect_refs(&content.schema, &at, false, &mut uses);
                    }
                }
                for (status, response) in &op.responses {
                    if let OrRef::Inline(response) = response {
                        for (media, content) in &response.content {
                            let at = at
                                .join("responses")
                                .join(status)
                                .join("content")
                                .join(media)
                                .join("schema");
                            collect_refs(&content.schema, &at, false, &mut uses);
                        }
                    }
                }
            }
        }
        for (at, target, from_event) in uses {
            let Some(schema) = self.spec.components.schemas.get(target) else {
                continue;
            };
            if schema.event.is_some() || (schema.partial_of.is_some() && !from_event) {
                self.report(
                    at.join("$ref"),
                    format!("`{target}` exists only for webhook events; only an event (`x-gigs-event`) may refer to a partial model, and nothing to an event"),
                );
            }
        }
    }
}

/// Every `$ref` in `schema` and below, with where it is and whether an event holds it.
fn collect_refs<'s>(
    schema: &'s Schema,
    at: &Pointer,
    from_event: bool,
    out: &mut Vec<(Pointer, &'s str, bool)>,
) {
    if let Some(target) = schema.ref_name() {
        out.push((at.clone(), target, from_event));
    }
    for (wire, property) in &schema.properties {
        collect_refs(property, &at.join("properties").join(wire), from_event, out);
    }
    if let Some(items) = &schema.items {
        collect_refs(items, &at.join("items"), from_event, out);
    }
    if let Some(AdditionalProperties::Schema(values)) = &schema.additional_properties {
        collect_refs(values, &at.join("additionalProperties"), from_event, out);
    }
    for (key, list) in [("oneOf", &schema.one_of), ("allOf", &schema.all_of)] {
        for (i, member) in list.iter().flatten().enumerate() {
            collect_refs(member, &at.join(key).join(i), from_event, out);
        }
    }
}
