//! Emits `types.rs`: structs, string enums, tagged unions and aliases.

use super::{Part, docs, ident, part, rust_type};
use crate::ir::{Api, Field, Presence, StringEnum, Struct, Type, TypeDef, Union};
use crate::naming::bare;
use crate::surface::{Setter, is_new_argument, setter, struct_traits, structs_by_name};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// All models of `api`: a part per model, and a union's items as parts of their own
/// (a union is a match arm or more per variant in each of them).
pub fn emit_types(api: &Api) -> Vec<Part<'_>> {
    let mut parts = vec![part(|| {
        quote! {
            //! Models of the Gigs Connect Sessions API, one per spec schema.
            use serde::{Deserialize, Serialize};
        }
    })];
    for def in &api.types {
        match def {
            TypeDef::Struct(s) => parts.push(part(move || emit_struct(s))),
            TypeDef::StringEnum(e) => parts.push(part(move || emit_string_enum(e))),
            TypeDef::Union(u) => parts.extend(union_parts(u, api)),
            TypeDef::Alias {
                name, doc, target, ..
            }
            | TypeDef::RequestForm {
                name, doc, target, ..
            } => parts.push(part(move || {
                let (name, doc, target) = (ident(name), docs(doc), rust_type(target));
                quote! { #doc pub type #name = #target; }
            })),
        }
    }
    parts.push(part(|| super::json_schemas::emit_json_schemas(api)));
    parts
}

