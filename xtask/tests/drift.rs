//! The drift test: the committed generated code is exactly what the spec produces.
//! It runs the very function `cargo xtask codegen --check` runs: `xtask::generate`.

mod support;

use std::fs;
use std::path::Path;
use xtask::{
    FIX_COMMAND, GENERATED, Generated, Mode, Outcome, SPEC, SPEC_COPY, generate, workspace_root,
};

/// Exactly what `cargo xtask codegen --check` runs: `xtask::generate`, over the
/// client, the wider-API fixture and the changelog's entry.
#[test]
fn committed_generated_files_match_the_spec_as_codegen_check_sees_them() {
    let root = workspace_root().unwrap();
    let mode = mode_from_env();
    let generated = generate(&root, mode).expect("the specs generate");
    let diffs: Vec<String> = generated
        .folders
        .iter()
        .filter(|(_, outcome)| !outcome.is_fresh())
        .map(|(folder, outcome)| format!("{folder}:\n{}", outcome.diff))
        .collect();
    assert!(
        mode == Mode::Write || generated.is_fresh(),
        "generated files are stale against {SPEC}:\n{}\nCHANGELOG.md's Unreleased entry should read:\n{}\nRun `{FIX_COMMAND}` and commit the result.",
        diffs.join("\n"),
        generated.changelog.expected
    );
}

/// UPDATE_GENERATED=1 rewrites instead of failing, for a maintainer in a hurry.
fn mode_from_env() -> Mode {
    match std::env::var_os("UPDATE_GENERATED") {
        Some(_) => Mode::Write,
        None => Mode::Check,
    }
}

/// A scratch workspace with everything `generate` reads and writes.
fn scratch() -> tempfile::TempDir {
    support::generation_copy()
}

/// What `generate` found in the client's folder.
fn client(generated: &Generated) -> &Outcome {
    &generated.folders[0].1
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
    let generated = generate(dir.path(), Mode::Check).unwrap();
    let outcome = client(&generated);
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
    let generated = generate(dir.path(), Mode::Check).unwrap();
    let outcome = client(&generated);
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
    let generated = generate(dir.path(), Mode::Check).unwrap();
    let outcome = client(&generated);
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
    let generated = generate(dir.path(), Mode::Write).unwrap();
    assert_eq!(
        client(&generated).stale,
        [SPEC_COPY, "events.rs", "old_types.rs", "types.rs"]
    );
    assert!(generate(dir.path(), Mode::Check).unwrap().is_fresh());
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
    let error = generate(dir.path(), Mode::Write).unwrap_err();
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
