//! Hostile input never panics the generator: hostile names in every naming
//! position, and mutations of every node of the real spec, each end in generated
//! code or in problems that carry a JSON pointer.
//!
//! Both sweeps run the whole generator thousands of times: minutes in a debug
//! build, so there they are ignored, and CI runs them in release
//! (`cargo test --release -p codegen --test hostile`).

use serde_json::{Value, json};
use std::panic::{AssertUnwindSafe, catch_unwind};

const SPEC: &str = include_str!("../../spec/connect-sessions.json");

/// Names that are hard to turn into Rust: non-identifier Unicode letters and digits,
/// keywords, names generated or runtime code uses, punctuation, emptiness.
const HOSTILE_NAMES: &[&str] = &[
    "x²",
    "½",
    "١Foo",
    "😀",
    "",
    "_",
    "__",
    "-",
    "0",
    "3ds",
    "a b",
    "r#type",
    "type",
    "Type",
    "self",
    "Self",
    "crate",
    "super",
    "gen",
    "Option",
    "Some",
    "String",
    "Result",
    "Vec",
    "Box",
    "Serialize",
    "Deserialize",
    "S",
    "Unknown",
    "new",
    "tag",
    "body",
    "timeout",
    "builder",
    "project",
    "clear_user",
    "décor",
];

/// Runs the whole generator and fails the test on a panic; an error must list
/// problems that each have a pointer, or be a syntax error.
fn generate_without_panic(spec: &Value, what: &str) -> Result<(), ()> {
    let text = serde_json::to_string(spec).unwrap();
    let result = catch_unwind(AssertUnwindSafe(|| {
        codegen::generate(&text, "hostile.json")
    }))
    .unwrap_or_else(|_| panic!("codegen panicked on {what}"));
    match result {
        Ok(files) => {
            assert!(files.contains_key("types.rs"), "{what}");
            Ok(())
        }
        Err(error) => {
            let shown = error.to_string();
            assert!(
                shown.contains("#/") || shown.contains(':'),
                "{what}: {shown}"
            );
            Err(())
        }
    }
}

fn spec() -> Value {
    serde_json::from_str(SPEC).unwrap()
}

/// Renames the key `from` of the object at `pointer` to `to`, keeping its place.
fn rename_key(spec: &mut Value, pointer: &str, from: &str, to: &str) {
    let object = spec.pointer_mut(pointer).unwrap().as_object_mut().unwrap();
    let entries: Vec<(String, Value)> = std::mem::take(object).into_iter().collect();
    for (key, value) in entries {
        object.insert(if key == from { to.to_owned() } else { key }, value);
    }
}

/// An edit that puts a hostile name somewhere in the spec.
type Edit<'n> = Box<dyn Fn(&mut Value) + 'n>;

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "slow in a debug build: run it in release, as CI does (cargo test --release -p codegen --test hostile)"
)]
fn hostile_names_in_every_naming_position_give_code_or_pointed_errors() {
    let mut accepted = 0;
    for name in HOSTILE_NAMES {
        let positions = schema_positions(name)
            .into_iter()
            .chain(operation_positions(name));
        for (position, edit) in positions {
            let mut spec = spec();
            edit(&mut spec);
            if generate_without_panic(&spec, &format!("{position} {name:?}")).is_ok() {
                accepted += 1;
            }
        }
    }
    // Plain names in most positions are fine; the sweep must not be refusing everything.
    assert!(
        accepted > 40,
        "only {accepted} hostile specs generated code"
    );
}

