//! Changes to `types`: structs and their fields, string enums, unions, aliases.

use super::{Change, ChangeKind, pair_up};
use crate::ir::{Api, Field, Presence, StringEnum, Struct, TypeDef, Union};

pub(super) fn diff_types(old: &Api, new: &Api, out: &mut Vec<Change>) {
    for pair in pair_up(&old.types, &new.types, |t| t.name().to_owned()) {
        match pair {
            (None, Some(added)) => out.push(Change::new(item(added.name()), ChangeKind::TypeAdded)),
            (Some(removed), None) => {
                out.push(Change::new(item(removed.name()), ChangeKind::TypeRemoved))
            }
            (Some(before), Some(after)) => diff_type(before, after, out),
            (None, None) => {}
        }
    }
}

fn item(name: &str) -> String {
    format!("types::{name}")
}

fn kind(def: &TypeDef) -> &'static str {
    match def {
        TypeDef::Struct(_) => "a struct",
        TypeDef::StringEnum(_) => "a string enum",
        TypeDef::Union(_) => "a tagged union",
        TypeDef::Alias { .. } | TypeDef::RequestForm { .. } => "an alias",
    }
}

fn diff_type(before: &TypeDef, after: &TypeDef, out: &mut Vec<Change>) {
    let name = item(after.name());
    match (before, after) {
        (TypeDef::Struct(b), TypeDef::Struct(a)) => diff_struct(&name, b, a, out),
        (TypeDef::StringEnum(b), TypeDef::StringEnum(a)) => diff_enum(&name, b, a, out),
        (TypeDef::Union(b), TypeDef::Union(a)) => diff_union(&name, b, a, out),
        (
            TypeDef::Alias {
                doc: bd,
                target: bt,
                ..
            }
            | TypeDef::RequestForm {
                doc: bd,
                target: bt,
                ..
            },
            TypeDef::Alias {
                doc: ad,
                target: at,
                ..
            }
            | TypeDef::RequestForm {
                doc: ad,
                target: at,
                ..
            },
        ) => {
            // A request form's own wire shape is held to its original by validate,
            // so the original's changes say everything the form's would.
            if bt != at {
                out.push(Change::new(
                    &name,
                    ChangeKind::AliasTargetChanged {
                        from: bt.clone(),
                        to: at.clone(),
                    },
                ));
            }
            docs(&name, bd, ad, out);
        }
        _ => out.push(Change::new(
            &name,
            ChangeKind::TypeKindChanged {
                from: kind(before),
                to: kind(after),
            },
        )),
    }
}

fn docs(item: &str, before: &str, after: &str, out: &mut Vec<Change>) {
    if before != after {
        out.push(Change::new(item, ChangeKind::DocsChanged));
    }
}

/// Whether `new` takes the field as an argument: required, and not a one-value enum
/// the constructor fills in.
fn is_argument(field: &Field) -> bool {
    matches!(
        field.presence,
        Presence::Required | Presence::RequiredNullable
    ) && field.fixed.is_none()
}

pub(super) fn diff_struct(name: &str, before: &Struct, after: &Struct, out: &mut Vec<Change>) {
    docs(name, &before.doc, &after.doc, out);
    if before.deny_unknown_fields != after.deny_unknown_fields {
        out.push(Change::new(
            name,
            ChangeKind::UnknownKeysRefused {
                refused: after.deny_unknown_fields,
            },
        ));
    }
    if before.exclusive != after.exclusive {
        out.push(Change::new(name, ChangeKind::ExclusiveFieldsChanged));
    }
    for pair in pair_up(&before.fields, &after.fields, |f| f.name.clone()) {
        match pair {
            (None, Some(added)) => out.push(Change::new(
                format!("{name}::{}", added.name),
                ChangeKind::FieldAdded {
                    presence: added.presence,
                    argument: is_argument(added),
                },
            )),
            (Some(removed), None) => out.push(Change::new(
                format!("{name}::{}", removed.name),
                ChangeKind::FieldRemoved,
            )),
            (Some(b), Some(a)) => diff_field(&format!("{name}::{}", a.name), b, a, out),
            (None, None) => {}
        }
    }
    // The arguments both versions share, in each one's order: `new(a, b)` that
    // became `new(b, a)` still compiles for some callers and misbehaves for others.
    let shared = |s: &Struct, other: &Struct| -> Vec<String> {
        s.fields
            .iter()
            .filter(|f| is_argument(f))
            .filter(|f| {
                other
                    .fields
                    .iter()
                    .any(|o| o.name == f.name && is_argument(o))
            })
            .map(|f| f.name.clone())
            .collect()
    };
    if shared(before, after) != shared(after, before) {
        out.push(Change::new(
            format!("{name}::new"),
            ChangeKind::ConstructorArgumentsReordered,
        ));
    }
}

