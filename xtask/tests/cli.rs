//! `cargo xtask codegen` as a user runs it: the binary, its exit status and what it
//! prints, under the `RUST_BACKTRACE=1` that CI sets.

use std::fs;
use std::process::{Command, Output};
use xtask::{GENERATED, SPEC, workspace_root};

/// Runs the xtask binary on a scratch workspace whose spec has `from` replaced by
/// `to`, with backtraces on.
fn codegen_with_spec_edit(from: &str, to: &str, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let spec = fs::read_to_string(workspace_root().join(SPEC)).unwrap();
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
    assert!(output.stdout.is_empty());
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
        "error: usage: cargo xtask codegen [--check] | cargo xtask wider-spec\n"
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
