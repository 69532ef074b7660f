//! Emits `operations.rs`: one async method on `Client` per operation.

use super::{Part, docs, ident, part};
use crate::ir::{Api, Operation, PathPart};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The endpoint methods of `api`.
pub fn emit_operations(api: &Api) -> Vec<Part<'_>> {
    vec![part(move || {
        let methods = api.operations.iter().map(emit_operation);
        quote! {
            //! Endpoint methods: one per spec operation, all sent through `Client::send`.
            impl crate::Client {
                #(#methods)*
            }
        }
    })]
}

fn emit_operation(op: &Operation) -> TokenStream {
    let method_name = ident(&op.method_name);
    let operation_id = &op.operation_id;
    let http_method = ident(&op.http_method);
    let doc = docs(&op.doc);
    let response = ident(&op.response);
    // Each parameter is encoded into a local first, so the path template can name
    // it inline and stay readable in the generated code.
    let mut template = String::new();
    let mut segments = Vec::new();
    for part in &op.path {
        let (arg, value) = match part {
            PathPart::Literal(text) => {
                template.push_str(&text.replace('{', "{{").replace('}', "}}"));
                continue;
            }
            PathPart::Arg(arg) => {
                let name = ident(&arg.name);
                (arg, quote!(#name))
            }
            PathPart::ClientSetting(arg) => {
                let name = ident(&arg.name);
                (arg, quote!(self.#name()))
            }
        };
        let local = format_ident!("{}_segment", crate::naming::bare(&arg.name));
        template.push_str(&format!("{{{local}}}"));
        let wire = &arg.wire;
        segments
            .push(quote!(let #local = crate::codec::path_segment(#operation_id, #wire, #value)?;));
    }
    let args = op.path_args.iter().map(|arg| {
        let name = ident(&arg.name);
        quote!(#name: &str)
    });
    let arg_docs = op.path_args.iter().map(|arg| {
        format!(
            "- `{}`: {}",
            crate::naming::bare(&arg.name),
            arg.doc.lines().next().unwrap_or_default()
        )
    });
    let arg_docs: Vec<String> = if op.path_args.is_empty() {
        Vec::new()
    } else {
        std::iter::once(String::new())
            .chain(std::iter::once(" Arguments:".to_owned()))
            .chain(std::iter::once(String::new()))
            .chain(arg_docs.map(|d| format!(" {d}")))
            .collect()
    };
    let (body_param, body_arg) = match &op.body {
        Some(body) => {
            let body = ident(body);
            (quote!(body: &crate::types::#body), quote!(Some(body)))
        }
        None => (quote!(), quote!(None::<&()>)),
    };
    quote! {
        #doc
        #(#[doc = #arg_docs])*
        pub async fn #method_name(&self, #(#args,)* #body_param) -> Result<crate::types::#response, crate::Error> {
            #(#segments)*
            let path = format!(#template);
            self.send(#operation_id, reqwest::Method::#http_method, path, #body_arg).await
        }
    }
}
