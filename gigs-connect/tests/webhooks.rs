//! `gigs_connect::webhooks`: Standard Webhooks verification, exactly as the
//! specification says, checked against vectors signed by the reference Python
//! library (fixtures/webhooks/python-signed.json, made and re-checked by
//! webhooks/vectors.sh), and the typed events it yields.

use gigs_connect::Patch;
use gigs_connect::webhooks::{Event, Webhook, WebhookError};
use http::HeaderMap;
use serde_json::{Value, json};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const TOKEN: &str = "lzODbEyaUQjVRAmalD4pdaq5Nkn1Lw0q";

fn vectors() -> Vec<Value> {
    let fixture: Value =
        serde_json::from_str(include_str!("fixtures/webhooks/python-signed.json")).unwrap();
    fixture["vectors"].as_array().unwrap().clone()
}

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(
            http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
    }
    map
}

fn session_event(event_type: &str) -> Value {
    json!({
        "object": "event",
        "id": "evt_1",
        "type": event_type,
        "specversion": "1.0",
        "source": "https://api.gigs.com",
        "project": "dev-project",
        "time": "2024-10-28T12:00:00Z",
        "version": "2024-10-28",
        "datacontenttype": "application/json",
        "data": {
            "object": "connectSession",
            "id": "csn_1",
            "intent": { "type": "viewSubscriptions" },
            "callbackUrl": "https://example.com/b",
            "url": format!("https://connect.gigs.com/entry?session=csn_1&token={TOKEN}"),
            "user": null
        }
    })
}

/// A delivery of `body` signed now-ish (at `T`) with `SECRET`.
const T: u64 = 1_732_000_000;

fn signed(body: &[u8]) -> HeaderMap {
    let webhook = Webhook::new(SECRET).unwrap();
    let signature = webhook.sign("msg_1", at(T), body);
    headers(&[
        ("webhook-id", "msg_1"),
        ("webhook-timestamp", &T.to_string()),
        ("webhook-signature", &signature),
    ])
}

#[test]
fn python_signed_vectors_verify_and_decode() {
    let vectors = vectors();
    assert_eq!(vectors.len(), 20);
    for vector in vectors {
        let webhook = Webhook::new(vector["secret"].as_str().unwrap()).unwrap();
        let timestamp = vector["timestamp"].as_u64().unwrap();
        let body = vector["body"].as_str().unwrap().as_bytes();
        for signature in ["signature", "signatureHeader"] {
            let headers = headers(&[
                ("webhook-id", vector["msgId"].as_str().unwrap()),
                ("webhook-timestamp", &timestamp.to_string()),
                ("webhook-signature", vector[signature].as_str().unwrap()),
            ]);
            let event = webhook
                .verify_at(&headers, body, at(timestamp))
                .unwrap_or_else(|e| panic!("{} ({signature}): {e}", vector["about"]));
            let expected: Value = serde_json::from_slice(body).unwrap();
            assert_eq!(event.event_type(), expected["type"]);
            assert_eq!(event.id(), expected["id"]);
        }
    }
}

#[test]
fn our_signatures_equal_the_reference_librarys() {
    for vector in vectors() {
        let webhook = Webhook::new(vector["secret"].as_str().unwrap()).unwrap();
        let signature = webhook.sign(
            vector["msgId"].as_str().unwrap(),
            at(vector["timestamp"].as_u64().unwrap()),
            vector["body"].as_str().unwrap().as_bytes(),
        );
        assert_eq!(signature, vector["signature"].as_str().unwrap());
    }
}

