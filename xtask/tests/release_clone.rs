//! `cargo xtask release` keeps the workspace green, tested as a maintainer meets
//! it: in a scratch clone of this repository (its committed `HEAD`), a spec edit is
//! regenerated and committed, `cargo xtask release` runs and its result is
//! committed, and then the clone's own codegen and xtask tests run there (the
//! release test among them once failed on a released lock file).
//!
//! SLOW, so ignored by default: the clone builds its crates in a target dir of its
//! own under `CARGO_TARGET_TMPDIR` (kept between runs, so only the first run builds
//! the dependencies). Run it with
//! `cargo test -p xtask --test release_clone -- --ignored`: 408 s on its first run
//! (cold target dir), 54 s on the next (warm), on the shared 2-core machine loaded
//! by other builds.

mod support;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};
use support::git;
use xtask::changelog::CHANGELOG;
use xtask::spec_edit::spec_edits;
use xtask::{SPEC, workspace_root};

/// Runs `command` as a maintainer's run in the clone would: from the clone's
/// root, with nothing pointing elsewhere.
fn run_in(clone: &Path, command: &mut Command) -> Output {
    command
        .current_dir(clone)
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("XTASK_WORKSPACE_ROOT")
        .output()
        .unwrap()
}

/// The xtask binary on the clone, found as a maintainer's run finds it.
fn xtask(clone: &Path, args: &[&str]) -> Output {
    let output = run_in(clone, Command::new(env!("CARGO_BIN_EXE_xtask")).args(args));
    assert!(
        output.status.success(),
        "xtask {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

#[test]
#[ignore = "slow: builds and tests a scratch clone; run with --ignored"]
fn after_a_release_the_clones_codegen_and_xtask_tests_pass() {
    let root = workspace_root().unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let clone = scratch.path().join("gigs-connect");
    let status = Command::new("git")
        .args(["clone", "--quiet"])
        .arg(&root)
        .arg(&clone)
        .status()
        .unwrap();
    assert!(status.success(), "git clone");

    // A new theme, as the README's "Changing the spec" adds one.
    let edit = spec_edits(&root)
        .unwrap()
        .into_iter()
        .find(|e| e.name == "04-new-enum-value")
        .unwrap();
    let spec = fs::read_to_string(clone.join(SPEC)).unwrap();
    fs::write(clone.join(SPEC), edit.apply(&spec).unwrap()).unwrap();
    xtask(&clone, &["codegen"]);
    git(&clone, &["commit", "-q", "-am", "A system theme."]);
    let released = String::from_utf8(xtask(&clone, &["release"]).stdout).unwrap();
    assert!(released.contains("workspace "), "{released}");
    git(&clone, &["commit", "-q", "-am", "Release."]);

    // The released entry reads as released; Unreleased says nothing is left.
    let changelog = fs::read_to_string(clone.join(CHANGELOG)).unwrap();
    assert!(!changelog.contains("at least"), "{changelog}");
    assert!(
        changelog.contains("No change to the API since"),
        "{changelog}"
    );

    let output = run_in(
        &clone,
        Command::new(env!("CARGO"))
            .args(["test", "--offline", "-p", "codegen", "-p", "xtask"])
            .env(
                "CARGO_TARGET_DIR",
                Path::new(env!("CARGO_TARGET_TMPDIR")).join("release-clone-target"),
            ),
    );
    assert!(
        output.status.success(),
        "the clone's tests failed after the release:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
