//! Operations: ids and the Rust names they become, paths and their parameters,
//! request bodies. Responses are checked in `responses`.

use super::Validator;
use super::parameters::Declared;
use crate::model::{MediaType, Operation, OrRef, effective_parameters, schema_ref_name};
use crate::naming::{CALL_METHODS, CLIENT_METHODS, Case, RESERVED_TYPE_NAMES, bare, sanitize};
use crate::pointer::Pointer;
use indexmap::IndexMap;
use std::collections::{BTreeMap, BTreeSet};

/// The Rust names operationIds became so far: method names and request type names.
#[derive(Default)]
pub(super) struct OperationNames {
    methods: BTreeMap<String, String>,
    types: BTreeMap<String, String>,
}

impl<'a> Validator<'a> {
    pub(super) fn operations(&mut self) {
        let paths_at = Pointer::root().join("paths");
        let mut names = OperationNames::default();
        for (path, item) in &self.spec.paths {
            let item_at = paths_at.join(path);
            self.extensions_only(&item_at, &item.other, &[]);
            if !path.starts_with('/') {
                self.report(item_at.clone(), "a path must start with `/`");
            }
            // Checked once per path item; each operation merges its own over them.
            let shared = self.parameters(&item.parameters, &item_at.join("parameters"));
            for (method, op) in item.operations() {
                let at = item_at.join(method);
                self.operation(path, op, &at, shared.clone(), &mut names);
            }
        }
    }

    fn operation(
        &mut self,
        path: &str,
        op: &'a Operation,
        at: &Pointer,
        shared: Vec<Declared<'a>>,
        names: &mut OperationNames,
    ) {
        self.extensions_only(at, &op.other, &[]);
        match &op.operation_id {
            None => self.report(at.clone(), "operation has no `operationId`"),
            Some(id) => self.operation_id(id, &at.join("operationId"), names),
        }
        let own = self.parameters(&op.parameters, &at.join("parameters"));
        let params = effective_parameters(shared, own, |d| {
            (d.param.name.as_str(), d.param.location.as_str())
        });
        self.path_parameters(path, &params, at);
        self.argument_names(&params, op.request_body.is_some());
        if let Some(body) = &op.request_body {
            let at = at.join("requestBody");
            match body {
                OrRef::Ref { .. } => self.report(
                    at,
                    "request body `$ref`s are not supported; inline the body",
                ),
                OrRef::Inline(body) => {
                    if body.content.is_empty() {
                        self.report(
                            at.join("content"),
                            "no content: a body needs `application/json`",
                        );
                    }
                    self.json_content(&body.content, &at.join("content"));
                }
            }
        }
        self.responses(op, &at.join("responses"));
    }

    /// The operationId becomes a method on `Client` and a request type in
    /// `operations`: both must be identifiers, unique, and free.
    fn operation_id(&mut self, id: &str, at: &Pointer, names: &mut OperationNames) {
        let (Some(method), Some(type_name)) =
            (sanitize(id, Case::Snake), sanitize(id, Case::Pascal))
        else {
            self.report(
                at.clone(),
                format!("operationId `{id}` gives no Rust identifier"),
            );
            return;
        };
        for (name, seen) in [
            (&method, &mut names.methods),
            (&type_name, &mut names.types),
        ] {
            if let Some(first) = seen.insert(name.clone(), id.to_owned()) {
                let why = if first == id {
                    "is used twice".to_owned()
                } else {
                    format!("collides with `{first}`: both become `{name}`")
                };
                self.report(at.clone(), format!("operationId `{id}` {why}"));
                return;
            }
        }
        if CLIENT_METHODS.contains(&bare(&method)) {
            self.report(
                at.clone(),
                format!("operationId `{id}` becomes method `{method}`, which `Client` already has"),
            );
        }
        if RESERVED_TYPE_NAMES.contains(&type_name.as_str()) {
            self.report(
                at.clone(),
                format!("operationId `{id}` becomes type `{type_name}`, a name generated code uses for something else"),
            );
        }
    }

    /// Every `{name}` in the path is a declared path parameter and back.
    fn path_parameters(&mut self, path: &str, params: &[Declared<'a>], at: &Pointer) {
        let declared: BTreeSet<&str> = params
            .iter()
            .filter(|d| d.param.location == "path")
            .map(|d| d.param.name.as_str())
            .collect();
        let in_path: BTreeSet<&str> = super::template_params(path).into_iter().collect();
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
    }

    /// Path, query and header parameters (and `body`) become fields of the request
    /// type, arguments of the client method, or setters on `Call`: their Rust names
    /// must differ from each other and from `Call`'s own methods.
    fn argument_names(&mut self, params: &[Declared<'a>], has_body: bool) {
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        if has_body {
            seen.insert("body".to_owned(), "the request body");
        }
        for declared in params {
            let param = declared.param;
            if param.client_setting {
                continue;
            }
            let Some(name) = sanitize(&param.name, Case::Snake) else {
                continue;
            };
            if let Some(first) = seen.insert(name.clone(), &param.name) {
                self.report(
                    declared.at.join("name"),
                    format!(
                        "parameter `{}` collides with {first}: both become `{name}`",
                        param.name
                    ),
                );
            }
            let setter = param.location != "path" && !param.required;
            if setter && CALL_METHODS.contains(&bare(&name)) {
                self.report(
                    declared.at.join("name"),
                    format!(
                        "optional parameter `{}` would get the setter `{name}`, which `Call` uses for a per-call option",
                        param.name
                    ),
                );
            }
        }
    }

    /// A body must be exactly `application/json` with a `$ref` to an object schema.
    pub(super) fn json_content(
        &mut self,
        content: &'a IndexMap<String, MediaType>,
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
            self.extensions_only(&media_at, &body.other, crate::model::DOC_ONLY_KEYS);
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
        found
    }
}