pub(super) fn diff_field(item: &str, before: &Field, after: &Field, out: &mut Vec<Change>) {
    if before.ty != after.ty {
        out.push(Change::new(
            item,
            ChangeKind::FieldTypeChanged {
                from: before.ty.clone(),
                to: after.ty.clone(),
            },
        ));
    }
    if before.presence != after.presence || is_argument(before) != is_argument(after) {
        out.push(Change::new(
            item,
            ChangeKind::FieldPresenceChanged {
                from: before.presence,
                to: after.presence,
            },
        ));
    } else if before.nullable != after.nullable {
        out.push(Change::new(
            item,
            ChangeKind::FieldNullabilityChanged {
                nullable: after.nullable,
            },
        ));
    }
    docs(item, &before.doc, &after.doc, out);
    if before.example != after.example {
        out.push(Change::new(item, ChangeKind::ExampleChanged));
    }
}

pub(super) fn diff_enum(
    name: &str,
    before: &StringEnum,
    after: &StringEnum,
    out: &mut Vec<Change>,
) {
    docs(name, &before.doc, &after.doc, out);
    for pair in pair_up(&before.values, &after.values, |v| v.wire.clone()) {
        match pair {
            (None, Some(added)) => out.push(Change::new(
                format!("{name}::{}", added.variant),
                ChangeKind::VariantAdded,
            )),
            (Some(removed), None) => out.push(Change::new(
                format!("{name}::{}", removed.variant),
                ChangeKind::VariantRemoved,
            )),
            (Some(b), Some(a)) if b.variant != a.variant => out.push(Change::new(
                format!("{name}::{}", a.variant),
                ChangeKind::VariantRenamed {
                    from: b.variant.clone(),
                },
            )),
            _ => {}
        }
    }
}

fn diff_union(name: &str, before: &Union, after: &Union, out: &mut Vec<Change>) {
    docs(name, &before.doc, &after.doc, out);
    if before.tag_property != after.tag_property {
        out.push(Change::new(
            name,
            ChangeKind::UnionTagPropertyChanged {
                from: before.tag_property.clone(),
                to: after.tag_property.clone(),
            },
        ));
    }
    if before.closed != after.closed {
        out.push(Change::new(
            name,
            ChangeKind::UnknownKeysRefused {
                refused: after.closed,
            },
        ));
    }
    for pair in pair_up(&before.variants, &after.variants, |v| v.tag.clone()) {
        match pair {
            (None, Some(added)) => out.push(Change::new(
                format!("{name}::{}", added.name),
                ChangeKind::VariantAdded,
            )),
            (Some(removed), None) => out.push(Change::new(
                format!("{name}::{}", removed.name),
                ChangeKind::VariantRemoved,
            )),
            (Some(b), Some(a)) => {
                let variant = format!("{name}::{}", a.name);
                if b.name != a.name || b.constructor != a.constructor {
                    out.push(Change::new(
                        &variant,
                        ChangeKind::VariantRenamed {
                            from: b.name.clone(),
                        },
                    ));
                }
                if b.payload != a.payload {
                    out.push(Change::new(
                        &variant,
                        ChangeKind::VariantPayloadChanged {
                            from: b.payload.clone(),
                            to: a.payload.clone(),
                        },
                    ));
                }
                docs(&variant, &b.doc, &a.doc, out);
            }
            (None, None) => {}
        }
    }
}
