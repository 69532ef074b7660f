//! Beside the pipeline, after `lower`: the public Rust API the generated crate has,
//! computed once from `ir::Api`. `emit` asks it what to render (which fields `new`
//! takes, which types implement `Default`, which setters exist); `diff` compares two.
//!
//! Every rule about the *shape* of the generated API lives here, so the code `emit`
//! writes and the verdict `diff` gives cannot disagree. Types are resolved through
//! aliases (`pub type SessionId = String` is a `String` to a user).

mod methods;

pub use methods::{Argument, Method};

use crate::ir::{self, Api, Presence, Type, TypeDef};
use std::collections::BTreeMap;

/// The public API of one spec's generated code.
#[derive(Clone, Debug)]
pub struct Surface {
    /// The crate docs' title.
    pub title: String,
    /// Items of `types`, in spec order.
    pub types: Vec<TypeItem>,
    /// The variants of `webhooks::Event`, each with its envelope.
    pub events: Vec<EventItem>,
    /// The partial models of `webhooks` (`previousData`).
    pub partials: Vec<PartialItem>,
    /// The string enums of the envelopes' properties.
    pub event_enums: Vec<EnumItem>,
    /// `Client` methods, in spec order.
    pub methods: Vec<Method>,
}

/// One item of `types`.
#[derive(Clone, Debug)]
pub enum TypeItem {
    Struct(StructItem),
    Enum(EnumItem),
    Union(UnionItem),
    /// `pub type Name = Target`, the target resolved through other aliases.
    Alias {
        name: String,
        doc: String,
        target: Type,
    },
}

impl TypeItem {
    pub fn name(&self) -> &str {
        match self {
            TypeItem::Struct(s) => &s.name,
            TypeItem::Enum(e) => &e.name,
            TypeItem::Union(u) => &u.name,
            TypeItem::Alias { name, .. } => name,
        }
    }

    /// The item as a user's code names it: `types::ConnectSession`.
    pub fn path(&self) -> String {
        format!("types::{}", self.name())
    }

    /// What kind of item it is, as a sentence says it.
    pub fn kind(&self) -> &'static str {
        match self {
            TypeItem::Struct(_) => "a struct",
            TypeItem::Enum(_) => "a string enum",
            TypeItem::Union(_) => "a tagged union",
            TypeItem::Alias { .. } => "an alias",
        }
    }
}

/// A trait the generated code implements for a type, by derive or by hand.
pub type Trait = &'static str;

/// A `#[non_exhaustive]` struct with public fields, `new` and setters.
#[derive(Clone, Debug)]
pub struct StructItem {
    pub name: String,
    pub doc: String,
    pub fields: Vec<FieldItem>,
    /// Traits implemented, in a fixed order (see [`struct_traits`]).
    pub traits: Vec<Trait>,
    /// Decoding refuses unknown keys.
    pub deny_unknown_fields: bool,
    /// Groups of wire names that may not all be present.
    pub exclusive: Vec<Vec<String>>,
}

impl StructItem {
    /// The arguments of `new`, in order.
    pub fn new_arguments(&self) -> impl Iterator<Item = &FieldItem> {
        self.fields.iter().filter(|f| f.new_argument)
    }
}

/// One public field.
#[derive(Clone, Debug)]
pub struct FieldItem {
    /// Rust identifier as source text (may be `r#type`).
    pub name: String,
    /// The JSON key.
    pub wire_name: String,
    pub doc: String,
    pub example: Option<String>,
    /// The value's type, aliases resolved; the field's own type wraps it
    /// (see [`FieldItem::wrapper`]).
    pub ty: Type,
    pub presence: Presence,
    pub nullable: bool,
    /// Whether `new` takes it as an argument.
    pub new_argument: bool,
    pub setter: Setter,
}

impl FieldItem {
    /// How the field's Rust type wraps [`FieldItem::ty`].
    pub fn wrapper(&self) -> Wrapper {
        match self.presence {
            Presence::Required => Wrapper::Bare,
            Presence::RequiredNullable | Presence::Optional => Wrapper::Option,
            Presence::Patch => Wrapper::Patch,
        }
    }
}

/// `T`, `Option<T>` or `Patch<T>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrapper {
    Bare,
    Option,
    Patch,
}

