//! The shapes the hand-written runtime relies on. `error.rs` formats `ApiError`'s
//! `type`, `code` and `message`; the mock server walks the `Intent` union. A spec
//! that changes them must fail here, by pointer, not as a compile error in code
//! the maintainer never touched.

use super::Validator;
use super::responses::ERROR_SCHEMA;
use crate::model::Schema;
use crate::pointer::Pointer;

/// The union the mock server and the crate's docs are built around.
const INTENT_SCHEMA: &str = "Intent";

/// How `error.rs` uses a property of the error envelope.
enum Use {
    /// Printed as is: required, never null (a string or a string enum).
    Always,
    /// `Option<String>`: a string that may be absent.
    Optional,
}

impl<'a> Validator<'a> {
    pub(super) fn runtime_contract(&mut self) {
        let schemas = Pointer::root().join("components").join("schemas");
        match self.spec.components.schemas.get(ERROR_SCHEMA) {
            None => self.report(
                schemas.join(ERROR_SCHEMA),
                format!("the error envelope `{ERROR_SCHEMA}` is missing; the client decodes every error answer into it"),
            ),
            Some(envelope) => self.error_envelope(envelope, &schemas.join(ERROR_SCHEMA)),
        }
        match self.spec.components.schemas.get(INTENT_SCHEMA) {
            Some(intent) if intent.one_of.is_some() => {}
            _ => self.report(
                schemas.join(INTENT_SCHEMA),
                format!("`{INTENT_SCHEMA}` must be a `oneOf` union with a discriminator: the mock server and the crate's docs are built on it"),
            ),
        }
    }

    fn error_envelope(&mut self, envelope: &Schema, at: &Pointer) {
        if envelope.properties.is_empty() || envelope.one_of.is_some() || envelope.all_of.is_some()
        {
            self.report(
                at.clone(),
                format!("`{ERROR_SCHEMA}` must be an object schema with properties"),
            );
            return;
        }
        for (key, usage) in [
            ("type", Use::Always),
            ("message", Use::Always),
            ("code", Use::Optional),
        ] {
            let property_at = at.join("properties").join(key);
            let Some(property) = envelope.properties.get(key) else {
                self.report(
                    property_at,
                    format!(
                        "`{ERROR_SCHEMA}` needs a `{key}` property: `gigs_connect::Error` shows it"
                    ),
                );
                continue;
            };
            let target = property
                .ref_name()
                .and_then(|name| self.spec.components.schemas.get(name));
            let kind = target.unwrap_or(property);
            let is_string = kind.kind.as_deref() == Some("string");
            let is_enum = kind.enum_values.is_some();
            let nullable = property.nullable || target.is_some_and(|t| t.nullable);
            let required = envelope.required.iter().any(|r| r == key);
            let fits = match usage {
                Use::Always => is_string && required && !nullable,
                // `Option<String>`: absent or null must be allowed.
                Use::Optional => is_string && !is_enum && (!required || nullable),
            };
            if !fits {
                let needs = match usage {
                    Use::Always => "a required, non-nullable string (or string enum)",
                    Use::Optional => "an optional string",
                };
                self.report(
                    property_at,
                    format!(
                        "`{ERROR_SCHEMA}.{key}` must be {needs}: `gigs_connect::Error` shows it"
                    ),
                );
            }
        }
    }
}
