//! The classification table: every kind of change `diff` can find, and what it does
//! to code written against the previous crate, after the Cargo reference's "SemVer
//! Compatibility" chapter applied to the code `emit` writes.
//!
//! What makes the minor rows minor is how `emit` shapes the code: every struct and
//! enum is `#[non_exhaustive]` (no struct literals, no exhaustive matches outside the
//! crate), every string enum and union keeps values it does not know in `Unknown`,
//! optional fields and parameters are setters, and a `Call` gains setters without
//! changing the method that returns it.

use crate::ir::{ParamType, Presence, Type};
use std::fmt;

/// What a change does to users of the generated crate, ordered from nothing to
/// breaking, so the verdict of many changes is their maximum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Nothing changed.
    None,
    /// Docs or examples only.
    Patch,
    /// New items or behaviour; code written against the old crate still compiles.
    Minor,
    /// Code written against the old crate may stop compiling.
    Major,
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Class::None => "none",
            Class::Patch => "patch",
            Class::Minor => "minor",
            Class::Major => "major",
        })
    }
}

/// One kind of change to one Rust item. The item itself is named by
/// [`Change::item`](super::Change::item).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    // Types.
    TypeAdded,
    TypeRemoved,
    /// A struct became an enum, an alias a struct, ...
    TypeKindChanged {
        from: &'static str,
        to: &'static str,
    },
    AliasTargetChanged {
        from: Type,
        to: Type,
    },

    // Struct fields. `argument`: `new` takes the field, as the surface decides
    // (`surface::is_new_argument`).
    FieldAdded {
        presence: Presence,
        argument: bool,
    },
    FieldRemoved,
    FieldTypeChanged {
        from: Type,
        to: Type,
    },
    FieldPresenceChanged {
        from: Presence,
        to: Presence,
    },
    /// The constructor's arguments are the same fields in another order.
    ConstructorArgumentsReordered,
    /// `null` became valid or invalid on the wire, with the same Rust type.
    FieldNullabilityChanged {
        nullable: bool,
    },
    /// Decoding started refusing (`true`) or accepting (`false`) unknown keys.
    UnknownKeysRefused {
        refused: bool,
    },
    /// The groups of fields that may not be sent together changed.
    ExclusiveFieldsChanged,
    /// The same Rust type and builder, another wire rule: optional (absent when
    /// `None`) ↔ required and nullable (`null` when `None`).
    FieldPresenceOnWireChanged {
        from: Presence,
        to: Presence,
    },
    /// The wire name (a JSON key, a query or header name) of a field or parameter
    /// whose Rust name did not change.
    WireNameChanged {
        from: String,
        to: String,
    },
    /// A trait the type implemented (derived or by hand) is gone.
    TraitImplRemoved {
        name: &'static str,
    },
    TraitImplAdded {
        name: &'static str,
    },

    // String enums and unions.
    VariantAdded,
    VariantRemoved,
    /// The same wire value under another Rust name.
    VariantRenamed {
        from: String,
    },
    /// A union variant's payload type changed, appeared or went away.
    VariantPayloadChanged {
        from: Option<String>,
        to: Option<String>,
    },
    UnionTagPropertyChanged {
        from: String,
        to: String,
    },
    /// The wire value of a variant whose Rust name did not change (an enum value or
    /// an event type respelled).
    WireValueChanged {
        from: String,
        to: String,
    },

    // Operations.
    OperationAdded,
    OperationRemoved,
    /// The HTTP method or path changed; the Rust signature did not.
    RouteChanged {
        from: String,
        to: String,
    },
    SuccessStatusChanged {
        from: u16,
        to: u16,
    },
    /// What the call returns (its `Output`).
    ResponseChanged {
        from: String,
        to: String,
    },
    PagerAdded,
    PagerRemoved,
    /// The body's once-only properties (`x-gigs-set-once`) changed: which calls the
    /// client repeats after a failure that may have reached Gigs.
    SetOnceChanged {
        from: Vec<String>,
        to: Vec<String>,
    },
    /// The spec (un)marked the operation `deprecated`: a note in its docs.
    OperationDeprecated {
        deprecated: bool,
    },
    PathArgumentsChanged {
        from: usize,
        to: usize,
    },
    /// A path argument's name: Rust arguments are positional, so only docs see it.
    PathArgumentRenamed {
        from: String,
    },
    BodyAdded {
        required: bool,
    },
    BodyRemoved,
    BodyTypeChanged {
        from: String,
        to: String,
    },
    BodyRequirementChanged {
        required: bool,
    },
    /// The request type in `operations` gained or lost its `<'a>`.
    RequestLifetimeChanged {
        borrows: bool,
    },
    ParamAdded {
        required: bool,
    },
    ParamRemoved,
    ParamTypeChanged {
        from: ParamType,
        to: ParamType,
    },
    ParamRequirementChanged {
        required: bool,
    },
    ParamLocationChanged,
    ParamBoundsChanged,

    // Text.
    DocsChanged,
    ExampleChanged,
}

