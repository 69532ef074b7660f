//! `codegen::surface`: the public API of the real spec's generated code, as users
//! meet it, read from the one model `emit` renders and `diff` compares.

use codegen::ir::Type;
use codegen::surface::{Setter, StructItem, Surface, TypeItem};
use serde_json::{Value, json};

const SPEC: &str = include_str!("../../spec/connect-sessions.json");

fn surface_of(spec: &Value) -> Surface {
    Surface::of(&codegen::parse(&spec.to_string(), "spec.json").unwrap())
}

fn spec() -> Value {
    serde_json::from_str(SPEC).unwrap()
}

fn find<'a>(surface: &'a Surface, name: &str) -> &'a StructItem {
    surface
        .types
        .iter()
        .find_map(|t| match t {
            TypeItem::Struct(s) if s.name == name => Some(s),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no struct {name}"))
}

#[test]
fn new_takes_the_required_fields_that_are_neither_nullable_nor_fixed() {
    let surface = surface_of(&spec());
    let session = find(&surface, "ConnectSession");
    let arguments: Vec<&str> = session.new_arguments().map(|f| f.name.as_str()).collect();
    // `object` is a fixed one-value enum, `user` and the rest are optional.
    assert_eq!(arguments, ["id", "intent"]);
    assert!(!session.traits.contains(&"Default"));
}

#[test]
fn an_all_optional_body_implements_default_and_its_nullable_fields_clear() {
    let surface = surface_of(&spec());
    let update = find(&surface, "UpdateConnectSessionRequest");
    assert!(update.traits.contains(&"Default"));
    let callback = update
        .fields
        .iter()
        .find(|f| f.name == "callback_url")
        .unwrap();
    assert_eq!(callback.wire_name, "callbackUrl");
    assert_eq!(callback.setter, Setter::SetAndClear);
}

#[test]
fn a_field_pointing_at_an_alias_has_the_aliased_type() {
    let mut spec = spec();
    spec["components"]["schemas"]["SessionId"] = json!({"type": "string"});
    spec["components"]["schemas"]["ConnectSession"]["properties"]["id"] =
        json!({"$ref": "#/components/schemas/SessionId"});
    let surface = surface_of(&spec);
    let id = find(&surface, "ConnectSession")
        .fields
        .iter()
        .find(|f| f.name == "id")
        .unwrap();
    assert_eq!(id.ty, Type::String);
}

#[test]
fn a_method_route_numbers_its_path_arguments_instead_of_naming_them() {
    let surface = surface_of(&spec());
    let retrieve = surface
        .methods
        .iter()
        .find(|m| m.name == "retrieve_connect_session")
        .unwrap();
    assert_eq!(
        retrieve.route,
        "GET /projects/{project}/connectSessions/{1}"
    );
    assert_eq!(retrieve.returns, "ConnectSession");
    assert_eq!(retrieve.arguments.len(), 1);
}
