//! The generated models against the JSON the Gigs docs show: every seed example
//! decodes and encodes back to the same JSON, and the intent union behaves as the
//! spec describes.

use gigs_connect::types::{
    ApiError, ApiErrorType, ConnectSession, CreateConnectSessionRequest, Intent, Theme,
    UpdateConnectSessionRequest,
};
use gigs_connect::{Date, Patch};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Decodes `json` as `T` and returns it encoded again.
fn round_trip<T: DeserializeOwned + Serialize>(json: &Value) -> Value {
    let decoded: T = serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{e}: {json}"));
    serde_json::to_value(&decoded).unwrap()
}

#[test]
fn every_seed_session_example_round_trips() {
    for name in [
        "seeds/guide-create-response.json",
        "seeds/reference-create-response.json",
        "seeds/reference-retrieve-response.json",
        "seeds/reference-update-response.json",
    ] {
        let json = fixture(name);
        assert_eq!(round_trip::<ConnectSession>(&json), json, "{name}");
    }
}

#[test]
fn every_seed_request_example_round_trips() {
    for name in [
        "seeds/guide-create-request.json",
        "seeds/reference-create-request.json",
    ] {
        let json = fixture(name);
        assert_eq!(
            round_trip::<CreateConnectSessionRequest>(&json),
            json,
            "{name}"
        );
    }
    let json = fixture("seeds/reference-update-request.json");
    assert_eq!(round_trip::<UpdateConnectSessionRequest>(&json), json);
}

#[test]
fn decodes_all_keys_example_to_the_named_intent() {
    let json = fixture("seeds/reference-session-all-keys.json");
    let session: ConnectSession = serde_json::from_value(json.clone()).unwrap();
    let Intent::CancelSubscription(payload) = &session.intent else {
        panic!("expected cancelSubscription, got {:?}", session.intent);
    };
    assert_eq!(payload.subscription, "sub_0SNlurA049MEWV2gSfSxi00xlPIi");

    let mut expected = json;
    expected["intent"] = json!({
        "type": "cancelSubscription",
        "cancelSubscription": { "subscription": "sub_0SNlurA049MEWV2gSfSxi00xlPIi" }
    });
    assert_eq!(serde_json::to_value(&session).unwrap(), expected);
}

/// The spec, for tests whose expectations come from it: the copy that `cargo xtask
/// codegen` keeps beside the generated code, so this test also runs in the published
/// package.
fn spec() -> Value {
    serde_json::from_str(include_str!("../src/generated/connect-sessions.json")).unwrap()
}

/// A JSON value for `schema` from the spec's own examples: every property of an
/// object (references followed), an array of one item, the first enum value.
fn example_from_spec(spec: &Value, schema: &Value) -> Value {
    if let Some(example) = schema.get("example") {
        return example.clone();
    }
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap();
        return example_from_spec(spec, &spec["components"]["schemas"][name]);
    }
    if let Some(values) = schema["enum"].as_array() {
        return values[0].clone();
    }
    match schema["type"].as_str() {
        Some("array") => json!([example_from_spec(spec, &schema["items"])]),
        Some("boolean") => json!(true),
        Some("integer" | "number") => json!(1),
        Some("string") => json!("x"),
        _ => Value::Object(
            schema["properties"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(name, property)| (name.clone(), example_from_spec(spec, property)))
                .collect(),
        ),
    }
}

#[test]
fn every_intent_the_spec_lists_decodes_to_its_variant_and_round_trips() {
    let spec = spec();
    let mapping = spec["components"]["schemas"]["Intent"]["discriminator"]["mapping"]
        .as_object()
        .unwrap();
    let tags: Vec<&str> = mapping.keys().map(String::as_str).collect();
    let mut sorted = Intent::TAGS.to_vec();
    sorted.sort_unstable();
    let mut spec_tags = tags.clone();
    spec_tags.sort_unstable();
    assert_eq!(sorted, spec_tags, "Intent::TAGS against the spec's mapping");
    for reference in mapping.values() {
        let json = example_from_spec(&spec, &json!({ "$ref": reference }));
        let intent: Intent = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(intent.tag(), json["type"]);
        assert!(!matches!(intent, Intent::Unknown(_)), "{json}");
        assert_eq!(serde_json::to_value(&intent).unwrap(), json);
    }
}

