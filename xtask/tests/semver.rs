//! `cargo xtask semver` on the corpus of spec edits (`fixtures/spec-edits/`): every
//! edit gets the verdict its file expects, and no change Gigs calls non-breaking is
//! major.

use codegen::diff::ChangeKind;
use std::collections::BTreeSet;
use xtask::spec_edit::spec_edits;
use xtask::workspace_root;

#[test]
fn every_spec_edit_gets_the_verdict_its_file_expects() {
    let root = workspace_root().unwrap();
    let edits = spec_edits(&root).unwrap();
    assert!(edits.len() >= 20, "the corpus holds {} edits", edits.len());
    let mut wrong = Vec::new();
    for edit in &edits {
        let (changes, verdict) = edit.classify(&root).unwrap();
        assert!(!changes.is_empty(), "{}: no change found", edit.name);
        if verdict.to_string() != edit.expect {
            let lines: Vec<String> = changes.iter().map(|c| format!("    {c}")).collect();
            wrong.push(format!(
                "{} ({}): expected {}, got {verdict}\n{}",
                edit.name,
                edit.change,
                edit.expect,
                lines.join("\n")
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_change_gigs_calls_non_breaking_is_major() {
    let root = workspace_root().unwrap();
    for edit in spec_edits(&root).unwrap() {
        if edit.is_promised_non_breaking() {
            let (changes, verdict) = edit.classify(&root).unwrap();
            assert!(
                verdict < codegen::diff::Class::Major,
                "{} ({}) is {verdict}: {changes:#?}",
                edit.name,
                edit.change
            );
        }
    }
}

#[test]
fn every_edit_that_pins_its_lines_gets_exactly_those_lines() {
    let root = workspace_root().unwrap();
    let mut pinned = 0;
    for edit in spec_edits(&root).unwrap() {
        let Some(expected) = &edit.changes else {
            continue;
        };
        pinned += 1;
        let (changes, _) = edit.classify(&root).unwrap();
        let lines: Vec<String> = changes.iter().map(ToString::to_string).collect();
        assert_eq!(&lines, expected, "{} ({})", edit.name, edit.change);
    }
    assert!(pinned >= 18, "only {pinned} edits pin their lines");
}

#[test]
fn no_edit_reports_an_item_both_added_and_removed() {
    let root = workspace_root().unwrap();
    for edit in spec_edits(&root).unwrap() {
        let (changes, _) = edit.classify(&root).unwrap();
        let of = |wanted: fn(&ChangeKind) -> bool| -> BTreeSet<&str> {
            changes
                .iter()
                .filter(|c| wanted(&c.kind))
                .map(|c| c.item.as_str())
                .collect()
        };
        let added = of(|k| {
            matches!(
                k,
                ChangeKind::TypeAdded | ChangeKind::VariantAdded | ChangeKind::FieldAdded { .. }
            )
        });
        let removed = of(|k| {
            matches!(
                k,
                ChangeKind::TypeRemoved | ChangeKind::VariantRemoved | ChangeKind::FieldRemoved
            )
        });
        let both: Vec<_> = added.intersection(&removed).collect();
        assert!(both.is_empty(), "{}: {both:?} added and removed", edit.name);
    }
}

#[test]
fn a_json_key_or_wire_value_changed_under_the_same_rust_name_is_never_none() {
    let root = workspace_root().unwrap();
    let wire_only = [
        "28-session-json-key-renamed",
        "29-request-json-key-renamed",
        "34-enum-value-respelled",
        "35-event-type-respelled",
    ];
    for edit in spec_edits(&root).unwrap() {
        if !wire_only.contains(&edit.name.as_str()) {
            continue;
        }
        let (changes, verdict) = edit.classify(&root).unwrap();
        assert!(verdict >= codegen::diff::Class::Patch, "{}", edit.name);
        assert!(
            changes.iter().any(|c| matches!(
                c.kind,
                ChangeKind::WireNameChanged { .. } | ChangeKind::WireValueChanged { .. }
            )),
            "{}: {changes:#?}",
            edit.name
        );
    }
}
