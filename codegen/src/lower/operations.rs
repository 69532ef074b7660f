//! Endpoints → operations: path, parameters, body, response and, for a list in the
//! Gigs convention, its pager.

use super::docs::never_compiled;
use super::{Lowering, doc, type_name};
use crate::ir::{
    BackwardPager, Body, Operation, Pager, Param, ParamLocation, ParamType, PathArg, PathPart,
    Presence, Response, Type, TypeDef,
};
use crate::model::{self, OrRef, Parameter, Schema, effective_parameters};
use crate::naming::{Case, sanitize};
use crate::validate::template_params;
use serde_json::Value;

impl<'a> Lowering<'a> {
    pub(super) fn operation(
        &self,
        path: &str,
        shared: &'a [OrRef<Parameter>],
        method: &str,
        op: &'a model::Operation,
        types: &[TypeDef],
    ) -> Operation {
        let resolve = |list: &'a [OrRef<Parameter>]| -> Vec<&'a Parameter> {
            list.iter().map(|p| self.parameter(p)).collect()
        };
        let params = effective_parameters(resolve(shared), resolve(&op.parameters), |p| {
            (p.name.as_str(), p.location.as_str())
        });
        let (parts, path_args) = self.path(path, &params);
        let body = self.request_body(op);
        // The error envelope is the runtime's `ApiError`; validation made sure every
        // operation uses it.
        let (status, success) = op
            .responses
            .iter()
            .find(|(status, _)| status.starts_with('2'))
            .expect("validated success response");
        let response = match self.response(success).content.values().next() {
            Some(media) => Response::Json(type_name(
                media.schema.ref_name().expect("validated response schema"),
            )),
            None => Response::NoContent,
        };
        let params: Vec<Param> = params
            .iter()
            .filter(|p| p.location != "path")
            .map(|p| self.param(p))
            .collect();
        let pager = pager(&response, &params, types);
        let operation_id = op.operation_id.clone().expect("validated operationId");
        Operation {
            method_name: sanitize(&operation_id, Case::Snake).expect("validated operationId"),
            type_name: sanitize(&operation_id, Case::Pascal).expect("validated operationId"),
            http_method: method.to_ascii_uppercase(),
            doc: operation_doc(op, method, path, &operation_id),
            operation_id,
            deprecated: op.deprecated,
            path_template: path.to_owned(),
            success_status: status.parse().expect("validated success status"),
            path: parts,
            path_args,
            params,
            body,
            response,
            pager,
        }
    }

    /// The request body: its type, whether it is required, and which of its
    /// properties can be set only once.
    fn request_body(&self, op: &'a model::Operation) -> Option<Body> {
        match &op.request_body {
            Some(OrRef::Inline(body)) => body
                .content
                .values()
                .next()
                .and_then(|m| m.schema.ref_name())
                .map(|name| Body {
                    type_name: type_name(name),
                    required: body.required,
                    set_once: self
                        .component(name)
                        .properties
                        .iter()
                        .filter(|(_, property)| property.is_set_once())
                        .map(|(wire, _)| wire.clone())
                        .collect(),
                }),
            _ => None,
        }
    }

