//! Pipeline stage 1 of 5: spec text → typed model (`model::Spec`).
//! Syntax errors carry line and column; shape errors carry a JSON pointer.

use crate::error::{CodegenError, Problem};
use crate::model::Spec;
use crate::pointer::Pointer;
use serde_path_to_error::Segment;

/// Parses `text` (named `spec` in errors) into the typed model.
pub fn load(text: &str, spec: &str) -> Result<Spec, CodegenError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| CodegenError::Syntax {
            spec: spec.to_owned(),
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        })?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let pointer = e
            .path()
            .iter()
            .fold(Pointer::root(), |pointer, segment| match segment {
                Segment::Seq { index } => pointer.join(index),
                Segment::Map { key } => pointer.join(key),
                Segment::Enum { variant } => pointer.join(variant),
                Segment::Unknown => pointer,
            });
        CodegenError::Shape {
            spec: spec.to_owned(),
            problem: Problem::new(pointer, e.inner().to_string()),
        }
    })
}

/// serde_json appends " at line L column C"; we print those ourselves.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}