/// Edits that put `name` where a schema, property, enum value or union tag is named.
fn schema_positions(name: &str) -> Vec<(&'static str, Edit<'_>)> {
    vec![
        (
            "schema name",
            Box::new(move |s: &mut Value| {
                s["components"]["schemas"][name] =
                    json!({ "type": "object", "properties": { "a": { "type": "string" } } });
            }),
        ),
        (
            "renamed schema",
            Box::new(move |s: &mut Value| {
                rename_key(s, "/components/schemas", "Theme", name);
                let text = s.to_string().replace(
                    "#/components/schemas/Theme\"",
                    &format!("#/components/schemas/{name}\""),
                );
                *s = serde_json::from_str(&text).unwrap();
            }),
        ),
        (
            "property name",
            Box::new(move |s: &mut Value| {
                s["components"]["schemas"]["Appearance"]["properties"][name] =
                    json!({ "type": "string" });
            }),
        ),
        (
            "inline enum property",
            Box::new(move |s: &mut Value| {
                s["components"]["schemas"]["Appearance"]["properties"][name] =
                    json!({ "type": "string", "enum": ["a"] });
            }),
        ),
        (
            "enum value",
            Box::new(move |s: &mut Value| {
                s["components"]["schemas"]["Theme"]["enum"] = json!(["light", name]);
            }),
        ),
        (
            "intent tag",
            Box::new(move |s: &mut Value| {
                let member = &mut s["components"]["schemas"]["ViewSubscriptionsIntent"];
                member["properties"]["type"]["enum"] = json!([name]);
                let mapping = &mut s["components"]["schemas"]["Intent"]["discriminator"]["mapping"];
                mapping.as_object_mut().unwrap().remove("viewSubscriptions");
                mapping[name] = json!("#/components/schemas/ViewSubscriptionsIntent");
            }),
        ),
    ]
}

/// Edits that put `name` where an operation or one of its parameters is named.
fn operation_positions(name: &str) -> Vec<(&'static str, Edit<'_>)> {
    vec![
        (
            "operationId",
            Box::new(move |s: &mut Value| {
                s["paths"]["/projects/{project}/connectSessions/{connectSessionId}"]["get"]["operationId"] =
                    json!(name);
            }),
        ),
        (
            "query parameter",
            Box::new(move |s: &mut Value| {
                s["paths"]["/projects/{project}/connectSessions/{connectSessionId}"]["get"]["parameters"] =
                    json!([{ "name": name, "in": "query", "schema": { "type": "string" } }]);
            }),
        ),
        (
            "header parameter",
            Box::new(move |s: &mut Value| {
                s["paths"]["/projects/{project}/connectSessions/{connectSessionId}"]["get"]["parameters"] = json!([{ "name": name, "in": "header", "required": true, "schema": { "type": "integer" } }]);
            }),
        ),
        (
            "path parameter",
            Box::new(move |s: &mut Value| {
                let text = s
                    .to_string()
                    .replace("{connectSessionId}", &format!("{{{name}}}"))
                    .replace(
                        "\"name\":\"connectSessionId\"",
                        &format!("\"name\":{}", json!(name)),
                    );
                *s = serde_json::from_str(&text).unwrap();
            }),
        ),
    ]
}

/// Every node of the spec removed, or replaced by a value of another kind.
#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "slow in a debug build: run it in release, as CI does (cargo test --release -p codegen --test hostile)"
)]
fn mutating_any_node_of_the_spec_never_panics() {
    let original = spec();
    let mut pointers = Vec::new();
    collect_pointers(&original, String::new(), &mut pointers);
    assert!(pointers.len() > 500, "{} nodes", pointers.len());
    let replacements = [json!(null), json!("x²"), json!({})];
    for pointer in &pointers {
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let key = key.replace("~1", "/").replace("~0", "~");
        let mut removed = original.clone();
        if let Some(object) = removed.pointer_mut(parent).and_then(Value::as_object_mut) {
            object.shift_remove(&key);
            let _ = generate_without_panic(&removed, &format!("removing {pointer}"));
        }
        for replacement in &replacements {
            let mut mutated = original.clone();
            *mutated.pointer_mut(pointer).unwrap() = replacement.clone();
            let _ = generate_without_panic(&mutated, &format!("{pointer} = {replacement}"));
        }
    }
}

fn collect_pointers(value: &Value, at: String, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v))
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => return,
    };
    for (key, child) in children {
        let pointer = format!("{at}/{key}");
        out.push(pointer.clone());
        collect_pointers(child, pointer, out);
    }
}
