//! codegen: reads the Gigs Connect Sessions OpenAPI spec and emits the generated
//! part of the gigs-connect client.
//!
//! The pipeline is visible in the modules: [`load`] (text → model), [`validate`]
//! (every problem, with its JSON pointer), [`lower`] (model → [`ir`]), [`emit`] (IR →
//! tokens) and [`format`] (tokens → text). [`generate`] runs them all in memory;
//! [`sync`] writes or checks the files on disk, and is what xtask and the drift test
//! call.

pub mod diff;
pub mod emit;
pub mod error;
pub mod format;
pub mod ir;
pub mod load;
pub mod lower;
pub mod model;
pub mod naming;
pub mod pointer;
pub mod surface;
pub mod sync;
pub mod validate;

pub use error::{CodegenError, Problem};
pub use pointer::Pointer;
pub use sync::{Mode, Outcome, sync, sync_files};

use std::collections::BTreeMap;

/// The generated files, by path relative to the generated folder, in a fixed order.
pub type Files = BTreeMap<String, String>;

/// Runs the whole pipeline on spec text. `spec_label` names the spec in the header
/// and in errors (e.g. `spec/connect-sessions.json`).
pub fn generate(spec_text: &str, spec_label: &str) -> Result<Files, CodegenError> {
    let api = parse(spec_text, spec_label)?;
    format::format_files(&emit::plan(&api), spec_label)
}

/// Load, validate and lower: the IR of a spec, or every problem in it.
pub fn parse(spec_text: &str, spec_label: &str) -> Result<ir::Api, CodegenError> {
    let spec = load::load(spec_text, spec_label)?;
    let problems = validate::validate(&spec);
    if !problems.is_empty() {
        return Err(CodegenError::Invalid {
            spec: spec_label.to_owned(),
            problems,
        });
    }
    Ok(lower::lower(&spec))
}
