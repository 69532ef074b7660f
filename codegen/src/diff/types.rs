//! Changes to `types`: structs and their fields, string enums, unions, aliases, as
//! the surface describes them (types resolved through aliases).

use super::{Change, ChangeKind, pair_up};
use crate::surface::{
    EnumItem, FieldItem, StructItem, Trait, TypeItem, UnionItem, UnionVariantItem,
};

pub(super) fn diff_types(old: &[TypeItem], new: &[TypeItem], out: &mut Vec<Change>) {
    for pair in pair_up(old, new, |t| t.name().to_owned()) {
        match pair {
            (None, Some(added)) => out.push(Change::new(added.path(), ChangeKind::TypeAdded)),
            (Some(removed), None) => out.push(Change::new(removed.path(), ChangeKind::TypeRemoved)),
            (Some(before), Some(after)) => diff_type(before, after, out),
            (None, None) => {}
        }
    }
}

fn diff_type(before: &TypeItem, after: &TypeItem, out: &mut Vec<Change>) {
    let name = after.path();
    match (before, after) {
        (TypeItem::Struct(b), TypeItem::Struct(a)) => diff_struct(&name, b, a, out),
        (TypeItem::Enum(b), TypeItem::Enum(a)) => diff_enum(&name, b, a, out),
        (TypeItem::Union(b), TypeItem::Union(a)) => diff_union(&name, b, a, out),
        (
            TypeItem::Alias {
                doc: bd,
                target: bt,
                ..
            },
            TypeItem::Alias {
                doc: ad,
                target: at,
                ..
            },
        ) => {
            // Targets are resolved: an alias of an alias of the same type is no change.
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
                from: before.kind(),
                to: after.kind(),
            },
        )),
    }
}

pub(super) fn docs(item: &str, before: &str, after: &str, out: &mut Vec<Change>) {
    if before != after {
        out.push(Change::new(item, ChangeKind::DocsChanged));
    }
}

/// Trait implementations lost (major) and gained (minor).
pub(super) fn diff_traits(name: &str, before: &[Trait], after: &[Trait], out: &mut Vec<Change>) {
    for lost in before.iter().filter(|t| !after.contains(t)) {
        out.push(Change::new(
            name,
            ChangeKind::TraitImplRemoved { name: lost },
        ));
    }
    for gained in after.iter().filter(|t| !before.contains(t)) {
        out.push(Change::new(
            name,
            ChangeKind::TraitImplAdded { name: gained },
        ));
    }
}

