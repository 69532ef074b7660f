//! Pipeline stage 2 of 5: check the typed model against every rule `lower` relies
//! on, and report all problems at once, each with its JSON pointer.

use crate::error::Problem;
use crate::model::{
    AdditionalProperties, DOC_ONLY_KEYS, Operation, OrRef, Parameter, Schema, Spec, schema_ref_name,
};
use crate::naming::{Case, sanitize};
use crate::pointer::Pointer;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

mod request_forms;

/// String formats that only annotate a `String`; `date` is typed.
const STRING_FORMATS: &[&str] = &["date", "email", "uri", "uuid", "hostname"];

/// Every problem in `spec`; empty when `lower` may run.
pub fn validate(spec: &Spec) -> Vec<Problem> {
    let mut v = Validator {
        spec,
        problems: Vec::new(),
        rust_schema_names: BTreeSet::new(),
    };
    v.document();
    v.problems.sort();
    v.problems.dedup();
    v.problems
}

struct Validator<'a> {
    spec: &'a Spec,
    problems: Vec<Problem>,
    /// The Rust name of every schema, filled by `schema_names` so later checks look
    /// names up instead of converting every schema name again (that was quadratic).
    rust_schema_names: BTreeSet<String>,
}

impl<'a> Validator<'a> {
    fn report(&mut self, pointer: Pointer, message: impl Into<String>) {
        self.problems.push(Problem::new(pointer, message));
    }

    fn document(&mut self) {
        let root = Pointer::root();
        if !self.spec.openapi.starts_with("3.0.") {
            self.report(
                root.join("openapi"),
                format!(
                    "unsupported OpenAPI version `{}`; codegen reads 3.0.x",
                    self.spec.openapi
                ),
            );
        }
        self.extensions_only(&root, &self.spec.other, &[]);
        self.extensions_only(&root.join("components"), &self.spec.components.other, &[]);
        if !self.spec.components.request_bodies.is_empty() {
            self.report(
                root.join("components").join("requestBodies"),
                "shared request bodies are not supported; put the body in the operation",
            );
        }
        self.schema_names();
        let schemas = root.join("components").join("schemas");
        for (name, schema) in &self.spec.components.schemas {
            let pointer = schemas.join(name);
            self.top_level_schema(name, schema, &pointer);
        }
        self.ref_cycles();
        self.request_forms();
        self.operations();
    }

    /// Unknown keys are unsupported constructs unless they are extensions or
    /// documentation-only.
    fn extensions_only(&mut self, at: &Pointer, other: &BTreeMap<String, Value>, allowed: &[&str]) {
        for key in other.keys() {
            if !key.starts_with("x-") && !allowed.contains(&key.as_str()) {
                self.report(at.join(key), format!("unsupported keyword `{key}`"));
            }
        }
    }

    fn schema_names(&mut self) {
        let schemas = Pointer::root().join("components").join("schemas");
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for name in self.spec.components.schemas.keys() {
            let pointer = schemas.join(name);
            match sanitize(name, Case::Pascal) {
                None => self.report(
                    pointer,
                    format!("schema name `{name}` gives no Rust identifier"),
                ),
                Some(rust) => {
                    self.rust_schema_names.insert(rust.clone());
                    if let Some(first) = seen.insert(rust.clone(), name) {
                        self.report(
                            pointer,
                            format!(
                                "schema name `{name}` collides with `{first}`: both become `{rust}`"
                            ),
                        );
                    }
                }
            }
        }
    }

    fn top_level_schema(&mut self, name: &str, schema: &Schema, at: &Pointer) {
        if let Some(members) = &schema.one_of {
            self.union(name, schema, members, at);
        } else if let Some(parts) = &schema.all_of {
            if parts.len() != 1 || parts[0].ref_name().is_none() {
                self.report(
                    at.join("allOf"),
                    "only `allOf` with a single `$ref` (an alias) is supported",
                );
            } else {
                self.schema(name, &parts[0], &at.join("allOf").join(0), false);
            }
        } else {
            self.schema(name, schema, at, true);
        }
    }