#[test]
fn a_changed_byte_of_body_id_or_timestamp_matches_no_signature() {
    let vector = &vectors()[0];
    let webhook = Webhook::new(vector["secret"].as_str().unwrap()).unwrap();
    let timestamp = vector["timestamp"].as_u64().unwrap();
    let body = vector["body"].as_str().unwrap();
    let signature = vector["signature"].as_str().unwrap();
    let id = vector["msgId"].as_str().unwrap();
    let cases = [
        (id.to_owned(), timestamp, format!("{body} ")),
        (format!("{id}x"), timestamp, body.to_owned()),
        (id.to_owned(), timestamp + 1, body.to_owned()),
    ];
    for (id, timestamp, body) in cases {
        let headers = headers(&[
            ("webhook-id", &id),
            ("webhook-timestamp", &timestamp.to_string()),
            ("webhook-signature", signature),
        ]);
        let error = webhook
            .verify_at(&headers, body.as_bytes(), at(timestamp))
            .unwrap_err();
        assert!(
            matches!(error, WebhookError::NoMatchingSignature),
            "{error}"
        );
    }
}

#[test]
fn another_secret_matches_no_signature() {
    let body = serde_json::to_vec(&session_event("com.gigs.connectSession.created")).unwrap();
    let other = Webhook::new("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").unwrap();
    let error = other.verify_at(&signed(&body), &body, at(T)).unwrap_err();
    assert!(matches!(error, WebhookError::NoMatchingSignature));
}

#[test]
fn only_v1_entries_count_and_any_matching_one_is_enough() {
    let body = br#"{"object":"event","id":"evt_1","type":"com.gigs.other","data":{}}"#;
    let webhook = Webhook::new(SECRET).unwrap();
    let good = webhook.sign("msg_1", at(T), body);
    let base64 = good.strip_prefix("v1,").unwrap();
    let check = |signature: &str| {
        let headers = headers(&[
            ("webhook-id", "msg_1"),
            ("webhook-timestamp", &T.to_string()),
            ("webhook-signature", signature),
        ]);
        webhook.verify_at(&headers, body, at(T))
    };
    assert!(check(&format!("v1,bm90IGl0 v1a,{base64} {good}")).is_ok());
    // The right bytes under another version are not a v1 signature.
    assert!(matches!(
        check(&format!("v2,{base64} v1a,{base64}")),
        Err(WebhookError::NoMatchingSignature)
    ));
    assert!(matches!(
        check("v1,!!!"),
        Err(WebhookError::NoMatchingSignature)
    ));
}

#[test]
fn svix_header_names_are_accepted() {
    let body = serde_json::to_vec(&session_event("com.gigs.connectSession.created")).unwrap();
    let webhook = Webhook::new(SECRET).unwrap();
    let signature = webhook.sign("msg_1", at(T), &body);
    let headers = headers(&[
        ("svix-id", "msg_1"),
        ("svix-timestamp", &T.to_string()),
        ("svix-signature", &signature),
    ]);
    let event = webhook.verify_at(&headers, &body, at(T)).unwrap();
    assert!(matches!(event, Event::ConnectSessionCreated(_)));
}

#[test]
fn secrets_are_accepted_with_or_without_prefix_and_padding() {
    // 31 bytes: base64 with one `=`.
    let padded = "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=";
    let body = b"{}";
    let reference = Webhook::new(padded).unwrap().sign("msg_1", at(T), body);
    for secret in [
        padded.to_owned(),
        padded.trim_end_matches('=').to_owned(),
        format!("whsec_{padded}"),
        format!("whsec_{}", padded.trim_end_matches('=')),
    ] {
        let webhook = Webhook::new(&secret).unwrap();
        assert_eq!(webhook.sign("msg_1", at(T), body), reference, "{secret}");
    }
}

#[test]
fn a_secret_that_is_not_base64_or_empty_is_refused() {
    for secret in ["whsec_not base64!", "whsec_", "", "whsec_====", "whsec_A"] {
        let error = Webhook::new(secret).unwrap_err();
        assert!(
            matches!(error, WebhookError::InvalidSecret { .. }),
            "{secret}: {error}"
        );
        assert!(!error.to_string().contains("base64!"), "{error}");
    }
}

#[test]
fn each_missing_header_is_named() {
    let body = b"{}";
    let webhook = Webhook::new(SECRET).unwrap();
    let full = signed(body);
    for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        let mut headers = full.clone();
        headers.remove(name);
        let error = webhook.verify_at(&headers, body, at(T)).unwrap_err();
        assert!(
            matches!(error, WebhookError::MissingHeader { header } if header == name),
            "{error}"
        );
        assert!(error.to_string().contains(name));
    }
}

