//! Emits `events.rs` (behind the `webhooks` feature): the event envelopes, the
//! partial models of `previousData`, and the `Event` enum tagged by `type`.

use super::json_schemas::emit_event_json_schemas;
use super::types::{emit_string_enum, emit_struct, field_type, serde_attrs};
use super::{Part, docs, ident, part};
use crate::ir::{Api, EventDef, Events, Partial};
use crate::naming::bare;
use proc_macro2::TokenStream;
use quote::quote;

/// The parts of `events.rs`; none when the spec describes no event.
pub fn emit_events(api: &Api) -> Vec<Part<'_>> {
    let events = &api.events;
    let mut parts = vec![part(|| {
        quote! {
            //! Webhook events of the Gigs API, one per `x-gigs-event` schema of the spec.
            // An envelope's constructor takes each of its required fields (eight or more).
            #![allow(clippy::too_many_arguments)]
            use serde::{Deserialize, Serialize};
            // The models the events carry; the events' own names shadow none of them.
            #[allow(unused_imports)]
            use crate::types::*;
        }
    })];
    parts.push(part(move || emit_event_enum(events)));
    for event in &events.events {
        parts.push(part(move || emit_envelope(event)));
    }
    for partial in &events.partials {
        parts.push(part(move || emit_partial(partial)));
    }
    for e in &events.enums {
        parts.push(part(move || emit_string_enum(e)));
    }
    parts.push(part(move || emit_event_json_schemas(events)));
    parts
}

fn emit_envelope(event: &EventDef) -> TokenStream {
    let name = ident(&event.envelope.name);
    let event_type = &event.event_type;
    let model = emit_struct(&event.envelope);
    quote! {
        #model

        impl #name {
            /// The event type, as in `type`.
            pub const TYPE: &'static str = #event_type;
        }
    }
}

fn emit_partial(partial: &Partial) -> TokenStream {
    let name = ident(&partial.name);
    let doc = docs(&partial.doc);
    let fields = partial.fields.iter().map(|f| {
        let (field, doc, ty, serde) = (ident(&f.name), docs(&f.doc), field_type(f), serde_attrs(f));
        quote! { #doc #serde pub #field: #ty, }
    });
    let extra_doc = format!(
        "Keys `{}` does not know (yet), as received; `Debug` shows them scrubbed.",
        partial.of
    );
    // Unknown keys came from the server and may hold a secret this version cannot
    // name (a token): `Debug` shows them only through the runtime's scrubber.
    let debug_fields = partial.fields.iter().map(|f| {
        let field = ident(&f.name);
        let label = bare(&f.name);
        quote! { .field(#label, &self.#field) }
    });
    let label = partial.name.as_str();
    quote! {
        #doc
        #[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #[doc = #extra_doc]
            #[serde(flatten)]
            pub extra: serde_json::Map<String, serde_json::Value>,
        }

        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#label)
                    #(#debug_fields)*
                    .field("extra", &crate::__private::scrub::Scrubbed(&self.extra))
                    .finish()
            }
        }
    }
}

fn emit_event_enum(events: &Events) -> TokenStream {
    let variants: Vec<_> = events.events.iter().map(|e| ident(&e.variant)).collect();
    let envelopes: Vec<_> = events
        .events
        .iter()
        .map(|e| ident(&e.envelope.name))
        .collect();
    let types: Vec<_> = events
        .events
        .iter()
        .map(|e| e.event_type.as_str())
        .collect();
    let variant_docs = types.iter().map(|t| format!(" `{t}`"));
    quote! {
        /// A webhook event, by its `type`. A type this version of the SDK does not
        /// know is kept as [`UnknownEvent`](crate::webhooks::UnknownEvent), never an error.
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        // One event at a time is decoded and matched on: boxing would only make
        // `Event::ConnectSessionUpdated(event)` patterns harder to write.
        #[allow(clippy::large_enum_variant)]
        pub enum Event {
            #(#[doc = #variant_docs] #variants(#envelopes),)*
            /// An event type this version of the SDK does not know, kept as received.
            Unknown(crate::__private::UnknownEvent),
        }

        impl Event {
            /// Every event type the spec lists.
            pub const TYPES: &'static [&'static str] = &[#(#types),*];

            /// The event's id (`evt_…`). Deliveries are deduplicated by the
            /// `webhook-id` header, not by this.
            pub fn id(&self) -> &str {
                match self {
                    #(Self::#variants(event) => &event.id,)*
                    Self::Unknown(event) => event.id(),
                }
            }

            /// The event type as received (`com.gigs.connectSession.created`).
            pub fn event_type(&self) -> &str {
                match self {
                    #(Self::#variants(event) => &event.r#type,)*
                    Self::Unknown(event) => event.event_type(),
                }
            }

            /// Decodes the event of type `event_type` (read from the same JSON).
            pub(crate) fn decode_as<'de, D: serde::Deserializer<'de>>(
                event_type: &str,
                deserializer: D,
            ) -> Result<Self, D::Error> {
                match event_type {
                    #(#types => #envelopes::deserialize(deserializer).map(Self::#variants),)*
                    _ => crate::__private::UnknownEvent::deserialize(deserializer).map(Self::Unknown),
                }
            }
        }

        impl Serialize for Event {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(Self::#variants(event) => event.serialize(serializer),)*
                    Self::Unknown(event) => event.serialize(serializer),
                }
            }
        }
    }
}
