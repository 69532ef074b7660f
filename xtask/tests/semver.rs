//! `cargo xtask semver` on the corpus of spec edits (`fixtures/spec-edits/`): every
//! edit gets the verdict its file expects, and no change Gigs calls non-breaking is
//! major.

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
