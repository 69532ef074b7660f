//! Beside the pipeline: two [`Surface`]s (the public Rust API of a released spec and
//! of the working one) → the changes a user of the generated crate would see, each
//! with its semver class.
//!
//! The surface is what `emit` renders, so the comparison is of the Rust items users
//! have (types resolved through aliases, `new`'s arguments, derives), never a second
//! guess at them. `types`, `events` and `operations` find the changes; `rules` is the
//! table that classifies them.

mod events;
mod operations;
mod rules;
mod types;

pub use rules::{ChangeKind, Class};
pub(crate) use rules::{spell, spell_param};

use crate::ir::Api;
use crate::surface::Surface;
use std::fmt;

/// One change to one Rust item of the generated crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The item as a user's code names it: `types::ConnectSession::user`,
    /// `types::Intent::ViewSubscription`, `Client::retrieve_connect_session`.
    pub item: String,
    pub kind: ChangeKind,
}

impl Change {
    pub(crate) fn new(item: impl Into<String>, kind: ChangeKind) -> Self {
        Change {
            item: item.into(),
            kind,
        }
    }

    pub fn class(&self) -> Class {
        self.kind.class()
    }
}

/// One line: the item, what changed, its class.
impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.item, self.kind, self.class())
    }
}

/// Every change from `old` to `new`: types in `new`'s order (removed ones where
/// they were), then webhook events, then operations the same way.
pub fn diff(old: &Api, new: &Api) -> Vec<Change> {
    diff_surfaces(&Surface::of(old), &Surface::of(new))
}

/// Every change from the API `old` describes to the one `new` describes.
pub fn diff_surfaces(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut changes = Vec::new();
    if old.title != new.title {
        changes.push(Change::new("crate docs", ChangeKind::DocsChanged));
    }
    types::diff_types(&old.types, &new.types, &mut changes);
    events::diff_events(old, new, &mut changes);
    operations::diff_methods(&old.methods, &new.methods, &mut changes);
    changes
}

/// The class of a set of changes: the most severe one, `None` when there are none.
pub fn verdict(changes: &[Change]) -> Class {
    changes
        .iter()
        .map(Change::class)
        .max()
        .unwrap_or(Class::None)
}

/// Pairs items of `old` and `new` by key: every pair in `new`'s order, then items
/// only `old` has, in `old`'s order.
pub(crate) fn pair_up<'a, T, K: PartialEq>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> K,
) -> Vec<(Option<&'a T>, Option<&'a T>)> {
    let mut pairs: Vec<_> = new
        .iter()
        .map(|n| (old.iter().find(|o| key(o) == key(n)), Some(n)))
        .collect();
    pairs.extend(
        old.iter()
            .filter(|o| !new.iter().any(|n| key(n) == key(o)))
            .map(|o| (Some(o), None)),
    );
    pairs
}
