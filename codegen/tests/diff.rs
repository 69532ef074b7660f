//! `codegen::diff` on edits the corpus in `fixtures/spec-edits/` does not hold: each
//! test edits the real spec and reads the changes and classes it gets.

use codegen::diff::{Class, diff, verdict};
use serde_json::{Value, json};

const SPEC: &str = include_str!("../../spec/connect-sessions.json");

fn spec() -> Value {
    serde_json::from_str(SPEC).unwrap()
}

/// Every change from the real spec to `edited`, as printed lines, and the verdict.
fn changes(edited: &Value) -> (Vec<String>, Class) {
    let old = codegen::parse(SPEC, "old.json").unwrap();
    let new = codegen::parse(&edited.to_string(), "new.json").unwrap();
    let changes = diff(&old, &new);
    (
        changes.iter().map(ToString::to_string).collect(),
        verdict(&changes),
    )
}

#[test]
fn the_same_spec_has_no_change_and_the_verdict_none() {
    assert_eq!(changes(&spec()), (vec![], Class::None));
}

#[test]
fn reordered_required_fields_reorder_the_arguments_of_new() {
    let mut spec = spec();
    let properties = spec["components"]["schemas"]["ConnectSession"]["properties"]
        .as_object_mut()
        .unwrap();
    // `id` after `intent`: `new(id, intent)` becomes `new(intent, id)`.
    let id = properties.shift_remove("id").unwrap();
    properties.insert("id".to_owned(), id);
    let (lines, class) = changes(&spec);
    assert_eq!(
        lines,
        ["types::ConnectSession::new: arguments of `new` reordered (major)"]
    );
    assert_eq!(class, Class::Major);
}

#[test]
fn a_new_required_response_field_is_major_because_new_takes_it() {
    let mut spec = spec();
    let session = &mut spec["components"]["schemas"]["ConnectSession"];
    session["properties"]["createdAt"] = json!({ "type": "string" });
    session["required"]
        .as_array_mut()
        .unwrap()
        .push(json!("createdAt"));
    let (lines, class) = changes(&spec);
    assert_eq!(
        lines,
        [
            "types::ConnectSession::created_at: new required field (a new argument of `new`) (major)",
            // `previousData` holds only what changed: every field optional there.
            "webhooks::PartialConnectSession::created_at: new optional field (a new setter) (minor)",
        ]
    );
    assert_eq!(class, Class::Major);
}

#[test]
fn a_required_one_value_enum_field_is_filled_in_by_new_and_is_minor() {
    let mut spec = spec();
    let error = &mut spec["components"]["schemas"]["ApiError"];
    error["properties"]["severity"] = json!({ "type": "string", "enum": ["fatal"] });
    error["required"]
        .as_array_mut()
        .unwrap()
        .push(json!("severity"));
    let (lines, class) = changes(&spec);
    assert!(
        lines.contains(
            &"types::ApiError::severity: new fixed field (filled in by `new`) (minor)".to_owned()
        ),
        "{lines:#?}"
    );
    assert_eq!(class, Class::Minor);
}

#[test]
fn an_operation_path_change_keeps_the_signature_and_is_minor() {
    let mut spec = spec();
    let paths = spec["paths"].as_object_mut().unwrap();
    let item = paths
        .shift_remove("/projects/{project}/connectSessions")
        .unwrap();
    paths.insert("/projects/{project}/sessions".to_owned(), item);
    let (lines, class) = changes(&spec);
    assert!(
        lines.contains(
            &"Client::create_connect_session: route `POST /projects/{project}/connectSessions` \
              became `POST /projects/{project}/sessions` (minor)"
                .to_owned()
        ),
        "{lines:#?}"
    );
    // The rest is docs: the method's docs name the path.
    assert!(
        lines
            .iter()
            .filter(|l| !l.contains("route"))
            .all(|l| l.ends_with("(patch)"))
    );
    assert_eq!(class, Class::Minor);
}