impl ChangeKind {
    /// The table. One row per kind of change; read it beside the Cargo reference.
    pub fn class(&self) -> Class {
        use ChangeKind::*;
        match self {
            // Removing or renaming an item breaks every use of it.
            TypeRemoved | VariantRemoved | VariantRenamed { .. } | OperationRemoved => Class::Major,
            // Changing a type breaks code that names, builds or matches it.
            TypeKindChanged { .. }
            | AliasTargetChanged { .. }
            | FieldTypeChanged { .. }
            | VariantPayloadChanged { .. }
            | ResponseChanged { .. }
            | BodyTypeChanged { .. }
            | ParamTypeChanged { .. } => Class::Major,
            // `T` ↔ `Option<T>` ↔ `Patch<T>`, or a constructor argument appearing or
            // going away.
            FieldPresenceChanged { .. } => Class::Major,
            // A new required field is a new argument of `new` (and of the union
            // constructors that fill its payload); a fixed one is filled in.
            FieldAdded { argument: true, .. } => Class::Major,
            FieldAdded {
                argument: false, ..
            } => Class::Minor,
            FieldRemoved | ConstructorArgumentsReordered => Class::Major,
            // A lost `Default` (or any trait) breaks `T::default()` and every bound
            // on it; a new one adds methods.
            TraitImplRemoved { .. } => Class::Major,
            TraitImplAdded { .. } => Class::Minor,
            // A method's arguments: path parameters, a required body or parameter.
            PathArgumentsChanged { .. } => Class::Major,
            BodyAdded { required: true } | ParamAdded { required: true } => Class::Major,
            BodyRemoved | ParamRemoved => Class::Major,
            BodyRequirementChanged { .. } | ParamRequirementChanged { .. } => Class::Major,
            // Adding a lifetime parameter to a public type breaks code that names it.
            RequestLifetimeChanged { .. } => Class::Major,
            // Losing `Paginated` breaks `.pages()`; gaining it adds methods.
            PagerRemoved => Class::Major,
            PagerAdded => Class::Minor,
            // New items: types, variants (enums are `#[non_exhaustive]` and keep
            // unknown values), operations (new `Client` methods), setters.
            TypeAdded | VariantAdded | OperationAdded => Class::Minor,
            BodyAdded { required: false } | ParamAdded { required: false } => Class::Minor,
            // Same Rust items, other behaviour on the wire.
            RouteChanged { .. }
            | SuccessStatusChanged { .. }
            | FieldNullabilityChanged { .. }
            | UnknownKeysRefused { .. }
            | ExclusiveFieldsChanged
            | UnionTagPropertyChanged { .. }
            | ParamLocationChanged
            | ParamBoundsChanged
            | SetOnceChanged { .. } => Class::Minor,
            // The same Rust item, another JSON key or value: code compiles, what is
            // sent and accepted is different. Never "none": users must read it.
            WireNameChanged { .. }
            | WireValueChanged { .. }
            | FieldPresenceOnWireChanged { .. } => Class::Minor,
            // A doc note; `#[deprecated]` is not emitted, so no build warns.
            OperationDeprecated { .. } => Class::Patch,
            // Rust arguments are positional: their names are documentation.
            PathArgumentRenamed { .. } => Class::Patch,
            DocsChanged | ExampleChanged => Class::Patch,
        }
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ChangeKind::*;
        match self {
            TypeAdded => write!(f, "new type"),
            TypeRemoved => write!(f, "type removed"),
            TypeKindChanged { from, to } => write!(f, "{from} became {to}"),
            AliasTargetChanged { from, to } => {
                write!(
                    f,
                    "alias of `{}` became alias of `{}`",
                    spell(from),
                    spell(to)
                )
            }
            FieldAdded { .. }
            | FieldRemoved
            | FieldTypeChanged { .. }
            | FieldPresenceChanged { .. }
            | ConstructorArgumentsReordered
            | FieldNullabilityChanged { .. }
            | UnknownKeysRefused { .. }
            | ExclusiveFieldsChanged
            | FieldPresenceOnWireChanged { .. }
            | WireNameChanged { .. } => self.fmt_field_change(f),
            TraitImplRemoved { name } => write!(f, "no longer implements `{name}`"),
            TraitImplAdded { name } => write!(f, "now implements `{name}`"),
            WireValueChanged { from, to } => {
                write!(f, "wire value `{from}` became `{to}`")
            }
            OperationDeprecated { deprecated: true } => write!(f, "deprecated by the spec"),
            OperationDeprecated { deprecated: false } => write!(f, "no longer deprecated"),
            VariantAdded => write!(f, "new variant"),
            VariantRemoved => write!(f, "variant removed"),
            VariantRenamed { from } => write!(f, "variant renamed from `{from}`"),
            VariantPayloadChanged { from, to } => write!(
                f,
                "payload `{}` became `{}`",
                from.as_deref().unwrap_or("()"),
                to.as_deref().unwrap_or("()")
            ),
            UnionTagPropertyChanged { from, to } => {
                write!(f, "tag property `{from}` became `{to}` on the wire")
            }
            OperationAdded
            | OperationRemoved
            | RouteChanged { .. }
            | SuccessStatusChanged { .. }
            | ResponseChanged { .. }
            | PagerAdded
            | PagerRemoved
            | SetOnceChanged { .. }
            | PathArgumentsChanged { .. }
            | PathArgumentRenamed { .. }
            | BodyAdded { .. }
            | BodyRemoved
            | BodyTypeChanged { .. }
            | BodyRequirementChanged { .. }
            | RequestLifetimeChanged { .. }
            | ParamAdded { .. }
            | ParamRemoved
            | ParamTypeChanged { .. }
            | ParamRequirementChanged { .. }
            | ParamLocationChanged
            | ParamBoundsChanged => self.fmt_operation_change(f),
            DocsChanged => write!(f, "docs changed"),
            ExampleChanged => write!(f, "example changed"),
        }
    }
}

