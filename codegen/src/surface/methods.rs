//! `Client` methods as a user calls them: arguments, setters on the returned
//! `Call`, what it resolves to, and the request it sends.

use super::Aliases;
use crate::ir::{self, Operation, PathPart, Response};

/// One `Client` method and the request type in `operations` behind it.
#[derive(Clone, Debug)]
pub struct Method {
    /// The method's name on `Client`.
    pub name: String,
    /// The request type in `operations`.
    pub request_type: String,
    pub doc: String,
    /// The spec marks the operation `deprecated`.
    pub deprecated: bool,
    /// What the method sends, with path arguments by position, not by name:
    /// `PATCH /projects/{project}/connectSessions/{1}`. Two routes are the same
    /// URL exactly when these are equal.
    pub route: String,
    pub success_status: u16,
    /// Positional arguments, in order: path arguments, required parameters, then a
    /// required body.
    pub arguments: Vec<Argument>,
    /// Path arguments with their docs (their names are documentation only).
    pub path_arguments: Vec<ir::PathArg>,
    /// Query and header parameters: required ones are arguments, optional ones
    /// setters of the `Call`.
    pub params: Vec<ir::Param>,
    /// The body's type (aliases resolved) and whether it is an argument (else the
    /// `.body(…)` setter).
    pub body: Option<(String, bool)>,
    /// Wire names of the body's once-only properties (`x-gigs-set-once`): a call that
    /// sets one is not repeated after it may have reached Gigs.
    pub set_once: Vec<String>,
    /// What awaiting the call gives: a type name (aliases resolved) or `()`.
    pub returns: String,
    /// The operation implements `Paginated` (`.pages()`).
    pub paginated: bool,
    /// The request type has a lifetime parameter.
    pub borrows: bool,
}

/// One positional argument: its kind and Rust type, as a caller must supply it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Argument {
    pub name: String,
    pub ty: String,
}

impl Method {
    pub(super) fn of(op: &Operation, aliases: &Aliases<'_>) -> Method {
        let body = op
            .body
            .as_ref()
            .map(|b| (aliases.resolve_name(&b.type_name), b.required));
        let mut arguments: Vec<Argument> = op
            .path_args
            .iter()
            .map(|arg| Argument {
                name: arg.name.clone(),
                ty: "&str".to_owned(),
            })
            .collect();
        arguments.extend(op.params.iter().filter(|p| p.required).map(|p| Argument {
            name: p.name.clone(),
            ty: crate::diff::spell_param(&p.ty),
        }));
        if let Some((ty, true)) = &body {
            arguments.push(Argument {
                name: "body".to_owned(),
                ty: format!("&{ty}"),
            });
        }
        Method {
            name: op.method_name.clone(),
            request_type: op.type_name.clone(),
            doc: op.doc.clone(),
            deprecated: op.deprecated,
            route: route(op),
            success_status: op.success_status,
            arguments,
            path_arguments: op.path_args.clone(),
            params: op.params.clone(),
            body,
            set_once: op
                .body
                .as_ref()
                .map(|b| b.set_once.clone())
                .unwrap_or_default(),
            returns: match &op.response {
                Response::Json(name) => aliases.resolve_name(name),
                Response::NoContent => "()".to_owned(),
            },
            paginated: op.pager.is_some(),
            borrows: op.borrows(),
        }
    }
}

/// The HTTP method and the URL path with each path argument as `{n}`, its
/// position among the arguments: renaming a placeholder sends the same URL.
fn route(op: &Operation) -> String {
    let mut position = 0;
    let path: String = op
        .path
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => text.clone(),
            PathPart::Arg(_) => {
                position += 1;
                format!("{{{position}}}")
            }
            PathPart::ClientSetting(setting) => format!("{{{}}}", setting.wire),
        })
        .collect();
    format!("{} {path}", op.http_method)
}
