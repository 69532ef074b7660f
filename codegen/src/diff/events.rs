//! Changes to `webhooks` (the `webhooks` feature): the `Event` enum's variants, each
//! event's envelope, the partial models of `previousData` and the envelopes' enums.
//! They follow the rules of `types`: `Event` is `#[non_exhaustive]` and keeps an
//! event type it does not know, and every envelope and partial model is a
//! `#[non_exhaustive]` struct like any other.

use super::types::{diff_enum, diff_field, diff_struct};
use super::{Change, ChangeKind, pair_up};
use crate::ir::Api;

pub(super) fn diff_events(old: &Api, new: &Api, out: &mut Vec<Change>) {
    let (old, new) = (&old.events, &new.events);
    for pair in pair_up(&old.events, &new.events, |e| e.event_type.clone()) {
        match pair {
            (None, Some(added)) => {
                out.push(Change::new(
                    variant(&added.variant),
                    ChangeKind::VariantAdded,
                ));
                out.push(Change::new(
                    item(&added.envelope.name),
                    ChangeKind::TypeAdded,
                ));
            }
            (Some(removed), None) => {
                out.push(Change::new(
                    variant(&removed.variant),
                    ChangeKind::VariantRemoved,
                ));
                out.push(Change::new(
                    item(&removed.envelope.name),
                    ChangeKind::TypeRemoved,
                ));
            }
            (Some(before), Some(after)) => {
                if before.variant != after.variant {
                    out.push(Change::new(
                        variant(&after.variant),
                        ChangeKind::VariantRenamed {
                            from: before.variant.clone(),
                        },
                    ));
                }
                if before.envelope.name != after.envelope.name {
                    out.push(Change::new(
                        item(&before.envelope.name),
                        ChangeKind::TypeRemoved,
                    ));
                    out.push(Change::new(
                        item(&after.envelope.name),
                        ChangeKind::TypeAdded,
                    ));
                } else {
                    let name = item(&after.envelope.name);
                    diff_struct(&name, &before.envelope, &after.envelope, out);
                }
            }
            (None, None) => {}
        }
    }
    for pair in pair_up(&old.partials, &new.partials, |p| p.name.clone()) {
        match pair {
            (None, Some(added)) => out.push(Change::new(item(&added.name), ChangeKind::TypeAdded)),
            (Some(removed), None) => {
                out.push(Change::new(item(&removed.name), ChangeKind::TypeRemoved))
            }
            (Some(before), Some(after)) => {
                let name = item(&after.name);
                if before.doc != after.doc {
                    out.push(Change::new(&name, ChangeKind::DocsChanged));
                }
                for field in pair_up(&before.fields, &after.fields, |f| f.name.clone()) {
                    match field {
                        (None, Some(added)) => out.push(Change::new(
                            format!("{name}::{}", added.name),
                            ChangeKind::FieldAdded {
                                presence: added.presence,
                                argument: false,
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
            (None, None) => {}
        }
    }
    for pair in pair_up(&old.enums, &new.enums, |e| e.name.clone()) {
        match pair {
            (None, Some(added)) => out.push(Change::new(item(&added.name), ChangeKind::TypeAdded)),
            (Some(removed), None) => {
                out.push(Change::new(item(&removed.name), ChangeKind::TypeRemoved))
            }
            (Some(before), Some(after)) => diff_enum(&item(&after.name), before, after, out),
            (None, None) => {}
        }
    }
}

fn item(name: &str) -> String {
    format!("webhooks::{name}")
}

fn variant(name: &str) -> String {
    format!("webhooks::Event::{name}")
}