    /// Checks one schema; `named` says whether it may define an object (inline
    /// objects have no name to become a Rust type).
    fn schema(&mut self, owner: &str, schema: &Schema, at: &Pointer, named: bool) {
        self.extensions_only(at, &schema.other, DOC_ONLY_KEYS);
        if let Some(reference) = &schema.reference {
            self.reference(reference, at);
            return;
        }
        if schema.one_of.is_some() {
            self.report(
                at.join("oneOf"),
                "`oneOf` is only supported as a whole component schema",
            );
            return;
        }
        if schema.all_of.is_some() {
            self.report(
                at.join("allOf"),
                "`allOf` is only supported as a whole component schema",
            );
            return;
        }
        if schema.discriminator.is_some() {
            self.report(at.join("discriminator"), "`discriminator` needs `oneOf`");
        }
        if schema.secret && schema.kind.as_deref() != Some("string") {
            self.report(
                at.join("x-gigs-secret"),
                "only strings can be marked secret",
            );
        }
        let kind = match &schema.kind {
            Some(kind) => kind.as_str(),
            None if !schema.properties.is_empty() => "object",
            None => {
                self.report(
                    at.clone(),
                    "schema has no `type`, `$ref`, `oneOf` or `allOf`",
                );
                return;
            }
        };
        if schema.not.is_some() && kind != "object" {
            self.report(at.join("not"), "`not` is only supported on object schemas");
        }
        if schema.enum_values.is_some() && kind != "string" {
            self.report(
                at.join("enum"),
                format!("`enum` is only supported on strings, not `{kind}`"),
            );
        }
        match kind {
            "string" => self.string(schema, at),
            "boolean" => {}
            "integer" => self.format(schema, at, &["int32", "int64"]),
            "number" => self.format(schema, at, &["float", "double"]),
            "array" => match &schema.items {
                Some(items) => self.schema(owner, items, &at.join("items"), false),
                None => self.report(at.clone(), "array schema has no `items`"),
            },
            "object" => self.object(owner, schema, at, named),
            other => self.report(
                at.join("type"),
                format!("unsupported schema type `{other}`"),
            ),
        }
    }

    fn format(&mut self, schema: &Schema, at: &Pointer, known: &[&str]) {
        if let Some(format) = &schema.format
            && !known.contains(&format.as_str())
        {
            self.report(at.join("format"), format!("unsupported format `{format}`"));
        }
    }

    fn string(&mut self, schema: &Schema, at: &Pointer) {
        self.format(schema, at, STRING_FORMATS);
        let Some(values) = &schema.enum_values else {
            return;
        };
        if values.is_empty() {
            self.report(at.join("enum"), "`enum` is empty");
        }
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for (i, value) in values.iter().enumerate() {
            let at = at.join("enum").join(i);
            let Some(value) = value.as_str() else {
                self.report(at, format!("enum value {value} is not a string"));
                continue;
            };
            match sanitize(value, Case::Pascal) {
                None => self.report(at, format!("enum value `{value}` gives no Rust identifier")),
                Some(variant) if variant == "Unknown" => self.report(
                    at,
                    format!("enum value `{value}` collides with the `Unknown` variant that keeps unknown values"),
                ),
                Some(variant) => {
                    if let Some(first) = seen.insert(variant.clone(), value.to_owned()) {
                        self.report(
                            at,
                            format!("enum value `{value}` collides with `{first}`: both become `{variant}`"),
                        );
                    }
                }
            }
        }
    }

    fn object(&mut self, owner: &str, schema: &Schema, at: &Pointer, named: bool) {
        let free_form = schema.properties.is_empty();
        if !named && !free_form {
            self.report(
                at.clone(),
                "inline object schemas are not supported; move it to `#/components/schemas` and `$ref` it",
            );
            return;
        }
        if let Some(AdditionalProperties::Schema(values)) = &schema.additional_properties {
            if !free_form {
                self.report(
                    at.join("additionalProperties"),
                    "typed `additionalProperties` next to `properties` is not supported",
                );
            }
            self.schema(owner, values, &at.join("additionalProperties"), false);
        }
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for (wire, property) in &schema.properties {
            let at = at.join("properties").join(wire);
            match sanitize(wire, Case::Snake) {
                None => self.report(
                    at.clone(),
                    format!("property name `{wire}` gives no Rust identifier"),
                ),
                Some(field) => {
                    if let Some(first) = seen.insert(field.clone(), wire) {
                        self.report(
                            at.clone(),
                            format!("property `{wire}` collides with `{first}`: both become field `{field}`"),
                        );
                    }
                }
            }
            if property.enum_values.is_some() && property.reference.is_none() {
                // Inline enums become `{Owner}{Property}` types; that name must be free.
                let generated = format!(
                    "{owner}{}",
                    sanitize(wire, Case::Pascal).unwrap_or_default()
                );
                if self.rust_schema_names.contains(&generated) {
                    self.report(
                        at.clone(),
                        format!(
                            "inline enum would be named `{generated}`, which a schema already uses"
                        ),
                    );
                }
                self.schema(owner, property, &at, false);
            } else {
                self.schema(owner, property, &at, false);
            }
        }
        for (i, required) in schema.required.iter().enumerate() {
            if !schema.properties.contains_key(required) {
                self.report(
                    at.join("required").join(i),
                    format!("required property `{required}` is not in `properties`"),
                );
            }
        }
        if let Some(not) = &schema.not {
            self.exclusive_group(schema, not, &at.join("not"));
        }
    }