#[test]
fn a_timestamp_that_is_not_integer_seconds_is_refused() {
    let body = b"{}";
    let webhook = Webhook::new(SECRET).unwrap();
    for timestamp in ["1732000000.5", "", "abc", "0x10", "99999999999999999999999"] {
        let mut headers = signed(body);
        headers.insert("webhook-timestamp", timestamp.parse().unwrap());
        let error = webhook.verify_at(&headers, body, at(T)).unwrap_err();
        assert!(
            matches!(error, WebhookError::InvalidTimestamp { .. }),
            "{timestamp}: {error}"
        );
    }
}

#[test]
fn timestamps_more_than_five_minutes_off_are_refused_either_way() {
    let body = b"{}";
    let webhook = Webhook::new(SECRET).unwrap();
    let headers = signed(body);
    // Exactly five minutes either way is still within the tolerance.
    assert!(
        webhook
            .verify_signature_at(&headers, body, at(T + 300))
            .is_ok()
    );
    assert!(
        webhook
            .verify_signature_at(&headers, body, at(T - 300))
            .is_ok()
    );
    let old = webhook
        .verify_signature_at(&headers, body, at(T + 301))
        .unwrap_err();
    assert!(
        matches!(old, WebhookError::TimestampTooOld { age, .. } if age == Duration::from_secs(301)),
        "{old}"
    );
    let new = webhook
        .verify_signature_at(&headers, body, at(T - 301))
        .unwrap_err();
    assert!(
        matches!(new, WebhookError::TimestampTooNew { ahead, .. } if ahead == Duration::from_secs(301)),
        "{new}"
    );
}

#[test]
fn the_tolerance_is_configurable() {
    let body = b"{}";
    let webhook = Webhook::new(SECRET)
        .unwrap()
        .tolerance(Duration::from_secs(10));
    let headers = signed(body);
    assert!(
        webhook
            .verify_signature_at(&headers, body, at(T + 10))
            .is_ok()
    );
    assert!(matches!(
        webhook.verify_signature_at(&headers, body, at(T + 11)),
        Err(WebhookError::TimestampTooOld { .. })
    ));
}

#[test]
fn a_body_over_the_limit_is_refused_before_any_work() {
    let webhook = Webhook::new(SECRET).unwrap().max_body_bytes(16);
    let body = [b'x'; 17];
    let error = webhook
        .verify_at(&HeaderMap::new(), &body, at(T))
        .unwrap_err();
    assert!(matches!(
        error,
        WebhookError::BodyTooLarge {
            size: 17,
            limit: 16
        }
    ));
    let default = Webhook::new(SECRET).unwrap();
    let big = vec![b' '; 1024 * 1024 + 1];
    assert!(matches!(
        default.verify_at(&signed(&big), &big, at(T)),
        Err(WebhookError::BodyTooLarge { .. })
    ));
}

#[test]
fn the_system_clock_variant_refuses_a_delivery_signed_long_ago() {
    let body = b"{}";
    let webhook = Webhook::new(SECRET).unwrap();
    assert!(matches!(
        webhook.verify(&signed(body), body),
        Err(WebhookError::TimestampTooOld { .. })
    ));
    let now = SystemTime::now();
    let seconds = now
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    let headers = headers(&[
        ("webhook-id", "msg_now"),
        ("webhook-timestamp", &seconds),
        ("webhook-signature", &webhook.sign("msg_now", now, body)),
    ]);
    // Signed now: only the body (no `type`) is wrong.
    assert!(matches!(
        webhook.verify(&headers, body),
        Err(WebhookError::Decode { .. })
    ));
}

#[test]
fn sign_gives_v1_and_the_base64_of_a_sha256_mac() {
    let signature = Webhook::new(SECRET).unwrap().sign("msg_1", at(T), b"{}");
    let base64 = signature.strip_prefix("v1,").unwrap();
    assert_eq!(base64.len(), 44);
    assert!(base64.ends_with('='));
}

