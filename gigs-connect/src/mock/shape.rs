//! The vocabulary of `generated/shapes.rs`: what codegen says about each model and
//! operation, in a form the mock server can walk at run time.

/// One model.
#[derive(Debug)]
pub(crate) enum Shape {
    /// An object with named properties.
    Object {
        properties: &'static [Property],
        /// `additionalProperties: false`: a key not in `properties` is refused.
        closed: bool,
        /// Groups of wire names that may not all be present (`not: {required}`).
        exclusive: &'static [&'static [&'static str]],
    },
    /// A closed set of strings.
    StringEnum(&'static [&'static str]),
    /// A tagged union in the Gigs intent shape: `{"<tag>": X, X: {payload}}`.
    Union {
        tag: &'static str,
        variants: &'static [Variant],
        /// Every member is closed: no key besides the tag and the payload.
        closed: bool,
    },
    /// A schema that restates another. This spec has none left (`IntentCreate` is a
    /// request form now), but codegen emits it for any `allOf` alias.
    #[allow(dead_code)]
    Alias(Value),
}

/// One property of an object model.
#[derive(Debug)]
pub(crate) struct Property {
    pub(crate) wire: &'static str,
    pub(crate) required: bool,
    pub(crate) nullable: bool,
    pub(crate) value: Value,
    /// The spec's example, as JSON text.
    pub(crate) example: Option<&'static str>,
}

/// One variant of a union.
#[derive(Debug)]
pub(crate) struct Variant {
    pub(crate) tag: &'static str,
    /// The payload model's name; `None` for variants without payload.
    pub(crate) payload: Option<&'static str>,
}

/// The type of a value. Codegen emits every variant some spec could need; this
/// spec happens not to use them all.
#[derive(Debug)]
#[allow(dead_code)]
pub(crate) enum Value {
    String,
    /// A `YYYY-MM-DD` string.
    Date,
    Bool,
    Integer,
    Number,
    /// Any JSON value.
    Any,
    /// Any JSON object.
    AnyObject,
    Array(&'static Value),
    Map(&'static Value),
    /// A model, by Rust name.
    Named(&'static str),
}

/// One operation.
#[derive(Debug)]
pub(crate) struct Operation {
    /// The spec's operationId.
    pub(crate) id: &'static str,
    pub(crate) method: &'static str,
    /// The path template, `{name}` placeholders and all.
    pub(crate) path: &'static str,
    /// Query and header parameters.
    pub(crate) parameters: &'static [Parameter],
    /// The request body's model.
    pub(crate) body: Option<&'static str>,
    /// Whether a request without a body is refused; an optional body may be left
    /// out (no content, no `Content-Type`).
    pub(crate) body_required: bool,
    /// The success status.
    pub(crate) status: u16,
    /// The success body's model; `None` for an answer without content.
    pub(crate) response: Option<&'static str>,
}

/// A query or header parameter of an operation.
#[derive(Debug)]
#[allow(
    dead_code,
    reason = "read once the spec has operations with parameters"
)]
pub(crate) struct Parameter {
    pub(crate) wire: &'static str,
    pub(crate) location: Location,
    pub(crate) required: bool,
    /// A scalar, a string enum (`Named`) or (query) an `Array` of those.
    pub(crate) value: Value,
    pub(crate) minimum: Option<i64>,
    pub(crate) maximum: Option<i64>,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(
    dead_code,
    reason = "built once the spec has operations with parameters"
)]
pub(crate) enum Location {
    Query,
    Header,
}

/// The model called `name`.
pub(crate) fn model(name: &str) -> Option<&'static Shape> {
    crate::generated::shapes::MODELS
        .iter()
        .find(|(model, _)| *model == name)
        .map(|(_, shape)| shape)
}