    /// `not: {required: [a, b]}` is the one `not` codegen reads: a, b, … may not all
    /// be present. It becomes no Rust type; the mock refuses such a body.
    fn exclusive_group(&mut self, schema: &Schema, not: &Schema, at: &Pointer) {
        let only_required = Schema {
            required: not.required.clone(),
            ..Schema::default()
        };
        if *not != only_required || not.required.len() < 2 {
            self.report(
                at.clone(),
                "only `not: {\"required\": [two or more properties]}` is supported",
            );
            return;
        }
        for (i, name) in not.required.iter().enumerate() {
            if !schema.properties.contains_key(name) {
                self.report(
                    at.join("required").join(i),
                    format!("`{name}` is not in `properties`"),
                );
            }
        }
    }

    fn reference(&mut self, reference: &str, at: &Pointer) -> Option<&'a Schema> {
        let Some(name) = schema_ref_name(reference) else {
            self.report(
                at.join("$ref"),
                format!("`$ref` `{reference}` must point into `#/components/schemas`"),
            );
            return None;
        };
        let found = self.spec.components.schemas.get(name);
        if found.is_none() {
            self.report(
                at.join("$ref"),
                format!("`$ref` `{reference}` points at nothing"),
            );
        }
        found
    }

    fn union(&mut self, name: &str, schema: &Schema, members: &[Schema], at: &Pointer) {
        self.extensions_only(at, &schema.other, DOC_ONLY_KEYS);
        let Some(discriminator) = &schema.discriminator else {
            self.report(
                at.join("oneOf"),
                "`oneOf` without a `discriminator` is not supported (decoding dispatches on the tag)",
            );
            return;
        };
        let tag = discriminator.property_name.as_str();
        let mut tags: BTreeMap<String, String> = BTreeMap::new();
        let mut variants: BTreeMap<String, String> = BTreeMap::new();
        for (i, member) in members.iter().enumerate() {
            let at = at.join("oneOf").join(i);
            let Some(reference) = &member.reference else {
                self.report(at, "`oneOf` members must be `$ref`s to object schemas");
                continue;
            };
            let Some(target) = self.reference(reference, &at) else {
                continue;
            };
            let target_at = Pointer::from_ref(reference);
            let Some(value) = self.union_member(target, tag, &target_at) else {
                continue;
            };
            if let Some(first) = tags.insert(value.clone(), reference.clone()) {
                self.report(
                    at.clone(),
                    format!("tag `{value}` is used by `{first}` too"),
                );
            }
            if let Some(variant) = sanitize(&value, Case::Pascal)
                && let Some(first) = variants.insert(variant.clone(), value.clone())
                && first != value
            {
                self.report(
                    at.clone(),
                    format!(
                        "tag `{value}` collides with `{first}`: both become variant `{variant}`"
                    ),
                );
            }
            if let Some(mapped) = discriminator.mapping.get(&value)
                && mapped != reference
            {
                self.report(
                    at.join("$ref"),
                    format!("discriminator mapping sends `{value}` to `{mapped}`, not here"),
                );
            }
        }
        for (value, target) in &discriminator.mapping {
            if !tags.contains_key(value) {
                self.report(
                    at.join("discriminator").join("mapping").join(value),
                    format!(
                        "mapping names `{target}`, which is not a `oneOf` member with tag `{value}`"
                    ),
                );
            }
        }
        if variants.contains_key("Unknown") {
            self.report(
                at.join("oneOf"),
                format!("a tag of `{name}` becomes `Unknown`, the variant that keeps unknown tags"),
            );
        }
    }

    /// Checks one union member and returns its tag value.
    fn union_member(&mut self, member: &Schema, tag: &str, at: &Pointer) -> Option<String> {
        let Some(tag_schema) = member.properties.get(tag) else {
            self.report(
                at.join("properties"),
                format!("union member has no `{tag}` property"),
            );
            return None;
        };
        let tag_at = at.join("properties").join(tag);
        let value = match tag_schema.enum_values.as_deref() {
            Some([Value::String(value)]) => value.clone(),
            _ => {
                self.report(
                    tag_at.join("enum"),
                    format!("`{tag}` must be a string enum of exactly one value"),
                );
                return None;
            }
        };
        if !member.required.iter().any(|r| r == tag) {
            self.report(at.join("required"), format!("`{tag}` must be required"));
        }
        for (key, payload) in &member.properties {
            if key == tag {
                continue;
            }
            let payload_at = at.join("properties").join(key);
            if *key != value {
                self.report(
                    payload_at,
                    format!("payload key `{key}` must be named like the type `{value}`"),
                );
                continue;
            }
            if payload.ref_name().is_none() {
                self.report(
                    payload_at,
                    "the payload must be a `$ref` to an object schema",
                );
            }
            if !member.required.iter().any(|r| r == key) {
                self.report(
                    at.join("required"),
                    format!("payload `{key}` must be required"),
                );
            }
        }
        Some(value)
    }

    /// Schemas that contain themselves through `$ref`s would be infinitely sized.
    fn ref_cycles(&mut self) {
        let schemas = &self.spec.components.schemas;
        let edges: BTreeMap<&str, BTreeSet<&str>> = schemas
            .iter()
            .map(|(name, schema)| {
                let mut out = BTreeSet::new();
                collect_refs(schema, schemas, &mut out);
                (name.as_str(), out)
            })
            .collect();
        let on_a_cycle = on_a_cycle(&edges);
        let mut reported: BTreeSet<&str> = BTreeSet::new();
        for start in edges.keys().filter(|name| on_a_cycle.contains(*name)) {
            if let Some(cycle) = find_cycle(start, &edges) {
                if cycle.iter().any(|n| reported.contains(n)) {
                    continue;
                }
                reported.extend(cycle.iter().copied());
                let at = Pointer::root()
                    .join("components")
                    .join("schemas")
                    .join(start);
                self.report(
                    at,
                    format!(
                        "`$ref` cycle {}: recursive schemas are not supported",
                        cycle.join(" → ")
                    ),
                );
            }
        }
    }

    fn operations(&mut self) {
        let paths_at = Pointer::root().join("paths");
        let mut ids: BTreeMap<String, String> = BTreeMap::new();
        for (path, item) in &self.spec.paths {
            let item_at = paths_at.join(path);
            self.extensions_only(&item_at, &item.other, &[]);
            if !path.starts_with('/') {
                self.report(item_at.clone(), "a path must start with `/`");
            }
            let shared = self.parameters(&item.parameters, &item_at.join("parameters"));
            for (method, op) in item.operations() {
                let at = item_at.join(method);
                self.operation(path, op, &at, &shared, &mut ids);
            }
        }
    }

    fn parameters(&mut self, params: &'a [OrRef<Parameter>], at: &Pointer) -> Vec<&'a Parameter> {
        let mut out = Vec::new();
        for (i, param) in params.iter().enumerate() {
            let at = at.join(i);
            let param = match param {
                OrRef::Inline(p) => p,
                OrRef::Ref { reference } => {
                    let found = reference
                        .strip_prefix("#/components/parameters/")
                        .and_then(|n| self.spec.components.parameters.get(n));
                    match found {
                        Some(p) => p,
                        None => {
                            self.report(
                                at.join("$ref"),
                                format!("`$ref` `{reference}` points at no parameter"),
                            );
                            continue;
                        }
                    }
                }
            };
            self.extensions_only(&at, &param.other, DOC_ONLY_KEYS);
            if param.location != "path" {
                self.report(
                    at.join("in"),
                    format!(
                        "`{}` parameters are not supported; only `path`",
                        param.location
                    ),
                );
            }
            if !param.required {
                self.report(at.join("required"), "path parameters must be required");
            }
            if param.schema.kind.as_deref() != Some("string") || param.schema.enum_values.is_some()
            {
                self.report(at.join("schema"), "path parameters must be plain strings");
            }
            if sanitize(&param.name, Case::Snake).is_none() {
                self.report(
                    at.join("name"),
                    format!("parameter name `{}` gives no Rust identifier", param.name),
                );
            }
            out.push(param);
        }
        out
    }

    fn operation(
        &mut self,
        path: &str,
        op: &'a Operation,
        at: &Pointer,
        shared: &[&'a Parameter],
        ids: &mut BTreeMap<String, String>,
    ) {
        self.extensions_only(at, &op.other, &[]);
        match &op.operation_id {
            None => self.report(at.clone(), "operation has no `operationId`"),
            Some(id) => match sanitize(id, Case::Snake) {
                None => self.report(
                    at.join("operationId"),
                    format!("operationId `{id}` gives no Rust identifier"),
                ),
                Some(method_name) => {
                    if let Some(first) = ids.insert(method_name.clone(), id.clone()) {
                        let why = if first == *id {
                            "is used twice".to_owned()
                        } else {
                            format!("collides with `{first}`: both become `{method_name}`")
                        };
                        self.report(at.join("operationId"), format!("operationId `{id}` {why}"));
                    }
                }
            },
        }
        let own = self.parameters(&op.parameters, &at.join("parameters"));
        let declared: BTreeSet<&str> = shared
            .iter()
            .chain(own.iter())
            .map(|p| p.name.as_str())
            .collect();
        let in_path: BTreeSet<&str> = template_params(path).into_iter().collect();
        for name in in_path.difference(&declared) {
            self.report(
                at.join("parameters"),
                format!("path parameter `{{{name}}}` of `{path}` is not declared"),
            );
        }
        for name in declared.difference(&in_path) {
            self.report(
                at.join("parameters"),
                format!("parameter `{name}` is not in the path `{path}`"),
            );
        }
        if let Some(body) = &op.request_body {
            let at = at.join("requestBody");
            match body {
                OrRef::Ref { .. } => self.report(
                    at,
                    "request body `$ref`s are not supported; inline the body",
                ),
                OrRef::Inline(body) => {
                    if !body.required {
                        self.report(at.join("required"), "request bodies must be required");
                    }
                    self.json_content(&body.content, &at.join("content"));
                }
            }
        }
        self.responses(op, &at.join("responses"));
    }

    /// A body must be exactly `application/json` with a `$ref` to an object schema.
    fn json_content(
        &mut self,
        content: &'a indexmap::IndexMap<String, crate::model::MediaType>,
        at: &Pointer,
    ) -> Option<&'a str> {
        let mut found = None;
        for (media, body) in content {
            let media_at = at.join(media);
            if media != "application/json" {
                self.report(
                    media_at,
                    format!("media type `{media}` is not supported; only `application/json`"),
                );
                continue;
            }
            self.extensions_only(&media_at, &body.other, DOC_ONLY_KEYS);
            match &body.schema.reference {
                Some(reference) => {
                    if let Some(target) = self.reference(reference, &media_at.join("schema")) {
                        if target.properties.is_empty()
                            && target.one_of.is_none()
                            && target.all_of.is_none()
                        {
                            self.report(media_at.join("schema"), "a body must be an object schema");
                        }
                        found = schema_ref_name(reference);
                    }
                }
                None => self.report(
                    media_at.join("schema"),
                    "a body schema must be a `$ref` to a component schema",
                ),
            }
        }
        if content.is_empty() {
            self.report(at.clone(), "no content: a body needs `application/json`");
        }
        found
    }

    fn responses(&mut self, op: &'a Operation, at: &Pointer) {
        let mut success = 0;
        let mut errors: BTreeSet<&str> = BTreeSet::new();
        for (status, response) in &op.responses {
            let status_at = at.join(status);
            let response = match response {
                OrRef::Inline(r) => r,
                OrRef::Ref { reference } => {
                    match reference
                        .strip_prefix("#/components/responses/")
                        .and_then(|n| self.spec.components.responses.get(n))
                    {
                        Some(r) => r,
                        None => {
                            self.report(
                                status_at.join("$ref"),
                                format!("`$ref` `{reference}` points at no response"),
                            );
                            continue;
                        }
                    }
                }
            };
            let schema = self.json_content(&response.content, &status_at.join("content"));
            if status.starts_with('2') {
                success += 1;
                if !status
                    .parse::<u16>()
                    .is_ok_and(|code| (200..300).contains(&code))
                {
                    self.report(
                        status_at,
                        format!("success status `{status}` must be one code such as `200`: the client and the mock server need the exact status"),
                    );
                }
            } else if ["4XX", "5XX", "default"].contains(&status.as_str())
                || status.starts_with('4')
                || status.starts_with('5')
            {
                errors.extend(schema);
            } else {
                self.report(status_at, format!("unsupported response status `{status}`"));
            }
        }
        if success != 1 {
            self.report(
                at.clone(),
                format!("an operation needs exactly one 2xx response, found {success}"),
            );
        }
        if errors.len() != 1 {
            self.report(
                at.clone(),
                "an operation needs one error schema shared by its 4XX/5XX responses",
            );
        }
    }
}

