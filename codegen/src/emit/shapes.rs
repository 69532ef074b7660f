//! Emits `shapes.rs`: every model's wire shape and every operation's route as
//! static data, so the mock server checks request bodies against the spec itself
//! (a new intent in the spec is a new entry here, with no hand-kept list).

use super::{Part, docs, part};
use crate::ir::{
    Api, Field, Operation, Param, ParamLocation, ParamType, Presence, Response, Type, TypeDef,
};
use proc_macro2::TokenStream;
use quote::quote;

/// The shapes of `api`'s models and operations.
pub fn emit_shapes(api: &Api) -> Vec<Part<'_>> {
    vec![part(move || shapes(api))]
}

fn shapes(api: &Api) -> TokenStream {
    let models = api.types.iter().map(|def| {
        let name = def.name();
        let shape = model_shape(def);
        quote!((#name, #shape),)
    });
    let operations = api.operations.iter().map(operation_shape);
    // Imported only when some operation has query or header parameters.
    let parameter_imports = api
        .operations
        .iter()
        .any(|op| !op.params.is_empty())
        .then(|| quote!(, Location, Parameter));
    let models_doc = docs("Every model's wire shape, by Rust name, in spec order.");
    let operations_doc = docs("Every operation: its route, body and success status.");
    quote! {
        //! The wire shape of every model and operation, for checking JSON the way the
        //! API does (the mock server).
        use crate::mock::shape::{Operation, Property, Shape, Value, Variant #parameter_imports};
        #models_doc
        pub(crate) static MODELS: &[(&str, Shape)] = &[#(#models)*];
        #operations_doc
        pub(crate) static OPERATIONS: &[Operation] = &[#(#operations)*];
    }
}

fn model_shape(def: &TypeDef) -> TokenStream {
    match def {
        TypeDef::Struct(s) => {
            let properties = s.fields.iter().map(property);
            let closed = s.deny_unknown_fields;
            let exclusive = s.exclusive.iter().map(|group| quote!(&[#(#group),*]));
            quote!(Shape::Object {
                properties: &[#(#properties)*],
                closed: #closed,
                exclusive: &[#(#exclusive),*],
            })
        }
        TypeDef::StringEnum(e) => {
            let values = e.values.iter().map(|v| &v.wire);
            quote!(Shape::StringEnum(&[#(#values),*]))
        }
        TypeDef::Union(u) => {
            let tag = &u.tag_property;
            let variants = u.variants.iter().map(|v| {
                let (tag, payload) = (&v.tag, option(v.payload.as_deref()));
                quote!(Variant { tag: #tag, payload: #payload },)
            });
            let closed = u.closed;
            quote!(Shape::Union { tag: #tag, variants: &[#(#variants)*], closed: #closed })
        }
        TypeDef::Alias { target, .. } => {
            let value = value(target);
            quote!(Shape::Alias(#value))
        }
        // The form's own shape, under the form's name: a request body's `$ref` to
        // it checks the closed shape.
        TypeDef::RequestForm { form, .. } => model_shape(form),
    }
}

fn property(field: &Field) -> TokenStream {
    let wire = &field.wire_name;
    let required = matches!(
        field.presence,
        Presence::Required | Presence::RequiredNullable
    );
    let nullable = field.nullable;
    let value = value(&field.ty);
    let example = option(field.example.as_deref());
    quote! {
        Property {
            wire: #wire,
            required: #required,
            nullable: #nullable,
            value: #value,
            example: #example,
        },
    }
}

fn value(ty: &Type) -> TokenStream {
    match ty {
        Type::String | Type::SecretString => quote!(Value::String),
        Type::Date => quote!(Value::Date),
        Type::Bool => quote!(Value::Bool),
        Type::Integer => quote!(Value::Integer),
        Type::Number => quote!(Value::Number),
        Type::Json => quote!(Value::Any),
        Type::JsonObject => quote!(Value::AnyObject),
        Type::Array(item) => {
            let item = value(item);
            quote!(Value::Array(&#item))
        }
        Type::Map(item) => {
            let item = value(item);
            quote!(Value::Map(&#item))
        }
        Type::Named(name) => quote!(Value::Named(#name)),
    }
}

fn operation_shape(op: &Operation) -> TokenStream {
    let (id, method, path) = (&op.operation_id, &op.http_method, &op.path_template);
    let body = option(op.body.as_ref().map(|b| b.type_name.as_str()));
    let body_required = op.body.as_ref().is_some_and(|b| b.required);
    let status = op.success_status;
    let response = option(match &op.response {
        Response::Json(name) => Some(name.as_str()),
        Response::NoContent => None,
    });
    let parameters = op.params.iter().map(parameter);
    quote! {
        Operation {
            id: #id,
            method: #method,
            path: #path,
            parameters: &[#(#parameters)*],
            body: #body,
            body_required: #body_required,
            status: #status,
            response: #response,
        },
    }
}

fn parameter(param: &Param) -> TokenStream {
    let wire = &param.wire;
    let location = match param.location {
        ParamLocation::Query => quote!(Location::Query),
        ParamLocation::Header => quote!(Location::Header),
    };
    let required = param.required;
    let value = param_value(&param.ty);
    let bound = |b: Option<i64>| match b {
        Some(b) => quote!(Some(#b)),
        None => quote!(None),
    };
    let (minimum, maximum) = (bound(param.minimum), bound(param.maximum));
    quote! {
        Parameter {
            wire: #wire,
            location: #location,
            required: #required,
            value: #value,
            minimum: #minimum,
            maximum: #maximum,
        },
    }
}

fn param_value(ty: &ParamType) -> TokenStream {
    match ty {
        ParamType::String => quote!(Value::String),
        ParamType::Integer => quote!(Value::Integer),
        ParamType::Bool => quote!(Value::Bool),
        ParamType::Enum(name) => quote!(Value::Named(#name)),
        ParamType::Array(item) => {
            let item = param_value(item);
            quote!(Value::Array(&#item))
        }
    }
}

fn option(text: Option<&str>) -> TokenStream {
    match text {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    }
}
