//! The names codegen keeps free for the hand-written runtime are read off the
//! runtime itself: a method added to `Client` or `Call` without reserving its name
//! here would let an operation or a parameter setter collide with it.

use codegen::naming::{CALL_METHODS, CLIENT_METHODS};
use std::collections::BTreeSet;
use std::path::Path;

/// The inherent methods of every `impl … TypeName …` block in a runtime file.
fn inherent_methods(file: &str, type_name: &str) -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../gigs-connect/src")
        .join(file);
    let source = std::fs::read_to_string(&path).unwrap();
    let file = syn::parse_file(&source).unwrap();
    let mut methods = BTreeSet::new();
    for item in file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let syn::Type::Path(self_type) = block.self_ty.as_ref() else {
            continue;
        };
        let is_type = self_type
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == type_name);
        if !is_type || block.trait_.is_some() {
            continue;
        }
        for item in block.items {
            if let syn::ImplItem::Fn(method) = item {
                methods.insert(method.sig.ident.to_string());
            }
        }
    }
    assert!(
        !methods.is_empty(),
        "no `impl {type_name}` found in {}",
        path.display()
    );
    methods
}

#[test]
fn every_method_of_the_hand_written_client_is_reserved() {
    for method in inherent_methods("client.rs", "Client") {
        assert!(
            CLIENT_METHODS.contains(&method.as_str()),
            "`Client::{method}` is not in naming::CLIENT_METHODS"
        );
    }
}

#[test]
fn every_method_of_call_is_reserved_from_parameter_setters() {
    for method in inherent_methods("call.rs", "Call") {
        assert!(
            CALL_METHODS.contains(&method.as_str()),
            "`Call::{method}` is not in naming::CALL_METHODS"
        );
    }
}
