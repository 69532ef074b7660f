//! Parameters: path (strings, one segment each), query (strings, integers with
//! bounds, booleans, string enums and arrays of those) and header (the same, no
//! arrays), each with a Rust name that fits where it ends up.

use super::Validator;
use crate::model::{DOC_ONLY_KEYS, OrRef, Parameter, Schema};
use crate::naming::{CLIENT_HEADERS, Case, FRAMING_HEADERS, sanitize};
use crate::pointer::Pointer;

/// A parameter as validation found it, with the pointer to report it under.
#[derive(Clone)]
pub(super) struct Declared<'a> {
    pub(super) param: &'a Parameter,
    pub(super) at: Pointer,
}

impl<'a> Validator<'a> {
    /// Checks a list of parameters (a path item's or an operation's) and returns
    /// the ones that resolved.
    pub(super) fn parameters(
        &mut self,
        params: &'a [OrRef<Parameter>],
        at: &Pointer,
    ) -> Vec<Declared<'a>> {
        let mut out: Vec<Declared<'a>> = Vec::new();
        for (i, param) in params.iter().enumerate() {
            let at = at.join(i);
            let param = match param.resolve("parameters", &self.spec.components.parameters) {
                Ok(param) => param,
                Err(reference) => {
                    self.report(
                        at.join("$ref"),
                        format!("`$ref` `{reference}` points at no parameter"),
                    );
                    continue;
                }
            };
            if out
                .iter()
                .any(|d| d.param.name == param.name && d.param.location == param.location)
            {
                self.report(
                    at.clone(),
                    format!(
                        "`{}` parameter `{}` is declared twice",
                        param.location, param.name
                    ),
                );
            }
            self.parameter(param, &at);
            out.push(Declared { param, at });
        }
        out
    }

    fn parameter(&mut self, param: &'a Parameter, at: &Pointer) {
        self.extensions_only(at, &param.other, DOC_ONLY_KEYS);
        if sanitize(&param.name, Case::Snake).is_none() {
            self.report(
                at.join("name"),
                format!("parameter name `{}` gives no Rust identifier", param.name),
            );
        }
        if param.client_setting && param.location != "path" {
            self.report(
                at.join("x-gigs-client-setting"),
                "only path parameters can be client settings",
            );
        }
        let schema_at = at.join("schema");
        match param.location.as_str() {
            "path" => {
                if !param.required {
                    self.report(at.join("required"), "path parameters must be required");
                }
                self.style(param, at, "simple", false);
                if param.schema.kind.as_deref() != Some("string")
                    || param.schema.enum_values.is_some()
                    || param.schema.reference.is_some()
                {
                    self.report(schema_at, "path parameters must be plain strings");
                }
            }
            "query" => {
                self.style(param, at, "form", true);
                self.param_schema(&param.schema, &schema_at, true);
            }
            "header" => {
                self.style(param, at, "simple", false);
                let lower = param.name.to_ascii_lowercase();
                if CLIENT_HEADERS.contains(&lower.as_str()) {
                    self.report(
                        at.join("name"),
                        format!(
                            "header `{}` is set by the client; it cannot be a parameter",
                            param.name
                        ),
                    );
                } else if FRAMING_HEADERS.contains(&lower.as_str()) {
                    self.report(
                        at.join("name"),
                        format!(
                            "header `{}` is written by the HTTP stack (it frames the message or the connection); it cannot be a parameter",
                            param.name
                        ),
                    );
                } else if lower == "cookie" {
                    self.report(
                        at.join("name"),
                        format!(
                            "header `{}` is not supported as a parameter (cookie parameters are not supported either)",
                            param.name
                        ),
                    );
                } else if param.name.is_empty() || !param.name.bytes().all(is_token_byte) {
                    self.report(
                        at.join("name"),
                        format!("`{}` is not a valid HTTP header name", param.name),
                    );
                }
                self.param_schema(&param.schema, &schema_at, false);
            }
            other => self.report(
                at.join("in"),
                format!(
                    "`{other}` parameters are not supported; only `path`, `query` and `header`"
                ),
            ),
        }
    }

    /// Only the default serialization is supported: `form`, exploded, for query
    /// parameters, and `simple` for path and header parameters.
    fn style(&mut self, param: &Parameter, at: &Pointer, default: &str, explode: bool) {
        if let Some(style) = &param.style
            && style != default
        {
            self.report(
                at.join("style"),
                format!("style `{style}` is not supported here; only `{default}`"),
            );
        }
        if let Some(value) = param.explode
            && value != explode
        {
            self.report(
                at.join("explode"),
                format!("`explode: {value}` is not supported here; only `{explode}`"),
            );
        }
    }

    /// A query or header parameter's schema: a scalar, or (query only) an array of
    /// scalars.
    fn param_schema(&mut self, schema: &'a Schema, at: &Pointer, array_allowed: bool) {
        self.extensions_only(at, &schema.other, DOC_ONLY_KEYS);
        if schema.nullable {
            self.report(
                at.join("nullable"),
                "a parameter cannot be `null`; leave it out instead",
            );
        }
        if let Some(reference) = &schema.reference {
            if let Some(target) = self.reference(reference, at)
                && target.enum_values.is_none()
            {
                self.report(
                    at.join("$ref"),
                    format!("a parameter `$ref` must name a string enum schema; `{reference}` is not one"),
                );
            }
            return;
        }
        let integer = schema.kind.as_deref() == Some("integer");
        for (key, bound) in [("minimum", &schema.minimum), ("maximum", &schema.maximum)] {
            match bound {
                Some(_) if !integer => self.report(
                    at.join(key),
                    format!("`{key}` is only supported on integer parameters"),
                ),
                Some(value) if value.as_i64().is_none() => self.report(
                    at.join(key),
                    format!("`{key}` must be a whole number that fits 64 bits, not {value}"),
                ),
                _ => {}
            }
        }
        if let (Some(min), Some(max)) = (
            schema.minimum.as_ref().and_then(|v| v.as_i64()),
            schema.maximum.as_ref().and_then(|v| v.as_i64()),
        ) && min > max
        {
            self.report(
                at.join("minimum"),
                format!("`minimum` {min} is above `maximum` {max}"),
            );
        }
        match schema.kind.as_deref() {
            Some("string") => {
                if schema.enum_values.is_some() {
                    self.report(
                        at.join("enum"),
                        "inline enums are not supported on parameters; `$ref` a string enum schema",
                    );
                }
                self.format(schema, at, super::STRING_FORMATS);
            }
            Some("integer") => self.format(schema, at, &["int32", "int64"]),
            Some("boolean") => {}
            Some("array") if array_allowed => match &schema.items {
                Some(items) => self.param_schema(items, &at.join("items"), false),
                None => self.report(at.clone(), "array schema has no `items`"),
            },
            Some("array") => self.report(
                at.join("type"),
                "arrays are only supported in query parameters, and not nested",
            ),
            _ => self.report(
                at.clone(),
                "a parameter must be a string, integer, boolean, `$ref` to a string enum, or (query) an array of those",
            ),
        }
    }
}

/// RFC 9110 `tchar`: what a header name may contain.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}
