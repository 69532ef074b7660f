//! Runs progenitor, the generic generator we measure against, from spec text to
//! formatted source: the same start and end points as `codegen::generate`.
//!
//! `build.rs` includes this file too, so the client the benches decode with is made
//! by exactly the code the codegen bench times.

/// progenitor's client for an OpenAPI document, formatted by prettyplease.
///
/// Panics with progenitor's message when it refuses the spec: benchmark inputs are
/// known to be accepted, so a refusal is a broken benchmark, not a result.
pub fn progenitor_source(spec_text: &str) -> String {
    let spec: openapiv3::OpenAPI =
        serde_json::from_str(spec_text).expect("progenitor's OpenAPI model reads the spec");
    let mut generator = progenitor::Generator::new(&progenitor::GenerationSettings::default());
    let tokens = generator
        .generate_tokens(&spec)
        .expect("progenitor generates from the spec");
    let file: syn_for_progenitor::File =
        syn_for_progenitor::parse2(tokens).expect("progenitor's output parses as a file");
    prettyplease_for_progenitor::unparse(&file)
}
