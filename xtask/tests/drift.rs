//! The drift test: the committed generated code is exactly what the spec produces.
//! It runs the very function `cargo xtask codegen --check` runs.

use std::fs;
use std::path::Path;
use xtask::{
    FIX_COMMAND, FIXTURE_GENERATED, GENERATED, Mode, SPEC, SPEC_COPY, codegen, codegen_fixture,
    workspace_root,
};

#[test]
fn committed_generated_code_matches_the_spec() {
    let root = workspace_root();
    let mode = mode_from_env();
    let outcome = codegen(&root, mode).expect("the spec generates");
    assert!(
        mode == Mode::Write || outcome.is_fresh(),
        "{GENERATED} is stale against {SPEC}:\n{}\nRun `{FIX_COMMAND}` and commit the result.",
        outcome.diff
    );
}

#[test]
fn committed_wider_api_fixture_matches_the_spec_and_its_overlay() {
    let root = workspace_root();
    let mode = mode_from_env();
    let outcome = codegen_fixture(&root, mode).expect("the wider spec generates");
    assert!(
        mode == Mode::Write || outcome.is_fresh(),
        "{FIXTURE_GENERATED} is stale:\n{}\nRun `{FIX_COMMAND}` and commit the result.",
        outcome.diff
    );
}

#[test]
fn committed_changelog_entry_matches_the_spec() {
    let root = workspace_root();
    let mode = mode_from_env();
    let outcome = xtask::changelog::changelog(&root, mode).expect("the specs generate");
    assert!(
        mode == Mode::Write || outcome.fresh,
        "CHANGELOG.md's Unreleased entry is stale against {SPEC}; it should read:\n{}\nRun `{FIX_COMMAND}` and commit the result.",
        outcome.expected
    );
}

/// UPDATE_GENERATED=1 rewrites instead of failing, for a maintainer in a hurry.
fn mode_from_env() -> Mode {
    match std::env::var_os("UPDATE_GENERATED") {
        Some(_) => Mode::Write,
        None => Mode::Check,
    }
}

/// A scratch workspace with the committed spec and generated folder.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = workspace_root();
    fs::create_dir_all(dir.path().join("spec")).unwrap();
    fs::copy(root.join(SPEC), dir.path().join(SPEC)).unwrap();
    fs::create_dir_all(dir.path().join(GENERATED)).unwrap();
    for entry in fs::read_dir(root.join(GENERATED)).unwrap() {
        let entry = entry.unwrap();
        fs::copy(
            entry.path(),
            dir.path().join(GENERATED).join(entry.file_name()),
        )
        .unwrap();
    }
    dir
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_spec_edit_without_regeneration_fails_the_check_with_a_diff() {
    let dir = scratch();
    edit(
        &dir.path().join(SPEC),
        "Unique identifier for the Connect Session.",
        "The session's id.",
    );
    let outcome = codegen(dir.path(), Mode::Check).unwrap();
    // The spec's copy beside the generated code is stale too, and the session's fields
    // are also those of `previousData`'s partial session.
    assert_eq!(outcome.stale, [SPEC_COPY, "events.rs", "types.rs"]);
    assert!(
        outcome
            .diff
            .contains("-    /// Unique identifier for the Connect Session."),
        "{}",
        outcome.diff
    );
    assert!(
        outcome.diff.contains("+    /// The session's id."),
        "{}",
        outcome.diff
    );
}

#[test]
fn a_hand_edit_of_a_generated_file_fails_the_check() {
    let dir = scratch();
    let path = dir.path().join(GENERATED).join("operations.rs");
    // The first GET request built, whichever operation it belongs to.
    let line = fs::read_to_string(&path)
        .unwrap()
        .lines()
        .find(|line| line.contains("reqwest::Method::GET"))
        .expect("the spec has a GET operation")
        .to_owned();
    edit(&path, "reqwest::Method::GET", "reqwest::Method::POST");
    let outcome = codegen(dir.path(), Mode::Check).unwrap();
    assert_eq!(outcome.stale, ["operations.rs"]);
    assert!(
        outcome.diff.contains(&format!("+{line}")),
        "{}",
        outcome.diff
    );
}

#[test]
fn a_generated_file_that_should_no_longer_exist_fails_the_check() {
    let dir = scratch();
    fs::write(
        dir.path().join(GENERATED).join("old_types.rs"),
        "pub struct Gone;\n",
    )
    .unwrap();
    let outcome = codegen(dir.path(), Mode::Check).unwrap();
    assert_eq!(outcome.stale, ["old_types.rs"]);
}

#[test]
fn write_mode_brings_everything_up_to_date() {
    let dir = scratch();
    edit(
        &dir.path().join(SPEC),
        "Unique identifier for the Connect Session.",
        "The session's id.",
    );
    fs::write(
        dir.path().join(GENERATED).join("old_types.rs"),
        "pub struct Gone;\n",
    )
    .unwrap();
    let written = codegen(dir.path(), Mode::Write).unwrap();
    assert_eq!(
        written.stale,
        [SPEC_COPY, "events.rs", "old_types.rs", "types.rs"]
    );
    assert!(codegen(dir.path(), Mode::Check).unwrap().is_fresh());
    assert!(!dir.path().join(GENERATED).join("old_types.rs").exists());
    let leftovers: Vec<_> = fs::read_dir(dir.path().join(GENERATED))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn a_failed_run_leaves_committed_files_untouched() {
    let dir = scratch();
    let before = fs::read_to_string(dir.path().join(GENERATED).join("types.rs")).unwrap();
    edit(
        &dir.path().join(SPEC),
        "\"operationId\": \"updateConnectSession\"",
        "\"operationId\": \"retrieveConnectSession\"",
    );
    let error = codegen(dir.path(), Mode::Write).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("operationId `retrieveConnectSession` is used twice"),
        "{error}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join(GENERATED).join("types.rs")).unwrap(),
        before
    );
}
