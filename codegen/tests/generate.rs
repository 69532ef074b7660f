//! The generator end to end on the real spec and on edited copies of it.

use serde_json::{Value, json};

const SPEC: &str = include_str!("../../spec/connect-sessions.json");
const LABEL: &str = "spec/connect-sessions.json";

fn spec() -> Value {
    serde_json::from_str(SPEC).unwrap()
}

#[test]
fn output_is_deterministic() {
    let first = codegen::generate(SPEC, LABEL).unwrap();
    let second = codegen::generate(SPEC, LABEL).unwrap();
    assert_eq!(first, second);
}

#[test]
fn every_file_starts_with_the_generated_header_naming_spec_and_command() {
    for (name, text) in codegen::generate(SPEC, LABEL).unwrap() {
        let first = text.lines().next().unwrap();
        assert!(first.starts_with("// @generated"), "{name}: {first}");
        assert!(
            first.contains(LABEL) && first.contains("cargo xtask codegen"),
            "{name}: {first}"
        );
    }
}

#[test]
fn generates_the_three_endpoint_methods_from_operation_ids() {
    let files = codegen::generate(SPEC, LABEL).unwrap();
    let operations = &files["operations.rs"];
    for method in [
        "create_connect_session",
        "retrieve_connect_session",
        "update_connect_session",
    ] {
        assert!(
            operations.contains(&format!("pub fn {method}<'a>(")),
            "{method}"
        );
    }
}

#[test]
fn every_method_doc_says_what_awaiting_it_resolves_to() {
    let files = codegen::generate(SPEC, LABEL).unwrap();
    let method_docs = files["operations.rs"]
        .matches("    /// Resolves to a [`ConnectSession`](crate::types::ConnectSession), or an [`Error`](crate::Error);")
        .count();
    assert_eq!(method_docs, 3);
}

#[test]
fn an_answer_without_content_resolves_to_unit() {
    let mut spec = spec();
    spec["paths"]["/projects/{project}/connectSessions/{connectSessionId}"]["delete"] = json!({
        "operationId": "deleteConnectSession",
        "responses": {
            "204": { "description": "Deleted." },
            "4XX": { "$ref": "#/components/responses/Error" }
        }
    });
    let text = serde_json::to_string(&spec).unwrap();
    let operations = &codegen::generate(&text, LABEL).unwrap()["operations.rs"];
    assert!(
        operations.contains(
            "/// Resolves to `()` (the answer has no body), or an [`Error`](crate::Error);"
        )
    );
}