#[test]
fn created_event_decodes_with_its_session_and_hides_the_url_token() {
    let body = serde_json::to_vec(&session_event("com.gigs.connectSession.created")).unwrap();
    let webhook = Webhook::new(SECRET).unwrap();
    let event = webhook.verify_at(&signed(&body), &body, at(T)).unwrap();
    let Event::ConnectSessionCreated(created) = &event else {
        panic!("not a created event: {event:?}");
    };
    assert_eq!(created.data.id, "csn_1");
    assert_eq!(created.project, "dev-project");
    assert_eq!(created.version.as_deref(), Some("2024-10-28"));
    assert!(
        created
            .data
            .url
            .as_ref()
            .unwrap()
            .expose_secret()
            .ends_with(TOKEN)
    );
    assert_eq!(event.event_type(), "com.gigs.connectSession.created");
    assert_eq!(event.id(), "evt_1");
    let debug = format!("{event:?} {created:#?}");
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(debug.contains("csn_1"));
}

#[test]
fn updated_event_carries_previous_data_as_a_partial_session() {
    let mut event = session_event("com.gigs.connectSession.updated");
    event["previousData"] = json!({
        "callbackUrl": null,
        "appearance": { "theme": "dark" },
        "url": format!("https://connect.gigs.com/x?token={TOKEN}"),
        "addedLater": [1, 2]
    });
    let body = serde_json::to_vec(&event).unwrap();
    let webhook = Webhook::new(SECRET).unwrap();
    let Event::ConnectSessionUpdated(updated) =
        webhook.verify_at(&signed(&body), &body, at(T)).unwrap()
    else {
        panic!("not an updated event");
    };
    let previous = &updated.previous_data;
    // `null` before: the field was cleared; absent: it did not change.
    assert_eq!(previous.callback_url, Patch::Clear);
    assert_eq!(previous.user, Patch::Unchanged);
    assert!(previous.intent.is_none());
    assert_eq!(
        previous
            .appearance
            .as_ref()
            .unwrap()
            .theme
            .as_ref()
            .unwrap()
            .as_str(),
        "dark"
    );
    assert_eq!(previous.extra["addedLater"], json!([1, 2]));
    assert_eq!(
        updated.data.callback_url.as_deref(),
        Some("https://example.com/b")
    );
    let debug = format!("{updated:?}");
    assert!(!debug.contains(TOKEN), "{debug}");
    // It encodes back as it came.
    assert_eq!(
        serde_json::to_value(previous).unwrap(),
        event["previousData"]
    );
}

#[test]
fn an_unknown_event_type_is_kept_whole_and_its_debug_shows_no_data() {
    let event = json!({
        "object": "event", "id": "evt_9", "type": "com.gigs.subscription.activated",
        "data": { "secretish": format!("token={TOKEN}") }
    });
    let body = serde_json::to_vec(&event).unwrap();
    let webhook = Webhook::new(SECRET).unwrap();
    let decoded = webhook.verify_at(&signed(&body), &body, at(T)).unwrap();
    let Event::Unknown(unknown) = &decoded else {
        panic!("not unknown: {decoded:?}");
    };
    assert_eq!(decoded.event_type(), "com.gigs.subscription.activated");
    assert_eq!(decoded.id(), "evt_9");
    assert_eq!(unknown.raw()["data"], event["data"]);
    assert_eq!(serde_json::to_value(&decoded).unwrap(), event);
    let debug = format!("{decoded:?}");
    assert!(!debug.contains(TOKEN) && debug.contains("evt_9"), "{debug}");
}

#[test]
fn a_known_event_with_a_bad_field_names_the_field_and_masks_the_url() {
    let mut event = session_event("com.gigs.connectSession.created");
    event["data"]["intent"] = json!(format!("https://connect.gigs.com/?token={TOKEN}"));
    let body = serde_json::to_vec(&event).unwrap();
    let webhook = Webhook::new(SECRET).unwrap();
    let error = webhook.verify_at(&signed(&body), &body, at(T)).unwrap_err();
    let WebhookError::Decode {
        event_type, path, ..
    } = &error
    else {
        panic!("{error}");
    };
    assert_eq!(path, "data.intent");
    assert_eq!(
        event_type.as_deref(),
        Some("com.gigs.connectSession.created")
    );
    assert!(!error.to_string().contains(TOKEN), "{error}");
}