#[test]
fn a_renamed_path_parameter_is_docs_only_since_arguments_are_positional_and_the_url_is_the_same() {
    let text = SPEC
        .replace("{connectSessionId}", "{sessionId}")
        .replace("\"name\": \"connectSessionId\"", "\"name\": \"sessionId\"");
    let spec: Value = serde_json::from_str(&text).unwrap();
    let (lines, class) = changes(&spec);
    assert!(lines.iter().all(|l| l.ends_with("(patch)")), "{lines:#?}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("path argument renamed from `connect_session_id`")),
        "{lines:#?}"
    );
    // The placeholder's name is not sent: the URL, hence the route, is the same.
    assert!(!lines.iter().any(|l| l.contains("route")), "{lines:#?}");
    assert_eq!(class, Class::Patch);
}

/// The spec with a third Connect Session event, a copy of the created event's
/// envelope under a new type.
fn with_expired_event() -> Value {
    let mut spec = spec();
    let schemas = spec["components"]["schemas"].as_object_mut().unwrap();
    let mut expired = schemas["ConnectSessionCreatedEvent"].clone();
    expired["x-gigs-event"] = json!("com.gigs.connectSession.expired");
    schemas.insert("ConnectSessionExpiredEvent".to_owned(), expired);
    spec
}

#[test]
fn a_new_event_type_is_a_new_variant_of_event_and_minor() {
    let (lines, class) = changes(&with_expired_event());
    assert_eq!(
        lines,
        [
            "webhooks::Event::ConnectSessionExpired: new variant (minor)",
            "webhooks::ConnectSessionExpiredEvent: new type (minor)",
        ]
    );
    assert_eq!(class, Class::Minor);
}

#[test]
fn a_removed_event_type_is_major() {
    let mut spec = spec();
    let schemas = spec["components"]["schemas"].as_object_mut().unwrap();
    schemas.shift_remove("ConnectSessionCreatedEvent").unwrap();
    let (lines, class) = changes(&spec);
    assert_eq!(
        lines,
        [
            "webhooks::Event::ConnectSessionCreated: variant removed (major)",
            "webhooks::ConnectSessionCreatedEvent: type removed (major)",
        ]
    );
    assert_eq!(class, Class::Major);
}

#[test]
fn a_new_session_field_is_a_new_optional_field_of_previous_data_too() {
    let mut spec = spec();
    let session = &mut spec["components"]["schemas"]["ConnectSession"];
    session["properties"]["createdAt"] = json!({ "type": "string" });
    let (lines, class) = changes(&spec);
    assert_eq!(
        lines,
        [
            "types::ConnectSession::created_at: new optional field (a new setter) (minor)",
            "webhooks::PartialConnectSession::created_at: new optional field (a new setter) (minor)",
        ]
    );
    assert_eq!(class, Class::Minor);
}

/// The real spec with an optional query parameter `wire` on retrieve.
fn with_query_parameter(wire: &str) -> Value {
    let mut spec = spec();
    let get = &mut spec["paths"]["/projects/{project}/connectSessions/{connectSessionId}"]["get"];
    get["parameters"] = json!([{
        "name": wire,
        "in": "query",
        "description": "Which related objects to include.",
        "schema": {"type": "string"}
    }]);
    spec
}

#[test]
fn a_query_parameter_respelled_under_the_same_rust_name_is_one_wire_change() {
    let old = codegen::parse(&with_query_parameter("expand").to_string(), "old.json").unwrap();
    let new = codegen::parse(&with_query_parameter("Expand").to_string(), "new.json").unwrap();
    let changes = diff(&old, &new);
    let lines: Vec<String> = changes.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "Client::retrieve_connect_session(…).expand: wire name `expand` became `Expand` (same Rust name) (minor)"
        ]
    );
    assert_eq!(verdict(&changes), Class::Minor);
}