/// The builder methods a field has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setter {
    /// Set through `new` only.
    None,
    /// `field(value)`.
    Set,
    /// `field(value)` and `clear_field()`.
    SetAndClear,
}

/// A string enum: its variants with their wire values, and `Unknown(String)`.
#[derive(Clone, Debug)]
pub struct EnumItem {
    pub name: String,
    pub doc: String,
    pub variants: Vec<VariantItem>,
    pub traits: Vec<Trait>,
}

/// A variant and the wire value it stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariantItem {
    pub name: String,
    pub wire: String,
}

/// A tagged union: its variants, their payloads and constructors.
#[derive(Clone, Debug)]
pub struct UnionItem {
    pub name: String,
    pub doc: String,
    pub tag_property: String,
    pub closed: bool,
    pub variants: Vec<UnionVariantItem>,
    pub traits: Vec<Trait>,
}

#[derive(Clone, Debug)]
pub struct UnionVariantItem {
    /// The variant's Rust name; its wire value is `tag`.
    pub name: String,
    pub constructor: String,
    pub tag: String,
    pub doc: String,
    pub payload: Option<String>,
}

/// A variant of `webhooks::Event`.
#[derive(Clone, Debug)]
pub struct EventItem {
    /// The variant's Rust name.
    pub variant: String,
    /// Its wire value, the CloudEvents `type`.
    pub event_type: String,
    pub envelope: StructItem,
}

/// A partial model: every field optional or `Patch`, unknown keys kept.
#[derive(Clone, Debug)]
pub struct PartialItem {
    pub name: String,
    pub doc: String,
    pub fields: Vec<FieldItem>,
}

/// Whether `new` takes `field`: required, not nullable (a required nullable field
/// starts as `None`), and not a one-value enum `new` fills in.
pub fn is_new_argument(field: &ir::Field) -> bool {
    field.presence == Presence::Required && field.fixed.is_none()
}

/// Whether the struct implements `Default`: exactly when `new` takes no argument,
/// so `Default::default()` is `new()`. A fixed one-value enum does not cost it.
pub fn implements_default(s: &ir::Struct) -> bool {
    !s.fields.iter().any(is_new_argument)
}

/// The setters a field gets: every field but a plain required one.
pub fn setter(field: &ir::Field) -> Setter {
    match field.presence {
        Presence::Required => Setter::None,
        Presence::Patch => Setter::SetAndClear,
        Presence::RequiredNullable | Presence::Optional => Setter::Set,
    }
}

/// The traits a generated struct implements.
pub fn struct_traits(s: &ir::Struct) -> Vec<Trait> {
    let mut traits = vec!["Clone", "Debug", "PartialEq"];
    if implements_default(s) {
        traits.push("Default");
    }
    traits.extend(["Serialize", "Deserialize", "JsonSchema"]);
    traits
}

/// The traits every generated string enum implements.
pub const ENUM_TRAITS: &[Trait] = &[
    "Clone",
    "PartialEq",
    "Eq",
    "Hash",
    "Debug",
    "Display",
    "From<&str>",
    "Serialize",
    "Deserialize",
    "JsonSchema",
];

/// The traits every generated union implements.
pub const UNION_TRAITS: &[Trait] = &[
    "Clone",
    "Debug",
    "PartialEq",
    "Serialize",
    "Deserialize",
    "JsonSchema",
];

/// Resolves aliases: `Named(alias)` becomes what the alias names, all the way down.
pub(crate) struct Aliases<'a>(BTreeMap<&'a str, &'a Type>);

impl<'a> Aliases<'a> {
    fn of(api: &'a Api) -> Self {
        Aliases(
            api.types
                .iter()
                .filter_map(|def| match def {
                    TypeDef::Alias { name, target, .. }
                    | TypeDef::RequestForm { name, target, .. } => Some((name.as_str(), target)),
                    _ => None,
                })
                .collect(),
        )
    }

    /// The type a user's code sees. Validation refuses `$ref` cycles; the bound on
    /// the walk keeps a hostile IR from looping all the same.
    pub(crate) fn resolve(&self, ty: &Type) -> Type {
        let mut ty = ty.clone();
        for _ in 0..=self.0.len() {
            ty = match ty {
                Type::Named(name) => match self.0.get(name.as_str()) {
                    Some(target) => (*target).clone(),
                    None => return Type::Named(name),
                },
                Type::Array(item) => return Type::Array(Box::new(self.resolve(&item))),
                Type::Map(value) => return Type::Map(Box::new(self.resolve(&value))),
                other => return other,
            };
        }
        ty
    }