/// The generator learned query parameters, pagination and answers without
/// content; a spec that uses none of them gets none of their code. What the spec
/// uses is read from its IR, so a spec that gains a list gains its code, and this
/// test needs no edit.
#[test]
fn conventions_the_spec_does_not_use_generate_nothing() {
    use codegen::ir::{ParamLocation, Response};
    let api = codegen::parse(SPEC, LABEL).unwrap();
    let files = codegen::generate(SPEC, LABEL).unwrap();
    let params = || api.operations.iter().flat_map(|op| &op.params);
    let uses = [
        (
            "Paginated",
            api.operations.iter().any(|op| op.pager.is_some()),
        ),
        (
            "Query::new",
            params().any(|p| p.location == ParamLocation::Query),
        ),
        (
            "check_range",
            params().any(|p| p.minimum.is_some() || p.maximum.is_some()),
        ),
        (
            ".header(",
            params().any(|p| p.location == ParamLocation::Header),
        ),
        (
            "no_content",
            api.operations
                .iter()
                .any(|op| op.response == Response::NoContent),
        ),
        (
            "impl<'a> crate::__private::Call<'a",
            api.operations
                .iter()
                .any(|op| op.body.as_ref().is_some_and(|b| !b.required)),
        ),
    ];
    for (code, used) in uses {
        assert_eq!(
            files["operations.rs"].contains(code),
            used,
            "operations.rs has {code}: {}; the spec uses it: {used}",
            !used
        );
    }
    let tables = tables_of(&files["shapes.rs"]);
    let parameters = tables["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|op| op["parameters"].as_array().unwrap().len())
        .sum::<usize>();
    assert_eq!(
        parameters,
        params().count(),
        "the tables list every query and header parameter"
    );
}

#[test]
fn a_list_in_the_gigs_shape_gets_a_pager_and_its_filters_get_setters() {
    let mut spec = spec();
    spec["paths"]["/projects/{project}/connectSessions"]["get"] = json!({
        "operationId": "listConnectSessions",
        "parameters": [
            { "name": "after", "in": "query", "schema": { "type": "string" } },
            { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 0, "maximum": 200 } }
        ],
        "responses": {
            "200": { "description": "A page.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ConnectSessionList" } } } },
            "4XX": { "$ref": "#/components/responses/Error" }
        }
    });
    spec["components"]["schemas"]["ConnectSessionList"] = json!({
        "type": "object",
        "required": ["object", "items", "moreItemsAfter"],
        "properties": {
            "object": { "type": "string", "enum": ["list"] },
            "items": { "type": "array", "items": { "$ref": "#/components/schemas/ConnectSession" } },
            "moreItemsAfter": { "type": "string", "nullable": true }
        }
    });
    let text = serde_json::to_string(&spec).unwrap();
    let files = codegen::generate(&text, LABEL).unwrap();
    let operations = &files["operations.rs"];
    assert!(operations.contains("impl crate::__private::call::Paginated for ListConnectSessions"));
    // The mock reads "is this a list" from the tables, decided once by the IR.
    let list_of = |files: &codegen::Files| {
        let tables = tables_of(&files["shapes.rs"]);
        let operations = tables["operations"].as_array().unwrap().clone();
        let list = operations
            .iter()
            .find(|op| op["id"] == "listConnectSessions");
        list.expect("the list's row")["list_of"].clone()
    };
    assert_eq!(list_of(&files), json!("ConnectSession"));
    assert!(operations.contains("pub fn limit(mut self, limit: i64) -> Self"));
    assert!(operations.contains("0i64..=200i64"));
    assert!(operations.contains(
        "/// Resolves to one page, a [`ConnectSessionList`](crate::types::ConnectSessionList), \
         or an [`Error`](crate::Error); [`.items()`](crate::Call::items) instead gives a \
         [`Pager`](crate::Pager) (a `Stream`) of every [`ConnectSession`](crate::types::ConnectSession) across pages."
    ));
    // Without the `after` parameter the same answer is a plain page.
    let parameters = &mut spec["paths"]["/projects/{project}/connectSessions"]["get"]["parameters"];
    parameters.as_array_mut().unwrap().remove(0);
    let text = serde_json::to_string(&spec).unwrap();
    let files = codegen::generate(&text, LABEL).unwrap();
    assert!(!files["operations.rs"].contains("Paginated"));
    assert_eq!(
        list_of(&files),
        json!(null),
        "no pager, so not a list to the mock"
    );
}

#[test]
fn code_blocks_in_spec_text_become_plain_text_never_doctests() {
    let mut spec = spec();
    spec["components"]["schemas"]["Theme"]["description"] =
        json!("Themes.\n\n```\npanic!(\"spec text ran\")\n```\n\n    std::process::exit(1)");
    let text = serde_json::to_string(&spec).unwrap();
    let types = &codegen::generate(&text, LABEL).unwrap()["types.rs"];
    assert!(types.contains("/// ```text\n/// panic!"), "{types}");
    assert!(types.contains("/// std::process::exit(1)"));
    assert!(!types.contains("///     std::process"));
}

