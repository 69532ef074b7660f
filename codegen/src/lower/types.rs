//! Schemas → structs, string enums, unions and aliases.

use super::{Lowering, doc, type_name};
use crate::ir::{
    EnumValue, Field, Presence, StringEnum, Struct, Type, TypeDef, Union, UnionVariant,
};
use crate::model::{AdditionalProperties, Schema};
use crate::naming::{Case, enum_variant, sanitize};
use serde_json::Value;

impl<'a> Lowering<'a> {
    pub(super) fn schema(&self, name: &str, schema: &'a Schema, out: &mut Vec<TypeDef>) {
        let Some(original) = schema.request_form_of() else {
            return self.own_schema(name, schema, out);
        };
        let mut form = Vec::new();
        self.own_schema(name, schema, &mut form);
        let form = form.into_iter().next().expect("a schema lowers to a type");
        out.push(TypeDef::RequestForm {
            name: form.name().to_owned(),
            doc: doc(schema.description.as_deref(), None, || {
                format!("The request form of `{original}`: the same type.")
            }),
            target: Type::Named(type_name(original)),
            form: Box::new(form),
        });
    }

    fn own_schema(&self, name: &str, schema: &'a Schema, out: &mut Vec<TypeDef>) {
        let rust = type_name(name);
        let type_doc = doc(schema.description.as_deref(), None, || {
            format!("The `{name}` schema.")
        });
        if let Some(members) = &schema.one_of {
            out.push(TypeDef::Union(self.union(rust, type_doc, schema, members)));
        } else if let Some(parts) = &schema.all_of {
            out.push(TypeDef::Alias {
                name: rust,
                doc: type_doc,
                target: self.ty(&parts[0]),
            });
        } else if let Some(values) = &schema.enum_values {
            out.push(TypeDef::StringEnum(string_enum(rust, type_doc, values)));
        } else if schema.properties.is_empty() {
            out.push(TypeDef::Alias {
                name: rust,
                doc: type_doc,
                target: self.ty(schema),
            });
        } else {
            let (record, inline_enums) = self.record(name, rust, type_doc, schema);
            out.push(TypeDef::Struct(record));
            out.extend(inline_enums.into_iter().map(TypeDef::StringEnum));
        }
    }

    pub(super) fn record(
        &self,
        name: &str,
        rust: String,
        type_doc: String,
        schema: &'a Schema,
    ) -> (Struct, Vec<StringEnum>) {
        let is_patch_body = self.patch_bodies.contains(name);
        let mut inline_enums = Vec::new();
        let fields = schema
            .properties
            .iter()
            .map(|(wire, property)| {
                let required = schema.required.iter().any(|r| r == wire);
                let nullable = property.nullable
                    || property
                        .ref_name()
                        .is_some_and(|target| self.component(target).nullable);
                let presence = match (required, nullable) {
                    (true, false) => Presence::Required,
                    (true, true) => Presence::RequiredNullable,
                    (false, true) if is_patch_body => Presence::Patch,
                    (false, _) => Presence::Optional,
                };
                let ty = if let (Some(values), None) = (&property.enum_values, &property.reference)
                {
                    let enum_name = format!(
                        "{rust}{}",
                        sanitize(wire, Case::Pascal).expect("validated property")
                    );
                    let enum_doc = doc(property.description.as_deref(), None, || {
                        format!("The values of `{name}.{wire}`.")
                    });
                    inline_enums.push(string_enum(enum_name.clone(), enum_doc, values));
                    Type::Named(enum_name)
                } else {
                    self.ty(property)
                };
                let fixed = match (&ty, presence) {
                    (Type::Named(enum_name), Presence::Required) => {
                        self.single_value(enum_name, &inline_enums)
                    }
                    _ => None,
                };
                Field {
                    name: sanitize(wire, Case::Snake).expect("validated property"),
                    fixed,
                    wire_name: wire.clone(),
                    doc: self.field_doc(wire, property),
                    ty,
                    presence,
                    nullable,
                    example: property.example.as_ref().map(|e| e.to_string()),
                }
            })
            .collect();
        let deny_unknown_fields = matches!(
            schema.additional_properties,
            Some(AdditionalProperties::Allowed(false))
        );
        (
            Struct {
                name: rust,
                doc: type_doc,
                fields,
                deny_unknown_fields,
                exclusive: schema
                    .exclusive_groups()
                    .into_iter()
                    .map(<[String]>::to_vec)
                    .collect(),
            },
            inline_enums,
        )
    }

