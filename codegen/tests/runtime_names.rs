//! The names codegen keeps free for the hand-written runtime are read off the
//! runtime itself: a method added to `Client` or `Call` without reserving its name
//! here would let an operation or a parameter setter collide with it.

use codegen::naming::{CALL_METHODS, CLIENT_METHODS, FRAMING_HEADERS};
use std::collections::BTreeSet;
use std::path::Path;

const SPEC: &str = include_str!("../../spec/connect-sessions.json");

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
    let mut methods = inherent_methods("client.rs", "Client");
    methods.extend(inherent_methods("raw.rs", "Client"));
    for method in methods {
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

#[test]
fn the_runtime_refuses_per_call_exactly_the_framing_headers_codegen_emits() {
    // The one list is codegen's: it is emitted into the generated `mod.rs`, and
    // request.rs takes it from there instead of keeping a copy.
    let generated = codegen::generate(SPEC, "spec.json").unwrap();
    let module = syn::parse_file(&generated["mod.rs"]).unwrap();
    let emitted = module
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Const(constant) if constant.ident == "FRAMING_HEADERS" => {
                Some(constant.expr.clone())
            }
            _ => None,
        })
        .expect("the generated mod.rs declares FRAMING_HEADERS");
    let mut names = Vec::new();
    collect_strings(&emitted, &mut names);
    assert_eq!(names, FRAMING_HEADERS);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../gigs-connect/src/request.rs");
    let request = std::fs::read_to_string(&path).unwrap();
    assert!(request.contains("use crate::generated::FRAMING_HEADERS;"));
    let file = syn::parse_file(&request).unwrap();
    let mut strings = Vec::new();
    for item in &file.items {
        if let syn::Item::Const(constant) = item {
            collect_strings(&constant.expr, &mut strings);
        }
    }
    assert!(
        !strings
            .iter()
            .any(|s| FRAMING_HEADERS.contains(&s.as_str())),
        "request.rs keeps a list of its own: {strings:?}"
    );
}

/// Every string literal in `expr`.
fn collect_strings(expr: &syn::Expr, out: &mut Vec<String>) {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) => out.push(text.value()),
        syn::Expr::Reference(reference) => collect_strings(&reference.expr, out),
        syn::Expr::Array(array) => array.elems.iter().for_each(|e| collect_strings(e, out)),
        _ => {}
    }
}