pub(super) fn field_type(field: &Field) -> TokenStream {
    let ty = rust_type(&field.ty);
    match field.presence {
        Presence::Required => ty,
        Presence::RequiredNullable | Presence::Optional => quote!(Option<#ty>),
        Presence::Patch => quote!(crate::__private::Patch<#ty>),
    }
}

pub(super) fn serde_attrs(field: &Field) -> TokenStream {
    let rename = (bare(&field.name) != field.wire_name).then(|| {
        let wire = &field.wire_name;
        quote!(rename = #wire,)
    });
    let presence = match field.presence {
        Presence::Required | Presence::RequiredNullable => quote!(),
        Presence::Optional => quote!(default, skip_serializing_if = "Option::is_none",),
        Presence::Patch => quote!(
            default,
            skip_serializing_if = "crate::__private::Patch::is_unchanged",
        ),
    };
    let attrs = quote!(#rename #presence);
    if attrs.is_empty() {
        quote!()
    } else {
        quote!(#[serde(#attrs)])
    }
}

pub(super) fn emit_struct(s: &Struct) -> TokenStream {
    let name = ident(&s.name);
    let doc = docs(&s.doc);
    // Which traits it implements is the surface's list; emit only spells each. A
    // field `derive` cannot default (a fixed one-value enum) makes `Default` be
    // `new()` by hand.
    let traits = struct_traits(s);
    let derivable = s.fields.iter().all(|f| f.presence != Presence::Required);
    let derives = traits
        .iter()
        .filter(|t| match **t {
            "JsonSchema" => false,
            "Default" => derivable,
            _ => true,
        })
        .map(|t| format_ident!("{t}"));
    let schema = traits
        .contains(&"JsonSchema")
        .then(|| quote!(#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]));
    let default_impl = (traits.contains(&"Default") && !derivable).then(|| {
        quote! {
            impl Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    let deny = s
        .deny_unknown_fields
        .then(|| quote!(#[serde(deny_unknown_fields)]));
    let fields = s.fields.iter().map(|f| {
        let (field, doc, ty, serde) = (ident(&f.name), docs(&f.doc), field_type(f), serde_attrs(f));
        // serde lets an `Option` field be absent; the spec says it must be sent.
        let required = (f.presence == Presence::RequiredNullable)
            .then(|| quote!(#[cfg_attr(feature = "schemars", schemars(required))]));
        quote! { #doc #serde #required pub #field: #ty, }
    });
    let constructor = emit_constructor(s);
    let setters = s
        .fields
        .iter()
        .filter(|f| setter(f) != Setter::None)
        .map(emit_setter);
    quote! {
        #doc
        #[derive(#(#derives),*)]
        #schema
        #deny
        #[non_exhaustive]
        pub struct #name { #(#fields)* }

        impl #name {
            #constructor
            #(#setters)*
        }

        #default_impl
    }
}

/// Fields `new` takes as arguments, as the surface decides.
fn constructor_args(s: &Struct) -> impl Iterator<Item = &Field> {
    s.fields.iter().filter(|f| is_new_argument(f))
}

fn emit_constructor(s: &Struct) -> TokenStream {
    let args = constructor_args(s).map(|f| {
        let (field, ty) = (ident(&f.name), rust_type(&f.ty));
        quote!(#field: impl Into<#ty>)
    });
    // An argument is the surface's call; every other field starts fixed or unset.
    let inits = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        if is_new_argument(f) {
            return quote!(#field: #field.into());
        }
        match (&f.presence, &f.fixed, &f.ty) {
            (Presence::Required, Some(variant), Type::Named(enum_name)) => {
                let (enum_name, variant) = (ident(enum_name), ident(variant));
                quote!(#field: #enum_name::#variant)
            }
            (Presence::Patch, _, _) => quote!(#field: crate::__private::Patch::Unchanged),
            _ => quote!(#field: None),
        }
    });
    let doc = format!(
        "Creates a `{}` from its required fields; optional ones start unset.",
        s.name
    );
    quote! {
        #[doc = #doc]
        pub fn new(#(#args),*) -> Self {
            Self { #(#inits),* }
        }
    }
}

fn emit_setter(f: &Field) -> TokenStream {
    let field = ident(&f.name);
    let ty = rust_type(&f.ty);
    let wire = &f.wire_name;
    match setter(f) {
        Setter::SetAndClear => {
            let clear = format_ident!("clear_{}", bare(&f.name));
            let set_doc = format!("Sets `{wire}` to `value`.");
            let clear_doc = format!("Clears `{wire}`: sends `null`.");
            quote! {
                #[doc = #set_doc]
                pub fn #field(mut self, value: impl Into<#ty>) -> Self {
                    self.#field = crate::__private::Patch::Set(value.into());
                    self
                }
                #[doc = #clear_doc]
                pub fn #clear(mut self) -> Self {
                    self.#field = crate::__private::Patch::Clear;
                    self
                }
            }
        }
        _ => {
            let doc = format!("Sets `{wire}`.");
            quote! {
                #[doc = #doc]
                pub fn #field(mut self, value: impl Into<#ty>) -> Self {
                    self.#field = Some(value.into());
                    self
                }
            }
        }
    }
}

pub(super) fn emit_string_enum(e: &StringEnum) -> TokenStream {
    let name = ident(&e.name);
    let doc = docs(&e.doc);
    let variants: Vec<_> = e.values.iter().map(|v| ident(&v.variant)).collect();
    let wires: Vec<_> = e.values.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = wires.iter().map(|w| format!("`{w}`"));
    let variant_names: Vec<&str> = e.values.iter().map(|v| v.variant.as_str()).collect();
    quote! {
        #doc
        #[derive(Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#[doc = #variant_docs] #variants,)*
            /// A value this version of the SDK does not know, kept as received.
            Unknown(String),
        }

        impl #name {
            /// Every value the spec lists, as sent on the wire.
            pub const VALUES: &'static [&'static str] = &[#(#wires),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #wires,)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#wires => Self::#variants,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        // An unknown value came from the server: `Debug` shows it scrubbed.
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #(Self::#variants => f.write_str(#variant_names),)*
                    Self::Unknown(value) => f
                        .debug_tuple("Unknown")
                        .field(&crate::__private::scrub::Scrubbed(value.as_str()))
                        .finish(),
                }
            }
        }

        // Display, Serialize, Deserialize and JsonSchema, from `as_str`, `From<&str>`
        // and `VALUES`.
        crate::__private::codec::string_enum_traits!(#name);
    }
}

/// A union's items, each a part: the enum, its inherent impl (tags, constructors,
/// `tag()`), the `From` impls of its payloads, `Serialize`, the one-pass decoder,
/// `Deserialize` and `JsonSchema`.
fn union_parts<'a>(u: &'a Union, api: &'a Api) -> Vec<Part<'a>> {
    vec![
        part(move || union_enum(u)),
        part(move || union_inherent_impl(u, api)),
        part(move || union_from_payloads(u)),
        part(move || union_serialize(u)),
        part(move || union_decoder(u)),
        part(move || union_deserialize(u)),
        part(move || union_schema(u)),
    ]
}

fn union_enum(u: &Union) -> TokenStream {
    let name = ident(&u.name);
    let doc = docs(&u.doc);
    let variants = u.variants.iter().map(|v| {
        let (variant, doc) = (ident(&v.name), docs(&v.doc));
        match &v.payload {
            Some(payload) => {
                let payload = ident(payload);
                quote!(#doc #variant(#payload),)
            }
            None => quote!(#doc #variant,),
        }
    });
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A type this version of the SDK does not know, kept as received so it
            /// encodes back unchanged.
            Unknown(crate::__private::UnknownVariant),
        }
    }
}

fn union_inherent_impl(u: &Union, api: &Api) -> TokenStream {
    let name = ident(&u.name);
    let tags: Vec<_> = u.variants.iter().map(|v| v.tag.as_str()).collect();
    // Each constructor takes its payload's required fields: look the payloads up
    // by name once, not once per variant.
    let structs = structs_by_name(api);
    let constructors = u.variants.iter().map(|v| {
        let (variant, constructor) = (ident(&v.name), ident(&v.constructor));
        let doc = format!("A `{}` {}.", v.tag, u.name.to_lowercase());
        match &v.payload {
            Some(payload) => {
                let required: Vec<&Field> = match structs.get(payload.as_str()) {
                    Some(s) => constructor_args(s).collect(),
                    None => Vec::new(),
                };
                let params = required.iter().map(|f| {
                    let (field, ty) = (ident(&f.name), rust_type(&f.ty));
                    quote!(#field: impl Into<#ty>)
                });
                let args = required.iter().map(|f| ident(&f.name));
                let payload = ident(payload);
                quote! {
                    #[doc = #doc]
                    pub fn #constructor(#(#params),*) -> Self {
                        Self::#variant(#payload::new(#(#args),*))
                    }
                }
            }
            None => quote! {
                #[doc = #doc]
                pub fn #constructor() -> Self {
                    Self::#variant
                }
            },
        }
    });
    let tag_arms = u.variants.iter().map(|v| {
        let (variant, tag) = (ident(&v.name), &v.tag);
        match v.payload {
            Some(_) => quote!(Self::#variant(_) => #tag,),
            None => quote!(Self::#variant => #tag,),
        }
    });
    quote! {
        impl #name {
            /// Every tag the spec lists.
            pub const TAGS: &'static [&'static str] = &[#(#tags),*];

            #(#constructors)*

            /// The tag as sent on the wire.
            pub fn tag(&self) -> &str {
                match self {
                    #(#tag_arms)*
                    Self::Unknown(unknown) => unknown.tag(),
                }
            }
        }
    }
}

fn union_from_payloads(u: &Union) -> TokenStream {
    let name = ident(&u.name);
    let from_payloads = u.variants.iter().filter_map(|v| {
        let payload = ident(v.payload.as_ref()?);
        let variant = ident(&v.name);
        Some(quote! {
            impl From<#payload> for #name {
                fn from(payload: #payload) -> Self {
                    Self::#variant(payload)
                }
            }
        })
    });
    quote!(#(#from_payloads)*)
}

fn union_serialize(u: &Union) -> TokenStream {
    let name = ident(&u.name);
    let tag_property = &u.tag_property;
    let serialize_arms = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        match v.payload {
            Some(_) => quote!(Self::#variant(p) => variant(s, #tag_property, tag, Some(p)),),
            None => quote!(Self::#variant => variant::<S, ()>(s, #tag_property, tag, None),),
        }
    });
    quote! {
        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use crate::__private::codec::serialize_variant as variant;
                let tag = self.tag();
                match self {
                    #(#serialize_arms)*
                    Self::Unknown(unknown) => unknown.serialize(s),
                }
            }
        }
    }
}

fn union_decoder(u: &Union) -> TokenStream {
    let name = ident(&u.name);
    let tag_property = &u.tag_property;
    let direct_arms = u.variants.iter().filter(|v| v.payload.is_some()).map(|v| {
        let (variant, tag) = (ident(&v.name), &v.tag);
        quote!(#tag => Self::#variant(map.next_value()?),)
    });
    let pending_arms = u.variants.iter().map(|v| {
        let (variant, tag) = (ident(&v.name), &v.tag);
        match v.payload {
            Some(_) => quote!(#tag => pending.payload().map(Self::#variant),),
            None => quote!(#tag => Ok(Self::#variant),),
        }
    });
    quote! {
        impl #name {
            /// Decodes the union's map in one pass: a payload after the tag decodes
            /// straight into its type; anything else goes through `UnionDecoder`.
            fn decode_map<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                let mut union = crate::__private::codec::UnionDecoder::new(#tag_property, Self::TAGS);
                while let Some(key) = map.next_key::<crate::__private::codec::Key<'de>>()? {
                    if union.tag() != Some(key.as_str()) {
                        union.skip_or_buffer(key, &mut map)?;
                        continue;
                    }
                    let decoded = match key.as_str() {
                        #(#direct_arms)*
                        _ => {
                            union.skip_or_buffer(key, &mut map)?;
                            continue;
                        }
                    };
                    union.decoded::<A::Error>(decoded)?;
                }
                match union.finish::<A::Error>()? {
                    crate::__private::codec::Finished::Decoded(value) => Ok(value),
                    crate::__private::codec::Finished::Pending(pending) => Self::from_pending(pending),
                }
            }

            /// The variant a map that ended without a directly decoded payload holds.
            fn from_pending<E: serde::de::Error>(mut pending: crate::__private::codec::Pending) -> Result<Self, E> {
                match pending.tag() {
                    #(#pending_arms)*
                    _ => pending.into_unknown().map(Self::Unknown),
                }
            }
        }
    }
}

fn union_deserialize(u: &Union) -> TokenStream {
    let name = ident(&u.name);
    let expecting = format!("a {} object with a `{}`", u.name, u.tag_property);
    let visitor = format_ident!("{}Visitor", u.name);
    quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct #visitor;

                impl<'de> serde::de::Visitor<'de> for #visitor {
                    type Value = #name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(#expecting)
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<#name, A::Error> {
                        #name::decode_map(map)
                    }
                }

                deserializer.deserialize_map(#visitor)
            }
        }
    }
}

fn union_schema(u: &Union) -> TokenStream {
    let name = ident(&u.name);
    let type_name = &u.name;
    let tag_property = &u.tag_property;
    let schema_variants = u.variants.iter().map(|v| {
        let tag = &v.tag;
        match &v.payload {
            Some(payload) => {
                let payload = ident(payload);
                quote!(crate::__private::codec::variant_schema(#tag_property, #tag, Some(generator.subschema_for::<#payload>())))
            }
            None => quote!(crate::__private::codec::variant_schema(#tag_property, #tag, None)),
        }
    });
    quote! {
        #[cfg(feature = "schemars")]
        impl schemars::JsonSchema for #name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                #type_name.into()
            }

            fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                crate::__private::codec::union_schema([#(#schema_variants),*])
            }
        }
    }
}
