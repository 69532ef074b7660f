//! Pipeline stage 4 of 5: `ir::Api` → Rust tokens with `quote!`. Spelling only:
//! every decision was made in `lower`.
//!
//! A generated file is planned as a list of [`Part`]s, each a run of whole items that
//! is emitted and formatted on its own. On a large spec one file (`types.rs`) is
//! most of the work, and token streams cannot cross threads, so the parts, not the
//! files, are what `format` spreads over the cores.

mod events;
mod json_schemas;
mod operations;
mod shapes;
mod types;

use crate::ir::{Api, Type};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

pub use events::emit_events;
pub use operations::emit_operations;
pub use shapes::{emit_shapes, tables};
pub use types::emit_types;

/// Emits one part of a generated file: whole items, the first part of a file may
/// start with its inner attributes.
pub type Part<'a> = Box<dyn Fn() -> TokenStream + Send + Sync + 'a>;

/// A generated file: its path relative to the generated folder, and its parts in order.
pub struct FilePlan<'a> {
    pub path: &'static str,
    pub parts: Vec<Part<'a>>,
}

/// Every generated file of `api`, in a fixed order.
pub fn plan(api: &Api) -> Vec<FilePlan<'_>> {
    let mut files = vec![
        FilePlan {
            path: "mod.rs",
            parts: emit_mod(api),
        },
        FilePlan {
            path: "types.rs",
            parts: emit_types(api),
        },
        FilePlan {
            path: "operations.rs",
            parts: emit_operations(api),
        },
        FilePlan {
            path: "shapes.rs",
            parts: emit_shapes(api),
        },
    ];
    // Only a spec that describes events gets `events.rs`.
    if !api.events.is_empty() {
        files.push(FilePlan {
            path: "events.rs",
            parts: emit_events(api),
        });
    }
    files
}

/// A part from a closure (spares each call site the `Box` and the coercion).
pub(crate) fn part<'a>(emit: impl Fn() -> TokenStream + Send + Sync + 'a) -> Part<'a> {
    Box::new(emit)
}

/// The generated module that declares the others.
pub fn emit_mod(api: &Api) -> Vec<Part<'_>> {
    vec![part(move || {
        let doc = doc_attrs(&format!(
            "Code generated from the {} spec: models in `types`, endpoint methods on `Client` and their request types in `operations`.",
            api.title
        ));
        let doc = doc.into_iter().map(|attr| quote!(#![doc = #attr]));
        let events = (!api.events.is_empty()).then(|| {
            quote! {
                #[cfg(feature = "webhooks")]
                pub mod events;
            }
        });
        let framing = crate::naming::FRAMING_HEADERS;
        let framing_doc = docs(
            "Headers that frame the message or the connection, which the HTTP stack writes from the body and the URL: the runtime refuses them per call, and codegen refuses them as header parameters (one list: codegen's `naming::FRAMING_HEADERS`).",
        );
        quote! {
            #(#doc)*
            pub mod types;
            pub mod operations;
            pub(crate) mod shapes;
            #events
            #framing_doc
            pub const FRAMING_HEADERS: &[&str] = &[#(#framing),*];
        }
    })]
}

/// An identifier from source text, raw when it starts with `r#`.
pub(crate) fn ident(text: &str) -> Ident {
    match text.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(text, Span::call_site()),
    }
}

/// `#[doc = "…"]` lines, each with the leading space rustdoc expects.
pub(crate) fn doc_attrs(doc: &str) -> Vec<String> {
    doc.lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

/// Outer doc attributes for an item.
pub(crate) fn docs(doc: &str) -> TokenStream {
    let lines = doc_attrs(doc);
    quote!(#(#[doc = #lines])*)
}

/// The Rust spelling of a type, as `types.rs` names it (models by bare name).
pub(crate) fn rust_type(ty: &Type) -> TokenStream {
    type_in(ty, &quote!())
}

/// The Rust spelling of a type outside `types.rs`: models as `crate::types::Name`.
pub(crate) fn qualified_type(ty: &Type) -> TokenStream {
    type_in(ty, &quote!(crate::types::))
}

/// A type with every model name behind `models` (empty, or a module path).
fn type_in(ty: &Type, models: &TokenStream) -> TokenStream {
    match ty {
        Type::String => quote!(String),
        Type::SecretString => quote!(crate::__private::SecretString),
        Type::Date => quote!(crate::__private::Date),
        Type::Bool => quote!(bool),
        Type::Integer => quote!(i64),
        Type::Number => quote!(f64),
        Type::Json => quote!(serde_json::Value),
        Type::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        Type::Array(item) => {
            let item = type_in(item, models);
            quote!(Vec<#item>)
        }
        Type::Map(value) => {
            let value = type_in(value, models);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        Type::Named(name) => {
            let name = ident(name);
            quote!(#models #name)
        }
    }
}
