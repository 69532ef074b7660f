//! Pipeline stage 4 of 5: `ir::Api` → Rust tokens with `quote!`, one token stream
//! per generated file. Spelling only: every decision was made in `lower`.

mod operations;
mod shapes;
mod types;

use crate::ir::{Api, Type};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

pub use operations::emit_operations;
pub use shapes::emit_shapes;
pub use types::emit_types;

/// The generated module that declares the others.
pub fn emit_mod(api: &Api) -> TokenStream {
    let doc = doc_attrs(&format!(
        "Code generated from the {} spec: models in `types`, endpoint methods on `Client`.",
        api.title
    ));
    let doc = doc.into_iter().map(|attr| quote!(#![doc = #attr]));
    quote! {
        #(#doc)*
        pub mod types;
        mod operations;
        #[cfg(feature = "mock")]
        pub(crate) mod shapes;
    }
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

/// The Rust spelling of a type.
pub(crate) fn rust_type(ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote!(String),
        Type::SecretString => quote!(crate::SecretString),
        Type::Date => quote!(crate::Date),
        Type::Bool => quote!(bool),
        Type::Integer => quote!(i64),
        Type::Number => quote!(f64),
        Type::Json => quote!(serde_json::Value),
        Type::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        Type::Array(item) => {
            let item = rust_type(item);
            quote!(Vec<#item>)
        }
        Type::Map(value) => {
            let value = rust_type(value);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        Type::Named(name) => {
            let name = ident(name);
            quote!(#name)
        }
    }
}