/// `{name}` segments of a path template, in order.
pub fn template_params(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

fn collect_refs<'s>(
    schema: &'s Schema,
    all: &'s indexmap::IndexMap<String, Schema>,
    out: &mut BTreeSet<&'s str>,
) {
    if let Some(name) = schema.ref_name()
        && let Some((name, _)) = all.get_key_value(name)
    {
        out.insert(name.as_str());
    }
    for child in schema.properties.values() {
        collect_refs(child, all, out);
    }
    if let Some(items) = &schema.items {
        collect_refs(items, all, out);
    }
    if let Some(AdditionalProperties::Schema(values)) = &schema.additional_properties {
        collect_refs(values, all, out);
    }
    for child in schema.one_of.iter().chain(&schema.all_of).flatten() {
        collect_refs(child, all, out);
    }
}

/// The schemas that reach themselves through references: members of a strongly
/// connected component of two or more, or with a reference to themselves (Tarjan's
/// algorithm, linear). Only these need `find_cycle`, whose search from every
/// schema would be quadratic on a spec with thousands of intents.
fn on_a_cycle<'s>(edges: &BTreeMap<&'s str, BTreeSet<&'s str>>) -> BTreeSet<&'s str> {
    #[derive(Default)]
    struct Tarjan<'s> {
        index: BTreeMap<&'s str, usize>,
        low: BTreeMap<&'s str, usize>,
        stack: Vec<&'s str>,
        on_stack: BTreeSet<&'s str>,
        cyclic: BTreeSet<&'s str>,
    }
    impl<'s> Tarjan<'s> {
        fn visit(&mut self, node: &'s str, edges: &BTreeMap<&'s str, BTreeSet<&'s str>>) {
            let index = self.index.len();
            self.index.insert(node, index);
            self.low.insert(node, index);
            self.stack.push(node);
            self.on_stack.insert(node);
            for &next in edges.get(node).into_iter().flatten() {
                if !self.index.contains_key(next) {
                    self.visit(next, edges);
                    let low = self.low[node].min(self.low[next]);
                    self.low.insert(node, low);
                } else if self.on_stack.contains(next) {
                    let low = self.low[node].min(self.index[next]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == index {
                let at = self
                    .stack
                    .iter()
                    .rposition(|&n| n == node)
                    .expect("a node is on the stack until its component is popped");
                let component = self.stack.split_off(at);
                for member in &component {
                    self.on_stack.remove(member);
                }
                let self_loop = edges.get(node).is_some_and(|next| next.contains(node));
                if component.len() > 1 || self_loop {
                    self.cyclic.extend(component);
                }
            }
        }
    }
    let mut tarjan = Tarjan::default();
    for &node in edges.keys() {
        if !tarjan.index.contains_key(node) {
            tarjan.visit(node, edges);
        }
    }
    tarjan.cyclic
}

/// A path of references from `start` back to itself, if there is one.
fn find_cycle<'s>(
    start: &'s str,
    edges: &BTreeMap<&'s str, BTreeSet<&'s str>>,
) -> Option<Vec<&'s str>> {
    fn walk<'s>(
        node: &'s str,
        start: &'s str,
        edges: &BTreeMap<&'s str, BTreeSet<&'s str>>,
        trail: &mut Vec<&'s str>,
        seen: &mut BTreeSet<&'s str>,
    ) -> bool {
        for &next in edges.get(node).into_iter().flatten() {
            if next == start {
                trail.push(next);
                return true;
            }
            if seen.insert(next) {
                trail.push(next);
                if walk(next, start, edges, trail, seen) {
                    return true;
                }
                trail.pop();
            }
        }
        false
    }
    let mut trail = vec![start];
    walk(start, start, edges, &mut trail, &mut BTreeSet::new()).then_some(trail)
}
