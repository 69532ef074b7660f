//! Emits, with the `schemars` feature, `types::__json_schemas()`: the JSON Schema
//! of every model by Rust name, so a test can hold each to its spec schema without
//! a list of types of its own (a new schema in the spec is checked with no edit).
//! `events.rs` gets the same function for the event envelopes, partial models and
//! their enums (`webhooks::__json_schemas()`).

use super::ident;
use crate::ir::{Api, Events, TypeDef};
use proc_macro2::TokenStream;
use quote::quote;

pub fn emit_json_schemas(api: &Api) -> TokenStream {
    let entries = api.types.iter().filter_map(|def| match def {
        TypeDef::Struct(_) | TypeDef::StringEnum(_) | TypeDef::Union(_) => {
            let name = def.name();
            let ty = ident(name);
            Some(quote!((#name, schemars::schema_for!(#ty))))
        }
        // An alias's schema is its target's.
        TypeDef::Alias { .. } | TypeDef::RequestForm { .. } => None,
    });
    json_schemas_fn(entries)
}

/// `__json_schemas()` of `events.rs`: every envelope, partial model and enum.
pub fn emit_event_json_schemas(events: &Events) -> TokenStream {
    let names = (events.events.iter().map(|event| &event.envelope.name))
        .chain(events.partials.iter().map(|partial| &partial.name))
        .chain(events.enums.iter().map(|e| &e.name));
    let entries = names.map(|name| {
        let ty = ident(name);
        quote!((#name, schemars::schema_for!(#ty)))
    });
    json_schemas_fn(entries)
}

fn json_schemas_fn(entries: impl Iterator<Item = TokenStream>) -> TokenStream {
    quote! {
        /// The JSON Schema of every model, by Rust name, in spec order: for the tests
        /// that hold each one to its spec schema.
        #[cfg(feature = "schemars")]
        #[doc(hidden)]
        pub fn __json_schemas() -> Vec<(&'static str, schemars::Schema)> {
            Vec::from([#(#entries),*])
        }
    }
}
