//! The typed subset of OpenAPI 3.0 that codegen reads: what `load` produces and
//! `validate` checks. Keys the generator does not understand land in `other` so that
//! validation can reject them by pointer instead of silently dropping them.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Keys the generator reads nowhere but accepts: documentation only.
pub const DOC_ONLY_KEYS: &[&str] = &[
    "title",
    "example",
    "examples",
    "externalDocs",
    "deprecated",
    "default",
    // Set by the server, never sent: `lower` adds a note to the field's docs (request
    // bodies are schemas of their own here, so it changes no Rust type). Read from
    // `other`, not a field: every field of `Schema` deepens each level of the
    // parser's recursion (see `tests/depth.rs`).
    "readOnly",
];

/// The whole document.
#[derive(Debug, Deserialize)]
pub struct Spec {
    pub openapi: String,
    pub info: Info,
    #[serde(default)]
    pub servers: Vec<Server>,
    #[serde(default)]
    pub paths: IndexMap<String, PathItem>,
    #[serde(default)]
    pub components: Components,
    #[serde(default)]
    pub security: Vec<IndexMap<String, Vec<String>>>,
    #[serde(default)]
    pub tags: Vec<Value>,
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

#[derive(Debug, Deserialize)]
pub struct Info {
    pub title: String,
    pub version: String,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Server {
    pub url: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Components {
    #[serde(default)]
    pub schemas: IndexMap<String, Schema>,
    #[serde(default)]
    pub parameters: IndexMap<String, Parameter>,
    #[serde(default)]
    pub responses: IndexMap<String, Response>,
    #[serde(default)]
    pub request_bodies: IndexMap<String, RequestBody>,
    #[serde(default)]
    pub security_schemes: IndexMap<String, Value>,
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// A path and the operations under it.
#[derive(Debug, Deserialize)]
pub struct PathItem {
    #[serde(default)]
    pub parameters: Vec<ParameterOrRef>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub get: Option<Operation>,
    #[serde(default)]
    pub put: Option<Operation>,
    #[serde(default)]
    pub post: Option<Operation>,
    #[serde(default)]
    pub delete: Option<Operation>,
    #[serde(default)]
    pub patch: Option<Operation>,
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

impl PathItem {
    /// The operations under this path, as (lowercase method, operation), in the
    /// fixed order above so output never depends on key order in the file.
    pub fn operations(&self) -> impl Iterator<Item = (&'static str, &Operation)> {
        [
            ("get", &self.get),
            ("put", &self.put),
            ("post", &self.post),
            ("delete", &self.delete),
            ("patch", &self.patch),
        ]
        .into_iter()
        .filter_map(|(method, op)| op.as_ref().map(|op| (method, op)))
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    #[serde(default)]
    pub operation_id: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub parameters: Vec<ParameterOrRef>,
    #[serde(default)]
    pub request_body: Option<RequestBodyOrRef>,
    pub responses: IndexMap<String, ResponseOrRef>,
    #[serde(default)]
    pub security: Option<Vec<IndexMap<String, Vec<String>>>>,
    /// The API will drop the operation: the method's docs say so.
    #[serde(default)]
    pub deprecated: bool,
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// Either a `$ref` object or an inline definition.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum OrRef<T> {
    Ref {
        #[serde(rename = "$ref")]
        reference: String,
    },
    Inline(T),
}

impl<T> OrRef<T> {
    /// The definition this stands for: itself, or the entry of the `components`
    /// section (`parameters`, `responses`, …) its `$ref` names. `Err` is a reference
    /// that points at nothing there.
    pub fn resolve<'a>(
        &'a self,
        section: &str,
        components: &'a IndexMap<String, T>,
    ) -> Result<&'a T, &'a str> {
        match self {
            OrRef::Inline(definition) => Ok(definition),
            OrRef::Ref { reference } => reference
                .strip_prefix("#/components/")
                .and_then(|rest| rest.strip_prefix(section))
                .and_then(|rest| rest.strip_prefix('/'))
                .and_then(|name| components.get(name))
                .ok_or(reference.as_str()),
        }
    }
}

pub type ParameterOrRef = OrRef<Parameter>;
pub type ResponseOrRef = OrRef<Response>;
pub type RequestBodyOrRef = OrRef<RequestBody>;

#[derive(Debug, Deserialize)]
pub struct Parameter {
    pub name: String,
    #[serde(rename = "in")]
    pub location: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub description: Option<String>,
    pub schema: Schema,
    /// How values are serialized; only the default (`form` for query, `simple`
    /// for path and header) is supported.
    #[serde(default)]
    pub style: Option<String>,
    /// Whether array values repeat the key; only the default (`true` for `form`).
    #[serde(default)]
    pub explode: Option<bool>,
    /// Bound from the client's configuration instead of a method argument.
    #[serde(rename = "x-gigs-client-setting", default)]
    pub client_setting: bool,
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

#[derive(Debug, Deserialize)]
pub struct RequestBody {
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub description: Option<String>,
    pub content: IndexMap<String, MediaType>,
}

#[derive(Debug, Deserialize)]
pub struct Response {
    pub description: String,
    #[serde(default)]
    pub content: IndexMap<String, MediaType>,
    #[serde(default)]
    pub headers: IndexMap<String, Value>,
}

#[derive(Debug, Deserialize)]
pub struct MediaType {
    pub schema: Schema,
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// A JSON Schema object as OpenAPI 3.0 spells it.
#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    #[serde(rename = "$ref", default)]
    pub reference: Option<String>,
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub example: Option<Value>,
    #[serde(default)]
    pub nullable: bool,
    /// Bounds of an integer parameter, checked before a request is sent.
    #[serde(default)]
    pub minimum: Option<Value>,
    #[serde(default)]
    pub maximum: Option<Value>,
    #[serde(rename = "enum", default)]
    pub enum_values: Option<Vec<Value>>,
    #[serde(default)]
    pub properties: IndexMap<String, Schema>,
    #[serde(default)]
    pub required: Vec<String>,
    #[serde(default)]
    pub additional_properties: Option<AdditionalProperties>,
    #[serde(default)]
    pub items: Option<Box<Schema>>,
    #[serde(default)]
    pub one_of: Option<Vec<Schema>>,
    #[serde(default)]
    pub all_of: Option<Vec<Schema>>,
    #[serde(default)]
    pub discriminator: Option<Discriminator>,
    /// `not: {required: [a, b]}`: the listed properties may not all be present.
    #[serde(default)]
    pub not: Option<Box<Schema>>,
    /// `x-gigs-request-form-of`: this schema is the request form of the one
    /// referenced (`#/components/schemas/X`): the same shape, closed to unknown keys.
    #[serde(rename = "x-gigs-request-form-of", default)]
    pub request_form_of: Option<String>,
    /// Redacted from `Debug` in the generated type (the session `url`).
    #[serde(rename = "x-gigs-secret", default)]
    pub secret: bool,
    /// `x-gigs-event`: this schema is the envelope of the event of that type
    /// (`com.gigs.connectSession.created`), delivered by webhook, not an API model.
    #[serde(rename = "x-gigs-event", default)]
    pub event: Option<String>,
    /// `x-gigs-partial-of`: this schema is the referenced one (`#/components/schemas/X`)
    /// with every property optional and unknown keys kept: an event's `previousData`.
    #[serde(rename = "x-gigs-partial-of", default)]
    pub partial_of: Option<String>,
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum AdditionalProperties {
    Allowed(bool),
    Schema(Box<Schema>),
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Discriminator {
    pub property_name: String,
    #[serde(default)]
    pub mapping: IndexMap<String, String>,
}

impl Schema {
    /// `readOnly: true`: the server sets the property.
    pub fn is_read_only(&self) -> bool {
        self.other.get("readOnly") == Some(&Value::Bool(true))
    }

    /// The component name a `#/components/schemas/X` reference points at.
    pub fn ref_name(&self) -> Option<&str> {
        self.reference.as_deref().and_then(schema_ref_name)
    }

    /// The component this schema is the request form of (`x-gigs-request-form-of`).
    pub fn request_form_of(&self) -> Option<&str> {
        self.request_form_of.as_deref().and_then(schema_ref_name)
    }

    /// The component this schema is the partial form of (`x-gigs-partial-of`).
    pub fn partial_of(&self) -> Option<&str> {
        self.partial_of.as_deref().and_then(schema_ref_name)
    }

    /// Whether the schema only describes webhook events (an event envelope or a
    /// partial form), so it is generated behind the `webhooks` feature.
    pub fn is_event_only(&self) -> bool {
        self.event.is_some() || self.partial_of.is_some()
    }

    /// `x-gigs-set-once` as written: `true` on a property of a request body says Gigs
    /// accepts it once per resource (a later request that sets it is refused), so a
    /// request that sets it is not repeated after it may have reached Gigs. Read
    /// from the extensions rather than a field of its own: `Schema` is decoded
    /// recursively, and every field makes each nesting level's stack frame larger.
    pub fn set_once(&self) -> Option<&Value> {
        self.other.get(SET_ONCE)
    }

    /// Whether the schema says `x-gigs-set-once: true`.
    pub fn is_set_once(&self) -> bool {
        self.set_once() == Some(&Value::Bool(true))
    }

    /// `additionalProperties: false`: the schema refuses keys it does not list.
    pub fn is_closed(&self) -> bool {
        matches!(
            self.additional_properties,
            Some(AdditionalProperties::Allowed(false))
        )
    }

    /// The groups of properties that may not all be present (`not: {required}`).
    pub fn exclusive_groups(&self) -> Vec<&[String]> {
        self.not
            .iter()
            .map(|not| not.required.as_slice())
            .filter(|group| !group.is_empty())
            .collect()
    }
}

/// The extension marking a property Gigs accepts once (see [`Schema::set_once`]).
pub const SET_ONCE: &str = "x-gigs-set-once";

/// `#/components/schemas/X` → `X`.
pub fn schema_ref_name(reference: &str) -> Option<&str> {
    reference.strip_prefix("#/components/schemas/")
}

/// An operation's parameters: the path item's, unless the operation declares one
/// of the same name and location (OpenAPI's override rule), then the operation's own.
pub fn effective_parameters<T>(
    shared: Vec<T>,
    own: Vec<T>,
    key: impl Fn(&T) -> (&str, &str),
) -> Vec<T> {
    let mut params: Vec<T> = shared
        .into_iter()
        .filter(|s| !own.iter().any(|o| key(o) == key(s)))
        .collect();
    params.extend(own);
    params
}
