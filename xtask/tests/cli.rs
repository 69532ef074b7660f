//! `cargo xtask codegen` as a user runs it: the binary, its exit status and what it
//! prints, under the `RUST_BACKTRACE=1` that CI sets.

mod support;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};
use xtask::{GENERATED, SPEC, workspace_root};

/// Runs the xtask binary on a scratch workspace whose spec has `from` replaced by
/// `to`, with backtraces on.
fn codegen_with_spec_edit(from: &str, to: &str, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let spec = fs::read_to_string(workspace_root().unwrap().join(SPEC)).unwrap();
    assert!(spec.contains(from), "the spec has no {from:?}");
    fs::create_dir_all(dir.path().join("spec")).unwrap();
    fs::create_dir_all(dir.path().join(GENERATED)).unwrap();
    fs::write(dir.path().join(SPEC), spec.replacen(from, to, 1)).unwrap();
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env("XTASK_WORKSPACE_ROOT", dir.path())
        .env("RUST_BACKTRACE", "1")
        .env("RUST_LIB_BACKTRACE", "1")
        .output()
        .unwrap()
}

#[test]
fn a_spec_error_prints_its_message_alone_even_with_backtraces_on() {
    let output = codegen_with_spec_edit(
        "\"operationId\": \"updateConnectSession\"",
        "\"operationId\": \"retrieveConnectSession\"",
        &["codegen"],
    );
    assert!(!output.status.success());
    assert!(output.stdout.is_empty(), "nothing but the error is printed");
    let stderr = String::from_utf8(output.stderr).unwrap();
    // The message: what failed, then one line per spec problem with its pointer.
    let expected = format!(
        "error: codegen from {SPEC} failed; nothing was written: {SPEC}: 1 problem(s) in the spec:\n  \
         - #/paths/~1projects~1{{project}}~1connectSessions~1{{connectSessionId}}/patch/operationId: \
         operationId `retrieveConnectSession` is used twice\n"
    );
    assert_eq!(stderr, expected, "stderr is more than the message");
}

#[test]
fn a_bad_argument_prints_the_usage_alone() {
    let output = codegen_with_spec_edit("{", "{", &["codegen", "--bogus"]);
    assert!(!output.status.success());
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "error: usage: cargo xtask codegen [--check] | cargo xtask semver [--base REV] | \
         cargo xtask release | cargo xtask wider-spec\n"
    );
}

/// `cargo xtask semver` in a scratch workspace released at 0.1.0 whose spec has
/// `from` replaced by `to`.
fn semver_with_spec_edit(from: &str, to: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let root = workspace_root().unwrap();
    fs::create_dir_all(dir.path().join("spec/released")).unwrap();
    let released = fs::read_to_string(root.join("spec/released/0.1.0.json")).unwrap();
    assert!(released.contains(from), "the spec has no {from:?}");
    fs::write(dir.path().join("spec/released/0.1.0.json"), &released).unwrap();
    fs::write(dir.path().join(SPEC), released.replacen(from, to, 1)).unwrap();
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("semver")
        .env("XTASK_WORKSPACE_ROOT", dir.path())
        .output()
        .unwrap()
}

#[test]
fn semver_prints_one_line_per_change_then_the_verdict_and_exits_0_even_when_major() {
    let output = semver_with_spec_edit("\"light\",\n          \"dark\"", "\"light\"");
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "types::Theme::Dark: variant removed (major)\nverdict: major\n"
    );
}

#[test]
fn semver_of_an_invalid_spec_is_an_error_with_its_pointer() {
    let output = semver_with_spec_edit(
        "\"operationId\": \"updateConnectSession\"",
        "\"operationId\": \"retrieveConnectSession\"",
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(
            "#/paths/~1projects~1{project}~1connectSessions~1{connectSessionId}/patch/operationId: \
             operationId `retrieveConnectSession` is used twice"
        ),
        "{stderr}"
    );
}

#[test]
fn wider_spec_prints_the_merged_spec_the_fixture_is_generated_from() {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("wider-spec")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let spec: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let paths = spec["paths"].as_object().unwrap();
    let sessions = &paths["/projects/{project}/connectSessions"];
    assert_eq!(
        sessions["get"]["operationId"], "listConnectSessions",
        "from the overlay"
    );
    assert_eq!(
        sessions["post"]["operationId"], "createConnectSession",
        "from the spec"
    );
    assert!(spec["components"]["schemas"]["ConnectSessionList"].is_object());
}

/// A copy of what `cargo xtask codegen` reads and writes, with a workspace manifest,
/// and the docs of the session's id changed in its spec: the copy is stale.
fn stale_checkout() -> tempfile::TempDir {
    let root = workspace_root().unwrap();
    let dir = support::generation_copy();
    fs::copy(root.join("Cargo.toml"), dir.path().join("Cargo.toml")).unwrap();
    let spec = fs::read_to_string(dir.path().join(SPEC)).unwrap();
    let from = "Unique identifier for the Connect Session.";
    assert!(spec.contains(from));
    fs::write(
        dir.path().join(SPEC),
        spec.replacen(from, "The session's id.", 1),
    )
    .unwrap();
    dir
}

/// The xtask binary with no hint of this checkout: run from `cwd`, without the
/// variables cargo and the tests set.
fn xtask_in(cwd: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command
        .current_dir(cwd)
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("XTASK_WORKSPACE_ROOT");
    command
}

#[test]
fn codegen_check_works_on_the_checkout_it_runs_in_not_the_one_it_was_built_in() {
    let checkout = stale_checkout();
    // From a folder below the workspace root, as a maintainer in `spec/` would.
    let output = xtask_in(&checkout.path().join("spec"))
        .args(["codegen", "--check"])
        .output()
        .unwrap();
    assert!(!output.status.success(), "the edited spec must be seen");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let root = checkout.path().canonicalize().unwrap();
    assert!(
        stdout.starts_with(&format!("workspace {}\n", root.display()))
            || stdout.starts_with(&format!("workspace {}\n", checkout.path().display())),
        "{stdout}"
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("+    /// The session's id."), "{stderr}");
}

#[test]
fn cargo_run_names_the_checkout_through_cargo_manifest_dir_at_run_time() {
    let checkout = stale_checkout();
    let elsewhere = tempfile::tempdir().unwrap();
    // `cargo run -p xtask` sets CARGO_MANIFEST_DIR to this checkout's `xtask/`.
    let output = xtask_in(elsewhere.path())
        .env("CARGO_MANIFEST_DIR", checkout.path().join("xtask"))
        .arg("codegen")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with(&format!("workspace {}\n", checkout.path().display())),
        "{stdout}"
    );
    let types = fs::read_to_string(checkout.path().join(GENERATED).join("types.rs")).unwrap();
    assert!(
        types.contains("/// The session's id."),
        "the checkout was regenerated"
    );
}

#[test]
fn outside_any_workspace_xtask_says_where_it_looked() {
    let elsewhere = tempfile::tempdir().unwrap();
    let output = xtask_in(elsewhere.path())
        .args(["codegen", "--check"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("no Cargo.toml with a [workspace] table at or above"),
        "{stderr}"
    );
}

#[test]
fn semver_names_its_workspace_on_stderr_and_keeps_stdout_to_the_report() {
    let output = semver_with_spec_edit("\"light\",\n          \"dark\"", "\"light\"");
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.starts_with("workspace /"), "{stderr}");
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .ends_with("verdict: major\n")
    );
}
