//! Responses: one exact success status, with a JSON model or no content, and one
//! error schema shared by every error status.

use super::Validator;
use crate::model::Operation;
use crate::pointer::Pointer;
use std::collections::BTreeSet;

/// The schema the hand-written runtime decodes every error answer into.
pub(super) const ERROR_SCHEMA: &str = "ApiError";

impl<'a> Validator<'a> {
    pub(super) fn responses(&mut self, op: &'a Operation, at: &Pointer) {
        let mut success = 0;
        let mut errors: BTreeSet<&str> = BTreeSet::new();
        for (status, response) in &op.responses {
            let status_at = at.join(status);
            let response = match response.resolve("responses", &self.spec.components.responses) {
                Ok(response) => response,
                Err(reference) => {
                    self.report(
                        status_at.join("$ref"),
                        format!("`$ref` `{reference}` points at no response"),
                    );
                    continue;
                }
            };
            let schema = self.json_content(&response.content, &status_at.join("content"));
            if status.starts_with('2') {
                success += 1;
                match status.parse::<u16>() {
                    Ok(204) if !response.content.is_empty() => self.report(
                        status_at.join("content"),
                        "a 204 answer has no content; remove `content` or use another status",
                    ),
                    Ok(code) if (200..300).contains(&code) => {}
                    _ => self.report(
                        status_at,
                        format!("success status `{status}` must be one code such as `200`: the client and the mock server need the exact status"),
                    ),
                }
            } else if ["4XX", "5XX", "default"].contains(&status.as_str())
                || status.starts_with('4')
                || status.starts_with('5')
            {
                if response.content.is_empty() {
                    self.report(
                        status_at.join("content"),
                        format!("error answers need content: the `{ERROR_SCHEMA}` envelope"),
                    );
                }
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
        match errors.into_iter().collect::<Vec<_>>().as_slice() {
            [ERROR_SCHEMA] => {}
            [] => self.report(
                at.clone(),
                format!("an operation needs 4XX/5XX responses with the `{ERROR_SCHEMA}` envelope"),
            ),
            [other] => self.report(
                at.clone(),
                format!("error responses use `{other}`; the client decodes every error into `{ERROR_SCHEMA}`"),
            ),
            _ => self.report(
                at.clone(),
                "an operation needs one error schema shared by its 4XX/5XX responses",
            ),
        }
    }
}
