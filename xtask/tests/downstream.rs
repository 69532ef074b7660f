//! The invariant, tested as a user meets it: code written against gigs-connect
//! 0.1.0 (`fixtures/downstream`) still compiles against the code generated from
//! each spec edit Gigs calls non-breaking, and stops compiling after a breaking one
//! it uses (so the check can fail). Each edit is generated into one scratch
//! workspace (see `xtask::scratch`) and checked there offline, with a target folder
//! shared between edits so only the generated code and its users are rebuilt.

use codegen::diff::Class;
use std::path::Path;
use std::process::Command;
use xtask::scratch::scratch_workspace;
use xtask::spec_edit::{CORPUS_BASE, SpecEdit, spec_edits};
use xtask::workspace_root;

/// Breaking edits the downstream crate uses: they must fail to compile.
const MUST_BREAK: [&str; 3] = [
    "05-removed-enum-value",
    "03-request-required-field",
    // `UpdateConnectSessionRequest::default()` stops compiling.
    "42-update-body-required-field",
];

/// `cargo check` of the downstream crate against `edit`'s generated code: its
/// compiler output when it fails.
fn check(root: &Path, workspace: &Path, edit: &SpecEdit) -> Result<(), String> {
    let base = std::fs::read_to_string(root.join(CORPUS_BASE)).unwrap();
    let files = codegen::generate(&edit.apply(&base).unwrap(), &edit.label()).unwrap();
    scratch_workspace(root, workspace, &files).unwrap();
    let output = Command::new(env!("CARGO"))
        .args([
            "check",
            "--offline",
            "--quiet",
            "-p",
            "downstream",
            "--manifest-path",
        ])
        .arg(workspace.join("Cargo.toml"))
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("downstream-target"),
        )
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    match output.status.success() {
        true => Ok(()),
        false => Err(String::from_utf8_lossy(&output.stderr).into_owned()),
    }
}

/// Every edit Gigs calls non-breaking, and every edit `semver` calls minor whatever
/// Gigs calls it (a verdict below major is a promise that code keeps compiling).
#[test]
fn code_written_against_0_1_0_compiles_after_every_non_breaking_edit() {
    let root = workspace_root().unwrap();
    let workspace = Path::new(env!("CARGO_TARGET_TMPDIR")).join("downstream-workspace");
    let edits = spec_edits(&root).unwrap();
    let mut checked = Vec::new();
    for edit in &edits {
        // Docs-only edits change no item: nothing new to compile.
        let (_, verdict) = edit.classify(&root).unwrap();
        let promised = edit.is_promised_non_breaking() || verdict == Class::Minor;
        if !promised || verdict <= Class::Patch {
            continue;
        }
        if let Err(errors) = check(&root, &workspace, edit) {
            panic!(
                "{} ({}) breaks the downstream crate:\n{errors}",
                edit.name, edit.change
            );
        }
        checked.push(edit.name.as_str());
    }
    // New optional request and payload fields, response fields, enum values,
    // intents, error types, operations, query parameters, PATCH fields.
    assert!(checked.len() >= 8, "only {checked:?} were compiled");
    for name in MUST_BREAK {
        let edit = edits.iter().find(|e| e.name == name).unwrap();
        assert!(
            check(&root, &workspace, edit).is_err(),
            "{name} ({}) should break the downstream crate, and it compiled",
            edit.change
        );
    }
}
