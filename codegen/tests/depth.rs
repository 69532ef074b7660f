//! Specs built to be deep: a `$ref` chain of 100,000 schemas and 10,000 levels of
//! nesting. Each ends in generated code or in problems with a JSON pointer (or, past
//! what the JSON parser reads, a syntax error with its line and column), never in a
//! stack overflow. The specs are built in memory as text, so building one recurses
//! nowhere either; each check takes well under a second, in debug as in release.

use serde_json::{Value, json};

const SPEC: &str = include_str!("../../spec/connect-sessions.json");

/// Schemas in the long chain.
const CHAIN: usize = 100_000;
/// Levels in the deep nestings.
const NESTING: usize = 10_000;

/// The real spec, changed by `edit`, with `extra` (the JSON text of schema
/// entries, `"Name":{…},…`) added at the end of `components/schemas`. The extra
/// schemas are spliced in as text: building 100,000 of them as `serde_json::Value`s
/// took longer than checking them.
fn spec_text(edit: impl FnOnce(&mut Value), extra: &str) -> String {
    let mut spec: Value = serde_json::from_str(SPEC).unwrap();
    edit(&mut spec);
    spec["components"]["schemas"]["__EXTRA__"] = json!(0);
    serde_json::to_string(&spec)
        .unwrap()
        .replacen("\"__EXTRA__\":0", extra, 1)
}

/// `Link0 → Link1 → … → Link{n-1}` through a `next` property, as schema entries;
/// the last link points back to `Link0` when `cyclic`, and is an open leaf
/// otherwise. Every other link is closed (`additionalProperties: false`).
fn chain(n: usize, cyclic: bool) -> String {
    let mut text = String::with_capacity(n * 120);
    for i in 0..n {
        let next = match i + 1 {
            last if last == n && !cyclic => r#"{"type":"string"}}}"#.to_owned(),
            next => format!(
                r##"{{"$ref":"#/components/schemas/Link{}"}}}},"additionalProperties":false}}"##,
                next % n
            ),
        };
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            r#""Link{i}":{{"type":"object","properties":{{"next":{next}"#
        ));
    }
    text
}

fn problems(spec_text: &str) -> Vec<(String, String)> {
    match codegen::generate(spec_text, "deep.json") {
        Ok(_) => Vec::new(),
        Err(error) => error
            .problems()
            .iter()
            .map(|p| (p.pointer.to_string(), p.message.clone()))
            .collect(),
    }
}

#[test]
fn a_ref_cycle_through_100_000_schemas_is_reported_by_pointer() {
    let problems = problems(&spec_text(|_| {}, &chain(CHAIN, true)));
    let cycle: Vec<_> = problems
        .iter()
        .filter(|(_, message)| message.contains("`$ref` cycle"))
        .collect();
    assert_eq!(cycle.len(), 1, "{:?}", &problems[..problems.len().min(5)]);
    assert_eq!(cycle[0].0, "#/components/schemas/Link0");
    // The message names where the cycle goes without listing 100,000 names.
    assert!(cycle[0].1.contains("Link0 → Link1 → "), "{}", cycle[0].1);
    assert!(cycle[0].1.contains("100000 schemas"), "{}", cycle[0].1);
    assert!(cycle[0].1.len() < 1_000, "{} bytes", cycle[0].1.len());
}

#[test]
fn a_request_body_reaching_an_open_object_through_100_000_refs_is_reported_by_pointer() {
    // The last link is open: a request body must not reach it.
    let reach_the_chain = |spec: &mut Value| {
        spec["components"]["schemas"]["CreateConnectSessionRequest"]["properties"]["chain"] =
            json!({ "$ref": "#/components/schemas/Link0" });
    };
    let problems = problems(&spec_text(reach_the_chain, &chain(CHAIN, false)));
    let last = format!(
        "#/components/schemas/Link{}/additionalProperties",
        CHAIN - 1
    );
    assert!(
        problems
            .iter()
            .any(|(at, message)| *at == last && message.contains("a request body reaches")),
        "{:?}",
        &problems[..problems.len().min(5)]
    );
}

#[test]
fn a_chain_of_100_000_schemas_without_a_cycle_passes_validation() {
    let text = spec_text(|_| {}, &chain(CHAIN, false));
    let api = codegen::parse(&text, "deep.json")
        .unwrap_or_else(|e| panic!("{}", e.to_string().chars().take(2_000).collect::<String>()));
    assert!(api.types.len() > CHAIN, "{}", api.types.len());
}

/// The real spec with the schema `Deep` set to `deep` (JSON text), spliced in as
/// text so that nothing here recurses over it.
fn spec_text_with_deep(deep: &str) -> String {
    spec_text(|_| {}, &format!(r#""Deep":{deep}"#))
}

/// `levels` objects, each the only property of the one around it.
fn nested_properties(levels: usize) -> String {
    let open = r#"{"type":"object","additionalProperties":false,"properties":{"inner":"#;
    format!(
        "{}{}{}",
        open.repeat(levels),
        r#"{"type":"string"}"#,
        "}}".repeat(levels)
    )
}

/// `levels` arrays, each the items of the one around it.
fn nested_arrays(levels: usize) -> String {
    format!(
        "{}{}{}",
        r#"{"type":"array","items":"#.repeat(levels),
        r#"{"type":"string"}"#,
        "}".repeat(levels)
    )
}

#[test]
fn nesting_10_000_deep_is_an_error_never_an_abort() {
    for (what, deep) in [
        ("properties", nested_properties(NESTING)),
        ("items", nested_arrays(NESTING)),
    ] {
        let error = codegen::generate(&spec_text_with_deep(&deep), "deep.json")
            .expect_err(what)
            .to_string();
        assert!(
            error.starts_with("deep.json:1:") && error.contains("nested too deeply"),
            "{what}: {error}"
        );
    }
}

#[test]
fn nesting_past_the_depth_limit_but_within_the_parser_is_reported_by_pointer() {
    // 40 levels: within serde_json's 128, past codegen's own limit of 32.
    for (what, deep, step) in [
        ("properties", nested_properties(40), "/properties/inner"),
        ("items", nested_arrays(40), "/items"),
    ] {
        let problems = problems(&spec_text_with_deep(&deep));
        let limit = format!(
            "#/components/schemas/Deep{}",
            step.repeat(codegen::validate::MAX_SCHEMA_DEPTH)
        );
        assert!(
            problems
                .iter()
                .any(|(at, message)| *at == limit && message.contains("nested deeper than")),
            "{what}: {problems:?}"
        );
    }
}