#[test]
fn the_intents_of_the_fixture_decode_to_their_variants_and_round_trip() {
    let Value::Array(intents) = fixture("intents/every-intent.json") else {
        panic!("fixture is an array");
    };
    for json in &intents {
        let intent: Intent = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(intent.tag(), json["type"]);
        assert!(!matches!(intent, Intent::Unknown(_)), "{json}");
        assert_eq!(serde_json::to_value(&intent).unwrap(), *json);
    }
}

#[test]
fn intent_payload_may_come_before_or_after_type() {
    let payload_first =
        r#"{"viewSubscription":{"subscription":"sub_1"},"type":"viewSubscription"}"#;
    let type_first = r#"{"type":"viewSubscription","viewSubscription":{"subscription":"sub_1"}}"#;
    let a: Intent = serde_json::from_str(payload_first).unwrap();
    let b: Intent = serde_json::from_str(type_first).unwrap();
    assert_eq!(a, b);
    assert_eq!(a, Intent::view_subscription("sub_1"));
}

#[test]
fn intents_without_payload_encode_as_type_only() {
    let intent = Intent::update_payment_method();
    assert_eq!(
        serde_json::to_value(&intent).unwrap(),
        json!({ "type": "updatePaymentMethod" })
    );
    let decoded: Intent = serde_json::from_str(r#"{"type":"viewSubscriptions"}"#).unwrap();
    assert_eq!(decoded, Intent::ViewSubscriptions);
}

#[test]
fn unknown_intent_keeps_its_raw_json_and_encodes_back_unchanged() {
    let json = fixture("intents/unknown-intent.json");
    let intent: Intent = serde_json::from_value(json.clone()).unwrap();
    let Intent::Unknown(unknown) = &intent else {
        panic!("expected Unknown, got {intent:?}");
    };
    assert_eq!(unknown.tag(), "transferNumber");
    assert_eq!(serde_json::to_value(&intent).unwrap(), json);
}

#[test]
fn session_with_unknown_intent_still_decodes() {
    let mut json = fixture("seeds/reference-retrieve-response.json");
    json["intent"] = fixture("intents/unknown-intent.json");
    let session: ConnectSession = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(session.intent.tag(), "transferNumber");
    assert_eq!(serde_json::to_value(&session).unwrap(), json);
}

#[test]
fn intent_without_type_is_an_error_naming_type() {
    let error = serde_json::from_str::<Intent>(r#"{"viewSubscription":{"subscription":"sub_1"}}"#)
        .unwrap_err();
    assert!(
        error.to_string().contains("missing field `type`"),
        "{error}"
    );
}

#[test]
fn known_intent_without_its_payload_is_an_error_naming_the_payload() {
    let error = serde_json::from_str::<Intent>(r#"{"type":"confirmPayment"}"#).unwrap_err();
    assert!(error.to_string().contains("confirmPayment"), "{error}");
    let error = serde_json::from_str::<Intent>(r#"{"type":"confirmPayment","confirmPayment":{}}"#)
        .unwrap_err();
    assert!(error.to_string().contains("payment"), "{error}");
}

#[test]
fn unknown_theme_is_kept_and_encodes_back() {
    let theme: Theme = serde_json::from_str(r#""sepia""#).unwrap();
    assert_eq!(theme, Theme::Unknown("sepia".to_owned()));
    assert_eq!(serde_json::to_string(&theme).unwrap(), r#""sepia""#);
    assert_eq!(
        serde_json::from_str::<Theme>(r#""dark""#).unwrap(),
        Theme::Dark
    );
}

#[test]
fn error_envelope_decodes_with_and_without_optional_fields() {
    let full: ApiError = serde_json::from_value(json!({
        "object": "error", "type": "invalid", "code": "userAlreadyExists",
        "message": "A user with the same email address already exists.",
        "hint": "Use another email.", "documentation": ["https://developers.gigs.com"]
    }))
    .unwrap();
    assert_eq!(full.r#type, ApiErrorType::Invalid);
    assert_eq!(full.code.as_deref(), Some("userAlreadyExists"));
    let minimal: ApiError = serde_json::from_value(json!({
        "object": "error", "type": "rateLimited", "message": "Slow down."
    }))
    .unwrap();
    assert_eq!(
        minimal.r#type,
        ApiErrorType::Unknown("rateLimited".to_owned())
    );
    assert_eq!(minimal.hint, None);
}

#[test]
fn session_url_is_redacted_in_debug_but_serialized() {
    let json = fixture("seeds/reference-create-response.json");
    let session: ConnectSession = serde_json::from_value(json.clone()).unwrap();
    let debug = format!("{session:?} {session:#?}");
    assert!(!debug.contains("lzODbEyaUQ"), "{debug}");
    assert!(!debug.contains("connect.gigs.com"), "{debug}");
    assert!(debug.contains("[redacted]"), "{debug}");
    assert_eq!(serde_json::to_value(&session).unwrap()["url"], json["url"]);
    assert!(
        session
            .url
            .unwrap()
            .expose_secret()
            .contains("token=lzODbEyaUQ")
    );
}

#[test]
fn patch_sends_null_to_clear_callback_url_and_leaves_unset_fields_out() {
    let clear = UpdateConnectSessionRequest::new().clear_callback_url();
    assert_eq!(
        serde_json::to_value(&clear).unwrap(),
        json!({ "callbackUrl": null })
    );
    let set = UpdateConnectSessionRequest::new()
        .callback_url("https://example.com")
        .user("usr_1");
    assert_eq!(
        serde_json::to_value(&set).unwrap(),
        json!({ "callbackUrl": "https://example.com", "user": "usr_1" })
    );
    assert_eq!(
        serde_json::to_value(UpdateConnectSessionRequest::new()).unwrap(),
        json!({})
    );
}

#[test]
fn patch_body_decodes_absent_null_and_value_apart() {
    let absent: UpdateConnectSessionRequest = serde_json::from_str("{}").unwrap();
    let null: UpdateConnectSessionRequest =
        serde_json::from_str(r#"{"callbackUrl":null}"#).unwrap();
    let set: UpdateConnectSessionRequest =
        serde_json::from_str(r#"{"callbackUrl":"https://a.example"}"#).unwrap();
    assert_eq!(absent.callback_url, Patch::Unchanged);
    assert_eq!(null.callback_url, Patch::Clear);
    assert_eq!(set.callback_url, Patch::Set("https://a.example".to_owned()));
}

#[test]
fn request_bodies_refuse_unknown_fields_like_the_api() {
    let error = serde_json::from_value::<CreateConnectSessionRequest>(json!({
        "intent": { "type": "viewSubscriptions" },
        "callbackURL": "https://example.com"
    }))
    .unwrap_err();
    assert!(error.to_string().contains("callbackURL"), "{error}");
}

#[test]
fn create_body_is_built_in_one_expression() {
    let body = CreateConnectSessionRequest::new(Intent::checkout_new_subscription("pln_1"))
        .user("usr_1")
        .callback_url("myapp://connect-callback");
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        json!({
            "intent": { "type": "checkoutNewSubscription", "checkoutNewSubscription": { "plan": "pln_1" } },
            "user": "usr_1",
            "callbackUrl": "myapp://connect-callback"
        })
    );
}

#[test]
fn user_details_birthday_is_a_checked_date() {
    let json = fixture("seeds/reference-create-request.json");
    let body: CreateConnectSessionRequest = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(
        body.user_details.unwrap().birthday,
        Some(Date::new(2017, 7, 21).unwrap())
    );
    let mut bad = json;
    bad["userDetails"]["birthday"] = json!("2017-02-30");
    let error = serde_json::from_value::<CreateConnectSessionRequest>(bad).unwrap_err();
    assert!(error.to_string().contains("2017-02-30"), "{error}");
}