impl ChangeKind {
    /// The sentence of a change to a struct's fields, their Rust shape or their wire form.
    fn fmt_field_change(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ChangeKind::*;
        match self {
            FieldAdded { presence, argument } => match (argument, presence) {
                (true, _) => write!(f, "new required field (a new argument of `new`)"),
                (false, Presence::Required) => write!(f, "new fixed field (filled in by `new`)"),
                (false, Presence::RequiredNullable) => {
                    write!(
                        f,
                        "new required, nullable field (`None` in `new`, a setter)"
                    )
                }
                (false, _) => write!(f, "new optional field (a new setter)"),
            },
            FieldRemoved => write!(f, "field removed"),
            FieldTypeChanged { from, to } => {
                write!(f, "field type `{}` became `{}`", spell(from), spell(to))
            }
            FieldPresenceChanged { from, to } => {
                write!(
                    f,
                    "field went from {} to {}",
                    presence(*from),
                    presence(*to)
                )
            }
            ConstructorArgumentsReordered => write!(f, "arguments of `new` reordered"),
            FieldNullabilityChanged { nullable: true } => write!(f, "field may now be null"),
            FieldNullabilityChanged { nullable: false } => write!(f, "field may no longer be null"),
            UnknownKeysRefused { refused: true } => write!(f, "decoding now refuses unknown keys"),
            UnknownKeysRefused { refused: false } => write!(f, "decoding now accepts unknown keys"),
            ExclusiveFieldsChanged => write!(f, "fields that may not be sent together changed"),
            FieldPresenceOnWireChanged { from, to } => write!(
                f,
                "same Rust field, on the wire it went from {} to {}",
                presence(*from),
                presence(*to)
            ),
            WireNameChanged { from, to } => {
                write!(f, "wire name `{from}` became `{to}` (same Rust name)")
            }
            // `Display` passes only the kinds above; any other is still printed.
            other => write!(f, "{other:?}"),
        }
    }