#[test]
fn a_body_without_a_type_or_not_json_is_a_decode_error() {
    let webhook = Webhook::new(SECRET).unwrap();
    for body in [&b"{\"id\":\"evt_1\"}"[..], b"not json", b"[]"] {
        let error = webhook.verify_at(&signed(body), body, at(T)).unwrap_err();
        assert!(
            matches!(
                &error,
                WebhookError::Decode {
                    event_type: None,
                    ..
                }
            ),
            "{error}"
        );
    }
}

#[test]
fn webhook_debug_never_shows_the_secret() {
    let webhook = Webhook::new(SECRET).unwrap();
    let debug = format!("{webhook:?}");
    assert!(
        !debug.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
        "{debug}"
    );
    assert!(debug.contains("[redacted]"));
}

#[test]
fn events_decode_from_stored_json_by_type() {
    let event: Event =
        serde_json::from_value(session_event("com.gigs.connectSession.updated").tap_previous())
            .unwrap();
    assert!(matches!(event, Event::ConnectSessionUpdated(_)));
    let unknown: Event =
        serde_json::from_value(json!({"id": "evt_2", "type": "com.gigs.x"})).unwrap();
    assert_eq!(unknown.event_type(), "com.gigs.x");
    assert!(Event::TYPES.contains(&"com.gigs.connectSession.created"));
}

trait TapPrevious {
    fn tap_previous(self) -> Value;
}

impl TapPrevious for Value {
    fn tap_previous(mut self) -> Value {
        self["previousData"] = json!({});
        self
    }
}

mod hostile {
    //! No header, body, timestamp or secret makes verification panic.

    use super::*;
    use proptest::prelude::*;

    const NAMES: [&str; 6] = [
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
        "svix-id",
        "svix-timestamp",
        "svix-signature",
    ];

    /// Bytes `http` takes as a header value: from ids and signatures that look
    /// right to arbitrary octets.
    fn header_value() -> impl Strategy<Value = http::HeaderValue> {
        prop_oneof![
            "-?[0-9]{0,25}".prop_map(|s| s.into_bytes()),
            "(v[0-9a-z]{0,3},[A-Za-z0-9+/=]{0,60} ?){0,5}".prop_map(|s| s.into_bytes()),
            proptest::collection::vec(any::<u8>(), 0..120),
        ]
        .prop_filter_map("a valid header value", |bytes| {
            http::HeaderValue::from_bytes(&bytes).ok()
        })
    }

