//! Changes to `webhooks` (the `webhooks` feature): the `Event` enum's variants, each
//! event's envelope, the partial models of `previousData` and the envelopes' enums.
//! They follow the rules of `types`: `Event` is `#[non_exhaustive]` and keeps an
//! event type it does not know, and every envelope and partial model is a
//! `#[non_exhaustive]` struct like any other.

use super::types::{diff_enum, diff_fields, diff_struct, docs};
use super::{Change, ChangeKind, pair_up};
use crate::surface::{EventItem, Surface};

pub(super) fn diff_events(old: &Surface, new: &Surface, out: &mut Vec<Change>) {
    diff_event_variants(&old.events, &new.events, out);
    for pair in pair_up(&old.partials, &new.partials, |p| p.name.clone()) {
        match pair {
            (None, Some(added)) => out.push(Change::new(item(&added.name), ChangeKind::TypeAdded)),
            (Some(removed), None) => {
                out.push(Change::new(item(&removed.name), ChangeKind::TypeRemoved))
            }
            (Some(before), Some(after)) => {
                let name = item(&after.name);
                docs(&name, &before.doc, &after.doc, out);
                diff_fields(&name, &before.fields, &after.fields, out);
            }
            (None, None) => {}
        }
    }
    for pair in pair_up(&old.event_enums, &new.event_enums, |e| e.name.clone()) {
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

/// `Event`'s variants, paired by Rust name first (an event type respelled under the
/// same variant is one change), then by event type or envelope (a variant renamed).
fn diff_event_variants(old: &[EventItem], new: &[EventItem], out: &mut Vec<Change>) {
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    for pair in pair_up(old, new, |e| e.variant.clone()) {
        match pair {
            (None, Some(a)) => added.push(a),
            (Some(b), None) => removed.push(b),
            (Some(b), Some(a)) => diff_event(b, a, out),
            (None, None) => {}
        }
    }
    for a in added {
        // The same event under another variant: the same type, or the same envelope
        // under another type (one change of each, never an envelope added and removed).
        let same =
            |b: &&EventItem| b.event_type == a.event_type || b.envelope.name == a.envelope.name;
        match removed.iter().position(same) {
            Some(i) => {
                let b = removed.remove(i);
                out.push(Change::new(
                    variant(&a.variant),
                    ChangeKind::VariantRenamed {
                        from: b.variant.clone(),
                    },
                ));
                diff_event(b, a, out);
            }
            None => {
                out.push(Change::new(variant(&a.variant), ChangeKind::VariantAdded));
                out.push(Change::new(item(&a.envelope.name), ChangeKind::TypeAdded));
            }
        }
    }
    for b in removed {
        out.push(Change::new(variant(&b.variant), ChangeKind::VariantRemoved));
        out.push(Change::new(item(&b.envelope.name), ChangeKind::TypeRemoved));
    }
}

/// One event paired across the specs, under the same variant or a renamed one:
/// its event type (the wire value of its variant), then its envelope.
fn diff_event(before: &EventItem, after: &EventItem, out: &mut Vec<Change>) {
    if before.event_type != after.event_type {
        out.push(Change::new(
            variant(&after.variant),
            ChangeKind::WireValueChanged {
                from: before.event_type.clone(),
                to: after.event_type.clone(),
            },
        ));
    }
    diff_envelope(before, after, out);
}

fn diff_envelope(before: &EventItem, after: &EventItem, out: &mut Vec<Change>) {
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

fn item(name: &str) -> String {
    format!("webhooks::{name}")
}

fn variant(name: &str) -> String {
    format!("webhooks::Event::{name}")
}
