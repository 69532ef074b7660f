//! Pipeline stage 1 of 5: spec text → typed model (`model::Spec`).
//! Syntax errors carry line and column; shape errors carry a JSON pointer.

use crate::error::{CodegenError, Problem};
use crate::model::Spec;
use crate::pointer::Pointer;
use serde_json::error::Category;
use serde_path_to_error::Segment;

/// Parses `text` (named `spec` in errors) into the typed model, in one pass over
/// the text (no `serde_json::Value` tree in between: on a large spec that tree was
/// most of the loading time).
pub fn load(text: &str, spec: &str) -> Result<Spec, CodegenError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let model = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        if e.inner().classify() != Category::Data {
            return syntax_error(e.inner(), spec);
        }
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
            problem: Problem::new(pointer, strip_position(&e.inner().to_string())),
        }
    })?;
    // Only whitespace may follow the document.
    deserializer.end().map_err(|e| syntax_error(&e, spec))?;
    Ok(model)
}

/// Text that is not JSON, or nested deeper than the parser reads: where, by line
/// and column.
fn syntax_error(error: &serde_json::Error, spec: &str) -> CodegenError {
    let mut message = strip_position(&error.to_string());
    if message == "recursion limit exceeded" {
        // serde_json stops at 128 levels instead of overflowing the stack; say what
        // that means for a spec.
        message =
            "nested too deeply (the JSON parser reads at most 128 levels of arrays and objects)"
                .to_owned();
    }
    CodegenError::Syntax {
        spec: spec.to_owned(),
        line: error.line(),
        column: error.column(),
        message,
    }
}

/// serde_json appends " at line L column C"; we print those ourselves.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}