    /// Any bytes, and JSON events of known and unknown types with odd data.
    fn body() -> impl Strategy<Value = Vec<u8>> {
        let event_type = prop_oneof![
            Just("com.gigs.connectSession.created".to_owned()),
            Just("com.gigs.connectSession.updated".to_owned()),
            any::<String>(),
        ];
        let data = prop_oneof![
            Just(json!(null)),
            Just(json!({"object": "connectSession", "id": "csn_1", "intent": {"type": "x"}})),
            any::<String>().prop_map(Value::String),
            any::<i64>().prop_map(|n| json!({"id": n, "intent": [n]})),
        ];
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..400),
            (event_type, data, any::<bool>()).prop_map(|(event_type, data, previous)| {
                let mut event = session_event(&event_type);
                event["data"] = data.clone();
                if previous {
                    event["previousData"] = data;
                }
                serde_json::to_vec(&event).unwrap()
            }),
        ]
    }

    proptest! {
        #[test]
        fn any_headers_and_body_end_in_an_answer(
            values in proptest::collection::vec(proptest::option::of(header_value()), 6),
            body in body(),
            now in 0u64..(1 << 40),
        ) {
            let mut headers = HeaderMap::new();
            for (name, value) in NAMES.iter().zip(values) {
                if let Some(value) = value {
                    headers.insert(*name, value);
                }
            }
            let webhook = Webhook::new(SECRET).unwrap();
            let verdict = webhook.verify_at(&headers, &body, at(now));
            // Unsigned input never verifies (a guessed HMAC is not a concern here).
            prop_assert!(verdict.is_err());
        }

        #[test]
        fn signed_hostile_bodies_decode_or_name_what_failed(
            body in body(),
            id in "[!-~]{1,40}",
            seconds in 0u64..(1 << 40),
        ) {
            let webhook = Webhook::new(SECRET).unwrap();
            let headers = headers(&[
                ("webhook-id", &id),
                ("webhook-timestamp", &seconds.to_string()),
                ("webhook-signature", &webhook.sign(&id, at(seconds), &body)),
            ]);
            // The signature always holds; only decoding may fail, and then by a Decode error.
            prop_assert!(webhook.verify_signature_at(&headers, &body, at(seconds)).is_ok());
            match webhook.verify_at(&headers, &body, at(seconds)) {
                Ok(event) => {
                    let json: Value = serde_json::from_slice(&body).unwrap();
                    prop_assert_eq!(event.event_type(), json["type"].as_str().unwrap());
                }
                Err(error) => prop_assert!(matches!(error, WebhookError::Decode { .. }), "{error}"),
            }
        }

        #[test]
        fn any_secret_is_accepted_or_refused(secret in any::<String>()) {
            if let Ok(webhook) = Webhook::new(&secret) {
                prop_assert!(webhook.sign("msg", at(0), b"").starts_with("v1,"));
            }
        }
    }
}

/// A delivery of `body` signed at `T` with `SECRET` under the message id `id`.
fn signed_as(id: &str, body: &[u8]) -> HeaderMap {
    let signature = Webhook::new(SECRET).unwrap().sign(id, at(T), body);
    headers(&[
        ("webhook-id", id),
        ("webhook-timestamp", &T.to_string()),
        ("webhook-signature", &signature),
    ])
}

#[test]
fn previous_data_keys_this_version_does_not_know_are_scrubbed_in_debug() {
    let mut event = session_event("com.gigs.connectSession.updated");
    event["previousData"] =
        json!({ "sessionToken": "S3CR3T", "loginUrl": { "url": "S3CR3T-TOO" } });
    let body = serde_json::to_vec(&event).unwrap();
    let verified = Webhook::new(SECRET)
        .unwrap()
        .verify_at(&signed(&body), &body, at(T))
        .unwrap();
    let Event::ConnectSessionUpdated(updated) = &verified else {
        panic!("not an updated event");
    };
    assert_eq!(
        updated.previous_data.extra["sessionToken"], "S3CR3T",
        "kept whole"
    );

    for shown in [
        format!("{verified:?}"),
        format!("{:?}", updated.previous_data),
    ] {
        assert!(!shown.contains("S3CR3T"), "{shown}");
        assert!(
            shown.contains("sessionToken"),
            "the key is still shown: {shown}"
        );
    }
}

