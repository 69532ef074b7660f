//! Property tests: every generated type survives encode → decode unchanged over
//! generated values (unknown intents and enum values included), and no JSON input,
//! however hostile, makes decoding panic.

use gigs_connect::types::*;
use gigs_connect::{Date, Patch};
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

fn id() -> impl Strategy<Value = String> {
    // Ids plus the awkward: quotes, backslashes, unicode, the empty string.
    prop_oneof!["[a-z]{3}_[A-Za-z0-9]{4,28}", any::<String>()]
}

fn opt<T: std::fmt::Debug>(s: impl Strategy<Value = T>) -> impl Strategy<Value = Option<T>> {
    proptest::option::of(s)
}

fn unknown_tag() -> impl Strategy<Value = String> {
    "[a-z][A-Za-z]{2,20}".prop_filter("a tag the spec lists", |t| {
        !Intent::TAGS.contains(&t.as_str())
    })
}

fn unknown_intent() -> impl Strategy<Value = Intent> {
    (unknown_tag(), id(), any::<bool>()).prop_map(|(tag, value, flag)| {
        serde_json::from_value(json!({ "type": tag, tag.clone(): { "subscription": value, "flag": flag }, "extra": [1, 2] }))
            .unwrap()
    })
}

fn intent() -> impl Strategy<Value = Intent> {
    let new_subscription = (
        id(),
        opt(id()),
        opt(id()),
        opt(id()),
        opt(id()),
        opt(proptest::collection::vec(id(), 0..3)),
    )
        .prop_map(|(plan, device, sim, imei, voucher, addons)| {
            let mut payload = CheckoutNewSubscriptionPayload::new(plan);
            payload.device = device;
            payload.sim = sim;
            payload.imei = imei;
            payload.voucher_code = voucher;
            payload.addons = addons;
            Intent::from(payload)
        });
    let porting = (id(), opt((opt(any::<bool>()), opt(any::<bool>())))).prop_map(
        |(subscription, behavior)| {
            let mut payload = CompletePortingPayload::new(subscription);
            payload.behavior = behavior.map(|(intro, outro)| {
                let mut b = CompletePortingBehavior::new();
                b.hide_intro_page = intro;
                b.hide_outro_page = outro;
                b
            });
            Intent::from(payload)
        },
    );
    let addon =
        (id(), opt(proptest::collection::vec(id(), 0..4))).prop_map(|(subscription, addons)| {
            let mut payload = CheckoutAddonPayload::new(subscription);
            payload.addons = addons;
            Intent::from(payload)
        });
    prop_oneof![
        new_subscription,
        porting,
        addon,
        id().prop_map(Intent::cancel_subscription),
        id().prop_map(Intent::change_subscription),
        id().prop_map(Intent::confirm_payment),
        id().prop_map(Intent::resume_subscription),
        id().prop_map(Intent::view_esim_installation),
        id().prop_map(Intent::view_subscription),
        Just(Intent::view_subscriptions()),
        Just(Intent::update_user_address()),
        Just(Intent::update_user_full_name()),
        Just(Intent::update_payment_method()),
        unknown_intent(),
    ]
}

fn theme() -> impl Strategy<Value = Theme> {
    prop_oneof![
        Just(Theme::Light),
        Just(Theme::Dark),
        "[a-z]{1,10}".prop_map(|v| Theme::from(v.as_str()))
    ]
}

fn appearance() -> impl Strategy<Value = Appearance> {
    opt(theme()).prop_map(|theme| {
        let mut appearance = Appearance::new();
        appearance.theme = theme;
        appearance
    })
}

fn session() -> impl Strategy<Value = ConnectSession> {
    (
        id(),
        intent(),
        opt(appearance()),
        opt(id()),
        opt(id()),
        opt(id()),
    )
        .prop_map(|(id, intent, appearance, callback_url, url, user)| {
            let mut session = ConnectSession::new(id, intent);
            session.appearance = appearance;
            session.callback_url = callback_url;
            session.url = url.map(Into::into);
            session.user = user;
            session
        })
}

fn date() -> impl Strategy<Value = Date> {
    (1900u16..2100, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| Date::new(y, m, d).unwrap())
}

