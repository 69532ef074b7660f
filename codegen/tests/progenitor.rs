//! The spec is one a generic generator accepts too: progenitor 0.15, the peer we
//! measure against, generates a client from it without error.

#[test]
fn progenitor_generates_a_client_from_the_spec() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/connect-sessions.json"
    ))
    .unwrap();
    let spec: openapiv3::OpenAPI =
        serde_json::from_str(&text).expect("progenitor's OpenAPI model reads the spec");
    let mut generator = progenitor::Generator::new(&progenitor::GenerationSettings::default());
    let tokens = generator
        .generate_tokens(&spec)
        .expect("progenitor generates from the spec");
    let code = tokens.to_string();
    for operation in [
        "create_connect_session",
        "retrieve_connect_session",
        "update_connect_session",
    ] {
        assert!(
            code.contains(operation),
            "progenitor output has no {operation}"
        );
    }
}
