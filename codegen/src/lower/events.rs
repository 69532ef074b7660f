//! Webhook events (`x-gigs-event`) → `ir::Events`: each envelope a struct and an
//! `Event` variant, each `x-gigs-partial-of` schema the original's fields made optional.

use super::{Lowering, doc, type_name};
use crate::ir::{EventDef, Events, Partial, Presence, TypeDef};
use crate::naming::event_variant;

impl<'a> Lowering<'a> {
    pub(super) fn events(&self) -> Events {
        let mut events = Events::default();
        for (name, schema) in &self.spec.components.schemas {
            if let Some(event_type) = &schema.event {
                let type_doc = doc(schema.description.as_deref(), None, || {
                    format!("The `{event_type}` event.")
                });
                let (envelope, enums) = self.record(name, type_name(name), type_doc, schema);
                events.events.push(EventDef {
                    event_type: event_type.clone(),
                    variant: event_variant(event_type).expect("validated event type"),
                    envelope,
                });
                events.enums.extend(enums);
            } else if let Some(original) = schema.partial_of() {
                events.partials.push(self.partial(name, schema, original));
            }
        }
        events
    }

    fn partial(&self, name: &str, schema: &'a crate::model::Schema, original: &str) -> Partial {
        let doc = doc(schema.description.as_deref(), None, || {
            format!("Some fields of `{original}`, every one optional.")
        });
        let mut whole = Vec::new();
        self.schema(original, self.component(original), &mut whole);
        let Some(TypeDef::Struct(whole)) = whole.into_iter().next() else {
            unreachable!("validated: a partial is of an object schema")
        };
        let fields = whole
            .fields
            .into_iter()
            .map(|mut field| {
                field.presence = if field.nullable {
                    Presence::Patch
                } else {
                    Presence::Optional
                };
                field.fixed = None;
                field
            })
            .collect();
        Partial {
            name: type_name(name),
            doc,
            of: type_name(original),
            fields,
        }
    }
}
