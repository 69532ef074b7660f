//! The bad-spec corpus: each file in `bad-specs/` edits the real spec into a broken
//! or unsupported one and lists the errors codegen must report, by JSON pointer and
//! message. No case may write any output file.

use serde_json::Value;
use std::fs;
use std::path::Path;

const SPEC: &str = include_str!("../../spec/connect-sessions.json");

/// Applies a case's edits (`set`/`remove` at a JSON pointer, `append` to an array)
/// to the real spec.
fn spec_text(case: &Value) -> String {
    if let Some(raw) = case["raw"].as_str() {
        return raw.to_owned();
    }
    let mut spec: Value = serde_json::from_str(SPEC).unwrap();
    for edit in case["edits"]
        .as_array()
        .expect("a case has `raw` or `edits`")
    {
        if let Some(pointer) = edit["append"].as_str() {
            // Appends to an array (a new `oneOf` member), whatever its length.
            spec.pointer_mut(pointer)
                .and_then(Value::as_array_mut)
                .unwrap_or_else(|| panic!("{pointer}: not an array"))
                .push(edit["value"].clone());
            continue;
        }
        let pointer = edit["set"].as_str().or(edit["remove"].as_str()).unwrap();
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let key = key.replace("~1", "/").replace("~0", "~");
        let parent = spec
            .pointer_mut(parent)
            .unwrap_or_else(|| panic!("no parent for {pointer}"));
        let parent = parent
            .as_object_mut()
            .unwrap_or_else(|| panic!("{pointer}: parent is not an object"));
        if edit.get("set").is_some() {
            parent.insert(key, edit["value"].clone());
        } else {
            assert!(
                parent.shift_remove(&key).is_some(),
                "{pointer}: nothing to remove"
            );
        }
    }
    serde_json::to_string_pretty(&spec).unwrap()
}

fn check_case(path: &Path) {
    let name = path.file_name().unwrap().to_string_lossy();
    let case: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let text = spec_text(&case);
    let error = match codegen::generate(&text, "bad.json") {
        Ok(_) => panic!("{name}: codegen accepted the spec"),
        Err(error) => error,
    };
    let shown = error.to_string();
    if let Some(at) = case.get("expect_syntax") {
        let position = format!("bad.json:{}:{}:", at["line"], at["column"]);
        assert!(
            shown.starts_with(&position),
            "{name}: expected {position} in\n{shown}"
        );
        assert!(shown.contains("not valid JSON"), "{name}: {shown}");
    }
    let problems = error.problems();
    for expected in case["expect"].as_array().into_iter().flatten() {
        let (pointer, message) = (
            expected["pointer"].as_str().unwrap(),
            expected["message"].as_str().unwrap(),
        );
        assert!(
            problems
                .iter()
                .any(|p| p.pointer.to_string() == pointer && p.message.contains(message)),
            "{name}: expected `{pointer}: …{message}…` among:\n{shown}"
        );
        assert!(
            shown.contains(pointer),
            "{name}: Display lacks the pointer {pointer}:\n{shown}"
        );
    }

    // A failed run leaves the generated folder exactly as it was.
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.json");
    let out = dir.path().join("generated");
    fs::write(&spec, &text).unwrap();
    fs::create_dir(&out).unwrap();
    fs::write(out.join("types.rs"), "// committed\n").unwrap();
    assert!(
        codegen::sync(&spec, "spec.json", &out, codegen::Mode::Write).is_err(),
        "{name}"
    );
    let files: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(files, ["types.rs"], "{name}: codegen wrote files");
    assert_eq!(
        fs::read_to_string(out.join("types.rs")).unwrap(),
        "// committed\n",
        "{name}"
    );
}

#[test]
fn every_bad_spec_is_refused_with_its_pointer_and_writes_nothing() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-specs");
    let mut cases: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 25, "the corpus has {} cases", cases.len());
    let failed: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            std::panic::catch_unwind(|| check_case(case))
                .err()
                .map(|_| case.display().to_string())
        })
        .collect();
    assert!(
        failed.is_empty(),
        "failing cases (see their panics above): {failed:#?}"
    );
}

#[test]
fn the_real_spec_has_no_problems() {
    codegen::generate(SPEC, "spec/connect-sessions.json").unwrap();
}
