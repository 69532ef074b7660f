//! Emits `shapes.rs`: every model's wire shape and every operation's route as
//! plain data (JSON text in a `TABLES` constant), so the mock server
//! (gigs-connect-mock) checks request bodies against the spec itself and serves
//! any spec generated in Gigs' conventions: a new intent in the spec is a new
//! entry here, with no hand-kept list. The vocabulary is the mock's
//! (`gigs-connect-mock/src/shape.rs`); this file and that one change together.

use super::{Part, docs, part};
use crate::ir::{
    Api, Field, Operation, Param, ParamLocation, ParamType, Presence, Response, Type, TypeDef,
};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::{Value as Json, json};

/// The shapes of `api`'s models and operations.
pub fn emit_shapes(api: &Api) -> Vec<Part<'_>> {
    vec![part(move || shapes(api))]
}

fn shapes(api: &Api) -> TokenStream {
    let tables = tables(api);
    let text = serde_json::to_string_pretty(&tables).expect("a JSON value encodes");
    // A raw string with more `#` than any run of them in the text.
    let mut hashes = "#".to_owned();
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    let literal: Literal = format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .expect("a raw string literal parses");
    let doc = docs(
        "Every model's wire shape (by Rust name, in spec order) and every operation (its route, body, success status and, for a list, its item model), as JSON: the tables gigs-connect-mock serves from.",
    );
    quote! {
        //! The wire shape of every model and operation, for checking JSON the way the
        //! API does (the mock server, gigs-connect-mock).
        #doc
        pub const TABLES: &str = #literal;
    }
}

/// The tables as JSON, in the vocabulary of gigs-connect-mock's `shape.rs`.
pub fn tables(api: &Api) -> Json {
    let models: Vec<Json> = api
        .types
        .iter()
        .map(|def| json!({ "name": def.name(), "shape": model_shape(def) }))
        .collect();
    let operations: Vec<Json> = api.operations.iter().map(operation_shape).collect();
    json!({ "models": models, "operations": operations })
}

fn model_shape(def: &TypeDef) -> Json {
    match def {
        TypeDef::Struct(s) => json!({ "object": {
            "properties": s.fields.iter().map(property).collect::<Vec<_>>(),
            "closed": s.deny_unknown_fields,
            "exclusive": s.exclusive,
        }}),
        TypeDef::StringEnum(e) => {
            let values: Vec<&str> = e.values.iter().map(|v| v.wire.as_str()).collect();
            json!({ "string_enum": values })
        }
        TypeDef::Union(u) => {
            let variants: Vec<Json> = u
                .variants
                .iter()
                .map(|v| json!({ "tag": v.tag, "payload": v.payload }))
                .collect();
            json!({ "union": { "tag": u.tag_property, "variants": variants, "closed": u.closed } })
        }
        TypeDef::Alias { target, .. } => json!({ "alias": value(target) }),
        // The form's own shape, under the form's name: a request body's `$ref` to
        // it checks the closed shape.
        TypeDef::RequestForm { form, .. } => model_shape(form),
    }
}

fn property(field: &Field) -> Json {
    json!({
        "wire": field.wire_name,
        "required": matches!(field.presence, Presence::Required | Presence::RequiredNullable),
        "nullable": field.nullable,
        // A one-value enum constructors fill in: decided once, by `lower`.
        "fixed": field.fixed.is_some(),
        "value": value(&field.ty),
        "example": field.example,
    })
}

fn value(ty: &Type) -> Json {
    match ty {
        Type::String | Type::SecretString => json!("string"),
        Type::Date => json!("date"),
        Type::Bool => json!("bool"),
        Type::Integer => json!("integer"),
        Type::Number => json!("number"),
        Type::Json => json!("any"),
        Type::JsonObject => json!("any_object"),
        Type::Array(item) => json!({ "array": value(item) }),
        Type::Map(item) => json!({ "map": value(item) }),
        Type::Named(name) => json!({ "named": name }),
    }
}

fn operation_shape(op: &Operation) -> Json {
    let response = match &op.response {
        Response::Json(name) => Some(name.as_str()),
        Response::NoContent => None,
    };
    // Is this operation a list: decided once, by `lower` (it gets a pager).
    let list_of = op.pager.as_ref().and_then(|pager| match &pager.item {
        Type::Named(name) => Some(name.as_str()),
        _ => None,
    });
    json!({
        "id": op.operation_id,
        "method": op.http_method,
        "path": op.path_template,
        "parameters": op.params.iter().map(parameter).collect::<Vec<_>>(),
        "body": op.body.as_ref().map(|b| b.type_name.as_str()),
        "body_required": op.body.as_ref().is_some_and(|b| b.required),
        "status": op.success_status,
        "response": response,
        "list_of": list_of,
    })
}

fn parameter(param: &Param) -> Json {
    let location = match param.location {
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    };
    json!({
        "wire": param.wire,
        "location": location,
        "required": param.required,
        "value": param_value(&param.ty),
        "minimum": param.minimum,
        "maximum": param.maximum,
    })
}

fn param_value(ty: &ParamType) -> Json {
    match ty {
        ParamType::String => json!("string"),
        ParamType::Integer => json!("integer"),
        ParamType::Bool => json!("bool"),
        ParamType::Enum(name) => json!({ "named": name }),
        ParamType::Array(item) => json!({ "array": param_value(item) }),
    }
}