fn user_details() -> impl Strategy<Value = UserDetails> {
    (
        id(),
        opt(id()),
        opt(id()),
        opt(date()),
        opt(proptest::collection::btree_map(id(), id(), 0..3)),
    )
        .prop_map(|(email, full_name, locale, birthday, metadata)| {
            let mut details = UserDetails::new(email);
            details.full_name = full_name;
            details.preferred_locale = locale;
            details.birthday = birthday;
            details.metadata =
                metadata.map(|m| m.into_iter().map(|(k, v)| (k, Value::String(v))).collect());
            details
        })
}

fn patch<T: std::fmt::Debug + Clone>(
    s: impl Strategy<Value = T>,
) -> impl Strategy<Value = Patch<T>> {
    prop_oneof![
        Just(Patch::Unchanged),
        Just(Patch::Clear),
        s.prop_map(Patch::Set)
    ]
}

fn create_request() -> impl Strategy<Value = CreateConnectSessionRequest> {
    (
        intent(),
        opt(appearance()),
        opt(id()),
        opt(id()),
        opt(user_details()),
    )
        .prop_map(|(intent, appearance, callback_url, user, details)| {
            let mut body = CreateConnectSessionRequest::new(intent);
            body.appearance = appearance;
            body.callback_url = callback_url;
            body.user = user;
            body.user_details = details;
            body
        })
}

fn update_request() -> impl Strategy<Value = UpdateConnectSessionRequest> {
    (
        opt(appearance()),
        patch(id()),
        patch(id()),
        opt(user_details()),
    )
        .prop_map(|(appearance, callback_url, user, details)| {
            let mut body = UpdateConnectSessionRequest::new();
            body.appearance = appearance;
            body.callback_url = callback_url;
            body.user = user;
            body.user_details = details;
            body
        })
}

fn api_error() -> impl Strategy<Value = ApiError> {
    let kind = prop_oneof![
        Just(ApiErrorType::Malformed),
        Just(ApiErrorType::Invalid),
        Just(ApiErrorType::Unauthenticated),
        Just(ApiErrorType::PermissionDenied),
        Just(ApiErrorType::NotFound),
        "[a-z]{1,12}".prop_map(|v| ApiErrorType::from(v.as_str())),
    ];
    (
        kind,
        any::<String>(),
        opt(id()),
        opt(any::<String>()),
        opt(proptest::collection::vec(id(), 0..2)),
    )
        .prop_map(|(kind, message, code, hint, documentation)| {
            let mut error = ApiError::new(kind, message);
            error.code = code;
            error.hint = hint;
            error.documentation = documentation;
            error
        })
}

fn assert_round_trips<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
    let bytes = serde_json::to_vec(value).unwrap();
    let decoded: T = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&bytes)));
    assert_eq!(&decoded, value);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn intents_round_trip(value in intent()) { assert_round_trips(&value); }

    #[test]
    fn sessions_round_trip(value in session()) { assert_round_trips(&value); }

    #[test]
    fn create_requests_round_trip(value in create_request()) { assert_round_trips(&value); }

    #[test]
    fn update_requests_round_trip(value in update_request()) { assert_round_trips(&value); }

    #[test]
    fn error_envelopes_round_trip(value in api_error()) { assert_round_trips(&value); }

    #[test]
    fn themes_round_trip(value in theme()) { assert_round_trips(&value); }
}

/// Arbitrary JSON, biased towards the shapes the decoders look at.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("type".to_owned()),
        proptest::sample::select(Intent::TAGS).prop_map(str::to_owned),
        Just("intent".to_owned()),
        Just("id".to_owned()),
        Just("object".to_owned()),
        Just("url".to_owned()),
        any::<String>(),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<f64>().prop_map(|f| json!(f)),
        any::<i64>().prop_map(|i| json!(i)),
        proptest::sample::select(Intent::TAGS).prop_map(|t| json!(t)),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn arbitrary_json_never_panics_the_decoders(value in json_value()) {
        let text = value.to_string();
        let _ = serde_json::from_str::<ConnectSession>(&text);
        let _ = serde_json::from_str::<Intent>(&text);
        let _ = serde_json::from_str::<ApiError>(&text);
        let _ = serde_json::from_str::<CreateConnectSessionRequest>(&text);
        let _ = serde_json::from_str::<UpdateConnectSessionRequest>(&text);
        // What decodes must encode and decode again to the same value.
        if let Ok(intent) = serde_json::from_str::<Intent>(&text) {
            assert_round_trips(&intent);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_decoders(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = serde_json::from_slice::<ConnectSession>(&bytes);
        let _ = serde_json::from_slice::<Intent>(&bytes);
        let _ = serde_json::from_slice::<ApiError>(&bytes);
    }
}
