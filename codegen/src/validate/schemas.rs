//! Schemas: names, types, formats, enums and objects.

use super::{STRING_FORMATS, Validator};
use crate::model::{AdditionalProperties, DOC_ONLY_KEYS, Schema};
use crate::naming::{Case, RESERVED_TYPE_NAMES, STRUCT_METHODS, bare, enum_variant, sanitize};
use crate::pointer::Pointer;
use std::collections::BTreeMap;

impl<'a> Validator<'a> {
    pub(super) fn schema_names(&mut self) {
        let schemas = Pointer::root().join("components").join("schemas");
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for name in self.spec.components.schemas.keys() {
            let pointer = schemas.join(name);
            match sanitize(name, Case::Pascal) {
                None => self.report(
                    pointer,
                    format!("schema name `{name}` gives no Rust identifier"),
                ),
                Some(rust) if RESERVED_TYPE_NAMES.contains(&rust.as_str()) => self.report(
                    pointer,
                    format!("schema name `{name}` becomes `{rust}`, a name generated code uses for something else"),
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

    pub(super) fn top_level_schema(&mut self, name: &str, schema: &Schema, at: &Pointer) {
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
        for (key, bound) in [("minimum", &schema.minimum), ("maximum", &schema.maximum)] {
            if bound.is_some() {
                self.report(
                    at.join(key),
                    format!("`{key}` is only supported on integer parameters"),
                );
            }
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

    pub(super) fn format(&mut self, schema: &Schema, at: &Pointer, known: &[&str]) {
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
            match enum_variant(value) {
                None => self.report(at, format!("enum value `{value}` gives no Rust identifier")),
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
            self.object_property(owner, wire, property, &at, &mut seen);
        }
        // A PATCH body's nullable field `x` gets a `clear_x` setter beside `x`.
        for (field, wire) in &seen {
            let clear = format!("clear_{}", bare(field));
            if let Some(other) = seen.get(&clear) {
                self.report(
                    at.join("properties").join(other),
                    format!("property `{other}` collides with the `{clear}` setter of `{wire}`"),
                );
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

    /// Checks one property of a named object: it gives a field name no other
    /// property or model method takes, and an inline enum's type name is free.
    fn object_property<'s>(
        &mut self,
        owner: &str,
        wire: &'s str,
        property: &Schema,
        at: &Pointer,
        seen: &mut BTreeMap<String, &'s str>,
    ) {
        match sanitize(wire, Case::Snake) {
            None => self.report(
                at.clone(),
                format!("property name `{wire}` gives no Rust identifier"),
            ),
            Some(field) => {
                if STRUCT_METHODS.contains(&bare(&field)) {
                    self.report(
                        at.clone(),
                        format!("property `{wire}` would get the setter `{field}`, which every model already has"),
                    );
                }
                if let Some(first) = seen.insert(field.clone(), wire) {
                    self.report(
                        at.clone(),
                        format!(
                            "property `{wire}` collides with `{first}`: both become field `{field}`"
                        ),
                    );
                }
            }
        }
        if property.enum_values.is_some() && property.reference.is_none() {
            // Inline enums become `{Owner}{Property}` types; that name must be free.
            let generated = format!(
                "{}{}",
                sanitize(owner, Case::Pascal).unwrap_or_default(),
                sanitize(wire, Case::Pascal).unwrap_or_default()
            );
            if self.rust_schema_names.contains(&generated)
                || RESERVED_TYPE_NAMES.contains(&generated.as_str())
            {
                self.report(
                    at.clone(),
                    format!(
                        "inline enum would be named `{generated}`, which a schema or generated code already uses"
                    ),
                );
            }
            self.schema(owner, property, at, false);
        } else {
            self.schema(owner, property, at, false);
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
}