    /// The only variant of a one-value string enum (`object: connectSession`), which
    /// constructors fill in instead of asking for.
    fn single_value(&self, enum_name: &str, inline_enums: &[StringEnum]) -> Option<String> {
        if let Some(inline) = inline_enums.iter().find(|e| e.name == enum_name) {
            return match inline.values.as_slice() {
                [only] => Some(only.variant.clone()),
                _ => None,
            };
        }
        let (_, schema) = self
            .spec
            .components
            .schemas
            .iter()
            .find(|(name, _)| type_name(name) == enum_name)?;
        match schema.enum_values.as_deref() {
            Some([Value::String(only)]) => enum_variant(only),
            _ => None,
        }
    }

    fn field_doc(&self, wire: &str, property: &Schema) -> String {
        let target = property.ref_name().map(|t| self.component(t));
        let description = property
            .description
            .as_deref()
            .or_else(|| target.and_then(|t| t.description.as_deref()));
        let doc = doc(description, property.example.as_ref(), || {
            format!("The `{wire}` field.")
        });
        match property.is_read_only() {
            true => format!("{doc}\n\nRead-only: set by the API, never sent."),
            false => doc,
        }
    }

    /// The Rust type of a property, array item or alias target.
    fn ty(&self, schema: &Schema) -> Type {
        if let Some(target) = schema.ref_name() {
            return Type::Named(type_name(target));
        }
        match schema.kind.as_deref() {
            Some("string") if schema.secret => Type::SecretString,
            Some("string") if schema.format.as_deref() == Some("date") => Type::Date,
            Some("string") => Type::String,
            Some("boolean") => Type::Bool,
            Some("integer") => Type::Integer,
            Some("number") => Type::Number,
            Some("array") => Type::Array(Box::new(
                self.ty(schema.items.as_deref().expect("validated array")),
            )),
            Some("object") | None => match &schema.additional_properties {
                Some(AdditionalProperties::Schema(values)) => Type::Map(Box::new(self.ty(values))),
                _ => Type::JsonObject,
            },
            Some(_) => Type::Json,
        }
    }

    fn union(&self, name: String, doc_text: String, schema: &Schema, members: &[Schema]) -> Union {
        let tag_property = schema
            .discriminator
            .as_ref()
            .expect("validated union")
            .property_name
            .clone();
        let closed = members.iter().all(|member| {
            let name = member.ref_name().expect("validated member");
            self.component(name).is_closed()
        });
        let variants = members
            .iter()
            .map(|member| {
                let member_name = member.ref_name().expect("validated member");
                let member = self.component(member_name);
                let tag = match member.properties[&tag_property].enum_values.as_deref() {
                    Some([Value::String(tag)]) => tag.clone(),
                    _ => unreachable!("validated tag"),
                };
                let payload = member
                    .properties
                    .get(&tag)
                    .map(|p| type_name(p.ref_name().expect("validated payload")));
                UnionVariant {
                    name: sanitize(&tag, Case::Pascal).expect("validated tag"),
                    constructor: sanitize(&tag, Case::Snake).expect("validated tag"),
                    doc: doc(member.description.as_deref(), None, || {
                        format!("The `{tag}` variant.")
                    }),
                    tag,
                    payload,
                }
            })
            .collect();
        Union {
            name,
            doc: doc_text,
            tag_property,
            variants,
            closed,
        }
    }
}

fn string_enum(name: String, doc: String, values: &[Value]) -> StringEnum {
    let values = values
        .iter()
        .filter_map(Value::as_str)
        .map(|wire| EnumValue {
            variant: enum_variant(wire).expect("validated enum value"),
            wire: wire.to_owned(),
        })
        .collect();
    StringEnum { name, doc, values }
}