    /// The path as literal text and parameters, and the parameters that become
    /// method arguments (client settings come from the client instead).
    fn path(&self, path: &str, params: &[&Parameter]) -> (Vec<PathPart>, Vec<PathArg>) {
        let mut parts = Vec::new();
        let mut path_args = Vec::new();
        let mut rest = path;
        for name in template_params(path) {
            let (literal, after) = rest
                .split_once(&format!("{{{name}}}"))
                .expect("template parameter");
            if !literal.is_empty() {
                parts.push(PathPart::Literal(literal.to_owned()));
            }
            let param = params
                .iter()
                .find(|p| p.name == name && p.location == "path")
                .expect("validated path parameter");
            let arg = PathArg {
                name: sanitize(name, Case::Snake).expect("validated parameter"),
                wire: name.to_owned(),
                doc: doc(param.description.as_deref(), None, || {
                    format!("The `{name}` path parameter.")
                }),
            };
            if param.client_setting {
                parts.push(PathPart::ClientSetting(arg));
            } else {
                path_args.push(arg.clone());
                parts.push(PathPart::Arg(arg));
            }
            rest = after;
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        (parts, path_args)
    }

    fn param(&self, param: &Parameter) -> Param {
        let location = match param.location.as_str() {
            "query" => ParamLocation::Query,
            _ => ParamLocation::Header,
        };
        let name = &param.name;
        Param {
            name: sanitize(name, Case::Snake).expect("validated parameter"),
            wire: name.clone(),
            doc: doc(param.description.as_deref(), None, || {
                format!("The `{name}` {} parameter.", param.location)
            }),
            location,
            ty: param_type(&param.schema),
            required: param.required,
            minimum: param.schema.minimum.as_ref().and_then(Value::as_i64),
            maximum: param.schema.maximum.as_ref().and_then(Value::as_i64),
        }
    }

    fn parameter(&self, param: &'a OrRef<Parameter>) -> &'a Parameter {
        param
            .resolve("parameters", &self.spec.components.parameters)
            .expect("validated parameter ref")
    }

    fn response(&self, response: &'a OrRef<model::Response>) -> &'a model::Response {
        response
            .resolve("responses", &self.spec.components.responses)
            .expect("validated response ref")
    }
}

fn param_type(schema: &Schema) -> ParamType {
    if let Some(target) = schema.ref_name() {
        return ParamType::Enum(type_name(target));
    }
    match schema.kind.as_deref() {
        Some("integer") => ParamType::Integer,
        Some("boolean") => ParamType::Bool,
        Some("array") => ParamType::Array(Box::new(param_type(
            schema.items.as_deref().expect("validated array"),
        ))),
        _ => ParamType::String,
    }
}

/// The Gigs list convention, recognised from the shape rather than a name: the
/// answer is an object with `items` (an array) and a `moreItemsAfter` string
/// cursor, and the operation takes an optional string query parameter `after`.
/// The page method is generated either way; the pager only when all of it holds.
/// The same with `moreItemsBefore` and `before` makes the pager walk backward too.
fn pager(response: &Response, params: &[Param], types: &[TypeDef]) -> Option<Pager> {
    let Response::Json(page) = response else {
        return None;
    };
    let Some(TypeDef::Struct(page)) = types.iter().find(|t| t.name() == page) else {
        return None;
    };
    let items = page.fields.iter().find(|f| f.wire_name == "items")?;
    let Type::Array(item) = &items.ty else {
        return None;
    };
    if items.presence != Presence::Required {
        return None;
    }
    let (cursor, after) = cursor_pair(page, params, "moreItemsAfter", "after")?;
    let backward = cursor_pair(page, params, "moreItemsBefore", "before").map(
        |(cursor_field, before_param)| BackwardPager {
            cursor_field,
            before_param,
        },
    );
    Some(Pager {
        item: (**item).clone(),
        items_field: items.name.clone(),
        cursor_field: cursor,
        after_param: after,
        backward,
    })
}

/// The Rust names of a page's cursor field `cursor_wire` and of the optional
/// string query parameter `param_wire` that asks for the page it points to.
fn cursor_pair(
    page: &crate::ir::Struct,
    params: &[Param],
    cursor_wire: &str,
    param_wire: &str,
) -> Option<(String, String)> {
    let cursor = page.fields.iter().find(|f| f.wire_name == cursor_wire)?;
    // A cursor that cannot be absent or null could never say "last page".
    if cursor.ty != Type::String || cursor.presence == Presence::Required {
        return None;
    }
    let param = params.iter().find(|p| {
        p.wire == param_wire
            && p.location == ParamLocation::Query
            && !p.required
            && p.ty == ParamType::String
    })?;
    Some((cursor.name.clone(), param.name.clone()))
}

/// An operation's doc: the spec's summary and description, then its route and id.
fn operation_doc(op: &model::Operation, method: &str, path: &str, operation_id: &str) -> String {
    let summary = op
        .summary
        .as_deref()
        .map(|s| format!("{}.\n\n", never_compiled(s.trim().trim_end_matches('.'))))
        .unwrap_or_default();
    let description = never_compiled(op.description.as_deref().unwrap_or_default());
    format!(
        "{summary}{description}\n\n`{} {path}` (operation `{operation_id}`).",
        method.to_ascii_uppercase()
    )
}