    /// The sentence of a change to a `Client` method, its request or its call.
    fn fmt_operation_change(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ChangeKind::*;
        match self {
            OperationAdded => write!(f, "new method"),
            OperationRemoved => write!(f, "method removed"),
            RouteChanged { from, to } => write!(f, "route `{from}` became `{to}`"),
            SuccessStatusChanged { from, to } => write!(f, "success status {from} became {to}"),
            ResponseChanged { from, to } => write!(f, "returns `{to}` instead of `{from}`"),
            PagerAdded => write!(f, "now a list (`Paginated`)"),
            PagerRemoved => write!(f, "no longer a list (`Paginated` removed)"),
            SetOnceChanged { from, to } => write!(
                f,
                "once-only body properties (a call setting one is not repeated) went from {} to {}",
                wire_names(from),
                wire_names(to)
            ),
            PathArgumentsChanged { from, to } => {
                write!(f, "path arguments went from {from} to {to}")
            }
            PathArgumentRenamed { from } => write!(f, "path argument renamed from `{from}`"),
            BodyAdded { required: true } => write!(f, "new required body argument"),
            BodyAdded { required: false } => write!(f, "new optional body (a `.body(…)` setter)"),
            BodyRemoved => write!(f, "body removed"),
            BodyTypeChanged { from, to } => write!(f, "body type `{from}` became `{to}`"),
            BodyRequirementChanged { required: true } => {
                write!(f, "body became a required argument")
            }
            BodyRequirementChanged { required: false } => {
                write!(f, "body became an optional setter")
            }
            RequestLifetimeChanged { borrows: true } => {
                write!(f, "request type gained a lifetime parameter")
            }
            RequestLifetimeChanged { borrows: false } => {
                write!(f, "request type lost its lifetime parameter")
            }
            ParamAdded { required: true } => write!(f, "new required parameter (a new argument)"),
            ParamAdded { required: false } => write!(f, "new optional parameter (a new setter)"),
            ParamRemoved => write!(f, "parameter removed"),
            ParamTypeChanged { from, to } => write!(
                f,
                "parameter type `{}` became `{}`",
                spell_param(from),
                spell_param(to)
            ),
            ParamRequirementChanged { required: true } => {
                write!(f, "parameter became a required argument")
            }
            ParamRequirementChanged { required: false } => {
                write!(f, "parameter became an optional setter")
            }
            ParamLocationChanged => write!(f, "parameter moved between query and header"),
            ParamBoundsChanged => write!(f, "parameter bounds changed"),
            // `Display` passes only the kinds above; any other is still printed.
            other => write!(f, "{other:?}"),
        }
    }
}

fn presence(p: Presence) -> &'static str {
    match p {
        Presence::Required => "required (`T`)",
        Presence::RequiredNullable => "required and nullable (`Option<T>`, `null` when `None`)",
        Presence::Optional => "optional (`Option<T>`, a setter)",
        Presence::Patch => "patchable (`Patch<T>`)",
    }
}

/// Wire names as a sentence lists them: "`a`, `b`", or "none".
fn wire_names(names: &[String]) -> String {
    match names {
        [] => "none".to_owned(),
        names => names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// A type as the generated Rust spells it.
pub(crate) fn spell(ty: &Type) -> String {
    match ty {
        Type::String => "String".into(),
        Type::SecretString => "SecretString".into(),
        Type::Date => "Date".into(),
        Type::Bool => "bool".into(),
        Type::Integer => "i64".into(),
        Type::Number => "f64".into(),
        Type::Json => "serde_json::Value".into(),
        Type::JsonObject => "serde_json::Map<String, Value>".into(),
        Type::Array(item) => format!("Vec<{}>", spell(item)),
        Type::Map(value) => format!("BTreeMap<String, {}>", spell(value)),
        Type::Named(name) => name.clone(),
    }
}

/// A parameter type as the generated Rust spells it.
pub(crate) fn spell_param(ty: &ParamType) -> String {
    match ty {
        ParamType::String => "String".into(),
        ParamType::Integer => "i64".into(),
        ParamType::Bool => "bool".into(),
        ParamType::Enum(name) => name.clone(),
        ParamType::Array(item) => format!("Vec<{}>", spell_param(item)),
    }
}