/// The real spec with a fourteenth intent, `transferNumber`, added as a maintainer
/// would: its member and payload schemas, their request forms and both unions' entries.
fn spec_with_a_fourteenth_intent() -> Value {
    let mut spec = spec();
    let schemas = &mut spec["components"]["schemas"];
    schemas["TransferNumberIntent"] = json!({
        "type": "object",
        "description": "Take the user to transfer a number.",
        "required": ["type", "transferNumber"],
        "properties": {
            "type": { "type": "string", "enum": ["transferNumber"] },
            "transferNumber": { "$ref": "#/components/schemas/TransferNumberPayload" }
        }
    });
    schemas["TransferNumberPayload"] = json!({
        "type": "object",
        "description": "The payload of the `transferNumber` intent.",
        "required": ["subscription"],
        "properties": { "subscription": { "type": "string", "description": "The subscription." } }
    });
    schemas["Intent"]["oneOf"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "$ref": "#/components/schemas/TransferNumberIntent" }));
    schemas["Intent"]["discriminator"]["mapping"]["transferNumber"] =
        json!("#/components/schemas/TransferNumberIntent");
    // Requests take its request forms, closed to unknown keys.
    let mut member_input = schemas["TransferNumberIntent"].clone();
    member_input["additionalProperties"] = json!(false);
    member_input["x-gigs-request-form-of"] = json!("#/components/schemas/TransferNumberIntent");
    member_input["properties"]["transferNumber"] =
        json!({ "$ref": "#/components/schemas/TransferNumberPayloadInput" });
    schemas["TransferNumberIntentInput"] = member_input;
    let mut payload_input = schemas["TransferNumberPayload"].clone();
    payload_input["additionalProperties"] = json!(false);
    payload_input["x-gigs-request-form-of"] = json!("#/components/schemas/TransferNumberPayload");
    schemas["TransferNumberPayloadInput"] = payload_input;
    schemas["IntentCreate"]["oneOf"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "$ref": "#/components/schemas/TransferNumberIntentInput" }));
    schemas["IntentCreate"]["discriminator"]["mapping"]["transferNumber"] =
        json!("#/components/schemas/TransferNumberIntentInput");
    spec
}

