//! Generates progenitor's client for `spec/connect-sessions.json` into `OUT_DIR`, so
//! the benches can decode with the types a generic generator makes from our spec.

#[path = "src/progenitor_source.rs"]
mod progenitor_source;

use std::path::PathBuf;

fn main() {
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/connect-sessions.json");
    println!("cargo::rerun-if-changed={spec}");
    println!("cargo::rerun-if-changed=src/progenitor_source.rs");
    let text = std::fs::read_to_string(spec).expect("the spec is in the repository");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(
        out.join("progenitor_client.rs"),
        progenitor_source::progenitor_source(&text),
    )
    .expect("OUT_DIR is writable");
}
