//! Emits `operations.rs`: per operation, a method on `Client` that returns a
//! `Call`, the request type it carries (its parameters, how to build the HTTP
//! request, how to read the answer), setters for its optional parameters and, for
//! a list, its pager. What an operation does not use is not emitted.

use super::{Part, docs, ident, part, qualified_type};
use crate::ir::{
    Api, Body, Operation, Param, ParamLocation, ParamType, PathPart, Response, Type, TypeDef,
};
use crate::naming::bare;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The endpoint methods and request types of `api`, a part per operation.
pub fn emit_operations(api: &Api) -> Vec<Part<'_>> {
    let mut parts = vec![part(|| {
        quote! {
            //! Endpoint methods and their request types: each method on `Client` returns
            //! a `Call` of the operation's request type, sent when awaited.
        }
    })];
    parts.extend(
        api.operations
            .iter()
            .map(|op| part(move || emit_operation(api, op))),
    );
    parts
}

fn emit_operation(api: &Api, op: &Operation) -> TokenStream {
    let lifetime = op.borrows().then(|| quote!(<'a>));
    let type_name = ident(&op.type_name);
    let method = client_method(op);
    let request_type = request_type(api, op);
    let setters = setters(op);
    let pager = op.pager.as_ref().map(|pager| {
        let item = qualified_type(&pager.item);
        let (items, cursor, after) = (
            ident(&pager.items_field),
            ident(&pager.cursor_field),
            ident(&pager.after_param),
        );
        let output = response_type(&op.response);
        let backward = pager.backward.as_ref().map(|backward| {
            let (cursor, before) = (ident(&backward.cursor_field), ident(&backward.before_param));
            quote! {
                fn walks_backward(&self) -> bool {
                    self.#before.is_some()
                }
                fn into_items_before(page: #output) -> (Vec<#item>, Option<String>) {
                    (page.#items, page.#cursor)
                }
                fn set_before(&mut self, cursor: String) {
                    self.#before = Some(cursor);
                }
            }
        });
        quote! {
            impl crate::__private::call::Paginated for #type_name #lifetime {
                type Item = #item;
                fn into_items(page: #output) -> (Vec<#item>, Option<String>) {
                    (page.#items, page.#cursor)
                }
                fn set_after(&mut self, cursor: String) {
                    self.#after = Some(cursor);
                }
                #backward
            }
        }
    });
    quote! {
        impl crate::__private::Client { #method }
        #request_type
        #setters
        #pager
    }
}

/// `pub fn list_things(&self, …) -> Call<…>`: path arguments, required
/// parameters and the body are arguments; optional parameters start unset.
fn client_method(op: &Operation) -> TokenStream {
    let method_name = ident(&op.method_name);
    let type_name = ident(&op.type_name);
    let (generics, receiver, call_lifetime, type_lifetime) = if op.borrows() {
        (quote!(<'a>), quote!(&'a self), quote!('a), quote!(<'a>))
    } else {
        (quote!(), quote!(&self), quote!('_), quote!())
    };
    let mut args = Vec::new();
    let mut fields = Vec::new();
    for arg in &op.path_args {
        let name = ident(&arg.name);
        args.push(quote!(#name: &'a str));
        fields.push(quote!(#name));
    }
    for param in &op.params {
        let name = ident(&param.name);
        if param.required {
            let (ty, value) = argument(param);
            args.push(quote!(#name: #ty));
            // `name: name` is spelled `name` (clippy's redundant_field_names).
            fields.push(match name == value.to_string() {
                true => quote!(#name),
                false => quote!(#name: #value),
            });
        } else {
            fields.push(quote!(#name: None));
        }
    }
    match &op.body {
        Some(body) if body.required => {
            let body = ident(&body.type_name);
            args.push(quote!(body: &'a crate::types::#body));
            fields.push(quote!(body));
        }
        Some(_) => fields.push(quote!(body: None)),
        None => {}
    }
    let doc = docs(&method_doc(op));
    quote! {
        #doc
        pub fn #method_name #generics(#receiver, #(#args),*) -> crate::__private::Call<#call_lifetime, crate::operations::#type_name #type_lifetime> {
            crate::__private::Call::new(self, crate::operations::#type_name { #(#fields),* })
        }
    }
}

/// The method's docs: the operation's, what awaiting it gives, then its arguments
/// and optional parameters.
fn method_doc(op: &Operation) -> String {
    let mut doc = op.doc.clone();
    if op.deprecated {
        doc.push_str(
            "\n\n**Deprecated** in the API spec: the operation may go away in a later version.",
        );
    }
    doc.push_str("\n\n");
    doc.push_str(&resolves_to(op));
    let first_line = |text: &str| text.lines().next().unwrap_or_default().to_owned();
    let mut arguments: Vec<String> = op
        .path_args
        .iter()
        .map(|arg| format!("- `{}`: {}", bare(&arg.name), first_line(&arg.doc)))
        .collect();
    arguments.extend(
        op.params
            .iter()
            .filter(|p| p.required)
            .map(|p| format!("- `{}`: {}", bare(&p.name), first_line(&p.doc))),
    );
    let body_doc = |body: &Body| {
        let name = &body.type_name;
        format!("the request, a [`{name}`](crate::types::{name}).")
    };
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        arguments.push(format!("- `body`: {}", body_doc(body)));
    }
    if !arguments.is_empty() {
        doc.push_str("\n\nArguments:\n\n");
        doc.push_str(&arguments.join("\n"));
    }
    let mut optional: Vec<String> = op
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|p| format!("- `.{}(…)`: {}", bare(&p.name), first_line(&p.doc)))
        .collect();
    if let Some(body) = op.body.as_ref().filter(|b| !b.required) {
        optional.push(format!("- `.body(…)`: {}", body_doc(body)));
    }
    if !optional.is_empty() {
        doc.push_str("\n\nOptional parameters, set on the returned [`Call`](crate::Call) and sent only when set:\n\n");
        doc.push_str(&optional.join("\n"));
    }
    doc
}

/// What awaiting the operation's `Call` gives, with links, so a reader need not
/// follow `Call<'_, operations::X>` to its `Operation::Output`.
fn resolves_to(op: &Operation) -> String {
    const ERROR: &str = "or an [`Error`](crate::Error)";
    match (&op.response, &op.pager) {
        (Response::Json(page), Some(pager)) => format!(
            "Resolves to one page, a {page}, {ERROR}; [`.items()`](crate::Call::items) \
             instead gives a [`Pager`](crate::Pager) (a `Stream`) of every {item} across pages.",
            page = model_link(page),
            item = type_link(&pager.item),
        ),
        (Response::Json(name), None) => format!(
            "Resolves to a {model}, {ERROR}; \
             [`.with_response()`](crate::Call::with_response) gives it in a \
             [`Response`](crate::Response) with the status and headers.",
            model = model_link(name),
        ),
        (Response::NoContent, _) => format!(
            "Resolves to `()` (the answer has no body), {ERROR}; \
             [`.with_response()`](crate::Call::with_response) gives the status and headers too."
        ),
    }
}

/// A generated model's name, linked.
fn model_link(name: &str) -> String {
    format!("[`{name}`](crate::types::{name})")
}

/// A type as docs show it: a generated model linked, anything else as Rust spells it.
fn type_link(ty: &Type) -> String {
    match ty {
        Type::Named(name) => model_link(name),
        other => format!("`{}`", qualified_type(other).to_string().replace(' ', "")),
    }
}

/// The request type: its fields and its `Operation` implementation.
/// The wire names a caller's extra query parameters and body fields may not take
/// (`Call::extra_query`, `Call::extra_body_field`): the operation's typed query
/// parameters and its body struct's top-level properties. Each is emitted only when
/// the operation has some; the trait's default is none.
fn typed_wire_names(api: &Api, op: &Operation) -> TokenStream {
    let query: Vec<&str> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(|p| p.wire.as_str())
        .collect();
    let body: Vec<&str> = op
        .body
        .iter()
        .flat_map(|body| {
            api.types.iter().filter_map(move |t| match t {
                TypeDef::Struct(s) if s.name == body.type_name => Some(s),
                _ => None,
            })
        })
        .flat_map(|s| s.fields.iter().map(|f| f.wire_name.as_str()))
        .collect();
    let query = (!query.is_empty())
        .then(|| quote!(const QUERY_PARAMS: &'static [&'static str] = &[#(#query),*];));
    let body = (!body.is_empty())
        .then(|| quote!(const BODY_FIELDS: &'static [&'static str] = &[#(#body),*];));
    quote!(#query #body)
}

fn request_type(api: &Api, op: &Operation) -> TokenStream {
    let type_name = ident(&op.type_name);
    let lifetime = op.borrows().then(|| quote!(<'a>));
    let anonymous = op.borrows().then(|| quote!(<'_>));
    let operation_id = &op.operation_id;
    let route = &op.path_template;
    let mut fields = Vec::new();
    for arg in &op.path_args {
        let name = ident(&arg.name);
        fields.push(quote!(#name: &'a str,));
    }
    for param in &op.params {
        let name = ident(&param.name);
        let ty = param_type(&param.ty);
        fields.push(if param.required {
            quote!(#name: #ty,)
        } else {
            quote!(#name: Option<#ty>,)
        });
    }
    if let Some(body) = &op.body {
        let name = ident(&body.type_name);
        fields.push(match body.required {
            true => quote!(body: &'a crate::types::#name,),
            false => quote!(body: Option<&'a crate::types::#name>,),
        });
    }
    let doc = docs(&format!(
        "The `{operation_id}` request, made by [`Client::{method}`](crate::Client::{method}): await it to send it. {resolves}",
        method = bare(&op.method_name),
        resolves = resolves_to(op),
    ));
    let build = build_request(op);
    let typed_wire_names = typed_wire_names(api, op);
    let output = response_type(&op.response);
    // A page of a list is read under the client's page limit, not the object one.
    let page = op.pager.is_some().then(|| {
        quote!(
            const PAGE: bool = true;
        )
    });
    // Properties Gigs sets only once: a request whose body sets one is not repeated.
    let set_once = op
        .body
        .as_ref()
        .filter(|body| !body.set_once.is_empty())
        .map(|body| {
            let wire = &body.set_once;
            quote!(
                const SET_ONCE: &'static [&'static str] = &[#(#wire),*];
            )
        });
    let decode = match op.response {
        Response::Json(_) => quote!(crate::__private::codec::json(body)),
        Response::NoContent => quote!(crate::__private::codec::no_content(body)),
    };
    quote! {
        #doc
        #[derive(Clone, Debug)]
        pub struct #type_name #lifetime { #(#fields)* }
        impl crate::__private::call::sealed::Sealed for #type_name #anonymous {}
        impl crate::__private::call::Operation for #type_name #anonymous {
            type Output = #output;
            const ID: &'static str = #operation_id;
            const ROUTE: &'static str = #route;
            #typed_wire_names
            #page
            #set_once
            fn request(&self, client: &crate::__private::Client) -> Result<crate::__private::call::Request, crate::__private::Error> {
                #build
            }
            fn decode(body: &[u8]) -> Result<#output, String> {
                #decode
            }
        }
    }
}

/// The body of `Operation::request`: encode the path, check and append the
/// query, add the headers and the body.
fn build_request(op: &Operation) -> TokenStream {
    // Each path parameter is encoded into a local first, so the path template can
    // name it inline and stay readable in the generated code.
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
                (arg, quote!(self.#name))
            }
            PathPart::ClientSetting(arg) => {
                let name = ident(&arg.name);
                (arg, quote!(client.#name()))
            }
        };
        let local = format_ident!("{}_segment", bare(&arg.name));
        template.push_str(&format!("{{{local}}}"));
        let wire = &arg.wire;
        segments.push(
            quote!(let #local = crate::__private::codec::path_segment(Self::ID, #wire, #value)?;),
        );
    }
    let checks = op.params.iter().filter_map(range_check);
    let query: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .collect();
    let path = if query.is_empty() {
        quote!(let path = format!(#template);)
    } else {
        let pushes = query.iter().map(|p| {
            let (wire, values) = (&p.wire, values(p));
            quote!(query.push(#wire, #values);)
        });
        quote! {
            let mut path = format!(#template);
            let mut query = crate::__private::codec::Query::new(&mut path);
            #(#pushes)*
        }
    };
    let method = ident(&op.http_method);
    // Header parameters and the body are fallible steps on the request; the last
    // one is the function's result, the ones before it end in `?`.
    let mut steps: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Header)
        .map(|p| {
            let (wire, values) = (&p.wire, values(p));
            quote!(header(#wire, #values))
        })
        .collect();
    match &op.body {
        Some(body) if body.required => steps.push(quote!(json(self.body))),
        Some(_) => steps.push(quote!(json_if_set(self.body))),
        None => {}
    }
    let request =
        quote!(crate::__private::call::Request::new(Self::ID, reqwest::Method::#method, path));
    let result = match steps.split_last() {
        None => quote!(Ok(#request)),
        Some((last, before)) => quote!(#request #(.#before?)* .#last),
    };
    quote! {
        #(#segments)*
        #(#checks)*
        #path
        #result
    }
}

/// The values of a parameter as an iterator of references: none when an optional
/// one is unset, several for an array.
fn values(param: &Param) -> TokenStream {
    let name = ident(&param.name);
    match (&param.ty, param.required) {
        (ParamType::Array(_), true) => quote!(&self.#name),
        (ParamType::Array(_), false) => quote!(self.#name.iter().flatten()),
        (_, true) => quote!([&self.#name]),
        (_, false) => quote!(&self.#name),
    }
}

/// The bounds check of an integer parameter with a `minimum` or `maximum`.
fn range_check(param: &Param) -> Option<TokenStream> {
    let reason = match (param.minimum, param.maximum) {
        (None, None) => return None,
        (Some(min), Some(max)) => format!("must be between {min} and {max}"),
        (Some(min), None) => format!("must be at least {min}"),
        (None, Some(max)) => format!("must be at most {max}"),
    };
    let min = param.minimum.unwrap_or(i64::MIN);
    let max = param.maximum.unwrap_or(i64::MAX);
    let (wire, values) = (&param.wire, values(param));
    Some(quote! {
        crate::__private::codec::check_range(Self::ID, #wire, #values, #min..=#max, #reason)?;
    })
}

/// Setters on `Call` for the optional parameters.
fn setters(op: &Operation) -> Option<TokenStream> {
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();
    let optional_body = op.body.as_ref().filter(|b| !b.required);
    if optional.is_empty() && optional_body.is_none() {
        return None;
    }
    let type_name = ident(&op.type_name);
    let target = if op.borrows() {
        quote!(impl<'a> crate::__private::Call<'a, crate::operations::#type_name<'a>>)
    } else {
        quote!(impl crate::__private::Call<'_, crate::operations::#type_name>)
    };
    let setters = optional.iter().map(|param| {
        let name = ident(&param.name);
        let doc = docs(&param.doc);
        let (ty, value) = argument(param);
        quote! {
            #doc
            pub fn #name(mut self, #name: #ty) -> Self {
                self.operation_mut().#name = Some(#value);
                self
            }
        }
    });
    let body_setter = optional_body.map(|body| {
        let name = ident(&body.type_name);
        let doc = docs(&format!(
            "Sends `body` with the request; without it the request has no body. A [`{}`](crate::types::{}).",
            body.type_name, body.type_name
        ));
        quote! {
            #doc
            pub fn body(mut self, body: &'a crate::types::#name) -> Self {
                self.operation_mut().body = Some(body);
                self
            }
        }
    });
    Some(quote! { #target { #(#setters)* #body_setter } })
}

/// How a parameter is taken as an argument, and the field value made from it.
fn argument(param: &Param) -> (TokenStream, TokenStream) {
    let name = ident(&param.name);
    match &param.ty {
        ParamType::String => (quote!(impl Into<String>), quote!(#name.into())),
        ParamType::Array(item) => {
            let item = param_type(item);
            (
                quote!(impl IntoIterator<Item = #item>),
                quote!(#name.into_iter().collect()),
            )
        }
        ty => (param_type(ty), quote!(#name)),
    }
}

fn param_type(ty: &ParamType) -> TokenStream {
    match ty {
        ParamType::String => quote!(String),
        ParamType::Integer => quote!(i64),
        ParamType::Bool => quote!(bool),
        ParamType::Enum(name) => {
            let name = ident(name);
            quote!(crate::types::#name)
        }
        ParamType::Array(item) => {
            let item = param_type(item);
            quote!(Vec<#item>)
        }
    }
}

fn response_type(response: &Response) -> TokenStream {
    match response {
        Response::Json(name) => {
            let name = ident(name);
            quote!(crate::types::#name)
        }
        Response::NoContent => quote!(()),
    }
}