#[test]
fn adding_a_fourteenth_intent_is_a_spec_only_change() {
    let spec = spec_with_a_fourteenth_intent();
    let files = codegen::generate(&serde_json::to_string_pretty(&spec).unwrap(), LABEL).unwrap();
    let types = &files["types.rs"];
    assert!(
        types.contains("TransferNumber(TransferNumberPayload),"),
        "no new variant"
    );
    assert!(
        types.contains("pub struct TransferNumberPayload"),
        "no payload struct"
    );
    assert!(
        types.contains("pub fn transfer_number(subscription: impl Into<String>) -> Self"),
        "no constructor"
    );
    assert!(
        types.contains(r#""transferNumber" => Self::TransferNumber(map.next_value()?),"#),
        "no decode arm"
    );
    assert!(
        types.contains(r#""transferNumber" => pending.payload().map(Self::TransferNumber),"#),
        "no buffered decode arm"
    );
    // The mock server's checks come from the same spec: it accepts the new intent.
    let tables = tables_of(&files["shapes.rs"]);
    let model = |name: &str| {
        tables["models"]
            .as_array()
            .unwrap()
            .iter()
            .find(|model| model["name"] == name)
            .map(|model| model["shape"].clone())
    };
    for (union, payload) in [
        ("Intent", "TransferNumberPayload"),
        ("IntentCreate", "TransferNumberPayloadInput"),
    ] {
        let variants = model(union).expect("the union's shape")["union"]["variants"].clone();
        assert!(
            variants
                .as_array()
                .unwrap()
                .contains(&json!({ "tag": "transferNumber", "payload": payload })),
            "no mock shape for the new variant of {union}: {variants}"
        );
        assert!(
            model(payload).is_some_and(|shape| shape.get("object").is_some()),
            "no mock shape for {payload}"
        );
    }
    let original = codegen::generate(SPEC, LABEL).unwrap();
    assert_eq!(files["operations.rs"], original["operations.rs"]);
}

#[test]
fn keyword_property_names_become_raw_identifiers_with_the_wire_name_kept() {
    let mut spec = spec();
    // The payload and its request form, which restates it.
    for name in ["ConfirmPaymentPayload", "ConfirmPaymentPayloadInput"] {
        let payload = &mut spec["components"]["schemas"][name]["properties"];
        payload["ref"] = json!({ "type": "string", "description": "A reference." });
        payload["self"] = json!({ "type": "string", "description": "A link." });
    }
    let files = codegen::generate(&spec.to_string(), LABEL).unwrap();
    let types = &files["types.rs"];
    assert!(types.contains("pub r#ref: Option<String>,"), "raw `ref`");
    assert!(
        types.contains(
            "#[serde(rename = \"self\", default, skip_serializing_if = \"Option::is_none\")]"
        ),
        "wire name kept"
    );
    assert!(
        types.contains("pub self_: Option<String>,"),
        "`self` renamed"
    );
}

#[test]
fn secret_fields_are_redacted_types() {
    let files = codegen::generate(SPEC, LABEL).unwrap();
    assert!(files["types.rs"].contains("pub url: Option<crate::__private::SecretString>,"));
}

#[test]
fn nullable_fields_of_patch_bodies_are_tri_state() {
    let files = codegen::generate(SPEC, LABEL).unwrap();
    let types = &files["types.rs"];
    let update = &types[types
        .find("pub struct UpdateConnectSessionRequest")
        .unwrap()..];
    let update = &update[..update.find("\n}").unwrap()];
    assert!(
        update.contains("pub callback_url: crate::__private::Patch<String>,"),
        "{update}"
    );
    assert!(
        update.contains("pub user: crate::__private::Patch<String>,"),
        "{update}"
    );
    assert!(
        update.contains("pub appearance: Option<AppearanceInput>,"),
        "{update}"
    );
    let create = &types[types
        .find("pub struct CreateConnectSessionRequest")
        .unwrap()..];
    let create = &create[..create.find("\n}").unwrap()];
    assert!(
        create.contains("pub callback_url: Option<String>,"),
        "{create}"
    );
}

#[test]
fn a_spec_without_events_generates_no_events_module() {
    let mut spec = spec();
    let schemas = spec["components"]["schemas"].as_object_mut().unwrap();
    schemas.retain(|_, schema| {
        schema.get("x-gigs-event").is_none() && schema.get("x-gigs-partial-of").is_none()
    });
    let files = codegen::generate(&spec.to_string(), LABEL).unwrap();
    assert!(!files.contains_key("events.rs"));
    assert!(!files["mod.rs"].contains("events"));
    // Event schemas never become API models: types.rs is the same with or without them.
    let with_events = codegen::generate(SPEC, LABEL).unwrap();
    assert_eq!(files["types.rs"], with_events["types.rs"]);
    assert!(with_events["mod.rs"].contains("#[cfg(feature = \"webhooks\")]\npub mod events;"));
}

#[test]
fn adding_an_event_type_is_a_spec_only_change() {
    let mut spec = spec();
    let schemas = &mut spec["components"]["schemas"];
    let mut expired = schemas["ConnectSessionCreatedEvent"].clone();
    expired["x-gigs-event"] = json!("com.gigs.connectSession.expired");
    schemas["ConnectSessionExpiredEvent"] = expired;
    let files = codegen::generate(&spec.to_string(), LABEL).unwrap();
    let events = &files["events.rs"];
    assert!(events.contains("ConnectSessionExpired(ConnectSessionExpiredEvent),"));
    assert!(events.contains("\"com.gigs.connectSession.expired\" => {"));
    assert!(events.contains("pub const TYPE: &'static str = \"com.gigs.connectSession.expired\";"));
}

#[test]
fn previous_data_is_the_session_with_every_field_optional_and_unknown_keys_kept() {
    let files = codegen::generate(SPEC, LABEL).unwrap();
    let events = &files["events.rs"];
    assert!(events.contains("pub struct PartialConnectSession {"));
    // Non-nullable fields are options; nullable ones say unchanged, was null, or was a value.
    assert!(events.contains("pub intent: Option<Intent>,"));
    assert!(events.contains("pub callback_url: crate::__private::Patch<String>,"));
    assert!(events.contains("pub url: crate::__private::Patch<crate::__private::SecretString>,"));
    assert!(
        events.contains(
            "#[serde(flatten)]\n    pub extra: serde_json::Map<String, serde_json::Value>,"
        )
    );
    assert!(events.contains("pub previous_data: PartialConnectSession,"));
    assert!(events.contains("pub data: ConnectSession,"));
}

/// The files generated from the real spec after `edit`.
fn generate_edited(edit: impl FnOnce(&mut Value)) -> codegen::Files {
    let mut spec = spec();
    edit(&mut spec);
    codegen::generate(&spec.to_string(), LABEL).unwrap()
}

#[test]
fn a_date_time_property_is_a_string_holding_the_text_as_sent() {
    let files = generate_edited(|spec| {
        spec["components"]["schemas"]["ConnectSession"]["properties"]["createdAt"] =
            json!({"type": "string", "format": "date-time"});
    });
    assert!(
        files["types.rs"].contains("pub created_at: Option<String>,"),
        "{}",
        files["types.rs"]
    );
}

#[test]
fn a_deprecated_operation_says_so_in_its_docs_without_a_deprecated_attribute() {
    let files = generate_edited(|spec| {
        spec["paths"]["/projects/{project}/connectSessions/{connectSessionId}"]["get"]["deprecated"] =
            json!(true);
    });
    let operations = &files["operations.rs"];
    assert_eq!(
        operations.matches("**Deprecated** in the API spec").count(),
        1
    );
    assert!(!operations.contains("#[deprecated"));
}

#[test]
fn a_read_only_property_says_so_in_its_docs() {
    let files = generate_edited(|spec| {
        spec["components"]["schemas"]["ConnectSession"]["properties"]["id"]["readOnly"] =
            json!(true);
    });
    assert!(files["types.rs"].contains("Read-only: set by the API, never sent."));
}

#[test]
fn an_enum_value_unknown_is_the_variant_unknown_value_beside_the_catch_all() {
    let files = generate_edited(|spec| {
        spec["components"]["schemas"]["Theme"]["enum"] = json!(["light", "dark", "unknown"]);
    });
    let types = &files["types.rs"];
    assert!(
        types.contains("\"unknown\" => Self::UnknownValue,"),
        "{types}"
    );
    assert!(types.contains("Unknown(String),"), "{types}");
}

#[test]
fn a_fixed_one_value_enum_keeps_default_as_new() {
    let files = generate_edited(|spec| {
        let update = &mut spec["components"]["schemas"]["UpdateConnectSessionRequest"];
        update["properties"]["object"] =
            json!({"type": "string", "enum": ["connectSessionUpdate"]});
        update["required"] = json!(["object"]);
    });
    let types = &files["types.rs"];
    assert!(
        types.contains("impl Default for UpdateConnectSessionRequest {"),
        "{types}"
    );
    assert!(
        types.contains("object: UpdateConnectSessionRequestObject::ConnectSessionUpdate"),
        "{types}"
    );
}

/// The properties Gigs accepts once are read from `x-gigs-set-once` in the spec:
/// the update's `user` and `userDetails` today, and a property marked later (here
/// the update's `callbackUrl`, or a create's `user`) needs no code change.
#[test]
fn once_only_properties_come_from_the_spec_extension() {
    let set_once = |files: &codegen::Files, operation: &str| -> Option<String> {
        let operations = &files["operations.rs"];
        let at = operations.find(&format!("const ID: &'static str = \"{operation}\";"))?;
        let next = operations[at..].find("fn request(")?;
        operations[at..at + next]
            .lines()
            .find(|line| line.contains("const SET_ONCE"))
            .map(|line| line.trim().to_owned())
    };
    let files = codegen::generate(SPEC, LABEL).unwrap();
    assert_eq!(
        set_once(&files, "updateConnectSession").as_deref(),
        Some(r#"const SET_ONCE: &'static [&'static str] = &["user", "userDetails"];"#)
    );
    assert_eq!(set_once(&files, "createConnectSession"), None);
    assert_eq!(set_once(&files, "retrieveConnectSession"), None);

    let mut spec = spec();
    let schemas = &mut spec["components"]["schemas"];
    schemas["UpdateConnectSessionRequest"]["properties"]["callbackUrl"]["x-gigs-set-once"] =
        json!(true);
    schemas["CreateConnectSessionRequest"]["properties"]["user"]["x-gigs-set-once"] = json!(true);
    let files = codegen::generate(&serde_json::to_string(&spec).unwrap(), LABEL).unwrap();
    assert_eq!(
        set_once(&files, "updateConnectSession").as_deref(),
        Some(
            r#"const SET_ONCE: &'static [&'static str] = &["callbackUrl", "user", "userDetails"];"#
        )
    );
    assert_eq!(
        set_once(&files, "createConnectSession").as_deref(),
        Some(r#"const SET_ONCE: &'static [&'static str] = &["user"];"#)
    );
}

/// The mock's tables in a generated `shapes.rs`: the JSON text of its `TABLES`.
fn tables_of(shapes: &str) -> serde_json::Value {
    let start = shapes.find("r#\"").expect("TABLES is a raw string") + 3;
    let end = start + shapes[start..].find("\"#;").expect("the raw string ends");
    serde_json::from_str(&shapes[start..end]).expect("TABLES is JSON")
}