#[test]
fn a_decode_message_quotes_no_more_than_a_few_hundred_characters_of_a_huge_value() {
    let mut event = session_event("com.gigs.connectSession.created");
    event["data"]["appearance"] = json!("A".repeat(512 * 1024));
    let body = serde_json::to_vec(&event).unwrap();
    let err = Webhook::new(SECRET)
        .unwrap()
        .verify_at(&signed(&body), &body, at(T))
        .unwrap_err();
    let WebhookError::Decode { path, message, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(path, "data.appearance");
    assert!(
        message.chars().count() <= 301,
        "{} characters",
        message.chars().count()
    );
    assert!(err.to_string().len() < 1000);
}

#[test]
fn a_signed_event_followed_by_more_bytes_is_refused() {
    let mut body = serde_json::to_vec(&session_event("com.gigs.connectSession.created")).unwrap();
    body.extend_from_slice(b" {\"type\":\"com.gigs.other\"}");
    let err = Webhook::new(SECRET)
        .unwrap()
        .verify_at(&signed(&body), &body, at(T))
        .unwrap_err();
    assert!(matches!(err, WebhookError::Decode { .. }), "{err:?}");
    assert!(
        serde_json::from_slice::<Event>(&body).is_err(),
        "the stored-event path agrees"
    );
}

#[test]
fn a_duplicate_type_key_is_refused_by_verify_and_by_the_stored_event_path_alike() {
    let created = serde_json::to_string(&session_event("com.gigs.connectSession.created")).unwrap();
    // The same object with a second `type` at the end.
    let body = format!(
        "{},\"type\":\"com.gigs.subscription.activated\"}}",
        &created[..created.len() - 1]
    );
    let verified =
        Webhook::new(SECRET)
            .unwrap()
            .verify_at(&signed(body.as_bytes()), body.as_bytes(), at(T));
    let stored = serde_json::from_str::<Event>(&body);
    assert!(verified.is_err(), "verify: {verified:?}");
    assert!(stored.is_err(), "stored: {stored:?}");
}

#[test]
fn an_empty_webhook_id_is_refused_even_when_signed() {
    let body = serde_json::to_vec(&session_event("com.gigs.connectSession.created")).unwrap();
    let err = Webhook::new(SECRET)
        .unwrap()
        .verify_at(&signed_as("", &body), &body, at(T))
        .unwrap_err();
    assert!(err.to_string().contains("webhook-id"), "{err}");
}

#[test]
fn verify_delivery_gives_the_authenticated_message_id_timestamp_and_event() {
    let body = serde_json::to_vec(&session_event("com.gigs.connectSession.created")).unwrap();
    let delivery = Webhook::new(SECRET)
        .unwrap()
        .verify_delivery_at(&signed_as("msg_2xyz", &body), &body, at(T))
        .unwrap();
    assert_eq!(delivery.message_id(), "msg_2xyz");
    assert_eq!(delivery.timestamp(), at(T));
    assert_eq!(delivery.event().id(), "evt_1");
    assert!(matches!(
        delivery.into_event(),
        Event::ConnectSessionCreated(_)
    ));
}

#[test]
fn with_both_header_families_the_svix_one_is_read_whole_and_its_id_returned() {
    let body = serde_json::to_vec(&session_event("com.gigs.connectSession.created")).unwrap();
    let webhook = Webhook::new(SECRET).unwrap();
    let svix_signature = webhook.sign("msg_svix", at(T), &body);
    // The webhook-* family is complete too, with another id and no valid signature.
    let both = headers(&[
        ("svix-id", "msg_svix"),
        ("svix-timestamp", &T.to_string()),
        ("svix-signature", &svix_signature),
        ("webhook-id", "msg_unsigned"),
        ("webhook-timestamp", &T.to_string()),
        ("webhook-signature", "v1,AAAA"),
    ]);
    let delivery = webhook.verify_delivery_at(&both, &body, at(T)).unwrap();
    assert_eq!(delivery.message_id(), "msg_svix");

    // Signed for the webhook-* id but presented with the svix-* family: refused.
    let webhook_signature = webhook.sign("msg_unsigned", at(T), &body);
    let mut swapped = both.clone();
    swapped.insert("webhook-signature", webhook_signature.parse().unwrap());
    swapped.insert("svix-signature", "v1,AAAA".parse().unwrap());
    assert!(matches!(
        webhook.verify_delivery_at(&swapped, &body, at(T)),
        Err(WebhookError::NoMatchingSignature)
    ));
}

#[test]
fn headers_of_two_families_are_never_mixed() {
    let body = serde_json::to_vec(&session_event("com.gigs.connectSession.created")).unwrap();
    let webhook = Webhook::new(SECRET).unwrap();
    let signature = webhook.sign("msg_1", at(T), &body);
    let mixed = headers(&[
        ("webhook-id", "msg_1"),
        ("svix-timestamp", &T.to_string()),
        ("svix-signature", &signature),
    ]);
    let err = webhook.verify_at(&mixed, &body, at(T)).unwrap_err();
    assert!(
        matches!(err, WebhookError::MissingHeader { header: "svix-id" }),
        "{err:?}"
    );
}
