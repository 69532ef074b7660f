//! The contract between generated code and the hand-written runtime
//! (gigs-connect's `src/__private.rs`): generated code names the runtime only
//! through `crate::__private`, and the runtime modules behind it name no
//! generated module, so the two never import each other in a circle.

use std::path::{Path, PathBuf};

const SPEC: &str = include_str!("../../spec/connect-sessions.json");

/// The generated modules, which generated code may name besides the contract.
const GENERATED: &[&str] = &["types", "operations", "events"];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every `crate::<module>` a Rust source names outside comments.
fn crate_paths(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in source.lines() {
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        for (at, _) in code.match_indices("crate::") {
            // `$crate::` in a macro is the same crate; skip nothing else.
            let rest = &code[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            found.push(name);
        }
    }
    found
}

/// Each generated file of the real spec, and of the wider-api fixture (its
/// committed output, drift-checked by `cargo xtask codegen --check`), which uses
/// the conventions the real spec does not (lists, parameters, actions, events).
fn generated_files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = codegen::generate(SPEC, "spec.json")
        .unwrap()
        .into_iter()
        .filter(|(name, _)| name.ends_with(".rs"))
        .collect();
    let fixture = workspace().join("fixtures/wider-api/generated");
    for entry in std::fs::read_dir(&fixture).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "rs") {
            let name = format!("wider-api/{}", path.file_name().unwrap().to_string_lossy());
            files.push((name, std::fs::read_to_string(&path).unwrap()));
        }
    }
    files
}

#[test]
fn generated_code_names_the_runtime_only_through_its_contract_module() {
    let files = generated_files();
    assert!(files.len() >= 9, "{}", files.len());
    for (name, source) in files {
        for module in crate_paths(&source) {
            assert!(
                module == "__private" || GENERATED.contains(&module.as_str()),
                "{name} names `crate::{module}`: generated code reaches the runtime \
                 only through `crate::__private` (gigs-connect/src/__private.rs)"
            );
        }
    }
}

#[test]
fn the_mock_tables_name_nothing_of_the_runtime() {
    let files = codegen::generate(SPEC, "spec.json").unwrap();
    assert!(files["shapes.rs"].contains("pub const TABLES: &str"));
    assert_eq!(crate_paths(&files["shapes.rs"]), Vec::<String>::new());
}

#[test]
fn the_runtime_behind_the_contract_names_no_generated_module() {
    // What `__private` hands the generated code for its machinery: decoders and
    // path segments, scrubbing, patches, secrets, dates, unknown variants and
    // events. (`Error`, `Client` and `Call` carry generated types by design: a
    // Gigs error envelope, the operations.)
    let src = workspace().join("gigs-connect/src");
    for file in [
        "codec.rs",
        "scrub.rs",
        "patch.rs",
        "secret.rs",
        "date.rs",
        "unknown.rs",
        "webhooks/unknown.rs",
    ] {
        let source = std::fs::read_to_string(src.join(file)).unwrap();
        for module in crate_paths(&source) {
            assert!(
                !GENERATED.contains(&module.as_str()) && module != "generated",
                "{file} names `crate::{module}`: a circle with the generated code"
            );
        }
    }
    let contract = std::fs::read_to_string(src.join("__private.rs")).unwrap();
    assert!(
        contract.contains("pub(crate) use crate::webhooks::unknown::UnknownEvent;"),
        "events.rs reaches the unknown event through its leaf module, not webhooks/mod.rs (which re-exports events.rs)"
    );
}
