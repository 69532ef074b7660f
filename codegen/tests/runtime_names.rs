//! The names codegen keeps free for the hand-written runtime are read off the
//! runtime itself. Generated code adds an endpoint method per operation to
//! `Client` and a setter per optional parameter to `Call`, so those types'
//! inherent methods share a namespace with generated ones: `Client`'s are its
//! public API only, `Call`'s its public API and the two the generated code calls,
//! and a private helper belongs elsewhere (on `Client`'s `Inner`, or a free
//! function in the module that owns the job), where it reserves nothing.

use codegen::naming::{CALL_METHODS, CLIENT_METHODS, FRAMING_HEADERS};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const SPEC: &str = include_str!("../../spec/connect-sessions.json");

/// One method a runtime type has, inherent or from a trait.
struct Method {
    name: String,
    /// `pub` (the type's API), as opposed to `pub(crate)` or private.
    public: bool,
    /// Inherent, as opposed to a trait's (written or derived).
    inherent: bool,
    /// The runtime file it is written in.
    file: String,
}

/// The hand-written runtime's source files (`gigs-connect/src`, not `generated/`).
fn runtime_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut folders = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../gigs-connect/src")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() && !path.ends_with("generated") {
                folders.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Whether `ty` is the runtime type `type_name` (`Client`, `Call<'a, O>`).
fn is_type(ty: &syn::Type, type_name: &str) -> bool {
    matches!(ty, syn::Type::Path(path)
        if path.path.segments.last().is_some_and(|s| s.ident == type_name))
}

/// The methods a trait derived on `type_name` gives it.
fn derived_methods(item: &syn::ItemStruct) -> Vec<String> {
    let mut methods = Vec::new();
    for attribute in item.attrs.iter().filter(|a| a.path().is_ident("derive")) {
        attribute
            .parse_nested_meta(|derive| {
                match derive.path.get_ident().map(|i| i.to_string()).as_deref() {
                    Some("Clone") => methods.push("clone".to_owned()),
                    Some("Debug") => methods.push("fmt".to_owned()),
                    Some(other) => {
                        panic!("derive({other}) on a runtime type: name its methods here")
                    }
                    None => {}
                }
                Ok(())
            })
            .unwrap();
    }
    methods
}

/// Every method of the runtime type `type_name`, over all runtime files.
fn methods_of(type_name: &str) -> Vec<Method> {
    let mut methods = Vec::new();
    for path in runtime_files() {
        let source = std::fs::read_to_string(&path).unwrap();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        for item in syn::parse_file(&source).unwrap().items {
            let (names, inherent) = match item {
                syn::Item::Struct(item) if item.ident == type_name => {
                    let derived = derived_methods(&item).into_iter().map(|n| (n, true));
                    (derived.collect::<Vec<_>>(), false)
                }
                syn::Item::Impl(block) if is_type(&block.self_ty, type_name) => {
                    let fns = block.items.into_iter().filter_map(|item| match item {
                        syn::ImplItem::Fn(f) => Some((
                            f.sig.ident.to_string(),
                            matches!(f.vis, syn::Visibility::Public(_)),
                        )),
                        _ => None,
                    });
                    (fns.collect(), block.trait_.is_none())
                }
                _ => continue,
            };
            for (name, public) in names {
                // A trait's methods are as public as the type.
                let public = public || !inherent;
                let file = file.clone();
                methods.push(Method {
                    name,
                    public,
                    inherent,
                    file,
                });
            }
        }
    }
    assert!(
        !methods.is_empty(),
        "no `impl {type_name}` in gigs-connect/src"
    );
    methods
}

/// `names` as a set, for comparing with a list of `naming.rs`.
fn set<'a>(names: impl IntoIterator<Item = &'a str>) -> BTreeSet<&'a str> {
    names.into_iter().collect()
}

#[test]
fn the_hand_written_client_has_no_private_inherent_method() {
    for method in methods_of("Client") {
        assert!(
            method.public || !method.inherent,
            "`Client::{}` ({}) is not public: `Client`'s inherent methods share a \
             namespace with the generated endpoint methods, so they are its public \
             API only. Put a runtime helper on `Inner` (client.rs, reached as \
             `client.inner`) or make it a free function in the module that owns the job",
            method.name,
            method.file
        );
    }
}

#[test]
fn the_reserved_client_methods_are_exactly_its_public_api() {
    // A private helper fails the test above, with a word on where it goes.
    let methods = methods_of("Client");
    let api = set(methods.iter().filter(|m| m.public).map(|m| m.name.as_str()));
    assert_eq!(
        api,
        set(CLIENT_METHODS.iter().copied()),
        "naming::CLIENT_METHODS is `Client`'s public API: its inherent `pub` \
         methods and the methods of the traits it implements"
    );
}

/// The private methods of `Call` the generated code calls (`Call::new`,
/// `.operation_mut()` in a setter), read from both specs' generated output.
fn call_methods_generated_code_calls(methods: &[Method]) -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut sources: Vec<String> = codegen::generate(SPEC, "spec.json")
        .unwrap()
        .into_values()
        .collect();
    let fixture = root.join("fixtures/wider-api/generated/operations.rs");
    sources.push(std::fs::read_to_string(fixture).unwrap());
    methods
        .iter()
        .filter(|m| {
            let called = [format!("Call::{}(", m.name), format!(".{}()", m.name)];
            sources
                .iter()
                .any(|s| called.iter().any(|c| s.contains(c.as_str())))
        })
        .map(|m| m.name.clone())
        .collect()
}

#[test]
fn call_has_no_private_inherent_method_but_what_generated_code_calls() {
    let methods = methods_of("Call");
    let private: Vec<&Method> = methods.iter().filter(|m| !m.public && m.inherent).collect();
    let called = call_methods_generated_code_calls(&methods);
    for method in private {
        assert!(
            called.contains(&method.name),
            "`Call::{}` ({}) is neither public nor called by generated code: `Call`'s \
             inherent methods share a namespace with the generated setters. Make a \
             runtime helper a free function in call.rs",
            method.name,
            method.file
        );
    }
}

#[test]
fn the_reserved_call_methods_are_exactly_its_api_and_contract() {
    let methods = methods_of("Call");
    let called = call_methods_generated_code_calls(&methods);
    let api_and_contract = methods
        .iter()
        .filter(|m| m.public || called.contains(&m.name))
        .map(|m| m.name.as_str());
    assert_eq!(
        set(api_and_contract),
        set(CALL_METHODS.iter().copied()),
        "naming::CALL_METHODS is `Call`'s public API (inherent and trait methods) \
         and the crate-visible methods the generated code calls"
    );
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
