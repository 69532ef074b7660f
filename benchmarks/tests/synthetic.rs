//! The codegen scaling bench's inputs are valid: each synthetic spec generates, and
//! its `Intent` enum has exactly the intents asked for (plus `Unknown`).

use benchmarks::synthetic::synthetic_spec;

fn intent_variants(intents: usize) -> Vec<String> {
    let files = codegen::generate(&synthetic_spec(intents), "synthetic")
        .unwrap_or_else(|e| panic!("the {intents}-intent spec does not generate: {e}"));
    let types: syn::File = syn::parse_str(&files["types.rs"]).expect("types.rs parses");
    let union = types
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Enum(e) if e.ident == "Intent" => Some(e),
            _ => None,
        })
        .expect("types.rs has an Intent enum");
    union
        .variants
        .iter()
        .map(|variant| variant.ident.to_string())
        .filter(|name| name != "Unknown")
        .collect()
}

#[test]
fn ten_intent_spec_generates_ten_variants() {
    assert_eq!(intent_variants(10).len(), 10);
}

#[test]
fn hundred_intent_spec_generates_a_hundred_variants() {
    assert_eq!(intent_variants(100).len(), 100);
}

#[test]
fn thousand_intent_spec_generates_a_thousand_variants() {
    assert_eq!(intent_variants(1000).len(), 1000);
}

// In a debug build, codegen on this many schemas takes minutes (BENCHMARKS.md §2);
// `cargo test --release -p benchmarks` runs it.
#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "minutes in a debug build; run with --release"
)]
fn five_thousand_intent_spec_generates_five_thousand_variants() {
    assert_eq!(intent_variants(5000).len(), 5000);
}