pub(super) fn diff_struct(
    name: &str,
    before: &StructItem,
    after: &StructItem,
    out: &mut Vec<Change>,
) {
    docs(name, &before.doc, &after.doc, out);
    diff_traits(name, &before.traits, &after.traits, out);
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
    diff_fields(name, &before.fields, &after.fields, out);
    // The arguments both versions share, in each one's order: `new(a, b)` that
    // became `new(b, a)` still compiles for some callers and misbehaves for others.
    let shared = |s: &StructItem, other: &StructItem| -> Vec<String> {
        s.new_arguments()
            .filter(|f| other.new_arguments().any(|o| o.name == f.name))
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

/// Fields paired by Rust name: a JSON key renamed under the same Rust name is one
/// change to one field, never a field removed and another added.
pub(super) fn diff_fields(
    name: &str,
    before: &[FieldItem],
    after: &[FieldItem],
    out: &mut Vec<Change>,
) {
    for pair in pair_up(before, after, |f| f.name.clone()) {
        match pair {
            (None, Some(added)) => out.push(Change::new(
                format!("{name}::{}", added.name),
                ChangeKind::FieldAdded {
                    presence: added.presence,
                    argument: added.new_argument,
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
}

fn diff_field(item: &str, before: &FieldItem, after: &FieldItem, out: &mut Vec<Change>) {
    let mut push = |kind| out.push(Change::new(item, kind));
    if before.ty != after.ty {
        push(ChangeKind::FieldTypeChanged {
            from: before.ty.clone(),
            to: after.ty.clone(),
        });
    }
    if before.wire_name != after.wire_name {
        push(ChangeKind::WireNameChanged {
            from: before.wire_name.clone(),
            to: after.wire_name.clone(),
        });
    }
    // What a user's code sees: the field's own type, whether `new` takes it, its
    // setters. Presence beyond that is wire behaviour.
    let rust = |f: &FieldItem| (f.wrapper(), f.new_argument, f.setter);
    if rust(before) != rust(after) {
        push(ChangeKind::FieldPresenceChanged {
            from: before.presence,
            to: after.presence,
        });
    } else if before.presence != after.presence {
        push(ChangeKind::FieldPresenceOnWireChanged {
            from: before.presence,
            to: after.presence,
        });
    } else if before.nullable != after.nullable {
        push(ChangeKind::FieldNullabilityChanged {
            nullable: after.nullable,
        });
    }
    if before.doc != after.doc {
        push(ChangeKind::DocsChanged);
    }
    if before.example != after.example {
        push(ChangeKind::ExampleChanged);
    }
}

/// Variants paired by Rust name first (a wire value respelled under the same name is
/// one change), then the rest by wire value (a Rust rename of the same value).
pub(super) fn diff_enum(name: &str, before: &EnumItem, after: &EnumItem, out: &mut Vec<Change>) {
    docs(name, &before.doc, &after.doc, out);
    diff_traits(name, &before.traits, &after.traits, out);
    let pairs = pair_up(&before.variants, &after.variants, |v| v.name.clone());
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    for pair in pairs {
        match pair {
            (None, Some(a)) => added.push(a),
            (Some(b), None) => removed.push(b),
            (Some(b), Some(a)) if b.wire != a.wire => out.push(Change::new(
                format!("{name}::{}", a.name),
                ChangeKind::WireValueChanged {
                    from: b.wire.clone(),
                    to: a.wire.clone(),
                },
            )),
            _ => {}
        }
    }
    for a in added {
        let kind = match removed.iter().position(|b| b.wire == a.wire) {
            Some(i) => ChangeKind::VariantRenamed {
                from: removed.remove(i).name.clone(),
            },
            None => ChangeKind::VariantAdded,
        };
        out.push(Change::new(format!("{name}::{}", a.name), kind));
    }
    for b in removed {
        out.push(Change::new(
            format!("{name}::{}", b.name),
            ChangeKind::VariantRemoved,
        ));
    }
}

fn diff_union(name: &str, before: &UnionItem, after: &UnionItem, out: &mut Vec<Change>) {
    docs(name, &before.doc, &after.doc, out);
    diff_traits(name, &before.traits, &after.traits, out);
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
    // Paired by Rust name, then the rest by tag, as string enums are.
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    for pair in pair_up(&before.variants, &after.variants, |v| v.name.clone()) {
        match pair {
            (None, Some(a)) => added.push(a),
            (Some(b), None) => removed.push(b),
            (Some(b), Some(a)) => diff_union_variant(name, b, a, out),
            (None, None) => {}
        }
    }
    for a in added {
        match removed.iter().position(|b| b.tag == a.tag) {
            Some(i) => diff_union_variant(name, removed.remove(i), a, out),
            None => out.push(Change::new(
                format!("{name}::{}", a.name),
                ChangeKind::VariantAdded,
            )),
        }
    }
    for b in removed {
        out.push(Change::new(
            format!("{name}::{}", b.name),
            ChangeKind::VariantRemoved,
        ));
    }
}

fn diff_union_variant(
    name: &str,
    b: &UnionVariantItem,
    a: &UnionVariantItem,
    out: &mut Vec<Change>,
) {
    let variant = format!("{name}::{}", a.name);
    if b.name != a.name || b.constructor != a.constructor {
        out.push(Change::new(
            &variant,
            ChangeKind::VariantRenamed {
                from: b.name.clone(),
            },
        ));
    }
    if b.tag != a.tag {
        out.push(Change::new(
            &variant,
            ChangeKind::WireValueChanged {
                from: b.tag.clone(),
                to: a.tag.clone(),
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