    /// A generated type's name, resolved.
    pub(crate) fn resolve_name(&self, name: &str) -> String {
        match self.resolve(&Type::Named(name.to_owned())) {
            Type::Named(name) => name,
            other => crate::diff::spell(&other),
        }
    }
}

/// The structs of `api` by name: a union's constructors take its payloads' `new`
/// arguments.
pub fn structs_by_name(api: &Api) -> BTreeMap<&str, &ir::Struct> {
    api.types
        .iter()
        .filter_map(|def| match def {
            TypeDef::Struct(s) => Some((s.name.as_str(), s)),
            _ => None,
        })
        .collect()
}

impl Surface {
    /// The public API `emit` writes for `api`.
    pub fn of(api: &Api) -> Surface {
        let aliases = Aliases::of(api);
        let types = api
            .types
            .iter()
            .map(|def| type_item(def, &aliases))
            .collect();
        Surface {
            title: api.title.clone(),
            types,
            events: api
                .events
                .events
                .iter()
                .map(|e| EventItem {
                    variant: e.variant.clone(),
                    event_type: e.event_type.clone(),
                    envelope: struct_item(&e.envelope, &aliases),
                })
                .collect(),
            partials: api
                .events
                .partials
                .iter()
                .map(|p| PartialItem {
                    name: p.name.clone(),
                    doc: p.doc.clone(),
                    fields: p.fields.iter().map(|f| field_item(f, &aliases)).collect(),
                })
                .collect(),
            event_enums: api.events.enums.iter().map(enum_item).collect(),
            methods: api
                .operations
                .iter()
                .map(|op| Method::of(op, &aliases))
                .collect(),
        }
    }
}

fn type_item(def: &TypeDef, aliases: &Aliases<'_>) -> TypeItem {
    match def {
        TypeDef::Struct(s) => TypeItem::Struct(struct_item(s, aliases)),
        TypeDef::StringEnum(e) => TypeItem::Enum(enum_item(e)),
        TypeDef::Union(u) => TypeItem::Union(union_item(u)),
        TypeDef::Alias { name, doc, target }
        | TypeDef::RequestForm {
            name, doc, target, ..
        } => TypeItem::Alias {
            name: name.clone(),
            doc: doc.clone(),
            target: aliases.resolve(target),
        },
    }
}

fn struct_item(s: &ir::Struct, aliases: &Aliases<'_>) -> StructItem {
    StructItem {
        name: s.name.clone(),
        doc: s.doc.clone(),
        fields: s.fields.iter().map(|f| field_item(f, aliases)).collect(),
        traits: struct_traits(s),
        deny_unknown_fields: s.deny_unknown_fields,
        exclusive: s.exclusive.clone(),
    }
}

fn field_item(f: &ir::Field, aliases: &Aliases<'_>) -> FieldItem {
    FieldItem {
        name: f.name.clone(),
        wire_name: f.wire_name.clone(),
        doc: f.doc.clone(),
        example: f.example.clone(),
        ty: aliases.resolve(&f.ty),
        presence: f.presence,
        nullable: f.nullable,
        new_argument: is_new_argument(f),
        setter: setter(f),
    }
}

fn enum_item(e: &ir::StringEnum) -> EnumItem {
    EnumItem {
        name: e.name.clone(),
        doc: e.doc.clone(),
        variants: e
            .values
            .iter()
            .map(|v| VariantItem {
                name: v.variant.clone(),
                wire: v.wire.clone(),
            })
            .collect(),
        traits: ENUM_TRAITS.to_vec(),
    }
}

fn union_item(u: &ir::Union) -> UnionItem {
    let variants = u
        .variants
        .iter()
        .map(|v| UnionVariantItem {
            name: v.name.clone(),
            constructor: v.constructor.clone(),
            tag: v.tag.clone(),
            doc: v.doc.clone(),
            payload: v.payload.clone(),
        })
        .collect();
    UnionItem {
        name: u.name.clone(),
        doc: u.doc.clone(),
        tag_property: u.tag_property.clone(),
        closed: u.closed,
        variants,
        traits: UNION_TRAITS.to_vec(),
    }
}
